#pragma once
// core-internal: the fast path for factorisation models (dot, dotbias) on the CPU.
//
// One pass per batch computes lookup, dot product, biases, the sigmoid y-range and the loss
// gradient; only the embedding rows the batch touched are updated, with row-wise ("lazy")
// optimiser state, so an epoch costs O(ratings x factors) whatever the table sizes. The batch's
// ratings are gathered first, rows are prefetched ahead of the random walks, and the weights
// (factors, bias) and optimiser state are tables of the trainer's own, a row's in one record
// while they fit the caches (FusedSide.h): the model's tensors are read when a run starts
// (pullWeights) and written by catchUp, before anything reads them. The hot loops are built
// for the baseline ISA, x86-64-v3 and x86-64-v4, picked at load time (SimdClones.h). When the
// spec asks for two threads, they split the work by side (the default keeps to one: Threads.h): one owns the user rows,
// the other the item rows, so the accumulation and the updates need no locks and the result does not depend on timing
// (or on the thread count). While one thread does the steps, the other core shuffles the next epoch's order
// (ShuffleAhead.h, in the trainer's epoch loop).
//
// Where it differs from the general (dense) path:
// - Adam/AdamW: dense Adam keeps moving a row that is not in a batch with its momentum (zero
//   gradient, m and v decaying). Here the row's state waits; when the row comes back after k
//   steps, that coasting is applied at once (after its gradient is taken), summed over the
//   skipped steps with each step's own rate, bias corrections and beta1 (kept for the last 512
//   steps; exact up to eps and the interleaved decay); catchUp() does the same for every row
//   before the weights are read (each epoch's evaluation). What remains: a returning row's
//   gradient is taken at the weights it left. Measured against the dense path on MovieLens
//   100K (bench, batch 1024 and 8192): |RMSE difference| at most 0.0001 for dotbias and
//   0.0018 for dot, against 0.004 and 0.050 for SparseAdam-style state that only waits.
//   Adam's bias correction uses the global step.
// - SGD momentum and RMSprop state of a row moves only when the row is in a batch.
// - AdamW's decoupled decay is caught up exactly when a row comes back (the product of the
//   skipped steps' (1 - lr * wd) factors), so decay matches the dense path.
// - Coupled weight decay (SGD, Adam, Adagrad, RMSprop) applies to the touched rows only.
// Plain SGD without momentum or weight decay gives the same updates as the dense path.
#include "core/train/TrainSpec.h"

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace factorscope {

namespace fused {
struct Side;
}
class PairTeam;
class Model;
struct Dataset;

// Whether the fused path can train this spec (dot/dotbias on the CPU; squared error or BPR).
bool fusedPathApplies(const TrainSpec& spec);
// Whether training (and the learning-rate finder) takes it: where it applies, unless the spec
// asks for the general engine. The one place that picks the path.
bool takesFusedPath(const TrainSpec& spec);

class FusedTrainer {
public:
    // How a row's weights and optimiser state lie (FusedSide.h): by default packed in one record
    // while the tables fit the caches, in tables of their own beyond.
    enum class Layout { Auto, Packed, Separate };
    FusedTrainer(Model& model, const TrainSpec& spec, Layout layout = Layout::Auto);
    ~FusedTrainer();

    // One optimiser step over the given rows of the data set; returns the batch's mean
    // squared error. `lr` and `momentum` come from the schedule (momentum NaN: the spec's).
    double step(const Dataset& data, const int64_t* rows, int64_t count, double lr, double momentum);
    // One BPR step over n triples (user u, positive i, negative j): minimises the mean of
    // -log sigmoid(s(u,i) - s(u,j)), s the model's output (through its y-range where it has one),
    // and returns it. Keeps to one thread (the items side takes two rows per triple).
    double stepBpr(const int32_t* users, const int32_t* positives, const int32_t* negatives, int64_t n, double lr,
                   double momentum);
    void setSpec(const TrainSpec& spec);
    // Whether the steps keep to one core while the spec allows two (tables that fit the caches):
    // the other is free for work beside them.
    bool leavesCoreFree() const;
    // Brings every row up to the last step and writes the weights into the model's tensors,
    // so they can be read: before each evaluation, and so before the explorer or a checkpoint
    // sees them. Adam/AdamW's rows catch up on what dense Adam did to them meanwhile (the
    // momentum's moves and the decay over the steps a row sat out); other optimisers have
    // nothing pending. Cheap: once over the tables.
    void catchUp();
    // The model's weights into the trainer's records: at the start of a run, as the model may
    // have changed since the last (a restored best epoch, a checkpoint). The constructor does it.
    void pullWeights();
    // The weights as they stand (rows not caught up) into the model's tensors; catchUp ends so.
    void pushWeights() const;

    // The row-wise optimiser state as named CPU tensors ("fused.step", "fused.t1.s1", ...), for
    // checkpoints, and its restore; setState throws CheckpointError when a tensor's size does
    // not match the tables.
    using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;
    NamedTensors state() const;
    void setState(const NamedTensors& state);
    // The names state() may use, for reading them back.
    static std::vector<std::string> stateNames();

private:
    bool splitsSides() const;                   // two threads, one per side (see step)
    void beginStep(double lr, double momentum); // what every step does first, and last
    void endStep(double lr);
    struct BatchView;
    void stepSide(int tid, PairTeam& team, const BatchView& batch, double lr, double momentum, double& sse);
    void updateSide(fused::Side& side, double lr, double momentum);
    void updateAdam(fused::Side& side, double lr, double momentum);
    // Adam/AdamW, by the number of steps k a row sat out: what its momentum would have moved
    // it by meanwhile, and the decoupled decay of those steps and this one.
    struct Coast {
        float series = 0; // sum over the skipped steps s of stepSize_s * prod (b1_j / sqrt(b2)), times m/sqrt(v)
        float m = 1;      // prod of b1_j over the skipped steps: the first moment's decay
        float v = 1;      // b2^k: the second moment's decay
        float keep = 1;   // AdamW: the product of (1 - lr_j * wd) over the k skipped steps
    };
    struct StepRates {
        double stepSize = 0; // lr * sqrt(1 - b2^t) / (1 - b1^t)
        double beta1 = 0;
        double decay = 1;  // AdamW: 1 - lr * wd
        double epsHat = 0; // eps * sqrt(1 - b2^t)
    };
    static constexpr int kCoastTable = 512; // beyond it b1^k < 1e-23: the series has converged
    void allocateState(double momentum);
    void prepareStep(double lr, double momentum); // Adam/AdamW: this step's rates and the coasting table
    void catchUpRows();
    void buildCoastTable(int64_t at);
    Coast coastFor(int64_t skipped) const;
    Coast rowCoast(fused::Side& side, int32_t row, int64_t skipped, double logNow, double keepNow);

    TrainSpec m_spec;
    std::unique_ptr<fused::Side> m_sides[2];         // users, items
    std::vector<float> m_g;                          // d loss / d raw prediction, per rating of the batch
    std::vector<int32_t> m_batchUsers, m_batchItems; // the batch's ratings, gathered
    std::vector<float> m_batchTargets;
    int64_t m_step = 0;
    double m_logDecay = 0; // AdamW: sum over steps of log(1 - lr * wd)
    int m_threads = 1;
    std::unique_ptr<PairTeam> m_team;               // the second thread, made when two are asked for
    bool m_helperCore = false;                      // a spare core may shuffle the next epoch (Threads.h)
    int64_t m_tableBytes = 0;                       // what the touched rows live in: weights, gradients, state
    static constexpr int64_t kCacheBytes = 4 << 20; // tables up to this fit the caches
    std::vector<Coast> m_coast;                     // by skipped steps 0..kCoastTable, for this step's betas and rate
    float m_coastBeyond = 0;                        // the series for more than kCoastTable skipped steps
    std::vector<StepRates> m_ring;                  // the rates of the last kCoastTable + 1 steps
    int64_t m_ringFrom = 1;                         // the first step the ring holds (after a restore: the next)
};

} // namespace factorscope
