#include "core/train/PairTeam.h"

#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace factorscope {

namespace {
constexpr std::chrono::microseconds kSpin{50};

void relax() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#else
    std::this_thread::yield();
#endif
}
} // namespace

void PairBarrier::arriveAndWait() {
    const uint32_t phase = m_phase.load(std::memory_order_acquire);
    if (m_arrived.fetch_add(1, std::memory_order_acq_rel) == 1) {
        m_arrived.store(0, std::memory_order_relaxed); // before the phase moves: the next meeting starts clean
        m_phase.store(phase + 1, std::memory_order_release);
        m_phase.notify_one();
        return;
    }
    const auto until = std::chrono::steady_clock::now() + kSpin;
    for (int k = 1;; ++k) {
        if (m_phase.load(std::memory_order_acquire) != phase)
            return;
        relax();
        if (k % 64 == 0 && std::chrono::steady_clock::now() > until)
            break;
    }
    while (m_phase.load(std::memory_order_acquire) == phase)
        m_phase.wait(phase, std::memory_order_acquire);
}

PairTeam::PairTeam() : m_helper([this] { helperLoop(); }) {}

PairTeam::~PairTeam() {
    m_job = nullptr; // the helper's signal to end
    m_start.arriveAndWait();
    m_helper.join();
}

void PairTeam::run(const Job& job) noexcept {
    m_job = &job;
    m_start.arriveAndWait(); // the helper reads m_job after this
    job(0, *this);
    m_done.arriveAndWait(); // the helper has finished its part before this returns
}

void PairTeam::helperLoop() noexcept {
    for (;;) {
        m_start.arriveAndWait();
        if (!m_job)
            return;
        (*m_job)(1, *this);
        m_done.arriveAndWait();
    }
}

} // namespace factorscope
