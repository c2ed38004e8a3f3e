#include "HandwrittenSgd.h"

#include "core/common/Random.h"
#include "core/common/SimdClones.h"
#include "core/train/FusedKernels.h"

#include <chrono>
#include <cmath>

namespace factorscope::bench {

FS_SIMD_CLONES HandwrittenResult handwrittenSgd(const Dataset& d, const std::vector<int64_t>& train,
                                                const std::vector<int64_t>& val, int k, int epochs, double lrD,
                                                double regD) {
    const int nu = d.users.size(), ni = d.items.size();
    Rng rng(1);
    std::vector<float> P(static_cast<std::size_t>(nu) * k), Q(static_cast<std::size_t>(ni) * k), bu(nu), bi(ni);
    for (auto& x : P)
        x = static_cast<float>(std::fmod(rng.normal(), 2.0) * 0.01);
    for (auto& x : Q)
        x = static_cast<float>(std::fmod(rng.normal(), 2.0) * 0.01);
    const float lo = 0.5f, span = 5.0f, lr = static_cast<float>(lrD), reg = static_cast<float>(regD);
    auto predict = [&](int u, int i) {
        const float* p = &P[static_cast<std::size_t>(u) * k];
        const float* q = &Q[static_cast<std::size_t>(i) * k];
        return bu[u] + bi[i] + fused::dot(p, q, k); // the fused path's dot product, like for like
    };
    std::vector<int64_t> order = train;
    double seconds = 0;
    for (int e = 0; e < epochs; ++e) {
        const auto t0 = std::chrono::steady_clock::now();
        rng.shuffle(order.begin(), order.end());
        for (int64_t r : order) {
            const int u = d.ratings.user[r], i = d.ratings.item[r];
            const float s = 1.0f / (1.0f + std::exp(-predict(u, i)));
            const float g = 2.0f * (lo + span * s - d.ratings.rating[r]) * span * s * (1 - s);
            float* p = &P[static_cast<std::size_t>(u) * k];
            float* q = &Q[static_cast<std::size_t>(i) * k];
            for (int f = 0; f < k; ++f) {
                const float pf = p[f];
                p[f] -= lr * (g * q[f] + reg * pf);
                q[f] -= lr * (g * pf + reg * q[f]);
            }
            bu[u] -= lr * g;
            bi[i] -= lr * g;
        }
        seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    double se = 0;
    for (int64_t r : val) {
        const float pred = lo + span / (1.0f + std::exp(-predict(d.ratings.user[r], d.ratings.item[r])));
        se += (pred - d.ratings.rating[r]) * (pred - d.ratings.rating[r]);
    }
    return {static_cast<double>(train.size()) * epochs / seconds, std::sqrt(se / static_cast<double>(val.size()))};
}

} // namespace factorscope::bench
