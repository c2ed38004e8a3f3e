#pragma once
// core-internal: the torch side of Trainer.
#include "core/train/FusedTrainer.h"
#include "core/train/Trainer.h"

#include <torch/torch.h>

namespace factorscope {

struct Trainer::Impl {
    Model* model = nullptr;
    TrainSpec spec;
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    std::vector<EpochStats> history;
    std::unique_ptr<FusedTrainer> fused; // built on the first run that takes the fused path
};

} // namespace factorscope
