#pragma once
// Cross-validation, grid search and dataset downloads on a worker thread, with progress and
// stop/cancel, reporting through signals on the GUI thread. Each is recorded in the run store.
#include "core/experiment/GridSearch.h"
#include "core/net/Download.h"
#include "ui/session/MetaTypes.h"
#include "ui/session/WorkerTask.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace factorscope::ui {

class ExperimentJob : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~ExperimentJob() override; // stops and waits

    void setRunStore(const QString& path) { m_runStore = path; } // empty: record nothing
    void crossValidate(std::shared_ptr<const Dataset> data, const TrainSpec& spec, const CvOptions& options);
    void gridSearch(std::shared_ptr<const Dataset> data, const TrainSpec& spec, const std::vector<GridAxis>& axes,
                    const GridOptions& options);
    bool isRunning() const { return m_task.isRunning(); }
    void stop();
    void wait() { m_task.wait(); }

Q_SIGNALS:
    void progress(int done, int total, const QString& what);
    void cvFinished(const factorscope::CvResult& result, qint64 runId);
    void gridFinished(const factorscope::GridResult& result, qint64 runId);
    void failed(const QString& message);

private:
    struct Outcome {
        CvResult cv;
        GridResult grid;
        bool isGrid = false;
        qint64 runId = 0;
        QString error;
    };
    void run(std::function<Outcome(const ProgressFn&, TrainControl*)> work);

    std::shared_ptr<class TrainControlHolder> m_control;
    QString m_runStore;
    WorkerTask<Outcome> m_task; // last: destroyed (waited for) first
};

class DownloadJob : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~DownloadJob() override; // cancels and waits

    void setOptions(const DownloadOptions& options) { m_options = options; }
    const DownloadOptions& options() const { return m_options; }
    void start(const RemoteDataset& set);
    bool isRunning() const { return m_task.isRunning(); }
    void cancel() { *m_cancel = true; }
    void wait() { m_task.wait(); }

Q_SIGNALS:
    void stage(const QString& what);
    void progress(qint64 done, qint64 total);
    void finished(const QString& folder);
    void failed(const QString& message, bool cancelled);

private:
    struct Outcome {
        QString folder;
        QString error;
        bool cancelled = false;
    };
    DownloadOptions m_options;
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
    WorkerTask<Outcome> m_task; // last: destroyed (waited for) first
};

} // namespace factorscope::ui
