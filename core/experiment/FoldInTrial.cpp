#include "core/experiment/FoldInTrial.h"

#include "core/analysis/DataViews.h"
#include "core/common/Error.h"
#include "core/common/Random.h"
#include "core/data/Split.h"
#include "core/train/Trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

namespace factorscope {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

struct Parts {
    std::vector<int64_t> others;    // rows of the users kept
    std::vector<int64_t> first;     // held-out users' first parts
    std::vector<int64_t> later;     // and the rest
    std::vector<int32_t> heldOut;   // the held-out users, ascending
    std::vector<FoldInUser> foldIn; // per held-out user, their first part
    std::vector<int32_t> laterUser; // per later row: the held-out user's position
};

Parts partition(const Dataset& data, const FoldInTrialSpec& trial) {
    const Ratings& r = data.ratings;
    const RowsByUser byUser = rowsByUser(data);
    const auto count = [&](int32_t u) { return byUser.start[u + 1] - byUser.start[u]; };
    std::vector<int32_t> eligible;
    for (int32_t u = 0; u < data.users.size(); ++u)
        if (count(u) >= 5)
            eligible.push_back(u);
    Rng rng(trial.seed);
    for (std::size_t k = eligible.size(); k > 1; --k) // Fisher-Yates
        std::swap(eligible[k - 1], eligible[rng.below(k)]);
    const auto heldOut = static_cast<std::size_t>(std::round(trial.userShare * static_cast<double>(eligible.size())));
    if (heldOut < 1 || heldOut >= eligible.size())
        throw SpecError("fold-in trial", "too few users with 5 or more ratings to hold some out");
    Parts p;
    p.heldOut.assign(eligible.begin(), eligible.begin() + static_cast<std::ptrdiff_t>(heldOut));
    std::sort(p.heldOut.begin(), p.heldOut.end());
    std::vector<int32_t> position(static_cast<std::size_t>(data.users.size()), -1);
    for (std::size_t k = 0; k < p.heldOut.size(); ++k)
        position[static_cast<std::size_t>(p.heldOut[k])] = static_cast<int32_t>(k);
    p.foldIn.resize(p.heldOut.size());
    for (int32_t u = 0; u < data.users.size(); ++u) {
        const std::vector<int32_t> own = byUser.of(u);
        std::vector<int64_t> rows(own.begin(), own.end());
        const int32_t at = position[static_cast<std::size_t>(u)];
        if (at < 0) {
            p.others.insert(p.others.end(), rows.begin(), rows.end());
            continue;
        }
        std::stable_sort(rows.begin(), rows.end(),
                         [&](int64_t a, int64_t b) { return r.timestamp[a] < r.timestamp[b]; });
        const auto firstCount = std::clamp<std::size_t>(
            static_cast<std::size_t>(std::round(trial.firstShare * static_cast<double>(rows.size()))), 1,
            rows.size() - 1);
        for (std::size_t k = 0; k < rows.size(); ++k) {
            if (k < firstCount) {
                p.first.push_back(rows[k]);
                p.foldIn[static_cast<std::size_t>(at)].items.push_back(r.item[rows[k]]);
                p.foldIn[static_cast<std::size_t>(at)].ratings.push_back(r.rating[rows[k]]);
            } else {
                p.later.push_back(rows[k]);
                p.laterUser.push_back(at);
            }
        }
    }
    return p;
}

double rmse(const std::vector<float>& predicted, const Ratings& r, const std::vector<int64_t>& rows) {
    double sum = 0;
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const double e = predicted[k] - r.rating[static_cast<std::size_t>(rows[k])];
        sum += e * e;
    }
    return std::sqrt(sum / static_cast<double>(rows.size()));
}

Model trainOn(const Dataset& data, const TrainSpec& spec, std::vector<int64_t> train,
              const std::vector<int64_t>& later) {
    Model model(spec.model, data.users.size(), data.items.size(), spec.seed);
    Trainer trainer(model, spec);
    Split split;
    split.train = std::move(train);
    split.validation = later;
    trainer.run(data, split);
    return model;
}

} // namespace

FoldInTrialResult runFoldInTrial(const Dataset& data, const TrainSpec& given, const FoldInTrialSpec& trial) {
    if (auto why = whyCannotFoldIn(given.model))
        throw SpecError("model", *why);
    TrainSpec spec = given;
    spec.restoreBest = false; // the later ratings must not choose the epoch
    spec.patience = 0;
    const Parts p = partition(data, trial);
    const Ratings& r = data.ratings;
    FoldInTrialResult out;
    out.heldOutUsers = p.heldOut.size();
    out.foldedRatings = p.first.size();
    out.predictedRatings = p.later.size();

    const auto trainStart = Clock::now();
    const Model a = trainOn(data, spec, p.others, p.later);
    std::vector<int64_t> withFirst = p.others;
    withFirst.insert(withFirst.end(), p.first.begin(), p.first.end());
    const Model b = trainOn(data, spec, withFirst, p.later);
    out.trainSeconds = since(trainStart);

    std::vector<int32_t> users, items;
    for (int64_t row : p.later) {
        users.push_back(r.user[static_cast<std::size_t>(row)]);
        items.push_back(r.item[static_cast<std::size_t>(row)]);
    }
    out.retrainedRmse = rmse(b.predict(users, items), r, p.later);
    for (double l2 : trial.l2s) {
        const auto start = Clock::now();
        const Model folded = foldInUsers(a, p.foldIn, FoldInOptions{l2, trial.steps});
        out.foldSeconds.push_back(since(start));
        out.foldedRmse.push_back(rmse(folded.predict(p.laterUser, items), r, p.later));
    }
    std::vector<FoldInUser> byCount = p.foldIn;
    std::nth_element(byCount.begin(), byCount.begin() + static_cast<std::ptrdiff_t>(byCount.size() / 2), byCount.end(),
                     [](const FoldInUser& x, const FoldInUser& y) { return x.items.size() < y.items.size(); });
    const FoldInUser& median = byCount[byCount.size() / 2];
    const auto oneStart = Clock::now();
    (void)foldInUsers(a, {median}, FoldInOptions{trial.l2s.front(), trial.steps});
    out.oneUserSeconds = since(oneStart);
    out.oneUserRatings = median.items.size();
    // The mean trained user: the start every fold-in takes, nothing fitted.
    FoldInOptions start;
    start.fit = false;
    const Model meanUser = foldInUsers(a, p.foldIn, start);
    out.meanUserRmse = rmse(meanUser.predict(p.laterUser, items), r, p.later);
    return out;
}

} // namespace factorscope
