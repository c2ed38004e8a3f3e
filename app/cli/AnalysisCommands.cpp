// What a trained model learned, from a checkpoint: PCA of the movie embeddings and an export
// for TensorBoard's Projector.
#include "app/cli/Args.h"
#include "app/cli/Commands.h"
#include "core/analysis/Pca.h"
#include "core/common/Error.h"
#include "core/io/ProjectorExport.h"
#include "core/train/Checkpoint.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace factorscope::cli {

namespace {

std::vector<int32_t> topItems(const CheckpointInfo& info, int top) {
    return mostRated(
        info.itemRatingCounts.empty() ? std::vector<int64_t>(info.itemTitles.size(), 0) : info.itemRatingCounts, top);
}

} // namespace

int cmdPca(const std::vector<std::string>& argv) {
    if (wantsHelp(argv)) {
        std::cout << "factorscope-cli pca --checkpoint FILE [--top N] [--components C]\n"
                     "PCA of the movie embeddings, fitted on the N most-rated movies (default 1000; 0 = all)\n"
                     "with C components (default 5). Prints JSON: explained_variance_ratio and, per\n"
                     "movie, its original id, title and coordinates.\n";
        return 0;
    }
    Args args(argv, {});
    const std::string file = args.required("checkpoint");
    const int top = static_cast<int>(args.integer("top", 0, 100000000).value_or(1000));
    const int components = static_cast<int>(args.integer("components", 1, 4096).value_or(5));
    args.rejectUnused("pca");
    const LoadedCheckpoint c = loadCheckpoint(file);
    if (components > c.model->spec().factors)
        throw UsageError("--components: the model has only " + std::to_string(c.model->spec().factors) + " factors");
    const Projection p = pca(c.model->itemFactors(), components, topItems(c.info, top));
    nlohmann::json movies = nlohmann::json::array();
    for (std::size_t r = 0; r < p.items.size(); ++r) {
        std::vector<float> xy(p.coords.values.begin() + static_cast<std::ptrdiff_t>(r * components),
                              p.coords.values.begin() + static_cast<std::ptrdiff_t>((r + 1) * components));
        movies.push_back({{"id", c.info.items.original(p.items[r])},
                          {"title", c.info.itemTitles[static_cast<std::size_t>(p.items[r])]},
                          {"coords", xy}});
    }
    std::cout << nlohmann::json{{"components", components},
                                {"explained_variance_ratio", p.explainedVarianceRatio},
                                {"movies", movies}}
                     .dump()
              << std::endl;
    return 0;
}

int cmdExport(const std::vector<std::string>& argv) {
    if (wantsHelp(argv)) {
        std::cout << "factorscope-cli export --checkpoint FILE --out DIR [--components C]\n"
                     "Writes DIR/vectors.tsv and DIR/metadata.tsv (TensorBoard Projector's format: one\n"
                     "row per movie; metadata with a header row) and DIR/projection.csv (the first C\n"
                     "principal components of every movie, default 5).\n";
        return 0;
    }
    Args args(argv, {});
    const std::string file = args.required("checkpoint");
    const std::string out = args.required("out");
    const int components = static_cast<int>(args.integer("components", 1, 4096).value_or(5));
    args.rejectUnused("export");
    const LoadedCheckpoint c = loadCheckpoint(file);
    const Matrix v = c.model->itemFactors();
    writeProjectorExport(out, v, datasetFromCheckpoint(c.info), c.info.itemRatingCounts, components);
    std::cout << nlohmann::json{{"out", out},
                                {"movies", v.rows},
                                {"factors", v.cols},
                                {"components", std::min<int64_t>(components, v.cols)}}
                     .dump()
              << std::endl;
    return 0;
}

} // namespace factorscope::cli
