#include "core/net/Download.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <zip.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <regex>

namespace factorscope {

namespace stdfs = std::filesystem;

namespace {

constexpr const char* kCompleteMarker = ".factorscope-complete";

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct DigestDeleter {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

void initCurl() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool isLoopback(const std::string& url) {
    static const std::regex re(R"(^http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?/.*)", std::regex::icase);
    return std::regex_match(url, re);
}

void checkScheme(const std::string& url) {
    if (url.rfind("https://", 0) == 0 || isLoopback(url))
        return;
    throw IoError(url + ": only HTTPS downloads are allowed");
}

// One transfer into `sink`; progress and cancel through the callbacks.
struct Transfer {
    std::FILE* file = nullptr;
    std::string* text = nullptr;
    EVP_MD_CTX* md5 = nullptr;
    DownloadObserver* observer = nullptr;
    const std::atomic<bool>* cancel = nullptr;
    int64_t expected = 0;

    static size_t write(char* data, size_t size, size_t n, void* self) {
        auto* t = static_cast<Transfer*>(self);
        const size_t bytes = size * n;
        if (t->md5)
            EVP_DigestUpdate(t->md5, data, bytes);
        if (t->text)
            t->text->append(data, bytes);
        if (t->file && std::fwrite(data, 1, bytes, t->file) != bytes)
            return 0; // disk full: curl reports a write error
        return bytes;
    }
    static int progress(void* self, curl_off_t total, curl_off_t done, curl_off_t, curl_off_t) {
        auto* t = static_cast<Transfer*>(self);
        if (t->cancel && t->cancel->load())
            return 1;
        if (t->observer)
            t->observer->onProgress(done, total > 0 ? total : t->expected);
        return 0;
    }
};

void get(const std::string& url, Transfer& t, const DownloadOptions& o) {
    checkScheme(url);
    initCurl();
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl)
        throw IoError("cannot start a download (libcurl failed to initialise)");
    char error[CURL_ERROR_SIZE] = {};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o.connectTimeoutSeconds);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o.stallSeconds);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "Factorscope/" FACTORSCOPE_VERSION);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Transfer::write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &Transfer::progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
    const CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_ABORTED_BY_CALLBACK)
        throw DownloadCancelled();
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (rc == CURLE_OK && status >= 400)
        throw IoError(url + ": the server answered HTTP " + std::to_string(status) +
                      (status == 404 ? " (not found)" : ""));
    if (rc == CURLE_PARTIAL_FILE)
        throw IoError(url + ": the transfer ended early (truncated); try again");
    if (rc != CURLE_OK)
        throw IoError(url + ": " + (error[0] ? error : curl_easy_strerror(rc)) +
                      (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_CONNECT
                           ? " (offline? the demo data stays loaded)"
                           : ""));
}

std::string hex(const unsigned char* d, unsigned n) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (unsigned i = 0; i < n; ++i) {
        s += digits[d[i] >> 4];
        s += digits[d[i] & 15];
    }
    return s;
}

// The first 32-hex-digit word of a .md5 file, in either "HASH  file" or "MD5 (file) = HASH" form.
std::string parseMd5(const std::string& text, const std::string& url) {
    static const std::regex re(R"((^|[^0-9a-fA-F])([0-9a-fA-F]{32})([^0-9a-fA-F]|$))");
    std::smatch m;
    if (!std::regex_search(text, m, re))
        throw IoError(url + ": no MD5 checksum in the file GroupLens publishes");
    std::string h = m[2];
    for (auto& ch : h)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return h;
}

// The single top-level folder of an unpacked archive, or the folder itself.
stdfs::path datasetRoot(const stdfs::path& dir) {
    std::vector<stdfs::path> entries;
    for (const auto& e : stdfs::directory_iterator(dir))
        entries.push_back(e.path());
    if (entries.size() == 1 && stdfs::is_directory(entries[0]))
        return entries[0];
    return dir;
}

} // namespace

const std::vector<RemoteDataset>& remoteDatasets() {
    static const std::vector<RemoteDataset> sets = {
        {"ml-100k", "MovieLens 100K", "ml-100k.zip", 4'924'029,
         "100,000 ratings from 943 users on 1,682 movies (1998), with the u1..u5, ua, ub splits"},
        {"ml-latest-small", "MovieLens latest small", "ml-latest-small.zip", 978'202,
         "about 100,000 ratings from 610 users on 9,700 movies, half stars"},
        {"ml-1m", "MovieLens 1M", "ml-1m.zip", 5'917'549, "1 million ratings from 6,040 users on 3,900 movies (2003)"},
        {"ml-10m", "MovieLens 10M", "ml-10m.zip", 65'566'137,
         "10 million ratings from 72,000 users on 10,000 movies, half stars (2009)"},
        {"ml-20m", "MovieLens 20M", "ml-20m.zip", 198'702'078,
         "20 million ratings from 138,000 users on 27,000 movies (2015)"},
        {"ml-25m", "MovieLens 25M", "ml-25m.zip", 261'978'986,
         "25 million ratings from 162,000 users on 62,000 movies (2019)"},
        {"ml-32m", "MovieLens 32M", "ml-32m.zip", 238'950'008,
         "32 million ratings from 200,948 users on 87,585 movies (2023)"},
    };
    return sets;
}

const RemoteDataset& remoteDataset(const std::string& name) {
    std::string known;
    for (const auto& s : remoteDatasets()) {
        if (s.name == name)
            return s;
        known.append(known.empty() ? "" : ", ").append(s.name);
    }
    throw SpecError("unknown data set \"" + name + "\"; known: " + known);
}

std::string groupLensTerms(const RemoteDataset& set) {
    return set.title +
           " is published by GroupLens Research, University of Minnesota, under these terms:\n"
           "- You may use it for research only, not commercially, without their permission.\n"
           "- You may not redistribute it (share your code, not the data).\n"
           "- You must acknowledge it in publications: F. Maxwell Harper and Joseph A. Konstan. 2015. "
           "The MovieLens Datasets: History and Context. ACM TiiS 5, 4, Article 19.\n"
           "- It comes without any warranty; GroupLens is not liable for its use.\n"
           "Full terms: https://files.grouplens.org/datasets/movielens/" +
           set.name + "-README.txt";
}

std::string defaultDatasetCache() {
    stdfs::path base;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
        base = x;
    else if (const char* h = std::getenv("HOME"); h && *h)
        base = stdfs::path(h) / ".cache";
    else
        base = stdfs::temp_directory_path();
    return (base / "factorscope" / "datasets").string();
}

std::string cachedDataset(const RemoteDataset& set, const std::string& cacheDir) {
    const stdfs::path dir = stdfs::path(cacheDir.empty() ? defaultDatasetCache() : cacheDir) / set.name;
    std::error_code ec;
    return stdfs::exists(dir / kCompleteMarker, ec) ? dir.string() : std::string();
}

void unzipTo(const std::string& zipPath, const std::string& destDir) {
    int err = 0;
    zip_t* z = zip_open(zipPath.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (!z)
        throw IoError(zipPath + ": not a readable zip archive (libzip error " + std::to_string(err) + ")");
    std::unique_ptr<zip_t, int (*)(zip_t*)> guard(z, zip_close);
    const stdfs::path dest(destDir);
    stdfs::create_directories(dest);
    const zip_int64_t n = zip_get_num_entries(z, 0);
    std::vector<char> buf(1 << 16);
    for (zip_int64_t i = 0; i < n; ++i) {
        const std::string name = zip_get_name(z, i, 0);
        const stdfs::path rel = stdfs::path(name).lexically_normal();
        if (rel.is_absolute() || rel.empty() || *rel.begin() == "..")
            throw IoError(zipPath + ": entry \"" + name + "\" would unpack outside the cache; refused");
        const stdfs::path out = dest / rel;
        if (!name.empty() && name.back() == '/') {
            stdfs::create_directories(out);
            continue;
        }
        stdfs::create_directories(out.parent_path());
        zip_file_t* f = zip_fopen_index(z, i, 0);
        if (!f)
            throw IoError(zipPath + ": cannot read entry \"" + name + "\"");
        std::ofstream os(out, std::ios::binary);
        zip_int64_t got;
        while ((got = zip_fread(f, buf.data(), buf.size())) > 0)
            os.write(buf.data(), got);
        zip_fclose(f);
        if (got < 0 || !os)
            throw IoError(zipPath + ": entry \"" + name + "\" is damaged or the disk is full");
    }
}

std::string fetchDataset(const RemoteDataset& set, const DownloadOptions& options, DownloadObserver* observer,
                         const std::atomic<bool>* cancel) {
    const stdfs::path cache(options.cacheDir.empty() ? defaultDatasetCache() : options.cacheDir);
    if (auto cached = cachedDataset(set, cache.string()); !cached.empty())
        return cached;
    std::error_code ec;
    stdfs::create_directories(cache, ec);
    if (ec)
        throw IoError(cache.string() + ": cannot create the cache folder (" + ec.message() + ")");
    std::string base = options.baseUrl;
    if (!base.empty() && base.back() != '/')
        base += '/';
    const std::string url = base + set.file;
    const stdfs::path part = cache / (set.file + ".part");
    const stdfs::path unpack = cache / (set.name + ".unpacking");
    const stdfs::path final = cache / set.name;
    struct Cleanup {
        std::vector<stdfs::path> paths;
        ~Cleanup() {
            std::error_code e;
            for (const auto& p : paths)
                stdfs::remove_all(p, e);
        }
    } cleanup{{part, unpack}};

    if (observer)
        observer->onStage("checksum");
    std::string md5Text;
    Transfer sumTransfer;
    sumTransfer.text = &md5Text;
    sumTransfer.cancel = cancel;
    get(url + ".md5", sumTransfer, options);
    const std::string expected = parseMd5(md5Text, url + ".md5");

    if (observer)
        observer->onStage("downloading");
    std::unique_ptr<EVP_MD_CTX, DigestDeleter> md5(EVP_MD_CTX_new());
    EVP_DigestInit_ex(md5.get(), EVP_md5(), nullptr);
    std::FILE* file = std::fopen(part.c_str(), "wb");
    if (!file)
        throw IoError(part.string() + ": cannot write the download (check the disk and permissions)");
    Transfer t;
    t.file = file;
    t.md5 = md5.get();
    t.observer = observer;
    t.cancel = cancel;
    t.expected = set.bytes;
    try {
        get(url, t, options);
    } catch (...) {
        std::fclose(file);
        throw;
    }
    if (std::fclose(file) != 0)
        throw IoError(part.string() + ": writing the download failed (disk full?)");

    if (observer)
        observer->onStage("verifying");
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    EVP_DigestFinal_ex(md5.get(), digest, &len);
    const std::string actual = hex(digest, len);
    if (actual != expected)
        throw IoError(url + ": checksum mismatch (MD5 " + actual + ", GroupLens publishes " + expected +
                      "); the download is damaged, try again");

    if (observer)
        observer->onStage("unpacking");
    unzipTo(part.string(), unpack.string());
    stdfs::remove_all(final, ec);
    stdfs::rename(datasetRoot(unpack), final);
    std::ofstream(final / kCompleteMarker) << url << "\n" << actual << "\n";
    return final.string();
}

} // namespace factorscope
