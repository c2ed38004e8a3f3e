#pragma once
// core-internal: builds LibTorch optimisers from an OptimizerSpec and sets their rate and
// momentum each step.
#include "core/train/TensorPack.h"
#include "core/train/TrainSpec.h"

#include <torch/torch.h>

namespace factorscope {

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const OptimizerSpec& spec, std::vector<torch::Tensor> params);
// The optimiser a run is built with: the spec's, or for a model fitted at once (no steps; its
// optimiser settings do not apply and are not range-checked) that kind's defaults.
inline OptimizerSpec optimizerToBuild(const TrainSpec& spec) {
    return spec.model.closedForm() ? OptimizerSpec::defaultsFor(spec.optimizer.kind) : spec.optimizer;
}
void setLearningRate(torch::optim::Optimizer& opt, double lr);
// SGD and RMSprop: momentum; Adam and AdamW: beta1. Adagrad has none.
void setMomentum(torch::optim::Optimizer& opt, OptimizerKind kind, double momentum);

// The per-parameter state (moments, momentum buffers, step counts) by "p<index>.<field>", the
// index counting parameters through the groups in order; and its restore into an optimiser of
// the same kind over parameters of the same shapes. Throws CheckpointError.
NamedTensors optimizerState(torch::optim::Optimizer& opt, OptimizerKind kind);
void setOptimizerState(torch::optim::Optimizer& opt, OptimizerKind kind, const NamedTensors& state);

} // namespace factorscope
