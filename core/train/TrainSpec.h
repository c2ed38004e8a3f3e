#pragma once
// The value types that cross from the engine to its clients: what to train, and what
// training reports. No tensors.
#include "core/data/Split.h"
#include "core/model/ModelSpec.h"
#include "core/train/Schedule.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace factorscope {

enum class OptimizerKind { Sgd, Adam, AdamW, Adagrad, RmsProp };

// How training runs: the fused CPU path for dot/dotbias (fast, row-wise optimiser state; see
// FusedTrainer.h for how it differs), or the general LibTorch autograd path (every model,
// CUDA, dense optimiser state). Auto picks the fused path where it applies.
enum class Engine { Auto, Fused, General };

// What training minimises: squared error against the ratings (explicit feedback), or BPR
// (Rendle et al. 2009): for each positive (user, item), -log sigmoid(score(u, i) - score(u, j))
// over sampled items j the user has no positive for (implicit feedback, top-K ranking).
enum class LossKind { Mse, Bpr };

struct OptimizerSpec {
    OptimizerKind kind = OptimizerKind::AdamW;
    double lr = 5e-3;         // the base (one-cycle: peak) learning rate
    double weightDecay = 0.4; // AdamW: decoupled; the others: L2 added to the gradient
    double momentum = 0.9;    // SGD, RMSprop
    bool nesterov = false;    // SGD
    double beta1 = 0.9;       // Adam, AdamW
    double beta2 = 0.99;      // Adam, AdamW (fastai's 0.99)
    double eps = 1e-8;

    void validate() const; // throws SpecError naming the field
    // Settings that train well for each kind (measured on MovieLens 100K, ua).
    static OptimizerSpec defaultsFor(OptimizerKind kind);
};

struct TrainSpec {
    SplitSpec split;
    ModelSpec model;
    OptimizerSpec optimizer;
    ScheduleSpec schedule;
    int epochs = 8;
    int batchSize = 1024;
    int patience = 0;  // epochs without improvement before stopping; 0 = no early stop
    int minEpochs = 1; // never stop early before this many epochs
    bool restoreBest = true;
    uint64_t seed = 42;
    int threads = 0; // 0 = automatic (Threads.h)
    std::string device = "cpu";
    Engine engine = Engine::Auto;
    LossKind loss = LossKind::Mse;
    int negatives = 1;     // BPR: sampled negatives per positive
    double positiveAt = 0; // ranksOnly(): ratings of at least this are positives (0: every rating)
    // Each epoch, validation nDCG@rankK over the items each user did not rate in training, on a
    // fixed sample of at most rankUsers users; rankK 0: not measured. BPR picks its best epoch by it.
    int rankK = 10;
    int rankUsers = 1000;

    void validate() const; // throws SpecError naming the field
    // Another loss or model kind, with its recommended settings: BPR trains on raw scores (no
    // y-range: a sigmoid squashes the differences it learns from) with AdamW at 0.01, 4
    // negatives and 20 epochs (chosen on MovieLens 100K, user-ratio:0.25, split seed 7:
    // docs/METRICS.md); back to squared error, the defaults again. A new model starts from its
    // kind's defaults, without a y-range under BPR. Nothing changes when the value does not.
    void setLoss(LossKind l);
    void setModelKind(ModelKind k);
    // Whether runs are judged by ranking alone (the best epoch by validation nDCG, no RMSE):
    // BPR's scores and the closed-form rankers' are not ratings. Their positives are the
    // training ratings of at least positiveAt.
    bool ranksOnly() const { return loss == LossKind::Bpr || model.ranksAlone(); }
    // The recommended settings: reach a good validation RMSE on MovieLens 100K in seconds.
    static TrainSpec defaults();
};

struct BatchStats {
    int epoch = 0;     // 1-based
    int64_t batch = 0; // 1-based within the epoch
    int64_t batchesPerEpoch = 0;
    int64_t step = 0; // 0-based over the run
    int64_t totalSteps = 0;
    double loss = 0; // the batch's mean squared error
    double lr = 0;
    double momentum = std::numeric_limits<double>::quiet_NaN();
    double seconds = 0; // since the run started
    double ratingsPerSecond = 0;
};

struct EpochStats {
    int epoch = 0;
    double trainLoss = 0; // the loss (squared error or BPR) over the epoch's batches
    double valLoss = 0;   // mean squared error on validation
    double valRmse = 0;
    double valMae = 0;
    double valNdcg = std::numeric_limits<double>::quiet_NaN(); // at the spec's rankK; NaN: not ranked
    int64_t rankedUsers = 0;                                   // how many users valNdcg averages
    double lr = 0;                                             // at the epoch's last step
    double seconds = 0;                                        // this epoch
    double ratingsPerSecond = 0;
    bool best = false;
};

enum class StopReason { Completed, EarlyStopped, Diverged, Stopped };
std::string toString(StopReason r);

struct TrainResult {
    std::vector<EpochStats> history;
    int bestEpoch = 0;
    double bestValRmse = std::numeric_limits<double>::quiet_NaN();  // of the best epoch
    double bestValNdcg = std::numeric_limits<double>::quiet_NaN();  // of the best epoch, where ranked
    double baselineRmse = std::numeric_limits<double>::quiet_NaN(); // predict the training mean
    double testRmse = std::numeric_limits<double>::quiet_NaN();     // when the split has a test set
    double testMae = std::numeric_limits<double>::quiet_NaN();
    StopReason stopReason = StopReason::Completed;
    std::string message; // the stop reason in words
    double seconds = 0;
};

std::string toString(OptimizerKind kind);
std::optional<OptimizerKind> parseOptimizerKind(const std::string& name);
std::string toString(LossKind loss);
std::optional<LossKind> parseLossKind(const std::string& name);
std::string toString(Engine engine);
std::optional<Engine> parseEngine(const std::string& name);

} // namespace factorscope
