#include "core/common/AtomicFile.h"

#include "core/common/Error.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace factorscope {

namespace {
constexpr std::size_t kBufferBytes = 1 << 20;
} // namespace

std::string writeErrorCause(int error) {
    switch (error) {
    case ENOSPC:
        return "the disk is full";
    case EDQUOT:
        return "the disk quota is used up";
    case EFBIG:
        return "the file-size limit was reached (ulimit -f)";
    case EACCES:
    case EPERM:
        return "permission denied (check the folder is writable)";
    case EROFS:
        return "the file system is read-only";
    case ENOENT:
        return "the folder does not exist";
    default:
        return std::strerror(error);
    }
}

AtomicFile::AtomicFile(std::string path, std::string what)
    : m_path(std::move(path)), m_what(std::move(what)), m_partial(m_path + ".partial-" + std::to_string(::getpid())) {
    m_fd = ::open(m_partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (m_fd < 0) {
        const int error = errno;
        throw IoError(m_path + ": cannot write " + m_what + " here: " + writeErrorCause(error));
    }
    m_buffer.reserve(kBufferBytes);
}

AtomicFile::~AtomicFile() {
    if (m_fd >= 0) {
        ::close(m_fd);
        ::unlink(m_partial.c_str());
    }
}

void AtomicFile::fail(const std::string& doing, int error) {
    ::close(m_fd);
    m_fd = -1;
    ::unlink(m_partial.c_str());
    throw IoError(m_path + ": " + doing + " " + m_what + " failed: " + writeErrorCause(error) +
                  "; the previous file is untouched");
}

void AtomicFile::writeAll(std::string_view bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(m_fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail("writing", errno);
        }
        done += static_cast<std::size_t>(n);
    }
}

void AtomicFile::flushBuffer() {
    writeAll(m_buffer);
    m_buffer.clear();
}

void AtomicFile::write(std::string_view bytes) {
    if (m_fd < 0)
        throw IoError(m_path + ": " + m_what + " was already written or failed");
    if (m_buffer.size() + bytes.size() > kBufferBytes)
        flushBuffer();
    if (bytes.size() >= kBufferBytes) { // large: straight to the file, not through the buffer
        writeAll(bytes);
        return;
    }
    m_buffer.append(bytes);
}

void AtomicFile::commit() {
    if (m_fd < 0)
        throw IoError(m_path + ": " + m_what + " was already written or failed");
    flushBuffer();
    if (::fsync(m_fd) != 0)
        fail("writing", errno);
    if (::close(m_fd) != 0) {
        const int error = errno;
        m_fd = -1;
        ::unlink(m_partial.c_str());
        throw IoError(m_path + ": writing " + m_what + " failed: " + writeErrorCause(error) +
                      "; the previous file is untouched");
    }
    m_fd = -1;
    if (std::rename(m_partial.c_str(), m_path.c_str()) != 0) {
        const int error = errno;
        ::unlink(m_partial.c_str());
        throw IoError(m_path + ": cannot replace the file with the new " + m_what + ": " + writeErrorCause(error));
    }
}

void ignoreFileSizeSignal() { std::signal(SIGXFSZ, SIG_IGN); }

void writeFileAtomically(const std::string& path, std::string_view bytes, const std::string& what) {
    AtomicFile f(path, what);
    f.write(bytes);
    f.commit();
}

} // namespace factorscope
