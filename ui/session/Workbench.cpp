#include "ui/session/Workbench.h"

#include "core/runs/RunStore.h"

#include "core/analysis/DataViews.h"
#include "core/common/Error.h"
#include "core/io/ProjectorExport.h"
#include "core/train/Checkpoint.h"
#include "core/train/Continuation.h"
#include "core/train/Trainer.h"

#include <QFileInfo>

namespace factorscope::ui {

Workbench::Workbench(QObject* parent)
    : QObject(parent), m_loader(this), m_finder(this), m_session(this), m_experiments(this), m_runs(this) {
    registerMetaTypes();
    connect(&m_session, &TrainingSession::runRecorded, this, [this](qint64 id) {
        m_lastRunId = id;
        m_runs.notifyRecorded();
    });
    connect(&m_experiments, &ExperimentJob::cvFinished, &m_runs, &RunLibrary::notifyRecorded);
    connect(&m_experiments, &ExperimentJob::gridFinished, &m_runs, &RunLibrary::notifyRecorded);
    connect(&m_loader, &DatasetLoadJob::loaded, this,
            [this](std::shared_ptr<const Dataset> data, const DatasetSummary& summary, const QString& path,
                   std::shared_ptr<const DataDigest> digest) {
                if (m_session.isRunning())
                    m_session.stopAndWait();
                m_data = std::move(data);
                m_digest = std::move(digest);
                m_path = path;
                m_summary = summary;
                m_session.forget();
                Q_EMIT datasetLoaded(m_summary);
                if (m_pendingCheckpoint)
                    adoptCheckpoint();
            });
    connect(&m_loader, &DatasetLoadJob::failed, this, [this](const QString& message, const QString& path) {
        m_pendingCheckpoint.reset();
        Q_EMIT datasetFailed(message, path);
    });
}

void Workbench::setRunStore(const QString& path) {
    m_session.setRunStore(path);
    m_experiments.setRunStore(path);
    m_runs.setPath(path);
}

void Workbench::openDataset(const QString& path, const LoadOptions& options) {
    if (m_loader.isRunning())
        return;
    Q_EMIT datasetLoading(path);
    m_loader.start(path, options);
}

bool Workbench::startTraining(const TrainSpec& spec) {
    if (!m_data) {
        Q_EMIT failed(tr("No data"), tr("Load a data set first."));
        return false;
    }
    return m_session.start(m_data, spec);
}

QString Workbench::whyNewModel(const TrainSpec& spec) const {
    std::string why;
    if (!hasModel() || m_session.continues(m_data, spec, &why))
        return {};
    return QString::fromStdString(why);
}

void Workbench::findLearningRate(const TrainSpec& spec) {
    if (m_data && !m_finder.isRunning())
        m_finder.start(m_data, spec);
}

std::shared_ptr<const Predictions> Workbench::predictions() const {
    const auto model = m_session.model();
    const auto data = m_session.dataset();
    if (!model || !data || m_session.isRunning())
        return std::make_shared<const Predictions>();
    if (auto made = m_session.lastPredictions())
        return made; // made on the worker as the run ended
    return std::make_shared<const Predictions>(predictValidation(*model, *data, m_session.split()));
}

bool Workbench::withTrainedModel(QString* error,
                                 const std::function<void(const Model&, const Dataset&, const Trainer&)>& write) {
    const auto model = m_session.model();
    const auto trainer = m_session.trainer();
    const auto data = m_session.dataset();
    if (!model || !trainer || !data || m_session.isRunning()) {
        *error = tr("There is no trained model yet: train one, or wait until training ends.");
        return false;
    }
    try {
        write(*model, *data, *trainer);
        return true;
    } catch (const std::exception& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
}

bool Workbench::saveCheckpoint(const QString& path, QString* error) {
    const bool saved = withTrainedModel(error, [&](const Model&, const Dataset& data, const Trainer& trainer) {
        factorscope::saveCheckpoint(path.toStdString(), trainer, data);
    });
    if (saved && m_lastRunId > 0 && !m_session.runStore().isEmpty()) {
        try { // the run's record points at its checkpoint; a store that fails costs only that
            RunStore(m_session.runStore().toStdString())
                .setCheckpoint(m_lastRunId, QFileInfo(path).absoluteFilePath().toStdString());
        } catch (const std::exception&) {
        }
    }
    return saved;
}

bool Workbench::exportEmbeddings(const QString& dir, QString* error) {
    return withTrainedModel(error, [&](const Model& model, const Dataset& data, const Trainer&) {
        writeProjectorExport(dir.toStdString(), model.itemFactors(), data, ratingCountPerItem(data), 5);
    });
}

void Workbench::openCheckpoint(const QString& path) {
    if (m_session.isRunning()) {
        Q_EMIT failed(tr("Training is running"), tr("Stop training before opening a checkpoint."));
        return;
    }
    try {
        m_pendingCheckpoint = std::make_shared<LoadedCheckpoint>(loadCheckpoint(path.toStdString()));
        m_pendingPath = path;
    } catch (const std::exception& e) {
        m_pendingCheckpoint.reset();
        Q_EMIT failed(tr("Cannot open the checkpoint"), QString::fromStdString(e.what()));
        return;
    }
    const CheckpointInfo& info = m_pendingCheckpoint->info;
    if (m_data && m_data->users == info.users && m_data->items == info.items) {
        adoptCheckpoint();
        return;
    }
    const QString source = QString::fromStdString(info.datasetSource);
    if (source == QLatin1String("demo") || QFileInfo::exists(source)) {
        openDataset(source); // adoptCheckpoint() runs when it has loaded
        return;
    }
    const auto users = info.users.size(), items = info.items.size();
    m_pendingCheckpoint.reset();
    Q_EMIT failed(tr("Cannot open the checkpoint"),
                  tr("%1 was trained on %2 (%3 users, %4 items), which is neither loaded nor found. "
                     "Open that data set first, then the checkpoint.")
                      .arg(path, source)
                      .arg(users)
                      .arg(items));
}

void Workbench::adoptCheckpoint() {
    const std::shared_ptr<LoadedCheckpoint> c = std::move(m_pendingCheckpoint); // leaves it empty
    try {
        if (!m_data)
            throw CheckpointError(m_pendingPath.toStdString() +
                                  ": no data set is loaded; open the one it was trained on");
        auto model = std::shared_ptr<Model>(std::move(c->model));
        TrainSpec spec = c->info.spec;
        spec.device = "cpu"; // a checkpoint from a GPU machine opens anywhere
        std::shared_ptr<Trainer> trainer;
        try {
            trainer = continueCheckpoint(*model, *c, spec, *m_data);
        } catch (const DataError& e) {
            throw CheckpointError(m_pendingPath.toStdString() + ": " + e.what() +
                                  "; open the data set it was trained on");
        }
        m_session.adopt(model, trainer, m_data, makeSplit(*m_data, spec.split));
        Q_EMIT checkpointLoaded(spec, c->info.history);
    } catch (const std::exception& e) {
        Q_EMIT failed(tr("Cannot open the checkpoint"), QString::fromStdString(e.what()));
    }
}

} // namespace factorscope::ui
