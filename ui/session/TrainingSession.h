#pragma once
// Owns one training run's worker thread. The engine's callbacks arrive on the worker; this
// class buffers them and hands them to the GUI thread as queued signals, batches coalesced
// to ~30 Hz, so the event loop never waits on training.
#include "core/data/Dataset.h"
#include "core/data/Split.h"
#include "core/model/Model.h"
#include "core/train/TrainSpec.h"
#include "ui/session/GuiPoster.h"
#include "ui/session/MetaTypes.h"

#include <QObject>
#include <QTimer>
#include <QVector>

#include <memory>
#include <mutex>
#include <thread>

namespace factorscope {
class Trainer;
class TrainControl;
} // namespace factorscope

namespace factorscope::ui {

// The validation ratings against the model's predictions of them.
struct Predictions {
    std::vector<float> predicted;
    std::vector<float> actual;
    double baselineRmse = 0;
    // What the predictions page shows, made with them (off the GUI thread).
    std::vector<double> actualBins, predictedBins; // halfStarHistogram
    double rmse = 0;
};
// Predicts the validation rows of `split` (a second at 25 M ratings: run it off the GUI thread).
Predictions predictValidation(const Model& model, const Dataset& data, const Split& split);

class TrainingSession : public QObject {
    Q_OBJECT
public:
    explicit TrainingSession(QObject* parent = nullptr);
    ~TrainingSession() override; // stops and joins a running worker

    // Starts training on a worker thread. Where continues() says so, training continues the
    // session's model (a finished run, a loaded checkpoint) with its history and optimiser
    // state; otherwise a new model is built. Returns false and emits failed() when the spec or
    // data are unusable.
    bool start(std::shared_ptr<const Dataset> data, const TrainSpec& spec);
    // Whether start(data, spec) would continue the session's model: the rule of
    // core/train/Continuation.h, the CLI's --resume's too. When not, `whyNot` says why.
    bool continues(const std::shared_ptr<const Dataset>& data, const TrainSpec& spec,
                   std::string* whyNot = nullptr) const;
    bool isRunning() const { return m_running; }
    bool isPaused() const;

    void pause();
    void resume();
    void stop();                     // returns at once; finished() follows
    void setLearningRate(double lr); // overrides the schedule from the next batch
    void clearLearningRate();
    void stopAndWait(); // for closing the window

    // After a run: the model and trainer, for checkpoints, predictions and continued training.
    std::shared_ptr<Model> model() const { return m_model; }
    std::shared_ptr<Trainer> trainer() const { return m_trainer; }
    std::shared_ptr<const Dataset> dataset() const { return m_data; }
    // The last run's split; written by the worker, so read it only when not running.
    const Split& split() const { return m_split; }
    // The last run's validation predictions, made on the worker when it ended; null when the
    // model came from elsewhere (a checkpoint) or the run failed. Read it only when not running.
    std::shared_ptr<const Predictions> lastPredictions() const { return m_predictions; }
    // Adopts a loaded model (a checkpoint) so that the next start() continues it, with its
    // validation predictions made off the GUI thread.
    void adopt(std::shared_ptr<Model> model, std::shared_ptr<Trainer> trainer, std::shared_ptr<const Dataset> data,
               const Split& split, std::shared_ptr<const Predictions> predictions);
    void forget(); // the next start() builds a new model
    // Records each run in the run store at `path` (RunStore::defaultPath() unless set); an empty
    // path records nothing.
    void setRunStore(const QString& path) { m_runStore = path; }
    QString runStore() const { return m_runStore; }

Q_SIGNALS:
    // After start(), once the worker has made the split.
    void started(const factorscope::TrainSpec& spec, qint64 trainRatings, qint64 validationRatings,
                 double baselineRmse);
    void batchesReady(const QVector<factorscope::BatchStats>& batches);
    void epochFinished(const factorscope::EpochStats& epoch);
    // The item embeddings at the end of each epoch (taken on the worker between batches).
    void embeddingsUpdated(std::shared_ptr<const factorscope::Matrix> itemFactors);
    void finished(const factorscope::TrainResult& result);
    void failed(const QString& message);
    void pausedChanged(bool paused);
    // The run's row in the run store, once its outcome is written (not when the store failed).
    void runRecorded(qint64 runId);

private:
    void drain();
    class Observer;
    // What a run's worker holds: its own references, so the session may forget them mid-run.
    struct Work {
        std::shared_ptr<const Dataset> data;
        TrainSpec spec;
        std::shared_ptr<Model> model;      // the model to continue; the worker builds a new one when null
        std::shared_ptr<Trainer> previous; // the trainer to continue, or null
        TrainControl* control = nullptr;
        Observer* observer = nullptr;
        std::string store; // the run store's path; empty: record nothing
    };
    void runOnWorker(Work work);

    std::shared_ptr<const Dataset> m_data;
    std::shared_ptr<Model> m_model;
    std::shared_ptr<Trainer> m_trainer;
    std::unique_ptr<TrainControl> m_control;
    std::unique_ptr<Observer> m_observer;
    Split m_split;
    std::shared_ptr<const Predictions> m_predictions;
    GuiPoster m_poster; // outlives the worker (joined by the destructor)
    std::thread m_worker;
    bool m_running = false;
    QString m_runStore;
    QTimer m_timer;
    std::mutex m_mutex;
    QVector<BatchStats> m_pending; // guarded by m_mutex
};

} // namespace factorscope::ui
