#include "core/experiment/CrossValidation.h"

#include "core/common/Error.h"
#include "core/common/Random.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

namespace factorscope {

namespace {

struct MeanStd {
    double mean = 0, std = 0;
};
MeanStd meanStd(const std::vector<double>& v) {
    MeanStd m;
    if (v.empty())
        return m;
    m.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    double ss = 0;
    for (double x : v)
        ss += (x - m.mean) * (x - m.mean);
    m.std = std::sqrt(ss / static_cast<double>(v.size()));
    return m;
}

// MovieLens 100K's fold files u1 to u5. (Spelled out: GCC 12 warns, wrongly, of an overlapping
// copy in "u" + std::to_string(f).)
std::string foldName(int f) { return std::string{'u', static_cast<char>('0' + f)}; }

bool hasU1toU5(const Dataset& data) {
    for (int f = 1; f <= 5; ++f)
        if (std::find(data.predefinedSplits.begin(), data.predefinedSplits.end(), foldName(f)) ==
            data.predefinedSplits.end())
            return false;
    return true;
}

} // namespace

void CvOptions::validate() const {
    if (folds < 2 || folds > 20)
        throw SpecError("folds", "must be in [2, 20], got " + std::to_string(folds));
    if (members < 1 || members > 50)
        throw SpecError("members", "must be in [1, 50], got " + std::to_string(members));
    if (rankK < 0)
        throw SpecError("k", "must be 1 or more, got " + std::to_string(rankK));
}

std::vector<Fold> makeFolds(const Dataset& data, const CvOptions& options) {
    options.validate();
    std::vector<Fold> folds;
    if (options.predefined && hasU1toU5(data)) {
        for (int f = 1; f <= 5; ++f) {
            const std::string name = foldName(f);
            folds.push_back({name, makeSplit(data, SplitSpec::parse(name))});
        }
        return folds;
    }
    const auto n = static_cast<int64_t>(data.ratings.size());
    if (n < options.folds * 2)
        throw SpecError("folds", std::to_string(options.folds) + " folds need at least " +
                                     std::to_string(options.folds * 2) + " ratings, the data set has " +
                                     std::to_string(n));
    std::vector<int64_t> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    Rng rng(options.seed);
    rng.shuffle(order.begin(), order.end());
    for (int f = 0; f < options.folds; ++f) {
        const int64_t lo = n * f / options.folds, hi = n * (f + 1) / options.folds;
        Fold fold;
        fold.name = "fold " + std::to_string(f + 1);
        fold.split.validation.assign(order.begin() + lo, order.begin() + hi);
        fold.split.train.reserve(static_cast<std::size_t>(n - (hi - lo)));
        fold.split.train.insert(fold.split.train.end(), order.begin(), order.begin() + lo);
        fold.split.train.insert(fold.split.train.end(), order.begin() + hi, order.end());
        std::sort(fold.split.validation.begin(), fold.split.validation.end());
        std::sort(fold.split.train.begin(), fold.split.train.end());
        folds.push_back(std::move(fold));
    }
    return folds;
}

std::string cvLabel(const Dataset& data, const CvOptions& options) {
    if (options.predefined && hasU1toU5(data))
        return "cv:u1..u5";
    return "cv:random:" + std::to_string(options.folds) + ":" + std::to_string(options.seed);
}

CvResult crossValidate(const Dataset& data, const TrainSpec& base, const CvOptions& options, const ProgressFn& progress,
                       TrainControl* control) {
    const auto start = std::chrono::steady_clock::now();
    TrainSpec spec = base;
    spec.restoreBest = false; // the held-out fold must not choose the epoch
    spec.patience = 0;
    spec.validate();
    std::vector<Fold> folds = makeFolds(data, options);
    CvResult result;
    result.rankK = options.rankK > 0 ? options.rankK : (spec.ranksOnly() ? spec.rankK : 0);
    if (result.rankK > 0 && options.members > 1)
        throw SpecError("members", "ranking scores one model per fold: use one member with ranking");
    if (result.rankK > 0)
        RankingOptions{result.rankK}.validate(data.items.size());
    result.scheme = folds.front().name == "u1" ? "predefined u1..u5"
                                               : "random " + std::to_string(options.folds) + "-fold (seed " +
                                                     std::to_string(options.seed) + ")";
    const int total = static_cast<int>(folds.size()) * options.members;
    int done = 0;
    for (const Fold& fold : folds) {
        const auto foldStart = std::chrono::steady_clock::now();
        const auto& rows = fold.split.validation;
        std::vector<int32_t> users(rows.size()), items(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            users[i] = data.ratings.user[static_cast<std::size_t>(rows[i])];
            items[i] = data.ratings.item[static_cast<std::size_t>(rows[i])];
        }
        std::vector<double> sum(rows.size(), 0.0);
        double ranked[3] = {std::nan(""), std::nan(""), std::nan("")}; // nDCG, precision, recall
        for (int m = 0; m < options.members; ++m) {
            if (progress)
                progress(done, total, fold.name + (options.members > 1 ? ", model " + std::to_string(m + 1) : ""));
            TrainSpec member = spec;
            member.seed = spec.seed + static_cast<uint64_t>(m);
            Model model(member.model, data.users.size(), data.items.size(), member.seed);
            model.to(member.device);
            Trainer trainer(model, member);
            const TrainResult r = trainer.run(data, fold.split, nullptr, control);
            if (r.stopReason == StopReason::Stopped) {
                result.stopped = true;
                break;
            }
            const std::vector<float> p = model.predict(users, items);
            for (std::size_t i = 0; i < p.size(); ++i)
                sum[i] += p[i];
            if (result.rankK > 0) {
                const RankingResult k =
                    rankingMetrics(model, data, fold.split.train, rows, rankingOptionsFor(member, result.rankK));
                ranked[0] = k.ndcg;
                ranked[1] = k.precision;
                ranked[2] = k.recall;
            }
            ++done;
        }
        if (result.stopped)
            break;
        for (double& s : sum)
            s /= options.members;
        const EvalResult e = spec.ranksOnly() ? EvalResult{std::nan(""), std::nan(""), std::nan(""), rows.size()}
                                              : scorePredictions(sum, data, rows);
        FoldResult f{fold.name, e.rmse, e.mae};
        f.ndcg = ranked[0];
        f.precision = ranked[1];
        f.recall = ranked[2];
        f.trainRatings = fold.split.train.size();
        f.testRatings = rows.size();
        f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - foldStart).count();
        result.folds.push_back(f);
    }
    if (progress && !result.stopped)
        progress(total, total, "done");
    std::vector<double> rmse, mae, ndcg, precision, recall;
    for (const auto& f : result.folds) {
        rmse.push_back(f.rmse);
        mae.push_back(f.mae);
        ndcg.push_back(f.ndcg);
        precision.push_back(f.precision);
        recall.push_back(f.recall);
    }
    const MeanStd r = meanStd(rmse), a = meanStd(mae);
    result.meanRmse = r.mean;
    result.stdRmse = r.std;
    result.meanMae = a.mean;
    result.stdMae = a.std;
    if (result.rankK > 0) {
        const MeanStd n = meanStd(ndcg);
        result.meanNdcg = n.mean;
        result.stdNdcg = n.std;
        result.meanPrecision = meanStd(precision).mean;
        result.meanRecall = meanStd(recall).mean;
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace factorscope
