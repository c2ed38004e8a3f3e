#include "ui/session/Workbench.h"

#include "core/runs/RunStore.h"

#include "core/analysis/DataViews.h"
#include "core/common/Error.h"
#include "core/io/NpyExport.h"
#include "core/io/ProjectorExport.h"
#include "core/train/Checkpoint.h"
#include "core/train/Continuation.h"
#include "core/train/Trainer.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

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
    m_loader.start(path, options, m_includeOwn ? ownRatingsPath(path) : QString());
}

QString Workbench::ownRatingsPath(const QString& source) {
    const QString absolute = source == QLatin1String("demo") ? source : QFileInfo(source).absoluteFilePath();
    const QString hash =
        QString::fromLatin1(QCryptographicHash::hash(absolute.toUtf8(), QCryptographicHash::Sha256).toHex().left(10));
    QString name = QFileInfo(absolute).completeBaseName();
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("you/%1-%2.csv").arg(name, hash));
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
        return made; // made on the worker as the run ended, or as its checkpoint opened
    return std::make_shared<const Predictions>();
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
        writeNpyTables(dir.toStdString(), model, data.users, data.items);
    });
}

void Workbench::openCheckpoint(const QString& path) {
    if (m_session.isRunning()) {
        Q_EMIT failed(tr("Training is running"), tr("Stop training before opening a checkpoint."));
        return;
    }
    const std::string p = path.toStdString();
    m_checkpointTask.start(
        [p] {
            CheckpointOutcome o;
            o.read = std::make_shared<LoadedCheckpoint>(loadCheckpoint(p));
            return o;
        },
        [this, path](const CheckpointOutcome& o) {
            if (!o.read) {
                Q_EMIT failed(tr("Cannot open the checkpoint"), o.error);
                return;
            }
            m_pendingCheckpoint = o.read;
            m_pendingPath = path;
            checkpointRead();
        });
}

// The checkpoint is read: adopt it on the data set that is open, or open the one it names.
void Workbench::checkpointRead() {
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
                      .arg(m_pendingPath, source)
                      .arg(users)
                      .arg(items));
}

void Workbench::adoptCheckpoint() {
    const std::shared_ptr<LoadedCheckpoint> c = std::move(m_pendingCheckpoint); // leaves it empty
    const std::string path = m_pendingPath.toStdString();
    if (!m_data) {
        Q_EMIT failed(tr("Cannot open the checkpoint"),
                      QString::fromStdString(path + ": no data set is loaded; open the one it was trained on"));
        return;
    }
    const std::shared_ptr<const Dataset> data = m_data;
    const bool started = m_checkpointTask.start(
        [c, data, path] { // the trainer, the split and the predictions: whole-data work, off the GUI thread
            CheckpointOutcome o;
            o.model = std::shared_ptr<Model>(std::move(c->model));
            o.spec = c->info.spec;
            o.spec.device = "cpu"; // a checkpoint from a GPU machine opens anywhere
            try {
                o.trainer = continueCheckpoint(*o.model, *c, o.spec, *data);
            } catch (const DataError& e) {
                throw CheckpointError(path + ": " + e.what() + "; open the data set it was trained on");
            }
            o.split = makeSplit(*data, o.spec.split);
            o.predictions = std::make_shared<const Predictions>(predictValidation(*o.model, *data, o.split));
            o.history = c->info.history;
            return o;
        },
        [this, data](const CheckpointOutcome& o) {
            if (!o.trainer) {
                Q_EMIT failed(tr("Cannot open the checkpoint"), o.error);
                return;
            }
            if (data != m_data || m_session.isRunning())
                return; // another data set or a run came first
            m_session.adopt(o.model, o.trainer, data, o.split, o.predictions);
            Q_EMIT checkpointLoaded(o.spec, o.history);
        });
    if (!started) // called from the read's hand-back: the task is already free, so this is a race lost
        Q_EMIT failed(tr("Cannot open the checkpoint"), tr("Another checkpoint is being opened; try again."));
}

} // namespace factorscope::ui
