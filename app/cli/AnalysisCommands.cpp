// What a trained model learned, from a checkpoint: PCA of the movie embeddings, maps (PCA,
// t-SNE) as CSV, exports for TensorBoard's Projector and NumPy, and two models compared.
#include "app/cli/Args.h"
#include "app/cli/Commands.h"
#include "core/analysis/CustomAxes.h"
#include "core/analysis/ItemSides.h"
#include "core/analysis/Pca.h"
#include "core/analysis/Tsne.h"
#include "core/common/Error.h"
#include "core/io/NpyExport.h"
#include "core/io/ProjectorExport.h"
#include "core/train/Checkpoint.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>
#include <cmath>
#include <iostream>
#include <numeric>

namespace factorscope::cli {

namespace {

std::vector<int32_t> topItems(const CheckpointInfo& info, int top) {
    return mostRated(
        info.itemRatingCounts.empty() ? std::vector<int64_t>(info.itemTitles.size(), 0) : info.itemRatingCounts, top);
}

// The movies whose titles contain `flag`'s text (ignoring case): an axis end.
std::vector<int32_t> titleMatches(Args& args, const std::string& flag, const CheckpointInfo& info) {
    const auto text = args.text(flag);
    if (!text)
        return {};
    const auto lower = [](std::string s) {
        for (char& c : s)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    };
    const std::string wanted = lower(*text);
    std::vector<int32_t> rows;
    for (std::size_t i = 0; i < info.itemTitles.size(); ++i)
        if (!wanted.empty() && lower(info.itemTitles[i]).find(wanted) != std::string::npos)
            rows.push_back(static_cast<int32_t>(i));
    if (rows.empty())
        throw UsageError("--" + flag + ": no movie's title contains '" + *text + "'");
    return rows;
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
        std::cout << "factorscope-cli export --checkpoint FILE --out DIR [--components C] [--npy]\n"
                     "Writes DIR/vectors.tsv and DIR/metadata.tsv (TensorBoard Projector's format: one\n"
                     "row per movie; metadata with a header row) and DIR/projection.csv (the first C\n"
                     "principal components of every movie, default 5). With --npy, also the tables as\n"
                     "NumPy arrays (numpy.load): user_factors.npy, item_factors.npy, their original ids\n"
                     "user_ids.npy and item_ids.npy, and user_bias.npy and item_bias.npy where the model\n"
                     "has biases.\n";
        return 0;
    }
    Args args(argv, {"npy"});
    const std::string file = args.required("checkpoint");
    const std::string out = args.required("out");
    const int components = static_cast<int>(args.integer("components", 1, 4096).value_or(5));
    const bool npy = args.flag("npy");
    args.rejectUnused("export");
    const LoadedCheckpoint c = loadCheckpoint(file);
    const Matrix v = c.model->itemFactors();
    writeProjectorExport(out, v, datasetFromCheckpoint(c.info), c.info.itemRatingCounts, components);
    nlohmann::json report{
        {"out", out}, {"movies", v.rows}, {"factors", v.cols}, {"components", std::min<int64_t>(components, v.cols)}};
    if (npy)
        report["npy"] = writeNpyTables(out, *c.model, c.info.users, c.info.items);
    std::cout << report.dump() << std::endl;
    return 0;
}

int cmdProject(const std::vector<std::string>& argv) {
    if (wantsHelp(argv)) {
        std::cout << "factorscope-cli project --checkpoint FILE --out FILE [--method pca|tsne|axes] [--top N]\n"
                     "                        [--perplexity P] [--early-exaggeration E] [--iterations N]\n"
                     "                        [--x-from TEXT --x-to TEXT [--y-from TEXT --y-to TEXT]]\n"
                     "Places the movie embeddings on a 2-D map and writes it as CSV: a header line, then\n"
                     "id,title,x,y per movie (original ids). --top: the N most-rated movies (default 0 = all).\n"
                     "pca: the first two principal components. tsne (default): t-SNE, Barnes-Hut, started from\n"
                     "PCA; --perplexity (default 30) is about how many neighbours each movie attends to (below\n"
                     "the number of movies), --early-exaggeration (12) how strongly the first 250 iterations\n"
                     "pull neighbours together, --iterations (1000) how long it optimises. On a t-SNE map,\n"
                     "movies near each other have similar embeddings; cluster sizes and the gaps between\n"
                     "clusters mean nothing. axes: x runs from the movies whose titles contain --x-from TEXT\n"
                     "(their mean) to those matching --x-to TEXT; y likewise with --y-from/--y-to, made\n"
                     "perpendicular to x, or without them the direction of most variance that x leaves.\n";
        return 0;
    }
    Args args(argv, {});
    const std::string file = args.required("checkpoint");
    const std::string out = args.required("out");
    const std::string method = args.text("method").value_or("tsne");
    if (method != "pca" && method != "tsne" && method != "axes")
        throw UsageError("--method: expected pca, tsne or axes, got '" + method + "'");
    const int top = static_cast<int>(args.integer("top", 0, 100000000).value_or(0));
    TsneOptions o;
    o.perplexity = args.real("perplexity", 1e-3, 1e9).value_or(o.perplexity);
    o.earlyExaggeration = args.real("early-exaggeration", 1, 1e6).value_or(o.earlyExaggeration);
    o.iterations = static_cast<int>(args.integer("iterations", 1, 1000000).value_or(o.iterations));
    const auto start = std::chrono::steady_clock::now();
    const LoadedCheckpoint c = loadCheckpoint(file);
    AxisEnds x, y;
    if (method == "axes") {
        x = {titleMatches(args, "x-from", c.info), titleMatches(args, "x-to", c.info)};
        y = {titleMatches(args, "y-from", c.info), titleMatches(args, "y-to", c.info)};
        if (x.from.empty() || x.to.empty())
            throw UsageError("--method axes: needs --x-from and --x-to");
        if (y.from.empty() != y.to.empty())
            throw UsageError("--method axes: give both --y-from and --y-to, or neither");
    }
    args.rejectUnused("project");
    const Matrix all = c.model->itemFactors();
    const std::vector<int32_t> rows = topItems(c.info, top);
    Matrix points{static_cast<int64_t>(rows.size()), all.cols, {}};
    for (int32_t r : rows)
        points.values.insert(points.values.end(), all.values.begin() + r * all.cols,
                             all.values.begin() + (r + 1) * all.cols);
    for (float v : points.values)
        if (!std::isfinite(v))
            throw UsageError(
                "--checkpoint: the model's movie vectors hold a value that is not finite (NaN or infinite)");
    Matrix map;
    if (method == "pca") {
        if (points.rows < 2 || points.cols < 2)
            throw UsageError("--method pca: needs at least 2 movies and 2 factors");
        const Projection p = pca(points, 2);
        map = p.coords; // rows in the order of `points`
    } else if (method == "axes") {
        try {
            map = customAxes(all, x, y, rows).coords;
        } catch (const SpecError& e) {
            throw UsageError(std::string("--method axes: ") + e.what());
        }
    } else {
        map = tsne(points, o);
    }
    std::vector<int64_t> ids;
    std::vector<std::string> titles;
    for (int32_t r : rows) {
        ids.push_back(c.info.items.original(r));
        titles.push_back(c.info.itemTitles[static_cast<std::size_t>(r)]);
    }
    writeMapCsv(out, ids, titles, map);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << nlohmann::json{{"out", out}, {"method", method}, {"movies", map.rows}, {"seconds", seconds}}.dump()
              << std::endl;
    return 0;
}

namespace {

nlohmann::json comparedMovie(const ModelComparison& c, const CheckpointInfo& a, std::size_t i) {
    nlohmann::json m{{"id", c.ids[i]}, {"title", a.itemTitles[static_cast<std::size_t>(c.rowsA[i])]}};
    m["moved"] = c.aligned() ? nlohmann::json(c.moved[i]) : nlohmann::json();
    m["jaccard"] = std::isnan(c.jaccard[i]) ? nlohmann::json() : nlohmann::json(c.jaccard[i]);
    return m;
}

} // namespace

int cmdCompare(const std::vector<std::string>& argv) {
    if (wantsHelp(argv)) {
        std::cout << "factorscope-cli compare --a FILE --b FILE [--k 10] [--top N] [--out FILE]\n"
                     "Compares two checkpoints' movies, matched by original id: the overlap (Jaccard) of each\n"
                     "movie's K nearest neighbours among the shared movies, and, where both have embeddings,\n"
                     "how far each movie moved once B's embeddings are rotated and scaled onto A's (orthogonal\n"
                     "Procrustes; the factor counts may differ), in units of A's average embedding length.\n"
                     "An item-based kNN model compares by its own neighbours. --top: A's N most rated movies\n"
                     "only (default 0 = all). Prints one JSON line; --out writes id,title,moved,jaccard.\n";
        return 0;
    }
    Args args(argv, {});
    const std::string fileA = args.required("a"), fileB = args.required("b");
    const int k = static_cast<int>(args.integer("k", 1, 1000).value_or(10));
    const int top = static_cast<int>(args.integer("top", 0, 100000000).value_or(0));
    const std::optional<std::string> out = args.text("out");
    args.rejectUnused("compare");
    const auto start = std::chrono::steady_clock::now();
    const LoadedCheckpoint a = loadCheckpoint(fileA), b = loadCheckpoint(fileB);
    const auto sideOf = [](const LoadedCheckpoint& c, const std::string& flag) {
        try {
            return itemSideOf(*c.model, c.info.items);
        } catch (const SpecError& e) {
            throw UsageError(flag + ": " + e.what());
        }
    };
    const ModelComparison c = compareItemSides(sideOf(a, "--a"), sideOf(b, "--b"), k,
                                               top > 0 ? topItems(a.info, top) : std::vector<int32_t>{});
    if (out)
        writeComparisonCsv(*out, c, a.info.itemTitles);
    std::vector<std::size_t> order(c.ids.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (c.aligned())
        std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return c.moved[x] > c.moved[y]; });
    nlohmann::json most = nlohmann::json::array();
    for (std::size_t i = 0; c.aligned() && i < std::min<std::size_t>(5, order.size()); ++i)
        most.push_back(comparedMovie(c, a.info, order[i]));
    nlohmann::json report{{"shared_movies", c.ids.size()},
                          {"k", k},
                          {"kind_a", toString(a.model->spec().kind)},
                          {"kind_b", toString(b.model->spec().kind)},
                          {"aligned", c.aligned()},
                          {"mean_jaccard", c.meanJaccard},
                          {"most_moved", most},
                          {"summary", summariseComparison(c)}};
    if (c.aligned()) {
        report["scale"] = c.scale;
        report["residual"] = c.residual;
        report["median_moved"] = c.medianMoved;
    }
    if (out)
        report["out"] = *out;
    report["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << report.dump() << std::endl;
    return 0;
}

} // namespace factorscope::cli
