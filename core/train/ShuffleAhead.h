#pragma once
// core-internal: the training order, epoch by epoch. Epoch e's order is the training rows
// shuffled by a generator seeded from (seed, e) alone, so a run resumed at epoch e walks the
// batches an unbroken run would have (exact resume), whatever came before.
// With `ahead`, the next epoch's order is shuffled on another thread while this epoch trains:
// for training that keeps to one core (the fused path on tables that fit the caches), the
// second core takes the shuffle off the epoch's time. The orders are the same either way.
#include "core/common/Random.h"

#include <cstdint>
#include <future>
#include <system_error>
#include <utility>
#include <vector>

namespace factorscope {

class ShuffleAhead {
public:
    ShuffleAhead(std::vector<int64_t> rows, uint64_t seed, int firstEpoch, bool ahead)
        : m_rows(std::move(rows)), m_seed(seed), m_epoch(firstEpoch), m_ahead(ahead) {}
    ~ShuffleAhead() { wait(); }
    ShuffleAhead(const ShuffleAhead&) = delete;
    ShuffleAhead& operator=(const ShuffleAhead&) = delete;

    // Epoch `epoch`'s order, on its own.
    static void orderOf(const std::vector<int64_t>& rows, uint64_t seed, int epoch, std::vector<int64_t>& out) {
        out = rows;
        Rng rng(seed * 7919 + static_cast<uint64_t>(epoch));
        rng.shuffle(out.begin(), out.end());
    }

    // The next epoch's order. `another`: an epoch follows it, so its order may be made meanwhile.
    // The reference holds until the next call.
    const std::vector<int64_t>& next(bool another) {
        if (m_pending.valid()) {
            m_pending.get(); // rethrows what the shuffle threw (out of memory)
            std::swap(m_current, m_following);
        } else {
            orderOf(m_rows, m_seed, m_epoch, m_current);
        }
        ++m_epoch;
        if (m_ahead && another) {
            try {
                // Reads only the rows (never written while it runs) and writes only its own copy.
                m_pending =
                    std::async(std::launch::async, [this, e = m_epoch] { orderOf(m_rows, m_seed, e, m_following); });
            } catch (const std::system_error&) {
                m_ahead = false; // no thread to be had: each epoch shuffles at its start instead
            }
        }
        return m_current;
    }

private:
    void wait() {
        if (m_pending.valid())
            m_pending.wait();
    }
    const std::vector<int64_t> m_rows;
    const uint64_t m_seed;
    int m_epoch;
    std::vector<int64_t> m_current, m_following;
    bool m_ahead;
    std::future<void> m_pending;
};

} // namespace factorscope
