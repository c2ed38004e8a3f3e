#pragma once
// core-internal: the fused trainer's per-element kernels, plain arithmetic on floats so that the
// loops calling them vectorise.
#include <cmath>
#include <cstdint>

namespace fs::fused {

constexpr int64_t kAhead = 6; // ratings (or rows) to prefetch ahead in the random walks

inline void prefetchRow(const float* p, int64_t cols) {
    for (int64_t f = 0; f < cols; f += 16) // one 64-byte line per 16 floats
        __builtin_prefetch(p + f);
    __builtin_prefetch(p + cols - 1);
}

// A rating's gradient into a row's record: dst = g * x (fresh) or dst += g * x over the k
// factors, and g into the bias slot dst[k] when there is one. Writing a fresh record instead of
// clearing it first spares a pass and a stall on loads that straddle the clearing's stores.
inline void accumulate(float* dst, float g, const float* x, int64_t k, bool fresh, bool bias) {
    if (fresh) {
#pragma omp simd
        for (int64_t f = 0; f < k; ++f)
            dst[f] = g * x[f];
        if (bias)
            dst[k] = g;
        return;
    }
#pragma omp simd
    for (int64_t f = 0; f < k; ++f)
        dst[f] += g * x[f];
    if (bias)
        dst[k] += g;
}

// One Adam/AdamW row update; with Coasting, first the momentum's moves over the skipped steps.
// m/c1 / (sqrt(v)/c2 + eps) = (c2/c1) m / (sqrt(v) + eps c2): one division, not three.
struct AdamRates {
    float b1, b2, stepSize, epsHat, l2;
};
template <bool Coasting>
inline void adamRow(float* w, const float* g, float* m, float* v, int64_t c, const AdamRates& a, float keep,
                    float coast, float mb1, float vb2) {
#pragma omp simd
    for (int64_t f = 0; f < c; ++f) {
        const float gf = g[f] + a.l2 * w[f];
        float wc = w[f] * keep;
        if constexpr (Coasting)
            wc -= coast * m[f] / (std::sqrt(v[f]) + a.epsHat);
        m[f] = mb1 * m[f] + (1 - a.b1) * gf;
        v[f] = vb2 * v[f] + (1 - a.b2) * gf * gf;
        w[f] = wc - a.stepSize * m[f] / (std::sqrt(v[f]) + a.epsHat);
    }
}

} // namespace fs::fused
