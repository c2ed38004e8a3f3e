#pragma once
// The application's state without widgets: the loaded data set, the training session, the
// background jobs (load, LR finder, experiments), the run store and checkpoints. MainWindow
// and its views show it and own nothing heavy; tests drive it directly.
#include "core/data/Dataset.h"
#include "core/train/Checkpoint.h"
#include "core/train/TrainSpec.h"
#include "ui/session/ExperimentJobs.h"
#include "ui/session/Jobs.h"
#include "ui/session/RunLibrary.h"
#include "ui/session/TrainingSession.h"
#include "ui/session/WorkerTask.h"

#include <QObject>

#include <functional>
#include <memory>

namespace factorscope::ui {

class Workbench : public QObject {
    Q_OBJECT
public:
    explicit Workbench(QObject* parent = nullptr);

    // With includeOwnRatings on, the data set's own-ratings file (ownRatingsPath) joins it when
    // it exists (core/io/OwnRatings.h).
    void openDataset(const QString& path, const LoadOptions& options = {});
    // Your own ratings of a data set (the You page's Keep): a file of their own in the app's data
    // folder, one per data set source, never beside its files (which may be read-only).
    static QString ownRatingsPath(const QString& source);
    void setIncludeOwnRatings(bool on) { m_includeOwn = on; }
    bool includesOwnRatings() const { return m_includeOwn; }
    bool isLoading() const { return m_loader.isRunning(); }
    std::shared_ptr<const Dataset> dataset() const { return m_data; }
    std::shared_ptr<const DataDigest> digest() const { return m_digest; } // what the views show of it
    const DatasetSummary& summary() const { return m_summary; }
    QString datasetPath() const { return m_path; }

    TrainingSession& session() { return m_session; }
    LrFindJob& finder() { return m_finder; }
    ExperimentJob& experiments() { return m_experiments; }
    RunLibrary& runs() { return m_runs; }
    // One run store for training, the experiments and the runs page; empty records nothing.
    void setRunStore(const QString& path);
    bool startTraining(const TrainSpec& spec);
    void findLearningRate(const TrainSpec& spec);
    // Continue training the current model (true), or start afresh on the next Train (false).
    bool hasModel() const { return m_session.model() != nullptr; }
    void discardModel() { m_session.forget(); }
    // Why training `spec` would start a new model although one is trained (another network,
    // another data set); empty when it continues it, or when there is none.
    QString whyNewModel(const TrainSpec& spec) const;

    // On the validation part of the last run's split; empty when there is no model.
    std::shared_ptr<const Predictions> predictions() const; // never null; empty without a model

    // False with a message naming the file and what to do.
    bool saveCheckpoint(const QString& path, QString* error);
    // vectors.tsv, metadata.tsv (TensorBoard Projector), projection.csv and the tables as NumPy
    // arrays (NpyExport.h) into dir.
    bool exportEmbeddings(const QString& dir, QString* error);
    // Reads the checkpoint on a worker; when it was trained on another data set that can be
    // found (its path, or the demo data), loads that first; then rebuilds its trainer, split
    // and validation predictions on a worker. Emits checkpointLoaded or failed.
    void openCheckpoint(const QString& path);
    bool isOpeningCheckpoint() const { return m_checkpointTask.isRunning(); }

Q_SIGNALS:
    void datasetLoading(const QString& path);
    void datasetLoaded(const factorscope::DatasetSummary& summary);
    void datasetFailed(const QString& message, const QString& path);
    void checkpointLoaded(const factorscope::TrainSpec& spec, const std::vector<factorscope::EpochStats>& history);
    void failed(const QString& title, const QString& message);

private:
    void checkpointRead();
    void adoptCheckpoint();
    // Runs `write` with the trained model and its data; false with *error when there is none
    // yet or `write` throws.
    bool withTrainedModel(QString* error,
                          const std::function<void(const Model&, const Dataset&, const Trainer&)>& write);

    std::shared_ptr<const Dataset> m_data;
    std::shared_ptr<const DataDigest> m_digest;
    DatasetSummary m_summary;
    QString m_path;
    bool m_includeOwn = false;
    DatasetLoadJob m_loader;
    LrFindJob m_finder;
    TrainingSession m_session;
    ExperimentJob m_experiments;
    RunLibrary m_runs;
    // Read once in openCheckpoint(); adopted now, or once its data set has loaded.
    std::shared_ptr<LoadedCheckpoint> m_pendingCheckpoint;
    QString m_pendingPath;
    qint64 m_lastRunId = 0; // the last finished run's record, for its checkpoint path
    // Reading a checkpoint, then adopting it: each step's result (the other fields empty).
    struct CheckpointOutcome {
        std::shared_ptr<LoadedCheckpoint> read;
        std::shared_ptr<Model> model;
        std::shared_ptr<Trainer> trainer;
        Split split;
        std::shared_ptr<const Predictions> predictions;
        TrainSpec spec;
        std::vector<EpochStats> history;
        QString error;
    };
    WorkerTask<CheckpointOutcome> m_checkpointTask; // last: stops first
};

} // namespace factorscope::ui
