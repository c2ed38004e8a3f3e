#pragma once
// core-internal: two threads, this one and a persistent helper, running one job in phases.
// The fused path's two-thread mode (FusedTrainer::step) splits each batch by side with it.
// Waiting goes through C++20 std::barrier, which spins a moment and then sleeps in the kernel:
// a thread whose partner lost its core (another program's work) waits without taking the CPU
// the partner needs. OpenMP's workers spin instead; beside a busy core the fused path's two
// OpenMP threads ran at an eighth of one thread's speed. Visible to ThreadSanitizer, unlike
// Debian's uninstrumented libgomp.
#include <barrier>
#include <functional>
#include <thread>

namespace fs {

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
        m_start.arrive_and_wait();
        m_helper.join();
    }
    PairTeam(const PairTeam&) = delete;
    PairTeam& operator=(const PairTeam&) = delete;

    void run(const Job& job) noexcept {
        m_job = &job;
        m_start.arrive_and_wait(); // the helper reads m_job after this
        job(0, *this);
        m_done.arrive_and_wait(); // the helper has finished its part before this returns
    }

    // Both threads reach this point of the job before either goes on.
    void sync() { m_phase.arrive_and_wait(); }

private:
    void helperLoop() noexcept {
        for (;;) {
            m_start.arrive_and_wait();
            if (!m_job)
                return;
            (*m_job)(1, *this);
            m_done.arrive_and_wait();
        }
    }

    const Job* m_job = nullptr;
    std::barrier<> m_start{2}, m_phase{2}, m_done{2};
    std::thread m_helper; // last: it starts once the barriers exist
};

} // namespace fs
