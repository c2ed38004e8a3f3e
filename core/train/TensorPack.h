#pragma once
// core-internal: the tensors of a checkpoint (weights, optimiser state) in Factorscope's own
// byte layout. Reading checks every field against the bytes left before allocating, and never
// hands the bytes to LibTorch's deserialiser: that is a TorchScript importer, and crafted
// archives crashed it under the fuzzer (tests/fuzz/regressions/checkpoint/).
//
//   u32 count | per tensor: u32 name length | name | u8 type (0 float32, 1 float64, 2 int64, 3 int32)
//   | u8 dimensions (at most 8) | i64 size per dimension | the elements, row-major
// (all numbers little-endian, as the machines Factorscope runs on store them).
#include "core/model/Modules.h"

#include <torch/nn/module.h>
#include <torch/types.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace factorscope {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

std::string packTensors(const NamedTensors& tensors);
// Throws CheckpointError naming `what` ("the model weights") and the first thing wrong.
NamedTensors unpackTensors(std::string_view bytes, const std::string& what);

// A module's parameters and buffers by name (from the CPU), and their restore: every name the
// module has must be there with its type and shape, and no other. Throws CheckpointError.
NamedTensors weightsOf(const torch::nn::Module& net);
// Fills the model from a checkpoint's tensors (throws CheckpointError naming the mismatch).
void loadWeights(RecommenderImpl& net, const NamedTensors& weights);

} // namespace factorscope
