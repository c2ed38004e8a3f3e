#pragma once
// The training loop. Runs on the calling thread: the GUI calls it from a worker thread, the
// CLI directly. Observers receive stats; the control is polled between batches.
#include "core/analysis/Ranking.h"
#include "core/data/Dataset.h"
#include "core/data/Split.h"
#include "core/model/Model.h"
#include "core/train/TrainSpec.h"

#include <atomic>
#include <cmath>
#include <memory>

namespace factorscope {

class TrainObserver {
public:
    virtual ~TrainObserver() = default;
    virtual void onBatch(const BatchStats&) {}
    virtual void onEpoch(const EpochStats&) {}
    // Return false to stop after this epoch: how a client adds its own stopping rule.
    virtual bool continueAfterEpoch(const EpochStats&) { return true; }
};

// Thread-safe requests from another thread; the trainer reads them between batches.
class TrainControl {
public:
    void requestStop() { m_stop = true; }
    void setPaused(bool paused) { m_paused = paused; }
    // Overrides the schedule from the next batch on; NaN hands control back to the schedule.
    void setLearningRate(double lr) { m_lr = lr; }
    void clearLearningRate() { m_lr = std::nan(""); }
    bool stopRequested() const { return m_stop; }
    bool paused() const { return m_paused; }
    double learningRateOverride() const { return m_lr; }

private:
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_paused{false};
    std::atomic<double> m_lr{std::nan("")};
};

struct EvalResult {
    double mse = 0;
    double rmse = 0;
    double mae = 0;
    std::size_t count = 0;
};

// RMSE and MAE of predictions (one per row) against the ratings of `rows`.
template <class T>
EvalResult scorePredictions(const std::vector<T>& predicted, const Dataset& data, const std::vector<int64_t>& rows) {
    EvalResult r;
    r.count = rows.size();
    if (rows.empty()) {
        r.mse = r.rmse = r.mae = std::nan("");
        return r;
    }
    double se = 0, ae = 0;
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const double d = static_cast<double>(predicted[k]) - data.ratings.rating[static_cast<std::size_t>(rows[k])];
        se += d * d;
        ae += std::abs(d);
    }
    r.mse = se / static_cast<double>(rows.size());
    r.rmse = std::sqrt(r.mse);
    r.mae = ae / static_cast<double>(rows.size());
    return r;
}

// Metrics of the model on the given rows of `data` (evaluation mode, large batches).
EvalResult evaluate(const Model& model, const Dataset& data, const std::vector<int64_t>& rows);
// How a run of `spec` is ranked at K (each epoch on its sample of users, and in cross-
// validation): under ranking alone with positive-at, only held-out ratings of at least that
// are relevant. maxUsers 0: every user.
RankingOptions rankingOptionsFor(const TrainSpec& spec, int k, int64_t maxUsers = 0);

// RMSE of always predicting the mean training rating, the baseline every model must beat.
double baselineRmse(const Dataset& data, const std::vector<int64_t>& trainRows, const std::vector<int64_t>& evalRows);

class Trainer {
public:
    // Builds the optimiser over the model's parameters; throws SpecError/DeviceError.
    Trainer(Model& model, const TrainSpec& spec);
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    // Trains for spec.epochs more epochs. Stats accumulate across calls (continued training).
    TrainResult run(const Dataset& data, const Split& split, TrainObserver* observer = nullptr,
                    TrainControl* control = nullptr);

    const TrainSpec& spec() const;
    Model& model() const;
    // Per-epoch history over every run of this trainer (and the checkpoint it came from).
    const std::vector<EpochStats>& history() const;
    void setHistory(std::vector<EpochStats> history);

    struct Impl; // core-internal: the optimiser
    Impl& impl() const { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace factorscope
