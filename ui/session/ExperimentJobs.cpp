#include "ui/session/ExperimentJobs.h"

#include "core/runs/RecordedExperiments.h"

#include "ui/session/PostToGui.h"
#include "ui/session/TrainControlHolder.h"

#include <QPointer>

namespace fs::ui {

ExperimentJob::~ExperimentJob() { stop(); }

void ExperimentJob::stop() {
    if (m_control)
        m_control->control.requestStop();
}

void ExperimentJob::run(std::function<Outcome(const ProgressFn&, TrainControl*)> work) {
    if (m_task.isRunning())
        return;
    m_control = std::make_shared<TrainControlHolder>();
    QPointer<ExperimentJob> self(this);
    const ProgressFn onProgress = [self](int done, int total, const std::string& what) {
        const QString text = QString::fromStdString(what);
        postToGui(self, [done, total, text](ExperimentJob* job) { Q_EMIT job->progress(done, total, text); });
    };
    auto control = m_control;
    m_task.start(this, [work = std::move(work), onProgress, control] { return work(onProgress, &control->control); },
                 [this](const Outcome& o) {
                     if (!o.error.isEmpty())
                         Q_EMIT failed(o.error);
                     else if (o.isGrid)
                         Q_EMIT gridFinished(o.grid, o.runId);
                     else
                         Q_EMIT cvFinished(o.cv, o.runId);
                 });
}

void ExperimentJob::crossValidate(std::shared_ptr<const Dataset> data, const TrainSpec& spec, const CvOptions& options) {
    const std::string store = m_runStore.toStdString();
    run([data, spec, options, store](const ProgressFn& progress, TrainControl* control) {
        RecordTarget target{store, "gui"};
        Outcome o;
        o.cv = crossValidateRecorded(target, *data, spec, options, progress, control);
        o.runId = target.runId;
        return o;
    });
}

void ExperimentJob::gridSearch(std::shared_ptr<const Dataset> data, const TrainSpec& spec,
                               const std::vector<GridAxis>& axes, const GridOptions& options) {
    const std::string store = m_runStore.toStdString();
    run([data, spec, axes, options, store](const ProgressFn& progress, TrainControl* control) {
        RecordTarget target{store, "gui"};
        Outcome o;
        o.isGrid = true;
        o.grid = gridSearchRecorded(target, *data, spec, axes, options, progress, control);
        o.runId = target.runId;
        return o;
    });
}

DownloadJob::~DownloadJob() { cancel(); }

namespace {

// Forwards the engine's callbacks to the job's signals on the GUI thread, progress at most
// every 1 % so the queue never floods.
class Forwarder : public DownloadObserver {
public:
    explicit Forwarder(QPointer<DownloadJob> job) : m_job(std::move(job)) {}
    void onStage(const std::string& what) override {
        const QString text = QString::fromStdString(what);
        postToGui(m_job, [text](DownloadJob* j) { Q_EMIT j->stage(text); });
    }
    void onProgress(int64_t done, int64_t total) override {
        const int64_t step = std::max<int64_t>(total / 100, 1);
        if (done != total && done - m_last < step)
            return;
        m_last = done;
        postToGui(m_job, [done, total](DownloadJob* j) { Q_EMIT j->progress(done, total); });
    }

private:
    QPointer<DownloadJob> m_job;
    int64_t m_last = -1;
};

} // namespace

void DownloadJob::start(const RemoteDataset& set) {
    if (m_task.isRunning())
        return;
    *m_cancel = false;
    auto cancel = m_cancel;
    const DownloadOptions options = m_options;
    QPointer<DownloadJob> self(this);
    const auto work = [set, options, cancel, self]() -> Outcome {
        Forwarder forward(self);
        Outcome o;
        try {
            o.folder = QString::fromStdString(fetchDataset(set, options, &forward, cancel.get()));
        } catch (const DownloadCancelled& e) { // the other errors: WorkerTask makes them the outcome's
            o.error = QString::fromStdString(e.what());
            o.cancelled = true;
        }
        return o;
    };
    m_task.start(this, work, [this](const Outcome& o) {
        if (o.error.isEmpty())
            Q_EMIT finished(o.folder);
        else
            Q_EMIT failed(o.error, o.cancelled);
    });
}

} // namespace fs::ui
