#include "ui/views/PredictionsView.h"

#include "core/analysis/DataViews.h"

#include "ui/charts/BarChart.h"

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
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_chart, 1);
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
}

} // namespace factorscope::ui
