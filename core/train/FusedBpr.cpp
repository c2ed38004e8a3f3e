// The fused path's BPR step (FusedTrainer::stepBpr): one pass over the triples computes both
// scores, the pairwise loss and the three rows' gradients; the update is the squared-error
// step's (updateSide), over the rows the batch touched.
#include "core/common/SimdClones.h"
#include "core/train/FusedKernels.h"
#include "core/train/FusedSide.h"
#include "core/train/FusedTrainer.h"

#include <cmath>

namespace factorscope {

namespace {

// The model's output for a raw score and its derivative: through the y-range's sigmoid where
// the model has one.
struct OutputRange {
    bool on;
    float lo, span;
    FS_INLINE float apply(float raw, float& slope) const {
        if (!on) {
            slope = 1;
            return raw;
        }
        const float sg = 1.0f / (1.0f + std::exp(-raw));
        slope = span * sg * (1 - sg);
        return lo + span * sg;
    }
};

} // namespace

FS_SIMD_CLONES double FusedTrainer::stepBpr(const int32_t* users, const int32_t* positives, const int32_t* negatives,
                                            int64_t n, double lr, double momentum) {
    beginStep(lr, momentum);
    fused::Side& U = *m_sides[0];
    fused::Side& V = *m_sides[1];
    const ModelSpec& ms = m_spec.model;
    const OutputRange range{ms.useYRange, static_cast<float>(ms.yMin), static_cast<float>(ms.yMax - ms.yMin)};
    const float* uw = U.row(0);
    const float* iw = V.row(0);
    const int64_t us = U.stride(), is = V.stride(), width = U.width;
    const float scale = 1.0f / static_cast<float>(n); // the mean over the batch
    U.beginBatch(n);
    V.beginBatch(2 * n);
    double lossSum = 0;
    for (int64_t b = 0; b < n; ++b) {
        if (b + fused::kAhead < n) { // the rows are random: ask for those a few triples ahead
            const int64_t a = b + fused::kAhead;
            fused::prefetchRow(uw + users[a] * us, width);
            fused::prefetchRow(iw + positives[a] * is, width);
            fused::prefetchRow(iw + negatives[a] * is, width);
            __builtin_prefetch(U.markOf(users[a]));
            __builtin_prefetch(V.markOf(positives[a]));
            __builtin_prefetch(V.markOf(negatives[a]));
        }
        const int32_t u = users[b], i = positives[b], j = negatives[b];
        const float* pu = uw + u * us;
        const float* qi = iw + i * is;
        const float* qj = iw + j * is;
        float slopeI = 1, slopeJ = 1;
        const float x = range.apply(fused::dot(pu, qi, width), slopeI) - range.apply(fused::dot(pu, qj, width), slopeJ);
        // -log sigmoid(x) = log(1 + exp(-x)), and its derivative -sigmoid(-x), both without
        // overflow (the loss is only reported: log(1 + e) rounds below e = 6e-8, log1p cost more).
        const float e = std::exp(-std::abs(x));
        lossSum += (x > 0 ? 0.0f : -x) + std::log(1.0f + e);
        const float d = -scale * (x > 0 ? e / (1 + e) : 1 / (1 + e));
        const float gi = d * slopeI, gj = -d * slopeJ;
        // Each touch before its accumulate reads the mask it sets (not in one call's arguments,
        // whose order is unspecified).
        uint32_t keepU = 0, keepI = 0, keepJ = 0;
        float* gu = U.touch(u, m_step, keepU);
        fused::accumulate(gu, gi, qi, width, keepU);
        fused::accumulate(gu, gj, qj, width, ~0u);
        float* gri = V.touch(i, m_step, keepI);
        fused::accumulate(gri, gi, pu, width, keepI);
        float* grj = V.touch(j, m_step, keepJ);
        fused::accumulate(grj, gj, pu, width, keepJ);
    }
    updateSide(U, lr, momentum);
    updateSide(V, lr, momentum);
    endStep(lr);
    return lossSum / static_cast<double>(n);
}

} // namespace factorscope
