#include "core/model/RaterSample.h"

#include "core/common/Random.h"

#include <algorithm>
#include <numeric>

namespace factorscope {

int64_t pairSumsWithCap(const SparseRows& byCol, int32_t cap) {
    int64_t work = 0;
    for (std::size_t y = 0; y + 1 < byCol.offsets.size(); ++y) {
        const int64_t n = byCol.offsets[y + 1] - byCol.offsets[y];
        work += n * (cap > 0 ? std::min<int64_t>(n, cap) : n);
    }
    return work;
}

int32_t raterCap(const SparseRows& byCol, int64_t mostPairSums) {
    if (pairSumsWithCap(byCol, 0) <= mostPairSums)
        return 0;
    int64_t most = 1;
    for (std::size_t y = 0; y + 1 < byCol.offsets.size(); ++y)
        most = std::max(most, byCol.offsets[y + 1] - byCol.offsets[y]);
    // The work grows with the cap: the largest cap within the bound, by bisection.
    int64_t low = 1, high = most; // pairSumsWithCap(high) is over the bound
    while (high - low > 1) {
        const int64_t mid = low + (high - low) / 2;
        (pairSumsWithCap(byCol, static_cast<int32_t>(mid)) <= mostPairSums ? low : high) = mid;
    }
    return static_cast<int32_t>(low);
}

SparseRows sampleRaters(const SparseRows& byCol, const std::vector<float>& colValue, int32_t cap) {
    SparseRows out;
    const std::size_t cols = byCol.offsets.empty() ? 0 : byCol.offsets.size() - 1;
    out.offsets.assign(cols + 1, 0);
    for (std::size_t y = 0; y < cols; ++y) {
        const int64_t n = byCol.offsets[y + 1] - byCol.offsets[y];
        out.offsets[y + 1] = out.offsets[y] + (cap > 0 ? std::min<int64_t>(n, cap) : n);
    }
    out.index.resize(static_cast<std::size_t>(out.offsets[cols]));
    out.value.resize(out.index.size());
    std::vector<int64_t> picks;
    for (std::size_t y = 0; y < cols; ++y) {
        const int64_t begin = byCol.offsets[y], n = byCol.offsets[y + 1] - begin;
        picks.resize(static_cast<std::size_t>(n));
        std::iota(picks.begin(), picks.end(), begin);
        if (cap > 0 && n > cap) { // the first `cap` places of a partial Fisher-Yates shuffle
            Rng rng(0x5eed0000ULL + y);
            for (int64_t k = 0; k < cap; ++k)
                std::swap(picks[static_cast<std::size_t>(k)],
                          picks[static_cast<std::size_t>(k) + rng.below(static_cast<uint64_t>(n - k))]);
            picks.resize(static_cast<std::size_t>(cap));
            std::sort(picks.begin(), picks.end());
        }
        auto at = static_cast<std::size_t>(out.offsets[y]);
        for (int64_t k : picks) {
            out.index[at] = byCol.index[static_cast<std::size_t>(k)];
            out.value[at++] = colValue[static_cast<std::size_t>(k)];
        }
    }
    return out;
}

} // namespace factorscope
