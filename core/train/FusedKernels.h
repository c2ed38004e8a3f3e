#pragma once
// core-internal: the fused trainer's per-element kernels, plain arithmetic on floats so that the
// loops calling them vectorise.
#include "core/common/SimdClones.h"
#include "core/train/FusedSide.h"

#include <cmath>
#include <cstdint>

namespace fs::fused {

constexpr int64_t kAhead = 6; // ratings (or rows) to prefetch ahead in the random walks

FS_INLINE void prefetchRow(const float* p, int64_t cols) {
    for (int64_t f = 0; f < cols; f += 16) // one 64-byte line per 16 floats
        __builtin_prefetch(p + f);
    __builtin_prefetch(p + cols - 1);
}

// The dot product of two rows: eight running sums (one vector register), added pairwise at the
// end, so neither the loop nor the final sum is one long chain of dependent additions.
FS_INLINE float dot(const float* a, const float* b, int64_t k) {
    float acc[8] = {};
    int64_t f = 0;
    for (; f + 8 <= k; f += 8)
#pragma omp simd
        for (int l = 0; l < 8; ++l)
            acc[l] += a[f + l] * b[f + l];
    float tail = 0;
    for (; f < k; ++f)
        tail += a[f] * b[f];
    return (((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]))) + tail;
}

// Calls kernel(w, g, s, cols) on the j-th touched row's factors, then on its bias: w its
// weights, g its gradient, s its optimiser state (block b of it at s + b * side.width).
template <class Kernel> FS_INLINE void forEachPart(Side& side, int64_t j, Kernel&& kernel) {
    const int32_t r = side.touched[static_cast<std::size_t>(j)];
    float* s = side.stateRow(r);
    const float* g = side.gradOf(j);
    kernel(side.row(r), g, s, side.k);
    if (side.bw)
        kernel(side.bw + r, g + side.k, s + side.k, 1);
}

// The update walks the touched rows in the order the batch met them: ask for those a few ahead.
FS_INLINE void prefetchUpdate(Side& side, int64_t j) {
    if (j + kAhead >= static_cast<int64_t>(side.touched.size()))
        return;
    const int32_t next = side.touched[static_cast<std::size_t>(j + kAhead)];
    prefetchRow(side.row(next), side.k);
    if (side.blocks > 0)
        prefetchRow(side.stateRow(next), side.blocks * side.width);
    if (side.bw)
        __builtin_prefetch(side.bw + next);
    if (!side.updatedAt.empty())
        __builtin_prefetch(side.updatedAt.data() + next);
    if (!side.logDecayAt.empty())
        __builtin_prefetch(side.logDecayAt.data() + next);
}

// A rating's gradient into a row's record: dst = g * x (fresh) or dst += g * x over the k
// factors, and g into the bias slot dst[k] when there is one. Writing a fresh record instead of
// clearing it first spares a pass and a stall on loads that straddle the clearing's stores.
FS_INLINE void accumulate(float* dst, float g, const float* x, int64_t k, bool fresh, bool bias) {
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

// A row brought up to the present without a gradient (the steps it sat out, nothing more):
// decayed, moved by its momentum over those steps, its moments decayed.
FS_INLINE void adamCoastRow(float* w, float* m, float* v, int64_t c, float epsHat, float keep, float coast, float mDecay,
                         float vDecay) {
#pragma omp simd
    for (int64_t f = 0; f < c; ++f) {
        w[f] = w[f] * keep - coast * m[f] / (std::sqrt(v[f]) + epsHat);
        m[f] *= mDecay;
        v[f] *= vDecay;
    }
}

// One Adam/AdamW row update; with Coasting, first the momentum's moves over the skipped steps
// (coast: their summed step sizes and ratios, mb1/vb2: the moments' decay over them and this
// step). keep: AdamW's decay. m/c1 / (sqrt(v)/c2 + eps) = (c2/c1) m / (sqrt(v) + eps c2).
struct AdamRates {
    float b1, b2, stepSize, epsHat, l2;
};
template <bool Coasting>
FS_INLINE void adamRow(float* w, const float* g, float* m, float* v, int64_t c, const AdamRates& a, float keep,
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
