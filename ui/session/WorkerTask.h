#pragma once
// One computation at a time on a worker thread, its outcome handed back on the GUI thread: the
// start guard, the exception handling and the hand-back every background job shares. Outcome
// needs a QString `error`; an exception the work throws ends up there.
//
// A plain std::thread and a GuiPoster rather than QtConcurrent: ThreadSanitizer sees every
// ordering between the worker and the GUI thread (Qt's pool synchronises inside Debian's
// uninstrumented Qt, which TSan reports as races).
#include "ui/session/GuiPoster.h"

#include <QString>

#include <atomic>
#include <exception>
#include <thread>
#include <utility>

namespace factorscope::ui {

template <class Outcome> class WorkerTask {
public:
    WorkerTask() = default;
    WorkerTask(const WorkerTask&) = delete;
    WorkerTask& operator=(const WorkerTask&) = delete;
    ~WorkerTask() { wait(); } // the owner asks the work to stop first; a queued outcome is dropped

    // True from start() until the work has returned (its outcome may still be on its way).
    bool isRunning() const { return m_running.load(std::memory_order_acquire); }
    void wait() {
        if (m_thread.joinable())
            m_thread.join();
    }
    // Posts to the GUI thread from the work (progress); dropped once the task is destroyed.
    GuiPoster& poster() { return m_poster; }

    // Runs work() on a worker thread, then done(outcome) on the thread that made this task.
    // While an earlier run is going, does nothing and returns false.
    template <class Work, class Done> bool start(Work work, Done done) {
        if (isRunning())
            return false;
        wait();
        m_running.store(true, std::memory_order_release);
        m_thread = std::thread([this, work = std::move(work), done = std::move(done)]() mutable {
            Outcome o;
            try {
                o = work();
            } catch (const std::exception& e) {
                o = Outcome{};
                o.error = QString::fromStdString(e.what());
            }
            // Not running before done() can run, so done() may start the next one.
            m_running.store(false, std::memory_order_release);
            m_poster.post([done = std::move(done), o = std::move(o)] { done(o); });
        });
        return true;
    }

private:
    GuiPoster m_poster;
    std::atomic<bool> m_running{false};
    std::thread m_thread;
};

} // namespace factorscope::ui
