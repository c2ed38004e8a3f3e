#include "core/data/Source.h"

#include "core/common/Error.h"
#include "core/common/Memory.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

namespace factorscope {

namespace stdfs = std::filesystem;

struct Source::Buffer {
    std::string owned;   // zip entries
    void* map = nullptr; // mapped files
    std::size_t mapLength = 0;
    std::string_view view;
    ~Buffer() {
        if (map && map != MAP_FAILED)
            munmap(map, mapLength);
    }
};

namespace {

constexpr uint64_t kAnyEntryMayInflateTo = uint64_t{64} << 20;
constexpr uint64_t kMostCompression = 100; // text of ratings compresses 3-5 times

// An entry inflated whole, in memory bounded by what its header declares: refused before any
// allocation when the declared size is out of proportion to the compressed one (a zip bomb) or
// more than the machine has; never read past the declared size whatever the stream holds.
std::string inflateEntry(const std::string& path, const std::string& entry, const std::string& display) {
    int err = 0;
    std::unique_ptr<zip_t, int (*)(zip_t*)> z(zip_open(path.c_str(), ZIP_RDONLY, &err), zip_close);
    if (!z)
        throw DataError(path + ": cannot open the .zip archive");
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z.get(), entry.c_str(), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        throw DataError(display + ": cannot read this entry of the archive");
    const uint64_t packed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : st.size;
    std::error_code ec;
    const uint64_t archiveBytes = stdfs::file_size(path, ec);
    if (!ec && packed > archiveBytes) // a header's sizes are the archive's word, not a fact
        throw DataError(display + ": the archive is damaged (the entry claims " + formatBytes(packed) +
                        " of compressed data in a file of " + formatBytes(archiveBytes) + ")");
    if (st.size > kAnyEntryMayInflateTo && st.size / std::max<uint64_t>(packed, 1) > kMostCompression)
        throw DataError(display + ": would inflate from " + formatBytes(packed) + " to " + formatBytes(st.size) + ", " +
                        std::to_string(st.size / std::max<uint64_t>(packed, 1)) +
                        " times; no ratings file compresses more than " + std::to_string(kMostCompression) +
                        " times, so the archive is damaged or made to exhaust memory (a zip bomb); refused");
    requireMemory(st.size, availableMemory(), display + " (inflated)");
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> f(zip_fopen(z.get(), entry.c_str(), 0), zip_fclose);
    if (!f)
        throw DataError(display + ": cannot read this entry of the archive (" + zip_strerror(z.get()) + ")");
    std::string out(st.size, '\0');
    const zip_int64_t got = zip_fread(f.get(), out.data(), st.size);
    if (got < 0 || static_cast<zip_uint64_t>(got) != st.size)
        throw DataError(display + ": the archive is damaged (the entry is shorter than its header says, or its "
                                  "data does not inflate)");
    return out;
}

} // namespace

Source::Source(Source&&) noexcept = default;
Source& Source::operator=(Source&&) noexcept = default;
Source::~Source() = default;

static std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

static bool isZipFile(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f)
        return false;
    unsigned char magic[4] = {};
    std::size_t n = std::fread(magic, 1, 4, f);
    std::fclose(f);
    return n == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

Source Source::open(const std::string& path) {
    Source s;
    s.m_path = path;
    std::error_code ec;
    if (!stdfs::exists(path, ec))
        throw IoError(path + ": no such file or folder");
    if (stdfs::is_directory(path, ec)) {
        for (const auto& e : stdfs::directory_iterator(path, ec))
            if (e.is_regular_file())
                s.m_entries.push_back(e.path().filename().string());
        std::sort(s.m_entries.begin(), s.m_entries.end());
        return s;
    }
    if (isZipFile(path)) {
        int err = 0;
        zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
        if (!z)
            throw DataError(path + ": not a readable .zip archive (libzip error " + std::to_string(err) +
                            "); download it again or unpack it");
        zip_int64_t n = zip_get_num_entries(z, 0);
        for (zip_int64_t i = 0; i < n; ++i) {
            const char* name = zip_get_name(z, i, 0);
            if (name && name[0] && name[std::strlen(name) - 1] != '/')
                s.m_entries.push_back(name);
        }
        zip_close(z);
        s.m_isZip = true;
        return s;
    }
    s.m_singleFile = true;
    s.m_entries.push_back(path);
    return s;
}

std::optional<std::string> Source::find(const std::string& name) const {
    const std::string wanted = lower(name);
    for (const auto& e : m_entries) {
        std::string base = e.substr(e.find_last_of('/') == std::string::npos ? 0 : e.find_last_of('/') + 1);
        // Skip macOS resource forks that some zips carry (__MACOSX/._u.data).
        if (e.find("__MACOSX") != std::string::npos)
            continue;
        if (lower(base) == wanted)
            return e;
    }
    return std::nullopt;
}

std::vector<std::string> Source::entries() const { return m_entries; }

std::string Source::displayName(const std::string& entry) const {
    if (m_isZip)
        return m_path + ":" + entry;
    if (m_singleFile)
        return entry;
    return (stdfs::path(m_path) / entry).string();
}

std::string_view Source::read(const std::string& entry) {
    if (auto it = m_buffers.find(entry); it != m_buffers.end())
        return it->second->view;
    auto buf = std::make_unique<Buffer>();
    if (m_isZip) {
        buf->owned = inflateEntry(m_path, entry, displayName(entry));
        buf->view = buf->owned;
    } else {
        const std::string file = displayName(entry);
        int fd = ::open(file.c_str(), O_RDONLY);
        if (fd < 0)
            throw IoError(file + ": cannot open for reading (check the permissions)");
        struct stat st {};
        fstat(fd, &st);
        buf->mapLength = static_cast<std::size_t>(st.st_size);
        if (buf->mapLength > 0) {
            buf->map = mmap(nullptr, buf->mapLength, PROT_READ, MAP_PRIVATE, fd, 0);
            if (buf->map == MAP_FAILED) {
                ::close(fd);
                throw IoError(file + ": cannot map the file into memory");
            }
            madvise(buf->map, buf->mapLength, MADV_SEQUENTIAL);
            buf->view = std::string_view(static_cast<const char*>(buf->map), buf->mapLength);
        }
        ::close(fd);
    }
    std::string_view v = buf->view;
    m_buffers.emplace(entry, std::move(buf));
    return v;
}

} // namespace factorscope
