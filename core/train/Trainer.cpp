#include "core/train/Trainer.h"

#include "core/common/Error.h"
#include "core/model/ModelImpl.h"
#include "core/train/Optimizers.h"
#include "core/train/ShuffleAhead.h"
#include "core/train/Threads.h"
#include "core/train/TrainerImpl.h"

#include <chrono>
#include <numeric>
#include <thread>

namespace factorscope {

Trainer::Trainer(Model& model, const TrainSpec& spec) : m_impl(std::make_unique<Impl>()) {
    spec.validate();
    m_impl->model = &model;
    m_impl->spec = spec;
    model.to(spec.device);
    m_impl->optimizer = makeOptimizer(spec.optimizer, model.impl().net->parameters());
}

Trainer::~Trainer() = default;
const TrainSpec& Trainer::spec() const { return m_impl->spec; }
Model& Trainer::model() const { return *m_impl->model; }
const std::vector<EpochStats>& Trainer::history() const { return m_impl->history; }
void Trainer::setHistory(std::vector<EpochStats> h) { m_impl->history = std::move(h); }

EvalResult evaluate(const Model& model, const Dataset& data, const std::vector<int64_t>& rows) {
    std::vector<int32_t> users(rows.size()), items(rows.size());
    for (std::size_t k = 0; k < rows.size(); ++k) {
        users[k] = data.ratings.user[rows[k]];
        items[k] = data.ratings.item[rows[k]];
    }
    return scorePredictions(rows.empty() ? std::vector<float>() : model.predict(users, items), data, rows);
}

double baselineRmse(const Dataset& data, const std::vector<int64_t>& trainRows, const std::vector<int64_t>& evalRows) {
    if (trainRows.empty() || evalRows.empty())
        return std::nan("");
    double mean = 0;
    for (int64_t r : trainRows)
        mean += data.ratings.rating[r];
    mean /= static_cast<double>(trainRows.size());
    double se = 0;
    for (int64_t r : evalRows) {
        const double d = data.ratings.rating[r] - mean;
        se += d * d;
    }
    return std::sqrt(se / static_cast<double>(evalRows.size()));
}

namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

template <class Values> torch::Tensor column(const std::vector<int64_t>& rows, const Values& values,
                                             torch::ScalarType type, const torch::Device& device) {
    auto t = torch::empty({static_cast<int64_t>(rows.size())}, torch::TensorOptions().dtype(type));
    if (type == torch::kLong) {
        auto* p = t.data_ptr<int64_t>();
        for (std::size_t k = 0; k < rows.size(); ++k)
            p[k] = values[rows[k]];
    } else {
        auto* p = t.data_ptr<float>();
        for (std::size_t k = 0; k < rows.size(); ++k)
            p[k] = static_cast<float>(values[rows[k]]);
    }
    return t.to(device);
}

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

} // namespace

TrainResult Trainer::run(const Dataset& data, const Split& split, TrainObserver* observer, TrainControl* control) {
    Impl& d = *m_impl;
    const TrainSpec& spec = d.spec;
    Model& model = *d.model;
    if (model.users() != data.users.size() || model.items() != data.items.size())
        throw TrainingError("the model was built for " + std::to_string(model.users()) + " users and " +
                            std::to_string(model.items()) + " items, but the data set has " +
                            std::to_string(data.users.size()) + " and " + std::to_string(data.items.size()));
    if (split.train.empty())
        throw TrainingError("the split leaves no ratings for training");
    if (split.validation.empty())
        throw TrainingError("the split leaves no ratings for validation");

    torch::set_num_threads(torchThreadsFor(spec));
    const int firstEpoch = static_cast<int>(d.history.size()) + 1;
    torch::manual_seed(spec.seed + static_cast<uint64_t>(firstEpoch));
    const torch::Device device = model.impl().device;
    auto& net = *model.impl().net;

    const bool fused = spec.engine != Engine::General && fusedPathApplies(spec);
    if (fused && !d.fused)
        d.fused = std::make_unique<FusedTrainer>(model, spec);
    else if (fused)
        d.fused->setSpec(spec);
    if (fused)
        d.fused->pullWeights();
    // Where the fused path keeps to one core, the other shuffles the next epoch's order (LibTorch
    // then keeps to one thread too: torchThreadsFor).
    const bool spareCore = fused && d.fused->leavesCoreFree();
    // The general path keeps the training columns as tensors on the device; the fused path
    // reads the rating table in place.
    torch::Tensor users, items, targets;
    torch::Tensor batchUsers, batchItems, batchTargets; // reused by every batch: no allocation
    if (!fused) {
        users = column(split.train, data.ratings.user, torch::kLong, device);
        items = column(split.train, data.ratings.item, torch::kLong, device);
        targets = column(split.train, data.ratings.rating, torch::kFloat, device);
    }
    const int64_t n = static_cast<int64_t>(split.train.size());
    const int64_t bs = spec.batchSize;
    const int64_t batches = (n + bs - 1) / bs;
    const int64_t totalSteps = batches * spec.epochs;

    TrainResult result;
    result.baselineRmse = baselineRmse(data, split.train, split.validation);
    const auto start = Clock::now();
    std::shared_ptr<Model::Snapshot> best;
    double bestRmse = std::numeric_limits<double>::infinity();
    int bestEpoch = 0;
    for (const auto& e : d.history)
        if (e.valRmse < bestRmse) {
            bestRmse = e.valRmse;
            bestEpoch = e.epoch;
        }
    int sinceBest = 0;
    // The general path shuffles positions into its tensors; the fused path shuffles the data
    // set's rows themselves. The same swaps on either give the same batches, with one array.
    std::vector<int64_t> rows = fused ? split.train : std::vector<int64_t>(static_cast<std::size_t>(n));
    if (!fused)
        std::iota(rows.begin(), rows.end(), 0);
    ShuffleAhead shuffled(std::move(rows), spec.seed, firstEpoch, spareCore);
    int64_t step = 0;

    auto stop = [&](StopReason reason, std::string message) {
        result.stopReason = reason;
        result.message = std::move(message);
    };

    for (int e = 0; e < spec.epochs && result.message.empty(); ++e) {
        const int epoch = firstEpoch + e;
        const auto epochStart = Clock::now();
        net.train();
        const std::vector<int64_t>& order = shuffled.next(e + 1 < spec.epochs);
        torch::Tensor perm;
        if (!fused)
            perm = torch::from_blob(const_cast<int64_t*>(order.data()), {n}, torch::kLong).to(device);
        double lossSum = 0;
        int64_t lossCount = 0;
        double lr = spec.optimizer.lr;
        for (int64_t b = 0; b < batches; ++b, ++step) {
            if (control) {
                while (control->paused() && !control->stopRequested())
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                if (control->stopRequested()) {
                    stop(StopReason::Stopped,
                         "stopped by request at epoch " + std::to_string(epoch) + ", batch " + std::to_string(b + 1));
                    break;
                }
            }
            const ScheduleClock clock{step, totalSteps, batches};
            const double override = control ? control->learningRateOverride() : std::nan("");
            lr = std::isnan(override) ? learningRateAt(spec.schedule, spec.optimizer.lr, clock) : override;
            const auto momentum = momentumAt(spec.schedule, clock);
            if (!fused) { // the fused path takes both as arguments below
                setLearningRate(*d.optimizer, lr);
                if (momentum)
                    setMomentum(*d.optimizer, spec.optimizer.kind, *momentum);
            }

            const int64_t begin = b * bs, count = std::min(n, begin + bs) - begin;
            double l = 0;
            if (fused) {
                l = d.fused->step(data, order.data() + begin, count, lr, momentum.value_or(std::nan("")));
            } else {
                const auto idx = perm.slice(0, begin, begin + count);
                d.optimizer->zero_grad();
                if (!batchUsers.defined() || batchUsers.size(0) != count) {
                    batchUsers = torch::empty({count}, users.options());
                    batchItems = torch::empty({count}, items.options());
                    batchTargets = torch::empty({count}, targets.options());
                }
                torch::index_select_out(batchUsers, users, 0, idx);
                torch::index_select_out(batchItems, items, 0, idx);
                torch::index_select_out(batchTargets, targets, 0, idx);
                const auto pred = net.forward(batchUsers, batchItems);
                const auto loss = torch::mse_loss(pred, batchTargets);
                loss.backward();
                d.optimizer->step();
                l = loss.item<double>();
            }
            if (!std::isfinite(l)) {
                stop(StopReason::Diverged, "diverged at epoch " + std::to_string(epoch) + ", batch " +
                                               std::to_string(b + 1) + ": the loss became " +
                                               (std::isnan(l) ? "NaN" : "infinite") + " at learning rate " +
                                               fmt("%.3g", lr) + "; lower the learning rate");
                break;
            }
            lossSum += l * static_cast<double>(count);
            lossCount += count;
            if (observer) {
                BatchStats s;
                s.epoch = epoch;
                s.batch = b + 1;
                s.batchesPerEpoch = batches;
                s.step = step;
                s.totalSteps = totalSteps;
                s.loss = l;
                s.lr = lr;
                s.momentum = momentum.value_or(std::nan(""));
                s.seconds = secondsSince(start);
                s.ratingsPerSecond = static_cast<double>(lossCount) / std::max(1e-9, secondsSince(epochStart));
                observer->onBatch(s);
            }
        }
        // The fused path's lazy rows catch up before anything reads the weights (counted in the
        // epoch's time: it is part of training).
        if (fused)
            d.fused->catchUp();
        // Stopped or diverged inside the epoch: a partial epoch is not evaluated as if complete.
        if (!result.message.empty() || lossCount == 0)
            break;

        EpochStats es;
        es.epoch = epoch;
        es.trainLoss = lossSum / static_cast<double>(lossCount);
        es.seconds = secondsSince(epochStart);
        es.ratingsPerSecond = static_cast<double>(lossCount) / std::max(1e-9, es.seconds);
        const EvalResult v = evaluate(model, data, split.validation);
        es.valLoss = v.mse;
        es.valRmse = v.rmse;
        es.valMae = v.mae;
        es.lr = lr;
        if (!std::isfinite(v.rmse)) {
            stop(StopReason::Diverged, "diverged at epoch " + std::to_string(epoch) +
                                           ": validation RMSE is not finite; lower the learning rate");
        } else if (v.rmse < bestRmse) {
            bestRmse = v.rmse;
            bestEpoch = epoch;
            es.best = true;
            sinceBest = 0;
            if (spec.restoreBest)
                best = model.snapshot();
        } else {
            ++sinceBest;
        }
        d.history.push_back(es);
        if (observer)
            observer->onEpoch(es);
        if (!result.message.empty())
            break;
        if (spec.patience > 0 && sinceBest >= spec.patience && epoch >= spec.minEpochs) {
            stop(StopReason::EarlyStopped, "stopped early after epoch " + std::to_string(epoch) +
                                               ": no improvement for " + std::to_string(sinceBest) + " epochs");
        } else if (observer && !observer->continueAfterEpoch(es)) {
            stop(StopReason::Stopped, "stopped by the observer after epoch " + std::to_string(epoch));
        }
    }

    // Restore the best epoch's weights when training went on past it.
    const bool restore = spec.restoreBest && best && (d.history.empty() || d.history.back().epoch != bestEpoch);
    if (restore)
        model.restore(*best);
    result.history = d.history;
    result.bestEpoch = bestEpoch;
    result.bestValRmse = bestEpoch ? bestRmse : std::nan("");
    if (!split.test.empty()) {
        const EvalResult t = evaluate(model, data, split.test);
        result.testRmse = t.rmse;
        result.testMae = t.mae;
    }
    result.seconds = secondsSince(start);
    const std::string bestText =
        bestEpoch ? "best validation RMSE " + fmt("%.4f", bestRmse) + " at epoch " + std::to_string(bestEpoch)
                  : "no epoch completed";
    if (result.message.empty())
        result.message = "completed " + std::to_string(spec.epochs) + " epochs; " + bestText;
    else
        result.message += "; " + bestText;
    if (restore)
        result.message += " (weights of epoch " + std::to_string(bestEpoch) + " restored)";
    return result;
}

} // namespace factorscope
