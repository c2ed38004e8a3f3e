#pragma once
// From a worker thread: runs a function on the GUI thread, later. How the training session and
// the jobs hand progress to their signals.
//
// A poster is a member of the object that owns the worker, declared before the worker so it
// outlives it; functions still queued when it goes are dropped with it. The functions wait in
// the poster's own queue under a std::mutex, and a bare event wakes the GUI thread for each:
// the hand-over is ordered by that mutex, which ThreadSanitizer sees. (Qt's queued functor
// calls order it inside Debian's uninstrumented Qt, and TSan reported every one as a race.)
#include <QObject>

#include <deque>
#include <functional>
#include <mutex>

namespace factorscope::ui {

class GuiPoster : public QObject {
public:
    using QObject::QObject;
    // Thread-safe; `f` runs in the poster's thread.
    void post(std::function<void()> f);

protected:
    bool event(QEvent* e) override;

private:
    std::mutex m_mutex;
    std::deque<std::function<void()>> m_queue; // guarded by m_mutex
};

} // namespace factorscope::ui
