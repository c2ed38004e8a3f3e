// What a trained model learned, from a checkpoint: PCA of the movie embeddings and an export
// for TensorBoard's Projector.
#include "app/cli/Args.h"
#include "app/cli/Commands.h"
#include "core/analysis/Pca.h"
#include "core/common/Error.h"
#include "core/train/Checkpoint.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace fs::cli {

namespace {

bool helpAsked(const std::vector<std::string>& a) {
    return std::find(a.begin(), a.end(), "--help") != a.end() || std::find(a.begin(), a.end(), "-h") != a.end();
}

std::string genresOf(const CheckpointInfo& info, int32_t item) {
    std::string out;
    for (std::size_t g = 0; g < info.genreNames.size(); ++g)
        if (info.itemGenres[static_cast<std::size_t>(item)] & (uint64_t{1} << g))
            out += (out.empty() ? "" : "|") + info.genreNames[g];
    return out;
}

// Titles may hold tabs or newlines only by accident; TSV cells must not.
std::string cell(std::string s) {
    for (char& c : s)
        if (c == '\t' || c == '\n' || c == '\r')
            c = ' ';
    return s;
}

std::vector<int32_t> topItems(const CheckpointInfo& info, int top) {
    return mostRated(info.itemRatingCounts.empty() ? std::vector<int64_t>(info.itemTitles.size(), 0)
                                                   : info.itemRatingCounts,
                     top);
}

} // namespace

int cmdPca(const std::vector<std::string>& argv) {
    if (helpAsked(argv)) {
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
    if (helpAsked(argv)) {
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
    const CheckpointInfo& info = c.info;
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    auto open = [&](const std::string& name) {
        std::ofstream f(out + "/" + name, std::ios::binary | std::ios::trunc);
        if (!f)
            throw IoError(out + "/" + name + ": cannot write here (check the folder is writable)");
        return f;
    };
    const Matrix v = c.model->itemFactors();
    std::ofstream vectors = open("vectors.tsv"), metadata = open("metadata.tsv"), projection = open("projection.csv");
    metadata << "id\ttitle\tgenres\tratings\n";
    for (int64_t r = 0; r < v.rows; ++r) {
        for (int64_t f = 0; f < v.cols; ++f)
            vectors << (f ? "\t" : "") << v.at(r, f);
        vectors << '\n';
        const auto item = static_cast<int32_t>(r);
        metadata << info.items.original(item) << '\t' << cell(info.itemTitles[static_cast<std::size_t>(r)]) << '\t'
                 << cell(genresOf(info, item)) << '\t'
                 << (info.itemRatingCounts.empty() ? 0 : info.itemRatingCounts[static_cast<std::size_t>(r)]) << '\n';
    }
    const int C = std::min<int>(components, static_cast<int>(v.cols));
    const Projection p = pca(v, C, topItems(info, 1000), topItems(info, 0));
    projection << "id,title";
    for (int k = 1; k <= C; ++k)
        projection << ",pc" << k;
    projection << '\n';
    for (std::size_t r = 0; r < p.items.size(); ++r) {
        std::string title = info.itemTitles[static_cast<std::size_t>(p.items[r])], quoted = "\"";
        for (char ch : title)
            quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        projection << info.items.original(p.items[r]) << ',' << quoted << '"';
        for (int k = 0; k < C; ++k)
            projection << ',' << p.coords.at(static_cast<int64_t>(r), k);
        projection << '\n';
    }
    for (auto* f : {&vectors, &metadata, &projection})
        if (!f->flush())
            throw IoError(out + ": writing the export failed (disk full?)");
    std::cout << nlohmann::json{{"out", out}, {"movies", v.rows}, {"factors", v.cols}, {"components", C}}.dump()
              << std::endl;
    return 0;
}

} // namespace fs::cli
