#pragma once
// After training: how predicted ratings are distributed against the actual ones on the
// validation ratings, and the model against the mean-rating baseline.
#include <QWidget>

#include <vector>

class QLabel;

namespace factorscope::ui {

class BarChart;

class PredictionsView : public QWidget {
    Q_OBJECT
public:
    explicit PredictionsView(QWidget* parent = nullptr);
    // The validation ratings' and predictions' half-star histograms (halfStarHistogram) and RMSE.
    void setResults(const std::vector<double>& actualBins, const std::vector<double>& predictedBins, double rmse,
                    double baselineRmse, std::size_t count);
    void clear();
    BarChart* chart() const { return m_chart; }
    double modelRmse() const { return m_rmse; }

    // Counts per half-star bin from 0.5 to 5.5 (values are rounded to the nearest half).

private:
    BarChart* m_chart;
    QLabel* m_summary;
    double m_rmse = 0;
};

} // namespace factorscope::ui
