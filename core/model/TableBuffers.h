#pragma once
// core-internal: the helpers the modules with fitted tables share (Classic.h, AutoRec.h): tables
// from vectors, a buffer refilled in place, the (mean, low, high) scale, and the check of a
// loaded CSR table. Includes LibTorch.
#include <torch/torch.h>

#include <cstring>
#include <vector>

namespace factorscope {

template <class T> torch::Tensor tensorOf(const std::vector<T>& v, torch::ScalarType type) {
    auto t = torch::empty({static_cast<int64_t>(v.size())}, torch::TensorOptions().dtype(type));
    if (!v.empty())
        std::memcpy(t.data_ptr(), v.data(), v.size() * sizeof(T));
    return t;
}

// The training ratings' mean, lowest and highest, as the models that clip keep them.
torch::Tensor scaleOf(double mean, float low, float high);

// Replaces a buffer's contents and shape (the module keeps the same tensor).
void refill(torch::Tensor& buffer, const torch::Tensor& value);

// A loaded CSR table: offsets from 0 to the entries, never falling; indices within [0, bound);
// values finite. `value` undefined: the table has indices only. Throws CheckpointError naming
// `what`.
void checkRows(const torch::Tensor& offsets, const torch::Tensor& index, const torch::Tensor& value, int64_t rows,
               int64_t bound, const char* what);

} // namespace factorscope
