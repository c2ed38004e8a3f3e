#pragma once
// MovieLens data sets the way users get them: from GroupLens over HTTPS, checked against the
// MD5 that GroupLens publishes beside each zip, unpacked into the per-user cache. Used by the
// CLI (`download`) and, on a worker thread, by the desktop app.
#include "core/common/Error.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace factorscope {

struct RemoteDataset {
    std::string name;    // ml-100k, ml-latest-small, ml-1m, ml-10m, ml-20m, ml-25m, ml-32m
    std::string title;   // "MovieLens 100K"
    std::string file;    // ml-100k.zip
    int64_t bytes = 0;   // the zip's size, for the menu and the progress bar before the server says
    std::string ratings; // "100,000 ratings from 943 users on 1,682 movies"
};

const std::vector<RemoteDataset>& remoteDatasets();
// Throws SpecError listing the known names.
const RemoteDataset& remoteDataset(const std::string& name);

// GroupLens's terms of use in short, with the link to the full text; a person must accept
// them before a download starts.
std::string groupLensTerms(const RemoteDataset& set);

inline constexpr const char* kGroupLensBaseUrl = "https://files.grouplens.org/datasets/movielens/";

// $XDG_CACHE_HOME (or ~/.cache)/factorscope/datasets: where QStandardPaths puts an app's cache.
std::string defaultDatasetCache();

// The unpacked folder of `set` in `cacheDir` when a complete earlier download is there, else "".
std::string cachedDataset(const RemoteDataset& set, const std::string& cacheDir);

struct DownloadOptions {
    std::string baseUrl = kGroupLensBaseUrl; // plain http is refused except to 127.0.0.1/localhost (tests)
    std::string cacheDir;                    // empty: defaultDatasetCache()
    long connectTimeoutSeconds = 20;
    long stallSeconds = 30; // give up when nothing arrives for this long
};

class DownloadObserver {
public:
    virtual ~DownloadObserver() = default;
    virtual void onStage(const std::string& /*what*/) {}            // "downloading", "verifying", "unpacking"
    virtual void onProgress(int64_t /*done*/, int64_t /*total*/) {} // total 0 when unknown
};

struct DownloadCancelled : IoError {
    DownloadCancelled() : IoError("download cancelled") {}
};

// Returns the unpacked folder, ready for loadDataset: at once when cached, else after the
// download, the checksum and the unpacking. Nothing is left in the cache unless all succeed.
// Throws IoError saying what failed (offline, HTTP status, checksum, truncated, bad zip) and
// DownloadCancelled when `cancel` became true.
std::string fetchDataset(const RemoteDataset& set, const DownloadOptions& options = {},
                         DownloadObserver* observer = nullptr, const std::atomic<bool>* cancel = nullptr);

// Unpacks `zipPath` into `destDir` (created); refuses entries that would escape it.
void unzipTo(const std::string& zipPath, const std::string& destDir);

} // namespace factorscope
