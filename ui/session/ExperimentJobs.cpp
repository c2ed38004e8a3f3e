#include "ui/session/ExperimentJobs.h"

#include "core/runs/RecordedExperiments.h"
#include "ui/session/GuiPoster.h"
#include "ui/session/TrainControlHolder.h"

namespace factorscope::ui {

ExperimentJob::~ExperimentJob() { stop(); }

void ExperimentJob::stop() {
    if (m_control)
        m_control->control.requestStop();
}

void ExperimentJob::run(std::function<Outcome(const ProgressFn&, TrainControl*)> work) {
    if (m_task.isRunning())
        return;
    m_control = std::make_shared<TrainControlHolder>();
    GuiPoster* poster = &m_task.poster();
    const ProgressFn onProgress = [this, poster](int done, int total, const std::string& what) {
        const QString text = QString::fromStdString(what);
        poster->post([this, done, total, text] { Q_EMIT progress(done, total, text); });
    };
    auto control = m_control;
    m_task.start([work = std::move(work), onProgress, control] { return work(onProgress, &control->control); },
                 [this](const Outcome& o) {
                     if (!o.error.isEmpty())
                         Q_EMIT failed(o.error);
                     else if (o.isGrid)
                         Q_EMIT gridFinished(o.grid, o.runId);
                     else
                         Q_EMIT cvFinished(o.cv, o.runId);
                 });
}

void ExperimentJob::crossValidate(std::shared_ptr<const Dataset> data, const TrainSpec& spec,
                                  const CvOptions& options) {
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
    Forwarder(DownloadJob* job, GuiPoster* poster) : m_job(job), m_poster(poster) {}
    void onStage(const std::string& what) override {
        const QString text = QString::fromStdString(what);
        m_poster->post([j = m_job, text] { Q_EMIT j->stage(text); });
    }
    void onProgress(int64_t done, int64_t total) override {
        const int64_t step = std::max<int64_t>(total / 100, 1);
        if (done != total && done - m_last < step)
            return;
        m_last = done;
        m_poster->post([j = m_job, done, total] { Q_EMIT j->progress(done, total); });
    }

private:
    DownloadJob* m_job;
    GuiPoster* m_poster;
    int64_t m_last = -1;
};

} // namespace

void DownloadJob::start(const RemoteDataset& set) {
    if (m_task.isRunning())
        return;
    *m_cancel = false;
    auto cancel = m_cancel;
    const DownloadOptions options = m_options;
    GuiPoster* poster = &m_task.poster();
    const auto work = [this, set, options, cancel, poster]() -> Outcome {
        Forwarder forward(this, poster);
        Outcome o;
        try {
            o.folder = QString::fromStdString(fetchDataset(set, options, &forward, cancel.get()));
        } catch (const DownloadCancelled& e) { // the other errors: WorkerTask makes them the outcome's
            o.error = QString::fromStdString(e.what());
            o.cancelled = true;
        }
        return o;
    };
    m_task.start(work, [this](const Outcome& o) {
        if (o.error.isEmpty())
            Q_EMIT finished(o.folder);
        else
            Q_EMIT failed(o.error, o.cancelled);
    });
}

} // namespace factorscope::ui
