#include "core/model/Dropout.h"

#include "core/common/SimdClones.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <cmath>
#include <mutex>

namespace factorscope {

namespace {

// A 32-bit integer hash with low bias (Wellons' "lowbias32" family): every output bit depends
// on every input bit. Two rounds keyed by the call's 64-bit key decorrelate neighbouring keys.
FS_INLINE uint32_t mix32(uint32_t x) {
    x ^= x >> 16;
    x *= 0x21f0aaadu;
    x ^= x >> 15;
    x *= 0x735a2d97u;
    x ^= x >> 15;
    return x;
}

FS_INLINE uint32_t hashAt(uint32_t k0, uint32_t k1, uint32_t index) { return mix32(mix32(index ^ k0) + k1); }

// The high half of the index goes into the key, so tensors past 2^32 elements do not repeat.
FS_INLINE uint32_t keyLow(uint64_t key, uint64_t index) {
    return static_cast<uint32_t>(key) ^ (static_cast<uint32_t>(index >> 32) * 0x9e3779b9u);
}

FS_SIMD_CLONES void maskChunk(const float* in, float* out, int64_t begin, int64_t end, uint64_t key, uint32_t threshold,
                              float scale) {
    const uint32_t k1 = static_cast<uint32_t>(key >> 32);
    int64_t k = begin;
    while (k < end) {
        // Runs that share the index's high half: the loop below is plain 32-bit lanes.
        const int64_t runEnd = std::min<int64_t>(end, (k | 0xffffffffLL) + 1);
        const uint32_t k0 = keyLow(key, static_cast<uint64_t>(k));
        for (int64_t j = k; j < runEnd; ++j) {
            const bool keep = hashAt(k0, k1, static_cast<uint32_t>(j)) >= threshold;
            out[j] = keep ? in[j] * scale : 0.0f;
        }
        k = runEnd;
    }
}

uint32_t thresholdOf(double p) {
    const double t = std::ldexp(p, 32);
    return t >= 4294967295.0 ? 0xffffffffu : static_cast<uint32_t>(t);
}

uint64_t nextKey() {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    return gen.get<at::CPUGeneratorImpl>()->random64();
}

struct DropoutFunction : torch::autograd::Function<DropoutFunction> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x, double p, int64_t key) {
        ctx->saved_data["p"] = p;
        ctx->saved_data["key"] = key;
        return applyDropoutMask(x, p, static_cast<uint64_t>(key));
    }
    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        const double p = ctx->saved_data["p"].toDouble();
        const auto key = static_cast<uint64_t>(ctx->saved_data["key"].toInt());
        return {applyDropoutMask(grads[0], p, key), torch::Tensor(), torch::Tensor()};
    }
};

} // namespace

bool dropoutKeeps(uint64_t key, uint64_t index, uint32_t threshold) {
    return hashAt(keyLow(key, index), static_cast<uint32_t>(key >> 32), static_cast<uint32_t>(index)) >= threshold;
}

torch::Tensor applyDropoutMask(const torch::Tensor& x, double p, uint64_t key) {
    TORCH_CHECK(x.device().is_cpu() && x.scalar_type() == torch::kFloat, "the masked dropout takes float CPU tensors");
    const torch::Tensor in = x.contiguous();
    torch::Tensor out = torch::empty_like(in);
    const float* src = in.data_ptr<float>();
    float* dst = out.data_ptr<float>();
    const uint32_t threshold = thresholdOf(p);
    const float scale = p < 1 ? static_cast<float>(1.0 / (1.0 - p)) : 0.0f;
    // Each element's fate depends on its index alone: any split over threads gives the same.
    at::parallel_for(0, in.numel(), 1 << 16,
                     [&](int64_t begin, int64_t end) { maskChunk(src, dst, begin, end, key, threshold, scale); });
    return out;
}

torch::Tensor maskedDropout(const torch::Tensor& x, double p, bool training) {
    if (!training || p <= 0)
        return x;
    if (!x.device().is_cpu() || x.scalar_type() != torch::kFloat)
        return torch::dropout(x, p, training);
    return DropoutFunction::apply(x, p, static_cast<int64_t>(nextKey()));
}

} // namespace factorscope
