#pragma once
// A line chart for live data: named series fed from buffers, redrawn on a timer with
// replace() (no animations), decimated for display, log-y toggle, zoom and pan, export to
// PNG/SVG. One of the two classes that include QtCharts (deprecated from Qt 6.10), so the
// backend stays swappable.
#include <QColor>
#include <QPointF>
#include <QTimer>
#include <QVector>
#include <QWidget>

class QChart;
class QChartView;
class QAbstractAxis;
class QXYSeries;
class QValueAxis;

namespace factorscope::ui {

class LineChart : public QWidget {
    Q_OBJECT
public:
    LineChart(const QString& title, const QString& xTitle, const QString& yTitle, QWidget* parent = nullptr);

    enum class Style { Line, Dashed, Faint, Markers };
    int addSeries(const QString& name, const QColor& color, Style style = Style::Line, bool rightAxis = false);
    void setRightAxisTitle(const QString& title);
    void setTitles(const QString& title, const QString& yTitle); // the chart's and its left axis's
    void setPointsVisible(int series, bool on);                  // a dot at each point (epoch series)

    void setPoints(int series, QVector<QPointF> points);
    void appendPoints(int series, const QVector<QPointF>& points);
    const QVector<QPointF>& points(int series) const { return m_data.at(series); }
    int displayedPointCount(int series) const;
    void clear();

    void setLogY(bool on);
    bool logY() const { return m_logY; }
    void setLogX(bool on);
    void setXRange(double min, double max); // fixed x range (else fitted to the data)
    void resetZoom();

    // PNG or SVG by the file's suffix; false when the file cannot be written.
    bool exportImage(const QString& path);
    QChartView* view() const { return m_view; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void scheduleRedraw();
    void redraw();
    void rebuildAxes();
    void placeTicks(QValueAxis* axis, double lo, double hi, Qt::Orientation along, double room = 0);

    QChart* m_chart;
    QChartView* m_view;
    QVector<QXYSeries*> m_series;
    QVector<QVector<QPointF>> m_data;
    QVector<bool> m_right;
    QAbstractAxis* m_x = nullptr;
    QAbstractAxis* m_y = nullptr;
    QValueAxis* m_y2 = nullptr;
    QString m_xTitle, m_yTitle, m_y2Title;
    bool m_logY = false;
    bool m_logX = false;
    bool m_zoomed = false;
    double m_fixedXMin = 0, m_fixedXMax = -1;
    QTimer m_redraw;
};

} // namespace factorscope::ui
