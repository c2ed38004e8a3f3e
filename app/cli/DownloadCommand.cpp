// factorscope-cli download: a MovieLens data set into the per-user cache, as the app does it.
#include "app/cli/Commands.h"

#include "app/cli/JsonOut.h"

#include "app/cli/Args.h"
#include "core/data/Dataset.h"
#include "core/net/Download.h"
#include "core/train/SpecJson.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace factorscope::cli {

using nlohmann::json;

namespace {

// JSON lines for each stage and every 5 % of the transfer.
class JsonProgress : public DownloadObserver {
public:
    void onStage(const std::string& what) override { emit({{"stage", what}}); }
    void onProgress(int64_t done, int64_t total) override {
        if (total <= 0)
            return;
        const int pct = static_cast<int>(100 * done / total);
        if (pct >= m_next) {
            emit({{"progress", done}, {"total", total}});
            m_next = pct + 5;
        }
    }

private:
    int m_next = 0;
};

} // namespace

int cmdDownload(const std::vector<std::string>& argvIn) {
    if (wantsHelp(argvIn)) {
        std::cout << "factorscope-cli download NAME --accept-terms [--cache DIR] [--base-url URL]\n"
                     "factorscope-cli download --list\n"
                     "Downloads a MovieLens data set from GroupLens over HTTPS, checks the MD5 that\n"
                     "GroupLens publishes, unpacks it into the cache (default ~/.cache/factorscope/\n"
                     "datasets) and loads it. A cached set loads at once. --accept-terms says you accept\n"
                     "GroupLens's terms of use (printed without it). Prints JSON lines, then the data\n"
                     "set's summary with \"path\".\n";
        return 0;
    }
    std::vector<std::string> argv = argvIn;
    std::string name;
    if (!argv.empty() && argv[0].rfind("--", 0) != 0) {
        name = argv[0];
        argv.erase(argv.begin());
    }
    Args args(argv, {"accept-terms", "list"});
    const bool list = args.flag("list");
    const bool accepted = args.flag("accept-terms");
    DownloadOptions options;
    if (auto v = args.text("cache"))
        options.cacheDir = *v;
    if (auto v = args.text("base-url"))
        options.baseUrl = *v;
    args.rejectUnused("download");
    if (list) {
        for (const auto& s : remoteDatasets())
            emit({{"name", s.name},
                  {"title", s.title},
                  {"bytes", s.bytes},
                  {"ratings", s.ratings},
                  {"cached", !cachedDataset(s, options.cacheDir).empty()}});
        return 0;
    }
    if (name.empty())
        throw UsageError("name the data set to download (see --list)");
    const RemoteDataset& set = remoteDataset(name);
    const bool cached = !cachedDataset(set, options.cacheDir).empty();
    if (!cached && !accepted) {
        std::cerr << groupLensTerms(set) << "\n\n";
        throw UsageError("read GroupLens's terms of use above; run again with --accept-terms to accept them");
    }
    JsonProgress progress;
    const std::string path = fetchDataset(set, options, &progress);
    json out = toJson(summarize(loadDataset(path)));
    out["path"] = path;
    out["cached"] = cached;
    out["done"] = true;
    emit(out);
    return 0;
}

} // namespace factorscope::cli
