#pragma once
// core-internal: one optimiser step over a batch of the data set's rows, the part of training
// that differs between the two engines. The trainer and the learning-rate finder drive the
// same paths, so a spec trains and is range-tested by the same arithmetic:
// - GeneralStep: autograd over the model's module and a LibTorch optimiser (every model, every
//   device);
// - BprStep and FusedBprStep: the pairwise BPR loss on either engine, with the same negatives;
// - FusedStep: the fused CPU kernels of FusedTrainer (dot/dotbias on the CPU, FusedTrainer.h).
#include "core/data/Dataset.h"
#include "core/model/AutoRec.h"
#include "core/model/Model.h"
#include "core/train/NegativeSampler.h"
#include "core/train/TrainSpec.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>

namespace factorscope {

class FusedTrainer;

class StepPath {
public:
    virtual ~StepPath() = default;
    // Returns the batch's mean squared error; `rows` index the data set's ratings. `lr` and
    // `momentum` come from the schedule (nullopt: the spec's momentum).
    virtual double step(const Dataset& data, const int64_t* rows, int64_t count, double lr,
                        std::optional<double> momentum) = 0;
    // After an epoch's last batch, before anything reads the model's weights.
    virtual void endEpoch() {}
    // Whether the steps keep to one core while the spec allows two (FusedTrainer::leavesCoreFree).
    virtual bool leavesCoreFree() const { return false; }
    // The batch size the epochs are cut into, from the spec's and the number of rows.
    virtual int64_t batchSizeFor(int64_t asked, int64_t /*rows*/) const { return asked; }
};

struct SvdppModelImpl;

// SVD++ (Koren 2008) by hand-written plain SGD with Surprise's updates, one epoch a batch: the
// epoch's shuffled rows are regrouped by user (users in the order they first appear, each one's
// ratings in theirs). Per rating it updates the biases, p_u and q_i; the implicit factors y_j of
// every movie u rated take the same step per rating (err q_i / sqrt|N(u)| less the decay), so
// they are applied once per user: y_j <- c y_j + G, with c the decays' product and G the steps'
// decayed sum, and the implicit sum z_u follows exactly, in O(factors) per rating (Surprise
// recomputes it and steps every y_j per rating: O(|N(u)| factors)).
class SvdppStep final : public StepPath {
public:
    SvdppStep(Model& model, const TrainSpec& spec, const Dataset& data, const std::vector<int64_t>& rows);
    double step(const Dataset& data, const int64_t* rows, int64_t count, double lr,
                std::optional<double> momentum) override;
    void endEpoch() override; // the users' implicit sums, for predictions
    int64_t batchSizeFor(int64_t, int64_t rows) const override { return std::max<int64_t>(1, rows); }

private:
    SvdppModelImpl& m_net;
    double m_reg;
    std::vector<int64_t> m_start, m_grouped; // this batch's rows by user
    std::vector<int32_t> m_order;            // users in the order they first appear
};

// I-AutoRec's training, one epoch a batch: the movies with training ratings, shuffled (from the
// seed and the epoch), in batches of the spec's batch size (movies, here); each batch steps the
// optimiser on sum (r - r^)^2 over the batch's observed ratings + lambda/2 (|W|^2 + |V|^2) times
// the batch's share of the movies, so an epoch's penalty is the paper's once. The encoder reads
// a movie's ratings as a weighted bag (no dense users x movies matrix) and the decoder is read
// at the observed users only: the same gradients as the dense masked objective, in O(ratings).
class AutorecStep final : public StepPath {
public:
    AutorecStep(Model& model, torch::optim::Optimizer& optimizer, const TrainSpec& spec, const Dataset& data,
                const std::vector<int64_t>& rows);
    // Returns the epoch's mean squared error over the training ratings, as the batches saw them.
    double step(const Dataset& data, const int64_t* rows, int64_t count, double lr,
                std::optional<double> momentum) override;
    void endEpoch() override; // every movie's code, for predictions
    int64_t batchSizeFor(int64_t, int64_t rows) const override { return std::max<int64_t>(1, rows); }

private:
    torch::Tensor predictObserved(const AutoRecModelImpl::Bags& bags, int64_t movies) const;

    AutoRecModelImpl& m_net;
    torch::optim::Optimizer& m_optimizer;
    OptimizerKind m_kind;
    double m_lambda;
    int64_t m_moviesPerBatch;
    uint64_t m_seed;
    int64_t m_epoch = 0;
    std::vector<int64_t> m_movies; // those with training ratings
};

// The training ratings of `rows` as triples, with their mean, lowest and highest.
struct TrainingRatings {
    RatingTriples triples;
    double mean = 0;
    float low = 0, high = 0;
};
TrainingRatings trainingRatings(const Dataset& data, const std::vector<int64_t>& rows);

// The general path. Copies the rating columns to the model's device once; each step gathers
// its batch there, runs forward and backward and steps `optimizer`.
class GeneralStep final : public StepPath {
public:
    GeneralStep(Model& model, torch::optim::Optimizer& optimizer, OptimizerKind kind, const Dataset& data);
    double step(const Dataset& data, const int64_t* rows, int64_t count, double lr,
                std::optional<double> momentum) override;

private:
    Model& m_model;
    torch::optim::Optimizer& m_optimizer;
    OptimizerKind m_kind;
    torch::Tensor m_users, m_items, m_targets;                // every rating, on the device
    torch::Tensor m_batchUsers, m_batchItems, m_batchTargets; // reused by every batch: no allocation
};

// The general path for the BPR loss: each row of a batch is a positive (user u, item i); for
// each, `negatives` items j are drawn from those u has no positive for (NegativeSampler), and
// the step minimises the mean of -log sigmoid(s(u,i) - s(u,j)), s the model's output.
class BprStep final : public StepPath {
public:
    BprStep(Model& model, torch::optim::Optimizer& optimizer, OptimizerKind kind, const Dataset& data,
            const std::vector<int64_t>& positives, int negatives, uint64_t seed);
    // Returns the batch's mean BPR loss.
    double step(const Dataset& data, const int64_t* rows, int64_t count, double lr,
                std::optional<double> momentum) override;

private:
    Model& m_model;
    torch::optim::Optimizer& m_optimizer;
    OptimizerKind m_kind;
    NegativeDraws m_draws;
};

// BPR on the fused kernels (FusedTrainer::stepBpr), with the same negatives as BprStep.
class FusedBprStep final : public StepPath {
public:
    FusedBprStep(FusedTrainer& fused, const Dataset& data, const std::vector<int64_t>& positives, int negatives,
                 uint64_t seed);
    double step(const Dataset& data, const int64_t* rows, int64_t count, double lr,
                std::optional<double> momentum) override;
    void endEpoch() override;

private:
    FusedTrainer& m_fused;
    NegativeDraws m_draws;
    std::vector<int32_t> m_triples; // users, positives, negatives
};

// The rows training steps over: the training part, or under BPR its positives (rated at least
// the spec's positive-at).
std::vector<int64_t> trainingRows(const Dataset& data, const std::vector<int64_t>& trainRows, const TrainSpec& spec);

// The fused path over `fused`, whose tables it first refreshes from the model (which may have
// changed since the last run: a restored best epoch, a checkpoint).
class FusedStep final : public StepPath {
public:
    explicit FusedStep(FusedTrainer& fused);
    double step(const Dataset& data, const int64_t* rows, int64_t count, double lr,
                std::optional<double> momentum) override;
    void endEpoch() override;
    bool leavesCoreFree() const override;

private:
    FusedTrainer& m_fused;
};

// The path `spec` takes (takesFusedPath), over the optimiser or fused trainer given, which it
// makes when they are null: a trainer keeps them across runs (they hold the optimiser's state),
// the learning-rate finder starts from fresh ones.
// `rows`: what trainingRows gave, which BPR's negatives avoid.
std::unique_ptr<StepPath> makeStepPath(Model& model, const TrainSpec& spec, const Dataset& data,
                                       const std::vector<int64_t>& rows,
                                       std::unique_ptr<torch::optim::Optimizer>& optimizer,
                                       std::unique_ptr<FusedTrainer>& fused);

} // namespace factorscope
