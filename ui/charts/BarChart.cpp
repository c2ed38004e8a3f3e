#include "ui/charts/BarChart.h"

#include "ui/charts/ChartExport.h"

#include <QApplication>
#include <QVBoxLayout>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QHorizontalBarSeries>
#include <QtCharts/QValueAxis>

namespace factorscope::ui {

BarChart::BarChart(const QString& title, const QString& xTitle, const QString& yTitle, QWidget* parent,
                   Qt::Orientation orientation)
    : QWidget(parent), m_chart(new QChart),
      m_series(orientation == Qt::Vertical ? static_cast<QAbstractBarSeries*>(new QBarSeries)
                                           : static_cast<QAbstractBarSeries*>(new QHorizontalBarSeries)),
      m_x(new QBarCategoryAxis), m_y(new QValueAxis) {
    const bool dark = QApplication::palette().color(QPalette::Window).lightness() < 128;
    m_chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    QFont f = m_chart->titleFont();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.1);
    m_chart->setTitleFont(f);
    m_chart->setTitle(title);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->addSeries(m_series);
    m_x->setTitleText(xTitle);
    m_y->setTitleText(yTitle);
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    m_y->setTickCount(6);
    const bool vertical = orientation == Qt::Vertical;
    m_chart->addAxis(m_x, vertical ? Qt::AlignBottom : Qt::AlignLeft);
    m_chart->addAxis(m_y, vertical ? Qt::AlignLeft : Qt::AlignBottom);
    m_series->attachAxis(m_x);
    m_series->attachAxis(m_y);
    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumSize(200, 180);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

void BarChart::setTitle(const QString& title) { m_chart->setTitle(title); }

void BarChart::setCategories(const QStringList& categories) {
    m_x->clear();
    m_x->append(categories);
}

int BarChart::addSet(const QString& name, const QColor& color) {
    auto* set = new QBarSet(name);
    set->setColor(color);
    set->setBorderColor(color.darker(130));
    m_series->append(set);
    return m_series->count() - 1;
}

void BarChart::setValues(int set, const QVector<double>& values) {
    QBarSet* s = m_series->barSets().at(set);
    s->remove(0, s->count());
    for (double v : values)
        s->append(v);
    refit();
}

QVector<double> BarChart::values(int set) const {
    QVector<double> out;
    const QBarSet* s = m_series->barSets().at(set);
    for (int k = 0; k < s->count(); ++k)
        out.push_back(s->at(k));
    return out;
}

void BarChart::setLegendVisible(bool on) { m_chart->legend()->setVisible(on); }
void BarChart::setValueFormat(const QString& format) { m_y->setLabelFormat(format); }

void BarChart::refit() {
    double lo = 0, hi = 0;
    for (const QBarSet* s : m_series->barSets())
        for (int k = 0; k < s->count(); ++k) {
            lo = std::min(lo, s->at(k));
            hi = std::max(hi, s->at(k));
        }
    if (hi <= lo)
        hi = lo + 1;
    const double pad = (hi - lo) * 0.08;
    m_y->setRange(lo < 0 ? lo - pad : 0, hi + pad);
    m_y->applyNiceNumbers();
}

bool BarChart::exportImage(const QString& path) { return exportChartView(m_view, path); }

} // namespace factorscope::ui
