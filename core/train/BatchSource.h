#pragma once
// core-internal: where a training loop's batches come from. Both hand out batches as the data
// set's row indices, which every step path (StepPath.h) takes.
// - EpochBatches: the training loop's; each epoch's order is the training rows shuffled from
//   (seed, epoch) alone (ShuffleAhead.h: a resumed run walks the batches an unbroken one would),
//   cut into batches of the spec's size, the last one shorter.
// - EndlessBatches: the learning-rate finder's; batches of the spec's size without end, the rows
//   reshuffled each time they run out (a batch may span two shuffles).
#include "core/common/Random.h"
#include "core/train/ShuffleAhead.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace factorscope {

struct Batch {
    const int64_t* rows = nullptr;
    int64_t count = 0;
};

class EpochBatches {
public:
    // `ahead`: shuffle the next epoch's order on another thread while this one trains.
    EpochBatches(std::vector<int64_t> rows, int64_t batchSize, uint64_t seed, int firstEpoch, bool ahead)
        : m_n(static_cast<int64_t>(rows.size())), m_batchSize(batchSize),
          m_shuffled(std::move(rows), seed, firstEpoch, ahead) {}

    int64_t ratings() const { return m_n; }
    int64_t batchesPerEpoch() const { return (m_n + m_batchSize - 1) / m_batchSize; }
    // Starts the next epoch; `another`: one follows it. Batches point into its order until the next call.
    void nextEpoch(bool another) { m_order = &m_shuffled.next(another); }
    Batch batch(int64_t b) const {
        const int64_t begin = b * m_batchSize;
        return {m_order->data() + begin, std::min(m_n, begin + m_batchSize) - begin};
    }

private:
    int64_t m_n;
    int64_t m_batchSize;
    ShuffleAhead m_shuffled;
    const std::vector<int64_t>* m_order = nullptr;
};

class EndlessBatches {
public:
    EndlessBatches(std::vector<int64_t> rows, int64_t batchSize, uint64_t seed)
        : m_rows(std::move(rows)), m_rng(seed), m_batch(static_cast<std::size_t>(batchSize)) {
        m_rng.shuffle(m_rows.begin(), m_rows.end());
    }
    Batch next() {
        for (auto& row : m_batch) {
            if (m_pos == m_rows.size()) {
                m_pos = 0;
                m_rng.shuffle(m_rows.begin(), m_rows.end());
            }
            row = m_rows[m_pos++];
        }
        return {m_batch.data(), static_cast<int64_t>(m_batch.size())};
    }

private:
    std::vector<int64_t> m_rows;
    Rng m_rng;
    std::vector<int64_t> m_batch;
    std::size_t m_pos = 0;
};

} // namespace factorscope
