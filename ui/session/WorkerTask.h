#pragma once
// One computation at a time on a worker thread, its outcome handed back on the GUI thread: the
// watcher, the start guard and the exception handling every background job shares. Outcome
// needs a QString `error`; an exception the work throws ends up there.
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QtConcurrent>

#include <exception>
#include <utility>

namespace fs::ui {

template <class Outcome> class WorkerTask {
public:
    WorkerTask() = default;
    WorkerTask(const WorkerTask&) = delete;
    WorkerTask& operator=(const WorkerTask&) = delete;
    ~WorkerTask() { m_watcher.waitForFinished(); } // the owner asks the work to stop first

    bool isRunning() const { return m_watcher.isRunning(); }
    void wait() { m_watcher.waitForFinished(); }

    // Runs work() on a worker thread, then done(outcome) in `receiver`'s thread. While an
    // earlier run is going, does nothing and returns false.
    template <class Work, class Done> bool start(QObject* receiver, Work work, Done done) {
        if (m_watcher.isRunning())
            return false;
        QObject::disconnect(&m_watcher, nullptr, receiver, nullptr);
        QObject::connect(&m_watcher, &QFutureWatcher<Outcome>::finished, receiver,
                         [this, done = std::move(done)] { done(m_watcher.result()); });
        m_watcher.setFuture(QtConcurrent::run([work = std::move(work)]() -> Outcome {
            try {
                return work();
            } catch (const std::exception& e) {
                Outcome o;
                o.error = QString::fromStdString(e.what());
                return o;
            }
        }));
        return true;
    }

private:
    QFutureWatcher<Outcome> m_watcher;
};

} // namespace fs::ui
