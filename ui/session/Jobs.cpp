#include "ui/session/Jobs.h"

#include "core/io/OwnRatings.h"
#include "core/model/Model.h"
#include "core/train/Trainer.h"
#include "ui/session/TrainControlHolder.h"

#include <QFileInfo>

namespace factorscope::ui {

void DatasetLoadJob::start(const QString& path, const LoadOptions& options, const QString& ownRatings) {
    const std::string p = path.toStdString();
    const std::string own = !ownRatings.isEmpty() && QFileInfo::exists(ownRatings) ? ownRatings.toStdString() : "";
    const auto load = [p, options, own]() -> Outcome {
        Dataset data = loadDatasetOrDemo(p, options);
        if (!own.empty())
            includeOwnRatings(data, own);
        DatasetSummary summary = summarize(data);
        data.fingerprint = summary.fingerprint; // made once: run records and experiments reuse it
        auto views = std::make_shared<const DataDigest>(digest(data));
        return {std::make_shared<const Dataset>(std::move(data)), std::move(summary), std::move(views), {}};
    };
    m_task.start(load, [this, path](const Outcome& o) {
        if (o.data)
            Q_EMIT loaded(o.data, o.summary, path, o.digest);
        else
            Q_EMIT failed(o.error, path);
    });
}

LrFindJob::~LrFindJob() { cancel(); }

void LrFindJob::cancel() {
    if (m_control)
        m_control->control.requestStop();
}

void LrFindJob::start(std::shared_ptr<const Dataset> data, const TrainSpec& spec, const LrFindSpec& find) {
    if (m_task.isRunning())
        return;
    m_control = std::make_shared<TrainControlHolder>();
    auto control = m_control;
    GuiPoster* poster = &m_task.poster();
    const auto work = [this, data, spec, find, control, poster]() -> Outcome {
        const Split split = makeSplit(*data, spec.split);
        Model model(spec.model, data->users.size(), data->items.size(), spec.seed);
        auto onPoint = [this, poster](double lr, double loss) {
            poster->post([this, lr, loss] { Q_EMIT point(lr, loss); });
        };
        return {findLearningRate(model, *data, split, spec, find, onPoint, &control->control), {}};
    };
    m_task.start(work, [this](const Outcome& o) {
        if (o.error.isEmpty())
            Q_EMIT finished(o.result);
        else
            Q_EMIT failed(o.error);
    });
}

} // namespace factorscope::ui
