#pragma once
// core-internal: the fused trainer's per-element kernels, plain arithmetic on floats so that the
// loops calling them vectorise.
#include "core/common/SimdClones.h"
#include "core/train/FusedSide.h"

#include <cmath>
#include <cstdint>

namespace factorscope::fused {

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

// Calls kernel(w, g, s, width) on the j-th touched row's record: w its weights (factors, bias and
// constant), g its gradient, s its optimiser state (block b of it at s + b * side.width); then
// sets the constant back.
template <class Kernel> FS_INLINE void forRow(Side& side, int64_t j, Kernel&& kernel) {
    const int32_t r = side.touched[static_cast<std::size_t>(j)];
    float* w = side.row(r);
    kernel(w, side.gradOf(j), side.stateRow(r), side.width);
    side.restoreOne(w);
}

// The update walks the touched rows in the order the batch met them: ask for those a few ahead.
FS_INLINE void prefetchUpdate(Side& side, int64_t j) {
    if (j + kAhead >= side.touchedCount())
        return;
    const int32_t next = side.touched[static_cast<std::size_t>(j + kAhead)];
    prefetchRow(side.row(next), side.width);
    if (side.blocks > 0)
        prefetchRow(side.stateRow(next), side.blocks * side.width);
    if (!side.updatedAt.empty())
        __builtin_prefetch(side.updatedAt.data() + next);
    if (!side.logDecayAt.empty())
        __builtin_prefetch(side.logDecayAt.data() + next);
}

// A rating's gradient into a row's record: dst = (dst & keep) + g * x over the block (the other
// side's row: its factors, and its constant 1 in this row's bias lane). keep is all ones to add
// to the record, or zero to overwrite it (the row's first rating in the batch): a mask, not a
// branch, and not a multiplication, which would keep a stale NaN.
FS_INLINE void accumulate(float* dst, float g, const float* x, int64_t width, uint32_t keep) {
#pragma omp simd
    for (int64_t f = 0; f < width; ++f)
        dst[f] = __builtin_bit_cast(float, __builtin_bit_cast(uint32_t, dst[f]) & keep) + g * x[f];
}

// A row brought up to the present without a gradient (the steps it sat out, nothing more):
// decayed, moved by its momentum over those steps, its moments decayed.
FS_INLINE void adamCoastRow(float* w, float* m, float* v, int64_t c, float epsHat, float keep, float coast,
                            float mDecay, float vDecay) {
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
template <bool Coasting> FS_INLINE void adamRow(float* w, const float* g, float* m, float* v, int64_t c,
                                                const AdamRates& a, float keep, float coast, float mb1, float vb2) {
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

} // namespace factorscope::fused
