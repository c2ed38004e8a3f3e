#pragma once
// core-internal: builds LibTorch optimisers from an OptimizerSpec and sets their rate and
// momentum each step.
#include "core/train/TrainSpec.h"

#include <torch/torch.h>

namespace fs {

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const OptimizerSpec& spec,
                                                       std::vector<torch::Tensor> params);
void setLearningRate(torch::optim::Optimizer& opt, double lr);
// SGD and RMSprop: momentum; Adam and AdamW: beta1. Adagrad has none.
void setMomentum(torch::optim::Optimizer& opt, OptimizerKind kind, double momentum);

} // namespace fs
