#pragma once
// core-internal: the torch side of Model.
#include "core/model/Model.h"
#include "core/model/Modules.h"

namespace factorscope {

struct Model::Impl {
    ModelSpec spec;
    int32_t users = 0;
    int32_t items = 0;
    std::shared_ptr<RecommenderImpl> net;
    torch::Device device = torch::kCPU;
};

struct Model::Snapshot {
    std::vector<torch::Tensor> tensors; // parameters then buffers, cloned
};

torch::Device parseDevice(const std::string& device); // throws DeviceError

} // namespace factorscope
