// factorscope-bench-ranking: the ranking side's figures, side by side in one run.
//   factorscope-bench-ranking --bpr [--data DIR] [--epochs N] [--rounds N] [--negatives N]
//       one epoch of the fused path: squared error (ratings/s) against BPR (training triples/s),
//       dotbias, 64 factors, batch 1024, on MovieLens 100K user-ratio:0.25; rounds interleaved.
//   factorscope-bench-ranking --rank [--users N] [--items N] [--ratings N] [--sample N]
//       every user's top 10 and the ranking metrics on a synthetic set of the given shape
//       (default MovieLens 25M's: 162,541 users, 59,047 items, 25,000,095 ratings), dotbias 64,
//       against scoring each (user, item) pair through the model as before, timed on a sample;
//       bench/peer_ranking.py does the same work with NumPy.
//   factorscope-bench-ranking --knn [--knn-on items|users] [--users N] [--items N] [--ratings N]
//                             [--data DIR]
//       the neighbourhood model (pearson-baseline; item-based unless told) and the baseline fitted
//       on the same synthetic shape, or on the data set in DIR where --data is given (random:0.2):
//       seconds to fit and score 200,000 held-out ratings, RMSE, peak memory, the raters compared
//       per column.
// It prints figures and ratios; it asserts nothing.
#include "core/analysis/Ranking.h"
#include "core/common/Random.h"
#include "core/data/Dataset.h"
#include "core/data/Split.h"
#include "core/model/Model.h"
#include "core/model/RaterSample.h"
#include "core/train/Trainer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

using namespace factorscope;

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

// Training rows per second of one dotbias run with the loss's defaults (training time only;
// under BPR each row is `negatives` triples) and its last nDCG@10.
std::pair<double, double> fusedEpochs(const Dataset& d, const Split& split, LossKind loss, Engine engine, int epochs,
                                      int negatives) {
    TrainSpec s;
    s.split = SplitSpec::parse("user-ratio:0.25");
    s.setLoss(loss);
    s.negatives = negatives;
    s.engine = engine;
    s.epochs = epochs;
    s.batchSize = 1024;
    s.threads = 1;
    s.rankK = 10;
    Model m(s.model, d.users.size(), d.items.size(), s.seed);
    const TrainResult r = Trainer(m, s).run(d, split);
    std::vector<double> rates;
    for (const EpochStats& e : r.history)
        rates.push_back(e.ratingsPerSecond);
    return {median(rates) * (loss == LossKind::Bpr ? negatives : 1), r.history.back().valNdcg};
}

int bprSpeed(const std::string& dir, int epochs, int rounds, int negatives) {
    const Dataset d = loadDataset(dir);
    const Split split = makeSplit(d, SplitSpec::parse("user-ratio:0.25"));
    std::printf("# MovieLens 100K user-ratio:0.25 (%zu training ratings), dotbias 64, batch 1024, 1 thread, each\n"
                "# loss's defaults, BPR with %d negatives per positive; %d epochs a run, median epoch of\n"
                "# each run, then the median over %d rounds\n",
                split.train.size(), negatives, epochs, rounds);
    std::vector<double> mse, bpr, general, ratio;
    double ndcgMse = 0, ndcgBpr = 0;
    for (int round = 0; round < rounds; ++round) {
        const auto a = fusedEpochs(d, split, LossKind::Mse, Engine::Fused, epochs, 1);
        const auto b = fusedEpochs(d, split, LossKind::Bpr, Engine::Fused, epochs, negatives);
        const auto g = fusedEpochs(d, split, LossKind::Bpr, Engine::General, 1, negatives);
        mse.push_back(a.first);
        bpr.push_back(b.first);
        general.push_back(g.first);
        ratio.push_back(b.first / a.first);
        ndcgMse = a.second;
        ndcgBpr = b.second;
        std::printf("round %d: fused MSE %.2f M ratings/s, fused BPR %.2f M triples/s, general BPR %.3f M triples/s\n",
                    round + 1, a.first / 1e6, b.first / 1e6, g.first / 1e6);
    }
    std::printf("\nfused squared error: %.2f M ratings/s (nDCG@10 after %d epochs %.3f)\n", median(mse) / 1e6, epochs,
                ndcgMse);
    std::printf("fused BPR:           %.2f M triples/s (nDCG@10 after %d epochs %.3f)\n", median(bpr) / 1e6, epochs,
                ndcgBpr);
    std::printf("general BPR:         %.3f M triples/s\n", median(general) / 1e6);
    std::printf("fused BPR / fused MSE: %.2f (range %.2f-%.2f); fused / general BPR: %.1f\n", median(ratio),
                *std::min_element(ratio.begin(), ratio.end()), *std::max_element(ratio.begin(), ratio.end()),
                median(bpr) / median(general));
    return 0;
}

// A synthetic set of the given shape: users and items drawn with a skew (some far more active
// or popular than others), as in MovieLens.
Dataset synthetic(int32_t users, int32_t items, int64_t ratings) {
    Dataset d;
    std::vector<int64_t> ids(static_cast<std::size_t>(std::max(users, items)));
    for (std::size_t i = 0; i < ids.size(); ++i)
        ids[i] = static_cast<int64_t>(i) + 1;
    d.users = IdMap::fromIds({ids.begin(), ids.begin() + users});
    d.items = IdMap::fromIds({ids.begin(), ids.begin() + items});
    Rng rng(5);
    for (int64_t r = 0; r < ratings; ++r) {
        const double a = rng.uniform(), b = rng.uniform();
        const auto u = static_cast<int32_t>(std::min<double>(users - 1, users * a * a));
        const auto i = static_cast<int32_t>(std::min<double>(items - 1, items * b * b * b));
        d.ratings.push(u, i, static_cast<float>(1 + rng.below(5)), r);
    }
    return d;
}

int rankScale(int32_t users, int32_t items, int64_t ratings, int sample) {
    auto t = Clock::now();
    const Dataset d = synthetic(users, items, ratings);
    const Split split = makeSplit(d, SplitSpec::parse("user-ratio:0.25"));
    std::printf("# %d users x %d items, %lld ratings (user-ratio:0.25): made in %.1f s\n", users, items,
                static_cast<long long>(ratings), since(t));
    Model model(ModelSpec{}, users, items, 3); // dotbias, 64 factors; ranking costs the same trained or not
    RankingOptions o;
    t = Clock::now();
    const RankingResult r = rankingMetrics(model, d, split.train, split.validation, o);
    const double all = since(t);
    std::printf("ranking every user (%lld with held-out ratings), K = 10: %.1f s (nDCG@10 %.4f)\n",
                static_cast<long long>(r.users), all, r.ndcg);
    // As before: each (user, item) pair through the model's forward, then a partial sort; timed
    // on a sample of users spread over the set (the cost is the same for every user).
    std::vector<int32_t> us, is;
    const int32_t stride = std::max(1, users / sample);
    t = Clock::now();
    int timed = 0;
    for (int32_t u = 0; u < users && timed < sample; u += stride, ++timed) {
        us.assign(static_cast<std::size_t>(items), u);
        is.resize(static_cast<std::size_t>(items));
        for (int32_t i = 0; i < items; ++i)
            is[static_cast<std::size_t>(i)] = i;
        std::vector<float> p = model.predict(us, is);
        std::partial_sort(p.begin(), p.begin() + 10, p.end(), std::greater<>());
    }
    const double pairs = since(t) / timed * static_cast<double>(r.users);
    std::printf("per-pair scoring and a partial sort (the path before), %d users timed, scaled to all: %.0f s "
                "(%.1fx the ranking above)\n",
                timed, pairs, pairs / all);
    return 0;
}

// The process's peak resident memory in MB (Linux), 0 where unknown.
double peakMegabytes() {
    std::FILE* f = std::fopen("/proc/self/status", "r");
    char line[256];
    double kb = 0;
    while (f && std::fgets(line, sizeof line, f))
        if (std::sscanf(line, "VmHWM: %lf kB", &kb) == 1)
            break;
    if (f)
        std::fclose(f);
    return kb / 1024;
}

int knnScale(const Dataset& d, KnnOn on) {
    const Split split = makeSplit(d, SplitSpec::parse("random:0.2"));
    std::vector<int64_t> held(split.validation.begin(),
                              split.validation.begin() + std::min<std::size_t>(200000, split.validation.size()));
    RatingTriples train;
    for (int64_t r : split.train) {
        train.user.push_back(d.ratings.user[static_cast<std::size_t>(r)]);
        train.item.push_back(d.ratings.item[static_cast<std::size_t>(r)]);
        train.rating.push_back(d.ratings.rating[static_cast<std::size_t>(r)]);
    }
    const bool onItems = on == KnnOn::Items;
    const SparseRows byCol = groupRatings(train, onItems ? d.users.size() : d.items.size(), !onItems);
    const int32_t cap = raterCap(byCol, kMostPairSums);
    std::printf(
        "# %s-based: comparing every rater would take %.3g pair sums; the bound is %.3g, so %s\n",
        onItems ? "item" : "user", static_cast<double>(pairSumsWithCap(byCol, 0)), static_cast<double>(kMostPairSums),
        cap ? ("each column's raters are sampled down to " + std::to_string(cap)).c_str() : "every rater is compared");
    for (const char* name : {"baseline", "knn"}) {
        TrainSpec s;
        s.split = SplitSpec::parse("random:0.2");
        s.setModelKind(*parseModelKind(name));
        s.model.knnOn = on;
        s.model.similarity = Similarity::PearsonBaseline;
        s.rankK = 0;
        Model model(s.model, d.users.size(), d.items.size(), 3);
        Split fit = split;
        fit.validation = held; // the evaluation the trainer does: 200,000 held-out ratings
        const auto t = Clock::now();
        const TrainResult r = Trainer(model, s).run(d, fit);
        const double seconds = since(t);
        std::printf("%-8s fitted and scored in %.1f s: RMSE %.4f on %zu held-out ratings, peak %.0f MB\n", name,
                    seconds, r.bestValRmse, held.size(), peakMegabytes());
    }
    return 0;
}

int knnScale(int32_t users, int32_t items, int64_t ratings, KnnOn on) {
    const auto t = Clock::now();
    const Dataset d = synthetic(users, items, ratings);
    std::printf("# %d users x %d items, %lld ratings (random:0.2): made in %.1f s, peak %.0f MB\n", users, items,
                static_cast<long long>(ratings), since(t), peakMegabytes());
    return knnScale(d, on);
}

long long number(const std::string& flag, const char* text) {
    try {
        return std::stoll(text);
    } catch (const std::exception&) {
        throw std::runtime_error(flag + ": expected a whole number, got '" + text + "'");
    }
}

} // namespace

int main(int argc, char** argv) {
    try {
        std::string dir = FACTORSCOPE_ML100K, mode, knnOn = "items";
        bool dataGiven = false;
        long long epochs = 5, rounds = 3, negatives = 4, users = 162541, items = 59047, ratings = 25000095,
                  sample = 500;
        for (int a = 1; a < argc; ++a) {
            const std::string flag = argv[a];
            const char* value = a + 1 < argc ? argv[a + 1] : "";
            if (flag == "--bpr" || flag == "--rank" || flag == "--knn")
                mode = flag;
            else if (flag == "--data")
                dir = argv[++a < argc ? a : a - 1], dataGiven = true;
            else if (flag == "--knn-on")
                knnOn = argv[++a < argc ? a : a - 1];
            else if (flag == "--epochs")
                epochs = number(flag, value), ++a;
            else if (flag == "--rounds")
                rounds = number(flag, value), ++a;
            else if (flag == "--negatives")
                negatives = number(flag, value), ++a;
            else if (flag == "--users")
                users = number(flag, value), ++a;
            else if (flag == "--items")
                items = number(flag, value), ++a;
            else if (flag == "--ratings")
                ratings = number(flag, value), ++a;
            else if (flag == "--sample")
                sample = number(flag, value), ++a;
            else
                throw std::runtime_error("unknown flag " + flag + " (see the comment at the top of ranking_bench.cpp)");
        }
        if (mode == "--bpr")
            return bprSpeed(dir, static_cast<int>(epochs), static_cast<int>(rounds),
                            static_cast<int>(std::max(1LL, negatives)));
        if (mode == "--rank")
            return rankScale(static_cast<int32_t>(users), static_cast<int32_t>(items), ratings,
                             static_cast<int>(std::min(sample, users)));
        if (mode == "--knn") {
            const KnnOn on = knnOn == "users" ? KnnOn::Users : KnnOn::Items;
            if (knnOn != "users" && knnOn != "items")
                throw std::runtime_error("--knn-on: expected users or items, got '" + knnOn + "'");
            if (!dataGiven)
                return knnScale(static_cast<int32_t>(users), static_cast<int32_t>(items), ratings, on);
            const auto t = Clock::now();
            const Dataset d = loadDataset(dir);
            std::printf("# %s: %d users x %d items, %zu ratings (random:0.2): loaded in %.1f s\n", dir.c_str(),
                        d.users.size(), d.items.size(), d.ratings.size(), since(t));
            return knnScale(d, on);
        }
        throw std::runtime_error("give --bpr, --rank or --knn");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "factorscope-bench-ranking: %s\n", e.what());
        return 1;
    }
}
