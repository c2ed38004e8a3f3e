#pragma once
// Writes a file so that its readers see the old contents or the new, never a part of them.
// The bytes go to NAME.partial-PID in the same folder, are flushed to the disk, then renamed
// over NAME. On any failure (a full disk, the file-size limit, permissions) the partial file is
// removed and IoError names the file and the cause; the previous file is untouched. A file
// dropped without commit() is removed.
#include <string>
#include <string_view>

namespace factorscope {

class AtomicFile {
public:
    // `what` names the file's role in messages ("the checkpoint", "the export"). Throws IoError.
    AtomicFile(std::string path, std::string what);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(std::string_view bytes); // buffered; throws IoError
    void commit();                      // flush, fsync, rename; throws IoError
    const std::string& path() const { return m_path; }

private:
    void flushBuffer();
    void writeAll(std::string_view bytes);
    [[noreturn]] void fail(const std::string& doing, int error);

    std::string m_path, m_what, m_partial;
    std::string m_buffer;
    int m_fd = -1;
};

// One call for a whole file held in memory.
void writeFileAtomically(const std::string& path, std::string_view bytes, const std::string& what);

// What a failed write's errno means to a person: "the disk is full", "the file-size limit
// (ulimit -f) was reached", ... with the system's wording otherwise.
std::string writeErrorCause(int error);

// A write past the file-size limit (ulimit -f) kills the process with SIGXFSZ unless the signal
// is ignored; ignored, the write fails with EFBIG and AtomicFile reports it. The programs call
// this once at start (a library does not change a process's signal dispositions by itself).
void ignoreFileSizeSignal();

} // namespace factorscope
