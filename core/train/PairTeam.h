#pragma once
// core-internal: two threads, this one and a persistent helper, running one job in phases.
// The fused path's two-thread mode (FusedTrainer::step) splits each batch by side with it.
//
// How a thread waits for its partner: it spins for at most kSpin (the partner usually arrives
// within microseconds when it has a core of its own), then sleeps in the kernel (C++20 atomic
// wait) until woken. OpenMP's workers spin for milliseconds instead: beside a process keeping
// one core busy the fused path's two OpenMP threads ran at an eighth of one thread's speed,
// the waiting thread holding the core its partner needed. Sleeping at once (std::barrier)
// fixed that but cost a kernel wake-up at each of a step's five waits: unloaded, two threads
// ran a third slower than with OpenMP. All of it is visible to ThreadSanitizer, unlike
// Debian's uninstrumented libgomp.
#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace fs {

// Two threads meet here, again and again: the second to arrive lets both go on.
class PairBarrier {
public:
    void arriveAndWait() {
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

private:
    static constexpr std::chrono::microseconds kSpin{50};
    static void relax() {
#if defined(__x86_64__) || defined(__i386__)
        _mm_pause();
#else
        std::this_thread::yield();
#endif
    }
    std::atomic<int> m_arrived{0};
    std::atomic<uint32_t> m_phase{0};
};

class PairTeam {
public:
    // A job runs once on each thread with its index (0 here, 1 on the helper); between its
    // phases both call sync(). run() returns when both are done. A job must not throw: a
    // thread leaving between two syncs would leave the other waiting for ever, so an
    // exception ends the program instead (noexcept).
    using Job = std::function<void(int thread, PairTeam& team)>;

    PairTeam() : m_helper([this] { helperLoop(); }) {}
    ~PairTeam() {
        m_job = nullptr; // the helper's signal to end
        m_start.arriveAndWait();
        m_helper.join();
    }
    PairTeam(const PairTeam&) = delete;
    PairTeam& operator=(const PairTeam&) = delete;

    void run(const Job& job) noexcept {
        m_job = &job;
        m_start.arriveAndWait(); // the helper reads m_job after this
        job(0, *this);
        m_done.arriveAndWait(); // the helper has finished its part before this returns
    }

    // Both threads reach this point of the job before either goes on.
    void sync() { m_phase.arriveAndWait(); }

private:
    void helperLoop() noexcept {
        for (;;) {
            m_start.arriveAndWait();
            if (!m_job)
                return;
            (*m_job)(1, *this);
            m_done.arriveAndWait();
        }
    }

    const Job* m_job = nullptr;
    PairBarrier m_start, m_phase, m_done;
    std::thread m_helper; // last: it starts once the barriers exist
};

} // namespace fs
