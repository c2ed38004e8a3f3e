#pragma once
// Before training: the configured schedule's learning rate (and one-cycle momentum) against
// the iteration, redrawn as parameters change, and the
// LR range test's loss against learning rate with the suggestion marked (fastai's lr_find).
#include "core/train/LrFinder.h"
#include "core/train/TrainSpec.h"
#include "ui/session/MetaTypes.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace factorscope::ui {

class LineChart;

class ScheduleView : public QWidget {
    Q_OBJECT
public:
    explicit ScheduleView(QWidget* parent = nullptr);
    void setSpec(const TrainSpec& spec, std::size_t trainRatings);
    void lrFindStarted();
    void addLrPoint(double lr, double loss);
    void lrFindFinished(const LrFindResult& result);
    void lrFindFailed(const QString& message);
    int previewPointCount() const;
    double suggestedLr() const { return m_suggested; }
    QList<LineChart*> charts() const;

Q_SIGNALS:
    void findRequested();
    void cancelRequested();
    void useLearningRate(double lr);

private:
    LineChart* m_schedule;
    LineChart* m_finder;
    int m_lrSeries = 0, m_momSeries = 0, m_lossSeries = 0, m_suggestSeries = 0;
    QPushButton* m_find;
    QPushButton* m_use;
    QLabel* m_info;
    QLabel* m_finderInfo;
    double m_suggested = 0;
    bool m_running = false;
};

} // namespace factorscope::ui
