#pragma once
// After training: how predicted ratings are distributed against the actual ones on the
// validation ratings, the model against the mean-rating baseline, and each movie's embedding
// length against how often it was rated.
#include "core/model/Model.h"

#include <QWidget>

#include <vector>

class QLabel;

namespace factorscope::ui {

class BarChart;
class LineChart;

class PredictionsView : public QWidget {
    Q_OBJECT
public:
    explicit PredictionsView(QWidget* parent = nullptr);
    // The validation ratings' and predictions' half-star histograms (halfStarHistogram) and RMSE.
    void setResults(const std::vector<double>& actualBins, const std::vector<double>& predictedBins, double rmse,
                    double baselineRmse, std::size_t count);
    // The length (L2 norm) of each movie's embedding against its number of training ratings.
    void setItemNorms(const std::vector<int64_t>& ratingCounts, const Matrix& itemFactors);
    void clear();
    BarChart* chart() const { return m_chart; }
    LineChart* normChart() const { return m_norms; }
    double normPopularityCorrelation() const { return m_normCorrelation; }
    double modelRmse() const { return m_rmse; }

private:
    BarChart* m_chart;
    LineChart* m_norms;
    QLabel* m_normCaption;
    QLabel* m_summary;
    double m_normCorrelation = 0;
    double m_rmse = 0;
};

} // namespace factorscope::ui
