#pragma once
// core-internal: the fast path for factorisation models (dot, dotbias) on the CPU.
//
// One pass per batch computes lookup, dot product, biases, the sigmoid y-range and the loss
// gradient; only the embedding rows the batch touched are updated, with row-wise ("lazy")
// optimiser state, so an epoch costs O(ratings x factors) whatever the table sizes. When the
// tables outgrow the caches, two threads split the work by side: one owns the user rows, the
// other the item rows, so the accumulation and the updates need no locks and the result does
// not depend on timing (or on the thread count).
//
// Where it differs from the general (dense) path:
// - Adam/AdamW/SGD momentum and RMSprop state of a row moves only when the row is in a batch
//   (as PyTorch's SparseAdam); the dense optimisers keep moving untouched rows with their
//   momentum. Adam's bias correction uses the global step, as SparseAdam does.
// - AdamW's decoupled decay is caught up exactly when a row comes back (the product of the
//   skipped steps' (1 - lr * wd) factors), so decay matches the dense path.
// - Coupled weight decay (SGD, Adam, Adagrad, RMSprop) applies to the touched rows only.
// Plain SGD without momentum or weight decay gives the same updates as the dense path.
#include "core/train/TrainSpec.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace fs {

class Model;
struct Dataset;

// Whether the fused path can train this spec (dot/dotbias on the CPU).
bool fusedPathApplies(const TrainSpec& spec);

class FusedTrainer {
public:
    FusedTrainer(Model& model, const TrainSpec& spec);
    ~FusedTrainer();

    // One optimiser step over the given rows of the data set; returns the batch's mean
    // squared error. `lr` and `momentum` come from the schedule (momentum NaN: the spec's).
    double step(const Dataset& data, const int64_t* rows, int64_t count, double lr, double momentum);
    void setSpec(const TrainSpec& spec);

private:
    struct Table;
    void updateSide(int side, double lr, double momentum);

    Model& m_model;
    TrainSpec m_spec;
    std::unique_ptr<Table> m_tables[4]; // user factors, item factors, user bias, item bias
    std::vector<float> m_g;             // d loss / d raw prediction, per rating of the batch
    int64_t m_step = 0;
    double m_logDecay = 0; // AdamW: sum over steps of log(1 - lr * wd)
    int m_threads = 1;
    int64_t m_tableBytes = 0; // what the touched rows live in: weights, gradients, state
};

} // namespace fs
