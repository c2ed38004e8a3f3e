#pragma once
// Grouped bars over categories: histograms, component bars. Includes QtCharts only in its .cpp.
#include <QColor>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QChart;
class QChartView;
class QAbstractBarSeries;
class QBarCategoryAxis;
class QValueAxis;

namespace factorscope::ui {

class BarChart : public QWidget {
    Q_OBJECT
public:
    // Horizontal bars put long category names (movie titles) beside the bars.
    BarChart(const QString& title, const QString& xTitle, const QString& yTitle, QWidget* parent = nullptr,
             Qt::Orientation orientation = Qt::Vertical);
    void setTitle(const QString& title);
    void setCategories(const QStringList& categories);
    int addSet(const QString& name, const QColor& color);
    void setValues(int set, const QVector<double>& values);
    QVector<double> values(int set) const;
    void setLegendVisible(bool on);
    void setValueFormat(const QString& printfFormat); // the value axis' labels; default "%.0f"
    bool exportImage(const QString& path);
    QChartView* view() const { return m_view; }

private:
    void refit();
    QChart* m_chart;
    QChartView* m_view;
    QAbstractBarSeries* m_series;
    QBarCategoryAxis* m_x;
    QValueAxis* m_y;
};

} // namespace factorscope::ui
