#include "core/train/LrFinder.h"

#include "core/common/Error.h"
#include "core/model/ModelImpl.h"
#include "core/train/BatchSource.h"
#include "core/train/FusedTrainer.h"
#include "core/train/StepPath.h"
#include "core/train/Threads.h"

#include <cmath>

namespace factorscope {

void LrFindSpec::validate() const {
    if (!(startLr > 0 && endLr > startLr && endLr <= 1e4))
        throw SpecError("lr-find range", "need 0 < start < end <= 10000");
    if (steps < 5 || steps > 100000)
        throw SpecError("lr-find steps", "must be from 5 to 100000, got " + std::to_string(steps));
    if (!(beta >= 0 && beta < 1))
        throw SpecError("lr-find beta", "must be in [0, 1)");
    if (!(divergeFactor > 1))
        throw SpecError("lr-find divergence factor", "must be above 1");
}

double valleyLr(const std::vector<double>& lrs, const std::vector<double>& losses) {
    // fastai's "valley": find the longest decreasing subsequence of the loss and pick the
    // point half way along it (start + len/3 + len/6), well before the minimum.
    const std::size_t n = losses.size();
    if (n == 0)
        return 0;
    std::vector<std::size_t> lds(n, 1);
    std::size_t maxStart = 0, maxEnd = 0;
    for (std::size_t i = 1; i < n; ++i) {
        for (std::size_t j = 0; j < i; ++j)
            if (losses[i] < losses[j] && lds[i] < lds[j] + 1)
                lds[i] = lds[j] + 1;
        if (lds[maxEnd] < lds[i]) {
            maxEnd = i;
            maxStart = maxEnd - lds[maxEnd];
        }
    }
    const double sections = static_cast<double>(maxEnd - maxStart) / 3.0;
    const std::size_t idx = maxStart + static_cast<std::size_t>(sections) + static_cast<std::size_t>(sections / 2.0);
    return lrs[std::min(idx, n - 1)];
}

double steepestLr(const std::vector<double>& lrs, const std::vector<double>& losses) {
    if (losses.size() < 2)
        return lrs.empty() ? 0 : lrs.front();
    std::size_t best = 0;
    double bestSlope = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i + 1 < losses.size(); ++i) {
        const double slope = (losses[i + 1] - losses[i]) / (std::log(lrs[i + 1]) - std::log(lrs[i]));
        if (slope < bestSlope) {
            bestSlope = slope;
            best = i;
        }
    }
    return lrs[best];
}

LrFindResult findLearningRate(Model& model, const Dataset& data, const Split& split, const TrainSpec& spec,
                              const LrFindSpec& find, const std::function<void(double, double)>& onPoint,
                              TrainControl* control) {
    find.validate();
    spec.validate();
    if (split.train.empty())
        throw TrainingError("the split leaves no ratings for training");
    model.to(spec.device);
    const auto saved = model.snapshot();
    torch::set_num_threads(torchThreadsFor(spec));
    torch::manual_seed(spec.seed);
    // The path training takes, with an optimiser of its own: the test leaves a trainer's state alone.
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    std::unique_ptr<FusedTrainer> fused;
    if (spec.model.closedForm())
        throw TrainingError(toString(spec.model.kind) + " is fitted at once, not by steps: it has no learning rate");
    if (spec.model.stepsByEpoch())
        throw TrainingError(toString(spec.model.kind) +
                            " takes one step an epoch (it runs user by user or movie by movie): there is no "
                            "learning-rate range to test by batches; try a few rates with grid search instead");
    const std::vector<int64_t> rows = trainingRows(data, split.train, spec);
    if (rows.empty())
        throw TrainingError("no training rating is a positive (--positive-at) to test the rates on");
    const auto path = makeStepPath(model, spec, data, rows, optimizer, fused);
    model.impl().net->train();

    EndlessBatches batches(rows, spec.batchSize, spec.seed);
    LrFindResult r;
    double avg = 0, best = std::numeric_limits<double>::infinity();
    const double ratio = std::pow(find.endLr / find.startLr, 1.0 / (find.steps - 1));
    for (int step = 0; step < find.steps; ++step) {
        if (control && control->stopRequested())
            break;
        const double lr = find.startLr * std::pow(ratio, step);
        const Batch batch = batches.next();
        const double l = path->step(data, batch.rows, batch.count, lr, std::nullopt);
        avg = find.beta * avg + (1 - find.beta) * l;
        const double smooth = avg / (1 - std::pow(find.beta, step + 1));
        if (!std::isfinite(l) || (step > 0 && smooth > find.divergeFactor * best)) {
            r.diverged = true;
            break;
        }
        best = std::min(best, smooth);
        r.lrs.push_back(lr);
        r.losses.push_back(smooth);
        r.rawLosses.push_back(l);
        if (onPoint)
            onPoint(lr, smooth);
    }
    model.restore(*saved);
    if (!r.lrs.empty()) {
        const auto minIt = std::min_element(r.losses.begin(), r.losses.end());
        r.minLossLr = r.lrs[static_cast<std::size_t>(minIt - r.losses.begin())] / 10.0;
        r.steepestLr = steepestLr(r.lrs, r.losses);
        r.suggestedLr = valleyLr(r.lrs, r.losses);
    }
    return r;
}

} // namespace factorscope
