#include "core/train/Trainer.h"

#include "core/analysis/Ranking.h"
#include "core/common/Error.h"
#include "core/model/ModelImpl.h"
#include "core/train/BatchSource.h"
#include "core/train/ClosedForm.h"
#include "core/train/EpochRules.h"
#include "core/train/Optimizers.h"
#include "core/train/StepPath.h"
#include "core/train/Threads.h"
#include "core/train/TrainerImpl.h"

#include <chrono>
#include <optional>
#include <thread>

namespace factorscope {

Trainer::Trainer(Model& model, const TrainSpec& spec) : m_impl(std::make_unique<Impl>()) {
    spec.validate();
    m_impl->model = &model;
    m_impl->spec = spec;
    model.to(spec.device);
    m_impl->optimizer = makeOptimizer(optimizerToBuild(spec), model.impl().net->parameters());
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

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

// What a run judged by ranking alone needs of the data, before any work: K within the
// catalogue, positives to learn from and a relevant held-out rating to choose epochs by.
// (Under squared error ranking is a bonus: a K past the catalogue is simply not measured.)
void checkRankable(const TrainSpec& spec, const Dataset& data, const Split& split) {
    if (!spec.ranksOnly())
        return;
    if (spec.rankK > data.items.size())
        throw SpecError("rank-k", "is larger than the catalogue (" + std::to_string(data.items.size()) + " items)");
    const auto atLeast = [&](const std::vector<int64_t>& rows) {
        return std::any_of(rows.begin(), rows.end(), [&](int64_t r) {
            return data.ratings.rating[static_cast<std::size_t>(r)] >= spec.positiveAt;
        });
    };
    if (!atLeast(split.train))
        throw TrainingError("no training rating is at least " + fmt("%g", spec.positiveAt) +
                            " (--positive-at): there are no positives to learn from");
    if (!atLeast(split.validation))
        throw TrainingError("no held-out rating is at least " + fmt("%g", spec.positiveAt) +
                            " (--positive-at): nothing to rank epochs against");
}

// What one epoch's batches came to.
struct EpochPass {
    double lossSum = 0;
    int64_t lossCount = 0;
    double lr = 0; // at the last step
};

// One call of Trainer::run: the epoch loop over a step path, a batch source and the epoch rules.
class TrainingRun {
public:
    TrainingRun(Trainer::Impl& d, const Dataset& data, const Split& split, TrainObserver* observer,
                TrainControl* control)
        : m_d(d), m_spec(d.spec), m_model(*d.model), m_data(data), m_split(split), m_observer(observer),
          m_control(control), m_firstEpoch(static_cast<int>(d.history.size()) + 1),
          m_rows(trainingRows(data, split.train, d.spec)),
          m_path(makeStepPath(*d.model, d.spec, data, m_rows, d.optimizer, d.fused)),
          // Where the fused path keeps to one core, the other shuffles the next epoch's order.
          m_batches(m_rows, m_path->batchSizeFor(m_spec.batchSize, static_cast<int64_t>(m_rows.size())), m_spec.seed,
                    m_firstEpoch, m_path->leavesCoreFree()),
          m_totalSteps(m_batches.batchesPerEpoch() * m_spec.epochs),
          m_best(m_spec.restoreBest, m_spec.ranksOnly(), d.history), m_early(m_spec.patience, m_spec.minEpochs) {}

    TrainResult go() {
        if (!m_spec.ranksOnly())
            m_result.baselineRmse = baselineRmse(m_data, m_split.train, m_split.validation);
        const bool atOnce = m_spec.model.closedForm();
        const int epochs = atOnce ? 1 : m_spec.epochs; // a closed form gives the same fit every time
        for (int e = 0; e < epochs && m_result.message.empty(); ++e) {
            const int epoch = m_firstEpoch + e;
            const auto epochStart = Clock::now();
            m_model.impl().net->train();
            m_batches.nextEpoch(e + 1 < epochs);
            const EpochPass pass = atOnce ? fitAtOnce() : trainEpoch(epoch, epochStart);
            // The fused path's lazy rows catch up before anything reads the weights (counted in
            // the epoch's time: it is part of training).
            m_path->endEpoch();
            // Stopped or diverged inside the epoch: a partial epoch is not evaluated as if complete.
            if (!m_result.message.empty() || pass.lossCount == 0)
                break;
            closeEpoch(epoch, pass, epochStart);
        }
        return finish();
    }

private:
    void stop(StopReason reason, std::string message) {
        m_result.stopReason = reason;
        m_result.message = std::move(message);
    }

    // Waits while paused; false when a stop was asked for (and recorded).
    bool mayGoOn(int epoch, int64_t b) {
        if (!m_control)
            return true;
        while (m_control->paused() && !m_control->stopRequested())
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (!m_control->stopRequested())
            return true;
        stop(StopReason::Stopped,
             "stopped by request at epoch " + std::to_string(epoch) + ", batch " + std::to_string(b + 1));
        return false;
    }

    EpochPass trainEpoch(int epoch, Clock::time_point epochStart) {
        EpochPass pass;
        pass.lr = m_spec.optimizer.lr;
        const int64_t batches = m_batches.batchesPerEpoch();
        for (int64_t b = 0; b < batches; ++b, ++m_step) {
            if (!mayGoOn(epoch, b))
                break;
            const ScheduleClock clock{m_step, m_totalSteps, batches};
            const double override = m_control ? m_control->learningRateOverride() : std::nan("");
            const double lr =
                std::isnan(override) ? learningRateAt(m_spec.schedule, m_spec.optimizer.lr, clock) : override;
            const auto momentum = momentumAt(m_spec.schedule, clock);
            const Batch batch = m_batches.batch(b);
            const double l = m_path->step(m_data, batch.rows, batch.count, lr, momentum);
            pass.lr = lr;
            if (!std::isfinite(l)) {
                stop(StopReason::Diverged, "diverged at epoch " + std::to_string(epoch) + ", batch " +
                                               std::to_string(b + 1) + ": the loss became " +
                                               (std::isnan(l) ? "NaN" : "infinite") + " at learning rate " +
                                               fmt("%.3g", lr) + "; lower the learning rate");
                break;
            }
            pass.lossSum += l * static_cast<double>(batch.count);
            pass.lossCount += batch.count;
            if (m_observer) {
                BatchStats s;
                s.epoch = epoch;
                s.batch = b + 1;
                s.batchesPerEpoch = batches;
                s.step = m_step;
                s.totalSteps = m_totalSteps;
                s.loss = l;
                s.lr = lr;
                s.momentum = momentum.value_or(std::nan(""));
                s.seconds = secondsSince(m_start);
                s.ratingsPerSecond = static_cast<double>(pass.lossCount) / std::max(1e-9, secondsSince(epochStart));
                m_observer->onBatch(s);
            }
        }
        return pass;
    }

    // A closed form's one "epoch": the fit, with no loss to report.
    EpochPass fitAtOnce() {
        fitClosedForm(m_model, m_data, m_rows);
        EpochPass pass;
        pass.lossSum = std::nan("");
        pass.lossCount = static_cast<int64_t>(m_rows.size());
        return pass;
    }

    // Evaluates a completed epoch, records it, and lets the rules and the observer stop training.
    void closeEpoch(int epoch, const EpochPass& pass, Clock::time_point epochStart) {
        EpochStats es;
        es.epoch = epoch;
        es.trainLoss = pass.lossSum / static_cast<double>(pass.lossCount);
        es.seconds = secondsSince(epochStart);
        es.ratingsPerSecond = static_cast<double>(pass.lossCount) / std::max(1e-9, es.seconds);
        // BPR's and the closed-form rankers' scores are not ratings: judged by ranking alone.
        const EvalResult v = !m_spec.ranksOnly() ? evaluate(m_model, m_data, m_split.validation)
                                                 : EvalResult{std::nan(""), std::nan(""), std::nan("")};
        es.valLoss = v.mse;
        es.valRmse = v.rmse;
        es.valMae = v.mae;
        es.lr = pass.lr;
        rankEpoch(es);
        std::optional<std::string> early;
        if (!m_spec.ranksOnly() && !std::isfinite(v.rmse))
            stop(StopReason::Diverged, "diverged at epoch " + std::to_string(epoch) +
                                           ": validation RMSE is not finite; lower the learning rate");
        else
            early = m_early.observe(epoch, m_best.observe(es, m_model));
        m_d.history.push_back(es);
        if (m_observer)
            m_observer->onEpoch(es);
        if (!m_result.message.empty())
            return;
        if (early)
            stop(StopReason::EarlyStopped, *early);
        else if (m_observer && !m_observer->continueAfterEpoch(es))
            stop(StopReason::Stopped, "stopped by the observer after epoch " + std::to_string(epoch));
    }

    // Validation nDCG@K on the spec's sample of users (left NaN when no user has a relevant
    // held-out rating: under squared error, ranking is a bonus). Models scored pair by pair
    // (linear, mlp, neumf, knn) rank a tenth of the sample: a user costs them a forward pass over
    // every item (MLP on MovieLens 100K: 943 users took seconds an epoch, training 0.4 s).
    void rankEpoch(EpochStats& es) const {
        if (m_spec.rankK <= 0)
            return;
        const ModelSpec& m = m_model.spec();
        const bool cheap = m.decomposes() || m.ranksAlone() || m.kind == ModelKind::Baseline || m.stepsByEpoch();
        const int64_t users = cheap ? m_spec.rankUsers : std::max(1, m_spec.rankUsers / 10);
        try {
            const RankingResult r = rankingMetrics(m_model, m_data, m_split.train, m_split.validation,
                                                   rankingOptionsFor(m_spec, m_spec.rankK, users));
            es.valNdcg = r.ndcg;
            es.rankedUsers = r.users;
        } catch (const SpecError&) {
        }
    }

    TrainResult finish() {
        const bool restored = m_best.restoreIfPassed(m_model, m_d.history.empty() ? 0 : m_d.history.back().epoch);
        m_result.history = m_d.history;
        m_result.bestEpoch = m_best.epoch();
        m_result.bestValRmse = m_best.epoch() ? m_best.best().valRmse : std::nan("");
        m_result.bestValNdcg = m_best.epoch() ? m_best.best().valNdcg : std::nan("");
        if (!m_split.test.empty() && !m_spec.ranksOnly()) {
            const EvalResult t = evaluate(m_model, m_data, m_split.test);
            m_result.testRmse = t.rmse;
            m_result.testMae = t.mae;
        }
        m_result.seconds = secondsSince(m_start);
        const std::string bestText =
            !m_best.epoch()      ? "no epoch completed"
            : m_spec.ranksOnly() ? "best validation nDCG@" + std::to_string(m_spec.rankK) + " " +
                                       fmt("%.4f", m_result.bestValNdcg) + " at epoch " + std::to_string(m_best.epoch())
                                 : "best validation RMSE " + fmt("%.4f", m_result.bestValRmse) + " at epoch " +
                                       std::to_string(m_best.epoch());
        if (m_result.message.empty())
            m_result.message = (m_spec.model.closedForm() ? std::string("fitted in closed form")
                                                          : "completed " + std::to_string(m_spec.epochs) + " epochs") +
                               "; " + bestText;
        else
            m_result.message += "; " + bestText;
        if (restored)
            m_result.message += " (weights of epoch " + std::to_string(m_best.epoch()) + " restored)";
        return std::move(m_result);
    }

    Trainer::Impl& m_d;
    const TrainSpec& m_spec;
    Model& m_model;
    const Dataset& m_data;
    const Split& m_split;
    TrainObserver* m_observer;
    TrainControl* m_control;
    const int m_firstEpoch;
    const Clock::time_point m_start = Clock::now();
    const std::vector<int64_t> m_rows; // what the steps walk: the training part, or its positives
    std::unique_ptr<StepPath> m_path;
    EpochBatches m_batches;
    const int64_t m_totalSteps;
    BestWeights m_best;
    EarlyStopping m_early;
    int64_t m_step = 0;
    TrainResult m_result;
};

} // namespace

RankingOptions rankingOptionsFor(const TrainSpec& spec, int k, int64_t maxUsers) {
    RankingOptions o;
    o.k = k;
    if (spec.ranksOnly() && spec.positiveAt > 0)
        o.relevantAt = spec.positiveAt;
    o.maxUsers = maxUsers;
    o.sampleSeed = spec.seed;
    return o;
}

TrainResult Trainer::run(const Dataset& data, const Split& split, TrainObserver* observer, TrainControl* control) {
    const Model& model = *m_impl->model;
    if (model.users() != data.users.size() || model.items() != data.items.size())
        throw TrainingError("the model was built for " + std::to_string(model.users()) + " users and " +
                            std::to_string(model.items()) + " items, but the data set has " +
                            std::to_string(data.users.size()) + " and " + std::to_string(data.items.size()));
    if (split.train.empty())
        throw TrainingError("the split leaves no ratings for training");
    if (split.validation.empty())
        throw TrainingError("the split leaves no ratings for validation");
    checkRankable(m_impl->spec, data, split);
    torch::set_num_threads(torchThreadsFor(m_impl->spec));
    torch::manual_seed(m_impl->spec.seed + m_impl->history.size() + 1);
    return TrainingRun(*m_impl, data, split, observer, control).go();
}

} // namespace factorscope
