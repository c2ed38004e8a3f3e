#include "ui/views/PredictionsView.h"

#include "core/analysis/DataViews.h"
#include "core/analysis/Neighbours.h"

#include "ui/charts/BarChart.h"
#include "ui/charts/LineChart.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <cmath>

namespace factorscope::ui {

namespace {
constexpr int kBins = kHalfStarBins; // 0.5, 1.0, ..., 5.5
}

PredictionsView::PredictionsView(QWidget* parent) : QWidget(parent) {
    m_chart = new BarChart(tr("Predicted and actual ratings on the validation set"), tr("Rating (stars)"),
                           tr("Number of ratings"));
    QStringList cats;
    for (int b = 0; b < kBins; ++b)
        cats << QString::number(0.5 + 0.5 * b, 'f', 1);
    m_chart->setCategories(cats);
    m_chart->addSet(tr("actual"), QColor(0x7f, 0x7f, 0x7f));
    m_chart->addSet(tr("predicted (rounded to ½ star)"), QColor(0x1f, 0x77, 0xb4));
    m_summary = new QLabel(tr("Train a model to compare its predictions with the actual ratings."));
    m_summary->setWordWrap(true);
    QFont f = m_summary->font();
    f.setPointSizeF(f.pointSizeF() * 1.15);
    m_summary->setFont(f);
    m_norms = new LineChart(tr("Embedding length against popularity"), tr("Ratings of the movie (log scale)"),
                            tr("Length of its embedding"));
    m_norms->addSeries(tr("movies"), QColor(0x1f, 0x77, 0xb4), LineChart::Style::Markers);
    m_norms->setLogX(true);
    m_normCaption = new QLabel;
    m_normCaption->setWordWrap(true);
    auto* normColumn = new QVBoxLayout;
    normColumn->addWidget(m_norms, 1);
    normColumn->addWidget(m_normCaption);
    auto* charts = new QHBoxLayout;
    charts->addWidget(m_chart, 3);
    charts->addLayout(normColumn, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addLayout(charts, 1);
}

void PredictionsView::setItemNorms(const std::vector<int64_t>& counts, const Matrix& factors) {
    if (static_cast<int64_t>(counts.size()) != factors.rows)
        return;
    const std::vector<float> norms = rowNorms(factors);
    QVector<QPointF> pts;
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (std::size_t r = 0; r < norms.size(); ++r) {
        const auto count = counts[r];
        if (count < 1)
            continue; // nothing on a log axis, nothing learned
        const double x = std::log10(double(count)), y = norms[r];
        pts.push_back(QPointF(double(count), y));
        sx += x;
        sy += y;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
    }
    m_norms->setPoints(0, pts);
    const double n = pts.size();
    const double cov = sxy / n - sx / n * sy / n, vx = sxx / n - sx / n * sx / n, vy = syy / n - sy / n * sy / n;
    m_normCorrelation = vx > 0 && vy > 0 ? cov / std::sqrt(vx * vy) : 0;
    m_normCaption->setText(
        tr("Correlation of length with log popularity: %1. A prediction is a dot product, which grows with the "
           "embedding's length, so long embeddings lift a movie for every user. Rarely rated movies get few "
           "updates: their lengths show the initial spread and what the weight decay left of it.")
            .arg(m_normCorrelation, 0, 'f', 2));
}

void PredictionsView::setResults(const std::vector<double>& actualBins, const std::vector<double>& predictedBins,
                                 double rmse, double baselineRmse, std::size_t count) {
    m_chart->setValues(0, QVector<double>(actualBins.begin(), actualBins.end()));
    m_chart->setValues(1, QVector<double>(predictedBins.begin(), predictedBins.end()));
    m_rmse = rmse;
    const double gain = baselineRmse > 0 ? 100.0 * (baselineRmse - m_rmse) / baselineRmse : 0;
    m_summary->setText(tr("<b>Model RMSE %1</b> against <b>%2</b> for always predicting the mean rating: "
                          "%3% %4 on %5 validation ratings.")
                           .arg(m_rmse, 0, 'f', 4)
                           .arg(baselineRmse, 0, 'f', 4)
                           .arg(std::abs(gain), 0, 'f', 1)
                           .arg(gain >= 0 ? tr("lower") : tr("higher"))
                           .arg(count));
}

void PredictionsView::clear() {
    m_chart->setValues(0, QVector<double>(kBins, 0.0));
    m_chart->setValues(1, QVector<double>(kBins, 0.0));
    m_summary->setText(tr("Train a model to compare its predictions with the actual ratings."));
    m_norms->setPoints(0, {});
    m_normCaption->clear();
}

} // namespace factorscope::ui
