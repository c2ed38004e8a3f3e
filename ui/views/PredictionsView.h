#pragma once
// After training: how predicted ratings are distributed against the actual ones on the
// validation ratings (seed 001), and the model against the mean-rating baseline.
#include <QWidget>

#include <vector>

class QLabel;

namespace fs::ui {

class BarChart;

class PredictionsView : public QWidget {
    Q_OBJECT
public:
    explicit PredictionsView(QWidget* parent = nullptr);
    void setResults(const std::vector<float>& predicted, const std::vector<float>& actual, double baselineRmse);
    void clear();
    BarChart* chart() const { return m_chart; }
    double modelRmse() const { return m_rmse; }

    // Counts per half-star bin from 0.5 to 5.5 (values are rounded to the nearest half).
    static QVector<double> histogram(const std::vector<float>& values);

private:
    BarChart* m_chart;
    QLabel* m_summary;
    double m_rmse = 0;
};

} // namespace fs::ui
