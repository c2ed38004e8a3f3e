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
// (The waits live in PairTeam.cpp: C++20 atomic wait, out of the torch-including files that
// clang builds as C++17.)
#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>

namespace factorscope {

// Two threads meet here, again and again: the second to arrive lets both go on.
class PairBarrier {
public:
    void arriveAndWait();

private:
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

    PairTeam();
    ~PairTeam();
    PairTeam(const PairTeam&) = delete;
    PairTeam& operator=(const PairTeam&) = delete;

    void run(const Job& job) noexcept;

    // Both threads reach this point of the job before either goes on.
    void sync() { m_phase.arriveAndWait(); }

private:
    void helperLoop() noexcept;

    const Job* m_job = nullptr;
    PairBarrier m_start, m_phase, m_done;
    std::thread m_helper; // last: it starts once the barriers exist
};

} // namespace factorscope
