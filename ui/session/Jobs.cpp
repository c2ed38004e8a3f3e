#include "ui/session/Jobs.h"

#include "core/model/Model.h"
#include "core/train/Trainer.h"
#include "ui/session/PostToGui.h"
#include "ui/session/TrainControlHolder.h"

#include <QPointer>
#include <QtConcurrent>

namespace fs::ui {

DatasetLoadJob::~DatasetLoadJob() { m_watcher.waitForFinished(); }

void DatasetLoadJob::start(const QString& path, const LoadOptions& options) {
    if (m_watcher.isRunning())
        return;
    m_path = path;
    disconnect(&m_watcher, nullptr, this, nullptr);
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, [this] {
        const Outcome o = m_watcher.result();
        if (o.data)
            Q_EMIT loaded(o.data, o.summary, m_path);
        else
            Q_EMIT failed(o.error, m_path);
    });
    const std::string p = path.toStdString();
    m_watcher.setFuture(QtConcurrent::run([p, options]() -> Outcome {
        try {
            auto data = std::make_shared<const Dataset>(loadDatasetOrDemo(p, options));
            return {data, summarize(*data), {}};
        } catch (const std::exception& e) {
            return {nullptr, {}, QString::fromStdString(e.what())};
        }
    }));
}

LrFindJob::~LrFindJob() {
    cancel();
    m_watcher.waitForFinished();
}

void LrFindJob::cancel() {
    if (m_control)
        m_control->control.requestStop();
}

void LrFindJob::start(std::shared_ptr<const Dataset> data, const TrainSpec& spec, const LrFindSpec& find) {
    if (m_watcher.isRunning())
        return;
    m_control = std::make_shared<TrainControlHolder>();
    disconnect(&m_watcher, nullptr, this, nullptr);
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, [this] {
        const Outcome o = m_watcher.result();
        if (o.error.isEmpty())
            Q_EMIT finished(o.result);
        else
            Q_EMIT failed(o.error);
    });
    auto control = m_control;
    QPointer<LrFindJob> self(this);
    m_watcher.setFuture(QtConcurrent::run([data, spec, find, control, self]() -> Outcome {
        try {
            const Split split = makeSplit(*data, spec.split);
            Model model(spec.model, data->users.size(), data->items.size(), spec.seed);
            auto onPoint = [self](double lr, double loss) {
                postToGui(self, [lr, loss](LrFindJob* job) { Q_EMIT job->point(lr, loss); });
            };
            return {findLearningRate(model, *data, split, spec, find, onPoint, &control->control), {}};
        } catch (const std::exception& e) {
            return {{}, QString::fromStdString(e.what())};
        }
    }));
}

} // namespace fs::ui
