#include "core/train/NegativeSampler.h"

#include "core/common/Random.h"

namespace factorscope {

NegativeSampler::NegativeSampler(const Dataset& data, const std::vector<int64_t>& positives)
    : m_items(data.items.size()), m_positives(data, {}) {
    const std::size_t users = data.users.size();
    constexpr std::size_t kMostBits = std::size_t(1) << 29;
    if (users * m_items > kMostBits) {
        m_positives = ItemsByUser(data, positives);
        return;
    }
    m_bits.assign((users * m_items + 63) / 64, 0);
    for (int64_t r : positives) {
        const auto row = static_cast<std::size_t>(r);
        const std::size_t bit = static_cast<std::size_t>(data.ratings.user[row]) * m_items +
                                static_cast<std::size_t>(data.ratings.item[row]);
        m_bits[bit / 64] |= uint64_t(1) << (bit % 64);
    }
}

bool NegativeSampler::isPositive(int32_t user, int32_t item) const {
    if (m_bits.empty())
        return m_positives.contains(user, item);
    const std::size_t bit = static_cast<std::size_t>(user) * m_items + static_cast<std::size_t>(item);
    return (m_bits[bit / 64] >> (bit % 64)) & 1;
}

int32_t NegativeSampler::drawItem(uint64_t random) const {
    return static_cast<int32_t>(((random >> 32) * static_cast<uint64_t>(m_items)) >> 32);
}

void NegativeSampler::draw(const Dataset& data, const int64_t* rows, int64_t count, int perRow, uint64_t seed,
                           int64_t step, int32_t* users, int32_t* positives, int32_t* negatives) const {
    Rng rng(seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(step));
    for (int64_t k = 0; k < count; ++k) {
        const auto row = static_cast<std::size_t>(rows[k]);
        const int32_t user = data.ratings.user[row];
        const int32_t item = data.ratings.item[row];
        for (int j = 0; j < perRow; ++j) {
            int32_t negative = drawItem(rng.next());
            for (int tries = 1; tries < kTries && isPositive(user, negative); ++tries)
                negative = drawItem(rng.next());
            const int64_t at = k * perRow + j;
            users[at] = user;
            positives[at] = item;
            negatives[at] = negative;
        }
    }
}

} // namespace factorscope
