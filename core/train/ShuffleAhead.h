#pragma once
// core-internal: the training order, epoch by epoch, each epoch's a shuffle of the one before.
// With `ahead`, the next epoch's order is shuffled on another thread while this epoch trains:
// for training that keeps to one core (the fused path on tables that fit the caches), the
// second core takes the shuffle off the epoch's time. The swaps are the same as shuffling in
// place at each epoch's start, so the batches are the same either way.
#include "core/common/Random.h"

#include <cstdint>
#include <future>
#include <system_error>
#include <utility>
#include <vector>

namespace fs {

class ShuffleAhead {
public:
    ShuffleAhead(std::vector<int64_t> order, Rng& rng, bool ahead)
        : m_current(std::move(order)), m_rng(rng), m_ahead(ahead) {}
    ~ShuffleAhead() { wait(); }
    ShuffleAhead(const ShuffleAhead&) = delete;
    ShuffleAhead& operator=(const ShuffleAhead&) = delete;

    // This epoch's order. `another`: an epoch follows it, so its order may be made meanwhile.
    // The reference holds until the next call.
    const std::vector<int64_t>& next(bool another) {
        if (m_pending.valid()) {
            m_pending.get(); // rethrows what the shuffle threw (out of memory)
            std::swap(m_current, m_following);
        } else {
            m_rng.shuffle(m_current.begin(), m_current.end());
        }
        if (m_ahead && another) {
            try {
                m_pending = std::async(std::launch::async, [this] {
                    m_following = m_current; // reads what the epoch reads; writes only its own copy
                    m_rng.shuffle(m_following.begin(), m_following.end());
                });
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
    std::vector<int64_t> m_current, m_following;
    Rng& m_rng;
    bool m_ahead;
    std::future<void> m_pending;
};

} // namespace fs
