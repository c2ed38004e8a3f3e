#pragma once
// Background jobs besides training: loading a data set and the LR range test. Each runs on
// a worker thread and reports through queued signals.
#include "core/data/Dataset.h"
#include "core/data/Split.h"
#include "core/train/LrFinder.h"
#include "ui/session/MetaTypes.h"
#include "ui/session/WorkerTask.h"

#include <QObject>
#include <QString>

#include <memory>

namespace factorscope::ui {

class DatasetLoadJob : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    // `ownRatings`: a file of your own ratings to include (core/io/OwnRatings.h) when it exists.
    void start(const QString& path, const LoadOptions& options = {}, const QString& ownRatings = {});
    bool isRunning() const { return m_task.isRunning(); }
    void wait() { m_task.wait(); }

Q_SIGNALS:
    // The summary and what the views show are made on the worker too: at 25 M ratings each
    // pass over the ratings takes a noticeable moment.
    void loaded(std::shared_ptr<const factorscope::Dataset> data, const factorscope::DatasetSummary& summary,
                const QString& path, std::shared_ptr<const factorscope::DataDigest> digest);
    void failed(const QString& message, const QString& path);

private:
    struct Outcome {
        std::shared_ptr<const Dataset> data;
        DatasetSummary summary;
        std::shared_ptr<const DataDigest> digest;
        QString error;
    };
    WorkerTask<Outcome> m_task;
};

class LrFindJob : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~LrFindJob() override; // cancels and waits
    void start(std::shared_ptr<const Dataset> data, const TrainSpec& spec, const LrFindSpec& find = {});
    bool isRunning() const { return m_task.isRunning(); }
    void cancel();

Q_SIGNALS:
    void point(double lr, double loss);
    void finished(const factorscope::LrFindResult& result);
    void failed(const QString& message);

private:
    struct Outcome {
        LrFindResult result;
        QString error;
    };
    std::shared_ptr<class TrainControlHolder> m_control;
    WorkerTask<Outcome> m_task; // last: destroyed (waited for) first
};

} // namespace factorscope::ui
