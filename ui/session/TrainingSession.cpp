#include "ui/session/TrainingSession.h"

#include "core/analysis/DataViews.h"
#include "core/runs/RecordedExperiments.h"

#include "core/common/Error.h"
#include "core/train/Continuation.h"
#include "core/train/Trainer.h"

#include <QMetaObject>

namespace factorscope::ui {

// Runs on the worker thread: batches go into the shared buffer, epochs and the end are
// posted to the session's (GUI) thread.
class TrainingSession::Observer : public TrainObserver {
public:
    explicit Observer(TrainingSession* s) : m_session(s) {}
    void onBatch(const BatchStats& b) override {
        std::lock_guard lock(m_session->m_mutex);
        m_session->m_pending.push_back(b);
    }
    void onEpoch(const EpochStats& e) override {
        TrainingSession* s = m_session;
        auto factors = std::make_shared<const Matrix>(model->itemFactors()); // between two batches
        s->m_poster.post([s, e, factors = std::move(factors)] {
            s->drain();
            Q_EMIT s->epochFinished(e);
            Q_EMIT s->embeddingsUpdated(factors);
        });
    }

    const Model* model = nullptr; // set and used on the worker only: the model being trained

private:
    TrainingSession* m_session;
};

Predictions predictValidation(const Model& model, const Dataset& data, const Split& split) {
    Predictions p;
    const auto& rows = split.validation;
    std::vector<int32_t> u(rows.size()), i(rows.size());
    p.actual.resize(rows.size());
    for (std::size_t k = 0; k < rows.size(); ++k) {
        u[k] = data.ratings.user[rows[k]];
        i[k] = data.ratings.item[rows[k]];
        p.actual[k] = data.ratings.rating[rows[k]];
    }
    p.predicted = model.predict(u, i);
    p.baselineRmse = baselineRmse(data, split.train, rows);
    p.actualBins = halfStarHistogram(p.actual);
    p.predictedBins = halfStarHistogram(p.predicted);
    double se = 0;
    for (std::size_t k = 0; k < p.predicted.size(); ++k)
        se += (p.predicted[k] - p.actual[k]) * (p.predicted[k] - p.actual[k]);
    p.rmse = p.predicted.empty() ? 0 : std::sqrt(se / static_cast<double>(p.predicted.size()));
    return p;
}

TrainingSession::TrainingSession(QObject* parent)
    : QObject(parent), m_runStore(QString::fromStdString(RunStore::defaultPath())) {
    registerMetaTypes();
    m_timer.setInterval(33); // ~30 Hz
    connect(&m_timer, &QTimer::timeout, this, &TrainingSession::drain);
}

TrainingSession::~TrainingSession() { stopAndWait(); }

bool TrainingSession::isPaused() const { return m_control && m_control->paused(); }

void TrainingSession::drain() {
    QVector<BatchStats> batch;
    {
        std::lock_guard lock(m_mutex);
        batch.swap(m_pending);
    }
    if (!batch.isEmpty())
        Q_EMIT batchesReady(batch);
}

void TrainingSession::adopt(std::shared_ptr<Model> model, std::shared_ptr<Trainer> trainer,
                            std::shared_ptr<const Dataset> data, const Split& split,
                            std::shared_ptr<const Predictions> predictions) {
    if (m_running)
        return; // the worker owns m_split while it runs
    m_predictions = std::move(predictions);
    m_model = std::move(model);
    m_trainer = std::move(trainer);
    m_data = std::move(data);
    m_split = split;
}

void TrainingSession::forget() {
    if (m_running)
        return;
    m_trainer.reset();
    m_model.reset();
}

bool TrainingSession::continues(const std::shared_ptr<const Dataset>& data, const TrainSpec& spec,
                                std::string* whyNot) const {
    std::string why;
    if (!m_trainer || !m_model)
        why = "there is no trained model";
    else if (data != m_data)
        why = "another data set is loaded";
    else
        why = modelChange(m_model->spec(), spec.model);
    if (whyNot)
        *whyNot = why;
    return why.empty();
}

bool TrainingSession::start(std::shared_ptr<const Dataset> data, const TrainSpec& spec) {
    if (m_running)
        return false;
    if (m_worker.joinable())
        m_worker.join();
    std::shared_ptr<Trainer> previous; // the trainer to continue, if any
    try {
        spec.validate();
        checkDevice(spec.device);
        checkSplitFits(*data, spec.split); // the split itself is made on the worker
        if (continues(data, spec)) {
            previous = m_trainer;
        } else {
            // A new model is built on the worker: at 25 M ratings its 14 M weights take a
            // tenth of a second to initialise. model() and trainer() are null until it is.
            spec.model.validate();
            m_model.reset();
            m_trainer.reset();
        }
        m_data = std::move(data);
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromStdString(e.what()));
        return false;
    }
    m_predictions.reset();
    m_control = std::make_unique<TrainControl>();
    m_observer = std::make_unique<Observer>(this);
    m_running = true;
    m_timer.start();

    // The worker holds its own references, so the session may forget them mid-run. It makes
    // the split (a shuffle of every rating: seconds at 25 M) off the GUI thread, into m_split,
    // which nothing else touches while the session runs.
    Work work{m_data, spec, m_model, previous, m_control.get(), m_observer.get(), m_runStore.toStdString()};
    m_worker = std::thread([this, work = std::move(work)]() mutable { runOnWorker(std::move(work)); });
    return true;
}

// The worker's part of start(): the trainer (a continued one, or a new model's), the split, the
// recorded run, the validation predictions; the outcome is posted to the GUI thread.
void TrainingSession::runOnWorker(Work w) {
    TrainResult result;
    QString error;
    RecordTarget target{w.store, "gui"};
    try {
        // A new model (or the continuing one) lives as long as this run, whatever the GUI holds;
        // the new trainer is handed to the GUI thread before started().
        std::shared_ptr<Trainer> trainer;
        if (w.previous) {
            trainer = continueTraining(*w.previous, w.spec);
        } else {
            w.model = std::make_shared<Model>(w.spec.model, w.data->users.size(), w.data->items.size(), w.spec.seed);
            trainer = std::make_shared<Trainer>(*w.model, w.spec);
        }
        m_poster.post([this, model = w.model, trainer] {
            m_model = model;
            m_trainer = trainer;
        });
        w.observer->model = &trainer->model();
        m_split = makeSplit(*w.data, w.spec.split);
        const auto train = static_cast<qint64>(m_split.train.size());
        const auto validation = static_cast<qint64>(m_split.validation.size());
        const double baseline = baselineRmse(*w.data, m_split.train, m_split.validation);
        m_poster.post(
            [this, spec = w.spec, train, validation, baseline] { Q_EMIT started(spec, train, validation, baseline); });
        result = trainRecorded(target, *trainer, *w.data, m_split, w.observer, w.control, [&](const TrainResult&) {
            // Before the GUI hears of the end, so the predictions tab never predicts on it.
            m_predictions = std::make_shared<const Predictions>(predictValidation(trainer->model(), *w.data, m_split));
            return std::string();
        });
    } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
    }
    const qint64 runId = target.runId;
    m_poster.post([this, result, error, runId] {
        m_timer.stop();
        drain();
        m_running = false;
        if (error.isEmpty())
            Q_EMIT finished(result);
        else
            Q_EMIT failed(error);
        if (runId > 0)
            Q_EMIT runRecorded(runId);
    });
}

void TrainingSession::pause() {
    if (m_running && m_control && !m_control->paused()) {
        m_control->setPaused(true);
        Q_EMIT pausedChanged(true);
    }
}

void TrainingSession::resume() {
    if (m_control && m_control->paused()) {
        m_control->setPaused(false);
        Q_EMIT pausedChanged(false);
    }
}

void TrainingSession::stop() {
    if (m_control) {
        m_control->requestStop();
        if (m_control->paused())
            resume();
    }
}

void TrainingSession::setLearningRate(double lr) {
    if (m_control)
        m_control->setLearningRate(lr);
}

void TrainingSession::clearLearningRate() {
    if (m_control)
        m_control->clearLearningRate();
}

void TrainingSession::stopAndWait() {
    stop();
    if (m_worker.joinable())
        m_worker.join();
    m_timer.stop();
    // The worker's final post is still queued; the session may be going away, so
    // settle the state here instead.
    m_running = false;
}

} // namespace factorscope::ui
