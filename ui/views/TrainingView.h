#pragma once
// The live training dashboard: batch loss (raw and smoothed), train/validation loss per epoch,
// validation RMSE against the mean-rating baseline beside validation nDCG@K (right axis) with
// the best epoch marked, learning rate (and momentum) per batch, and an epoch table. Runs
// judged by ranking alone (BPR, the closed-form rankers) mark their best epoch by nDCG.
#include "core/train/TrainSpec.h"
#include "ui/session/MetaTypes.h"

#include <QVector>
#include <QWidget>

class QCheckBox;
class QLabel;
class QSlider;
class QTableWidget;

namespace factorscope::ui {

class LineChart;

class TrainingView : public QWidget {
    Q_OBJECT
public:
    explicit TrainingView(QWidget* parent = nullptr);

    // A new run (or a continued one: history holds the epochs so far).
    void begin(const std::vector<EpochStats>& history, double baselineRmse, int64_t batchesPerEpoch);
    void addBatches(const QVector<BatchStats>& batches);
    void addEpoch(const EpochStats& epoch);
    void finish(const TrainResult& result);
    void showHistory(const std::vector<EpochStats>& history);
    // What the run is judged by: K of the nDCG measured each epoch (0: none) and whether by
    // ranking alone. Call before begin().
    void setRanking(int k, bool ranksOnly);

    void setLogY(bool on);
    void setSmoothing(double weight); // 0..0.999
    double smoothing() const;
    int batchPointCount() const;
    int epochCount() const;

    // Each chart as NAME.png and NAME.svg in dir; false when a file cannot be written.
    bool exportCharts(const QString& dir);
    // One row per epoch.
    bool exportCsv(const QString& path) const;
    QList<LineChart*> charts() const;

private:
    void refreshSmoothed();
    void markBest();

    LineChart* m_batchLoss;
    LineChart* m_epochLoss;
    LineChart* m_rmse;
    LineChart* m_lr;
    int m_raw = 0, m_smooth = 0, m_trainEpoch = 0, m_valEpoch = 0, m_valRmse = 0, m_baseline = 0, m_best = 0,
        m_ndcg = 0, m_lrSeries = 0, m_momentum = 0;
    // Rankers have no RMSE: their nDCG takes the RMSE line's place on the left axis (a chart's
    // legend gives each series an equal share of its width, so no series is added for it).
    int ndcgSeries() const { return m_ranksOnly ? m_valRmse : m_ndcg; }
    int m_rankK = 0;
    bool m_ranksOnly = false;
    QSlider* m_smoothing;
    QLabel* m_smoothingLabel;
    QCheckBox* m_logY;
    QTableWidget* m_table;
    QVector<double> m_rawLoss;
    int64_t m_batchesPerEpoch = 1;
    double m_baselineRmse = 0;
    std::vector<EpochStats> m_epochs;
};

} // namespace factorscope::ui
