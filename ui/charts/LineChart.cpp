#include "ui/charts/LineChart.h"

#include "ui/charts/ChartExport.h"
#include "ui/charts/SeriesMath.h"

#include <QApplication>
#include <QKeyEvent>
#include <QPainter>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <QFontMetricsF>

#include <cmath>
#include <limits>

namespace factorscope::ui {

namespace {
bool darkPalette() { return QApplication::palette().color(QPalette::Window).lightness() < 128; }
} // namespace

LineChart::LineChart(const QString& title, const QString& xTitle, const QString& yTitle, QWidget* parent)
    : QWidget(parent), m_chart(new QChart), m_xTitle(xTitle), m_yTitle(yTitle) {
    m_chart->setTitle(title);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setTheme(darkPalette() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    QFont legendFont = m_chart->legend()->font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.9);
    m_chart->legend()->setFont(legendFont);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    QFont titleFont = m_chart->titleFont();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    m_chart->setTitleFont(titleFont);
    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setRubberBand(QChartView::RectangleRubberBand);
    m_view->setToolTip(tr("Drag to zoom, wheel to zoom, arrow keys to pan, double-click or Home to reset"));
    m_view->viewport()->installEventFilter(this);
    m_view->installEventFilter(this);
    m_view->setMinimumSize(260, 200);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    m_redraw.setSingleShot(true);
    m_redraw.setInterval(40);
    connect(&m_redraw, &QTimer::timeout, this, &LineChart::redraw);
    rebuildAxes();
}

int LineChart::addSeries(const QString& name, const QColor& color, Style style, bool rightAxis) {
    QXYSeries* s = nullptr;
    if (style == Style::Markers) {
        auto* sc = new QScatterSeries;
        sc->setMarkerSize(11);
        sc->setColor(color);
        sc->setBorderColor(darkPalette() ? Qt::white : Qt::black);
        s = sc;
    } else {
        auto* l = new QLineSeries;
        QPen pen(color);
        pen.setWidthF(style == Style::Faint ? 1.0 : 2.0);
        if (style == Style::Dashed)
            pen.setStyle(Qt::DashLine);
        if (style == Style::Faint) {
            QColor c = color;
            c.setAlphaF(0.35);
            pen.setColor(c);
        }
        l->setPen(pen);
        s = l;
    }
    s->setName(name);
    m_chart->addSeries(s);
    m_series.push_back(s);
    m_data.push_back({});
    m_right.push_back(rightAxis);
    rebuildAxes();
    return m_series.size() - 1;
}

void LineChart::setPointsVisible(int series, bool on) { m_series.at(series)->setPointsVisible(on); }

void LineChart::setTitles(const QString& title, const QString& yTitle) {
    m_chart->setTitle(title);
    if (yTitle == m_yTitle)
        return;
    m_yTitle = yTitle;
    rebuildAxes();
}

void LineChart::setRightAxisTitle(const QString& title) {
    if (title == m_y2Title)
        return; // rebuilding the axes costs the GUI thread milliseconds: only on a change
    m_y2Title = title;
    rebuildAxes();
}

void LineChart::rebuildAxes() {
    for (QAbstractAxis* a : m_chart->axes())
        m_chart->removeAxis(a), delete a;
    auto makeAxis = [](bool log, const QString& title, int base) -> QAbstractAxis* {
        if (log) {
            auto* a = new QLogValueAxis;
            a->setBase(base);
            a->setLabelFormat(QStringLiteral("%.0e"));
            a->setMinorTickCount(-1);
            a->setTitleText(title);
            return a;
        }
        auto* a = new QValueAxis;
        a->setTitleText(title);
        a->setLabelFormat(QStringLiteral("%.3g"));
        a->setTickCount(6);
        return a;
    };
    m_x = makeAxis(m_logX, m_xTitle, 10);
    m_y = makeAxis(m_logY, m_yTitle, 10);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    m_y2 = nullptr;
    if (m_right.contains(true)) {
        m_y2 = new QValueAxis;
        m_y2->setTitleText(m_y2Title);
        m_y2->setLabelFormat(QStringLiteral("%.3g"));
        m_chart->addAxis(m_y2, Qt::AlignRight);
    }
    for (int k = 0; k < m_series.size(); ++k) {
        m_series[k]->attachAxis(m_x);
        m_series[k]->attachAxis(m_right[k] && m_y2 ? static_cast<QAbstractAxis*>(m_y2) : m_y);
    }
    m_zoomed = false;
    scheduleRedraw();
}

void LineChart::setPoints(int series, QVector<QPointF> points) {
    m_data[series] = std::move(points);
    scheduleRedraw();
}

void LineChart::appendPoints(int series, const QVector<QPointF>& points) {
    m_data[series] += points;
    scheduleRedraw();
}

int LineChart::displayedPointCount(int series) const { return m_series.at(series)->count(); }

void LineChart::clear() {
    for (auto& d : m_data)
        d.clear();
    m_zoomed = false;
    scheduleRedraw();
}

void LineChart::setLogY(bool on) {
    if (on == m_logY)
        return;
    m_logY = on;
    rebuildAxes();
}

void LineChart::setLogX(bool on) {
    if (on == m_logX)
        return;
    m_logX = on;
    rebuildAxes();
}

void LineChart::setXRange(double min, double max) {
    m_fixedXMin = min;
    m_fixedXMax = max;
    scheduleRedraw();
}

void LineChart::resetZoom() {
    m_zoomed = false;
    m_chart->zoomReset();
    redraw();
}

void LineChart::scheduleRedraw() {
    if (!m_redraw.isActive())
        m_redraw.start();
}

void LineChart::redraw() {
    const int buckets = std::max(200, m_view->width());
    double xmin = std::numeric_limits<double>::infinity(), xmax = -xmin;
    double ymin = xmin, ymax = -xmin, y2min = xmin, y2max = -xmin;
    for (int k = 0; k < m_series.size(); ++k) {
        QVector<QPointF> pts;
        pts.reserve(m_data[k].size());
        for (const QPointF& p : m_data[k]) {
            if (!std::isfinite(p.x()) || !std::isfinite(p.y()))
                continue;
            if ((m_logY && !m_right[k] && p.y() <= 0) || (m_logX && p.x() <= 0))
                continue;
            pts.push_back(p);
            xmin = std::min(xmin, p.x());
            xmax = std::max(xmax, p.x());
            if (m_right[k]) {
                y2min = std::min(y2min, p.y());
                y2max = std::max(y2max, p.y());
            } else {
                ymin = std::min(ymin, p.y());
                ymax = std::max(ymax, p.y());
            }
        }
        m_series[k]->replace(qobject_cast<QScatterSeries*>(m_series[k]) ? pts : decimateMinMax(pts, buckets));
        // The legend names only the series that have points (no "validation" for a loss
        // without one, no momentum where the optimiser has none).
        for (QLegendMarker* marker : m_chart->legend()->markers(m_series[k]))
            marker->setVisible(!pts.isEmpty());
    }
    if (m_zoomed)
        return;
    if (m_fixedXMax > m_fixedXMin) {
        xmin = m_fixedXMin;
        xmax = m_fixedXMax;
    }
    auto pad = [](double& lo, double& hi, bool log) {
        if (!std::isfinite(lo)) {
            lo = log ? 0.1 : 0;
            hi = 1;
        } else if (hi - lo <= 1e-9 * std::max(std::abs(lo), std::abs(hi))) {
            // Equal, or a few ulps apart (two nearly equal learning rates): a span that narrow
            // has no ticks Qt can step through (lo + step == lo), so it widens like one value.
            const double d = log ? lo * 0.5 : std::max(1e-9, std::abs(lo) * 0.05 + 1e-3);
            lo -= d;
            hi += log ? hi : d;
        } else if (log) {
            lo /= 1.3;
            hi *= 1.3;
        } else {
            const double d = (hi - lo) * 0.05;
            lo -= d;
            hi += d;
        }
    };
    // Quantities that cannot be negative (losses, rates) keep a floor at zero.
    const bool yNonNegative = !std::isfinite(ymin) || ymin >= 0;
    if (!std::isfinite(xmin) && !m_logX) {
        xmin = 0; // nothing to show yet
        xmax = 1;
    } else if (xmax <= xmin && !m_logX) {
        xmin -= 1; // one point (the first epoch): centre it
        xmax += 1;
    }
    if (m_logX) {
        pad(xmin, xmax, true);
        m_x->setRange(xmin, xmax);
    } else if (auto* vx = qobject_cast<QValueAxis*>(m_x)) {
        // Ticks at round values from 0 (epochs 1, 2, 3...), and a little room at both ends so
        // that markers on the first and last points are not cut in half.
        const double room = (xmax - xmin) * 0.02;
        placeTicks(vx, xmin, xmax, Qt::Horizontal, room);
    }
    pad(ymin, ymax, m_logY);
    if (yNonNegative && !m_logY)
        ymin = std::max(0.0, ymin);
    if (auto* v = qobject_cast<QValueAxis*>(m_y))
        placeTicks(v, ymin, ymax, Qt::Vertical);
    else
        m_y->setRange(ymin, ymax);
    if (m_y2) {
        // The right axis shows only while a series on it has points (a rate's momentum, a run's
        // nDCG): an empty scale beside the plot would only puzzle.
        const bool rightData = y2min <= y2max;
        m_y2->setVisible(rightData);
        if (rightData) {
            pad(y2min, y2max, false);
            placeTicks(m_y2, y2min, y2max, Qt::Vertical);
        }
    }
}

// The axis shows [lo - room, hi + room] with round ticks (0, 2, 4...; 0.2, 0.4...), as many as
// the axis's length in pixels has room for, labelled with the decimals the step needs: at 1.7
// epochs on a narrow chart, 0.5 apart rather than 0.2; early in the first epoch 0.002 apart,
// labelled 0.002, 0.004 rather than 0....
void LineChart::placeTicks(QValueAxis* axis, double lo, double hi, Qt::Orientation along, double room) {
    const QFontMetricsF metrics(axis->labelsFont());
    const QRectF plot = m_chart->plotArea();
    const double length = along == Qt::Horizontal ? (plot.width() > 10 ? plot.width() : 0.8 * width())
                                                  : (plot.height() > 10 ? plot.height() : 0.7 * height());
    auto labelSize = [&](const QString& format) { // along the axis: a label's width, or its height
        if (along == Qt::Vertical) // a line's height and as much again (0.75 of it elided "0.0..." labels)
            return metrics.height();
        const QByteArray f = format.toLatin1();
        return std::max(metrics.horizontalAdvance(QString::asprintf(f.constData(), lo)),
                        metrics.horizontalAdvance(QString::asprintf(f.constData(), hi)));
    };
    AxisTicks ticks = axisTicks(lo, hi, length, labelSize(QStringLiteral("%.3g")));
    ticks = axisTicks(lo, hi, length, labelSize(ticks.format)); // again, with the labels it chose
    // Qt Charts walks dynamic ticks from the anchor one interval at a time, making a label for
    // each: a range it cannot walk in a few dozen steps (not finite, or far from the anchor in
    // units of the interval) gets a fixed handful of ticks instead, never an unbounded walk.
    const double far = std::max(std::abs(lo - room), std::abs(hi + room)) / ticks.step;
    if (!std::isfinite(lo) || !std::isfinite(hi) || !(ticks.step > 0) || (hi - lo) / ticks.step > 100 || !(far < 1e9)) {
        axis->setTickType(QValueAxis::TicksFixed);
        axis->setTickCount(6);
        axis->setRange(std::isfinite(lo) ? lo - room : 0, std::isfinite(hi) && hi > lo ? hi + room : 1);
        return;
    }
    // Each setter lays the axis out again, a label item per tick: the new range under the last
    // range's interval could mean thousands (0.82-0.91 at 0.0001 apart took 75 ms). So the
    // range changes under a fixed handful of ticks, and the interval follows; the setters under
    // fixed ticks lay out a handful of labels, so this costs one real layout (measured: setting
    // only what changed, under dynamic ticks, stalled the demo run's end 10 ms longer).
    axis->setTickType(QValueAxis::TicksFixed);
    axis->setRange(lo - room, hi + room);
    axis->setTickAnchor(0);
    axis->setTickInterval(ticks.step);
    axis->setLabelFormat(ticks.format);
    axis->setTickType(QValueAxis::TicksDynamic);
}

bool LineChart::eventFilter(QObject* watched, QEvent* event) {
    switch (event->type()) {
    case QEvent::Wheel: {
        auto* w = static_cast<QWheelEvent*>(event);
        m_zoomed = true;
        m_chart->zoom(w->angleDelta().y() > 0 ? 1.25 : 0.8);
        return true;
    }
    case QEvent::MouseButtonRelease:
        m_zoomed = true; // the rubber band zoomed in, or a right click zoomed out
        break;
    case QEvent::MouseButtonDblClick:
        resetZoom();
        return true;
    case QEvent::Resize: // the ticks that fit depend on the axes' length
        if (watched == m_view)
            scheduleRedraw();
        break;
    case QEvent::KeyPress: {
        auto* k = static_cast<QKeyEvent*>(event);
        const qreal step = 20;
        switch (k->key()) {
        case Qt::Key_Left:
            m_chart->scroll(-step, 0);
            break;
        case Qt::Key_Right:
            m_chart->scroll(step, 0);
            break;
        case Qt::Key_Up:
            m_chart->scroll(0, step);
            break;
        case Qt::Key_Down:
            m_chart->scroll(0, -step);
            break;
        case Qt::Key_Home:
            resetZoom();
            return true;
        default:
            return QWidget::eventFilter(watched, event);
        }
        m_zoomed = true;
        return true;
    }
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

bool LineChart::exportImage(const QString& path) {
    redraw();
    return exportChartView(m_view, path);
}

} // namespace factorscope::ui
