#pragma once
// core-internal: the negatives of BPR (Rendle et al. 2009). For a positive (user u, item i),
// items j drawn uniformly from the catalogue, redrawn (up to kTries times) while u has a
// positive for j. The draws of a step come from (seed, step) alone, so both engines and any
// thread count draw the same negatives.
#include "core/data/Dataset.h"
#include "core/data/ItemsByUser.h"

#include <cstdint>
#include <vector>

namespace factorscope {

class NegativeSampler {
public:
    // `positives` index the data set's ratings: what each user counts as liked.
    NegativeSampler(const Dataset& data, const std::vector<int64_t>& positives);
    bool isPositive(int32_t user, int32_t item) const;
    // For each of the `count` rows, `perRow` triples (user, positive item, sampled negative),
    // row-major: triple k * perRow + j is row k's j-th. The arrays hold count * perRow each.
    void draw(const Dataset& data, const int64_t* rows, int64_t count, int perRow, uint64_t seed, int64_t step,
              int32_t* users, int32_t* positives, int32_t* negatives) const;

    static constexpr int kTries = 16;

private:
    int32_t drawItem(uint64_t random) const; // uniform over the catalogue, by multiply-shift

    std::size_t m_items;
    // A bit per (user, item) while that fits in 64 MB (MovieLens 1M: 2.8 MB): one load a test.
    std::vector<uint64_t> m_bits;
    // Beyond: each user's positives, searched.
    ItemsByUser m_positives;
};

// One run's draws: `perRow` negatives per positive, step after step from `seed`: what both BPR
// steps hold, so they draw alike.
class NegativeDraws {
public:
    NegativeDraws(const Dataset& data, const std::vector<int64_t>& positives, int perRow, uint64_t seed)
        : m_sampler(data, positives), m_perRow(perRow < 1 ? 1 : perRow), m_seed(seed) {}
    int64_t triples(int64_t rows) const { return rows * m_perRow; }
    // The next step's triples for `rows` into `out`: users, then positives, then negatives,
    // triples(count) each.
    void next(const Dataset& data, const int64_t* rows, int64_t count, int32_t* out) {
        const int64_t n = triples(count);
        m_sampler.draw(data, rows, count, m_perRow, m_seed, ++m_step, out, out + n, out + 2 * n);
    }

private:
    NegativeSampler m_sampler;
    int m_perRow;
    uint64_t m_seed;
    int64_t m_step = 0;
};

} // namespace factorscope
