#include "ui/views/MapWidget.h"

#include <QMouseEvent>
#include <QPainter>
#include <QSvgGenerator>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace factorscope::ui {

namespace {
constexpr int kMargin = 46;
}

MapWidget::MapWidget(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setMinimumSize(360, 320);
    setToolTip(tr("Each dot is a movie. Hover for its title, click to select, wheel to zoom, drag to pan, "
                  "double-click to reset"));
}

QColor MapWidget::groupColour(int group) {
    static const QColor colours[] = {{0x1f, 0x77, 0xb4}, {0xff, 0x7f, 0x0e}, {0x2c, 0xa0, 0x2c}, {0xd6, 0x27, 0x28},
                                     {0x94, 0x67, 0xbd}, {0x8c, 0x56, 0x4b}, {0xe3, 0x77, 0xc2}, {0x17, 0xbe, 0xcf},
                                     {0xbc, 0xbd, 0x22}, {0x39, 0x3b, 0x79}, {0xad, 0x49, 0x4a}, {0x63, 0x79, 0x39},
                                     {0x7b, 0x41, 0x73}, {0x31, 0x82, 0xbd}, {0xe6, 0x55, 0x0d}, {0x31, 0xa3, 0x54},
                                     {0x75, 0x6b, 0xb1}, {0x63, 0x63, 0x63}, {0xbd, 0x9e, 0x39}, {0x84, 0x3c, 0x39}};
    if (group < 0)
        return QColor(0x90, 0x90, 0x90);
    return colours[group % 20];
}

QColor MapWidget::colourOf(int group) const {
    if (!m_ordered || group < 0)
        return groupColour(group);
    // Ordered groups (bins of a number): viridis from dark to light, readable in grey and by
    // colour-blind readers.
    static const QColor viridis[] = {
        {0x44, 0x01, 0x54}, {0x3b, 0x52, 0x8b}, {0x21, 0x91, 0x8c}, {0x5e, 0xc9, 0x62}, {0xfd, 0xe7, 0x25}};
    const auto n = static_cast<int>(m_groups.size());
    const int at = n <= 1 ? 0 : static_cast<int>(std::lround(4.0 * group / (n - 1)));
    return viridis[std::clamp(at, 0, 4)];
}

void MapWidget::setPoints(QVector<Point> points, const QStringList& groups, bool ordered) {
    m_points = std::move(points);
    m_groups = groups;
    m_ordered = ordered;
    if (!m_userMoved) // follow the projection as it grows during training
        resetView();
    update();
}

void MapWidget::resetView() {
    if (m_points.isEmpty()) {
        m_bounds = QRectF(-1, -1, 2, 2);
    } else {
        double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
        for (const Point& p : m_points) {
            x0 = std::min(x0, p.pos.x());
            x1 = std::max(x1, p.pos.x());
            y0 = std::min(y0, p.pos.y());
            y1 = std::max(y1, p.pos.y());
        }
        const double dx = std::max(1e-6, x1 - x0) * 0.06, dy = std::max(1e-6, y1 - y0) * 0.06;
        m_bounds = QRectF(QPointF(x0 - dx, y0 - dy), QPointF(x1 + dx, y1 + dy));
    }
    update();
}

void MapWidget::setAxisTitles(const QString& x, const QString& y) {
    m_xTitle = x;
    m_yTitle = y;
    update();
}

void MapWidget::setHighlight(const QString& text) {
    m_search = text.trimmed();
    update();
}

void MapWidget::setSelected(int item) {
    m_selected = item;
    update();
}

QPointF MapWidget::toScreen(QPointF d, const QRect& a) const {
    const QRect plot = a.adjusted(kMargin, 12, -12, -kMargin);
    const double x = plot.left() + (d.x() - m_bounds.left()) / m_bounds.width() * plot.width();
    const double y = plot.bottom() - (d.y() - m_bounds.top()) / m_bounds.height() * plot.height();
    return {x, y};
}

int MapWidget::pointAt(QPoint s) const {
    int best = -1;
    double bestD = 8 * 8;
    for (int k = 0; k < m_points.size(); ++k) {
        const QPointF p = toScreen(m_points[k].pos, rect());
        const double d = (p.x() - s.x()) * (p.x() - s.x()) + (p.y() - s.y()) * (p.y() - s.y());
        if (d < bestD) {
            bestD = d;
            best = k;
        }
    }
    return best;
}

void MapWidget::paintEvent(QPaintEvent*) {
    QPainter p(this);
    paint(p, rect());
}

void MapWidget::paint(QPainter& p, const QRect& area) {
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(area, palette().color(QPalette::Base));
    const QRect plot = area.adjusted(kMargin, 12, -12, -kMargin);
    paintFrame(p, area, plot);
    paintPoints(p, area, plot);
    paintArrows(p, area, plot);
    const QRect legend = legendRect(plot);
    if (!legend.isEmpty())
        paintLegend(p, legend);
    paintLabels(p, area, plot, legend);
}

// The plot's box, the axes through the origin and the axis titles.
void MapWidget::paintFrame(QPainter& p, const QRect& area, const QRect& plot) {
    const QPalette pal = palette();
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.drawRect(plot);
    p.setPen(QPen(pal.color(QPalette::Mid), 1, Qt::DashLine));
    const QPointF o = toScreen({0, 0}, area);
    if (o.x() > plot.left() && o.x() < plot.right())
        p.drawLine(QPointF(o.x(), plot.top()), QPointF(o.x(), plot.bottom()));
    if (o.y() > plot.top() && o.y() < plot.bottom())
        p.drawLine(QPointF(plot.left(), o.y()), QPointF(plot.right(), o.y()));
    p.setPen(pal.color(QPalette::Text));
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(QRect(plot.left(), plot.bottom() + 8, plot.width(), kMargin - 8), Qt::AlignHCenter | Qt::AlignTop,
               m_xTitle);
    p.save();
    p.translate(area.left() + 14, plot.center().y());
    p.rotate(-90);
    p.drawText(QRect(-plot.height() / 2, -12, plot.height(), 24), Qt::AlignCenter, m_yTitle);
    p.restore();
    p.setFont(font());
}

// Points, faint when a search is on and they do not match; users as a quieter layer of squares.
void MapWidget::setArrows(QVector<QLineF> arrows) {
    m_arrows = std::move(arrows);
    update();
}

void MapWidget::paintArrows(QPainter& p, const QRect& area, const QRect& plot) {
    p.save();
    p.setClipRect(plot);
    const QColor ink(0xe6, 0x55, 0x0d);
    p.setPen(QPen(ink, 1.6));
    p.setBrush(ink);
    for (const QLineF& a : m_arrows) {
        const QLineF line(toScreen(a.p1(), area), toScreen(a.p2(), area));
        p.drawLine(line);
        if (line.length() < 2)
            continue;
        const QLineF back = QLineF(line.p2(), line.p1()).unitVector(); // the head: two barbs of 7 px
        const QPointF d = (back.p2() - back.p1()) * 7;
        const QPointF n(-d.y() * 0.45, d.x() * 0.45);
        p.drawPolygon(QPolygonF({line.p2(), line.p2() + d + n, line.p2() + d - n}));
    }
    p.restore();
}

void MapWidget::paintPoints(QPainter& p, const QRect& area, const QRect& plot) {
    p.save();
    p.setClipRect(plot);
    m_highlighted = 0;
    const bool searching = !m_search.isEmpty();
    for (const Point& pt : m_points) {
        const bool match = searching && pt.label.contains(m_search, Qt::CaseInsensitive);
        m_highlighted += match;
        QColor c = colourOf(pt.group);
        if (searching && !match)
            c.setAlphaF(0.15);
        else
            c.setAlphaF(0.75);
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        if (pt.marker) {
            const QPointF c = toScreen(pt.pos, area);
            p.setBrush(QColor(0xd6, 0x27, 0x28));
            p.setPen(QPen(palette().color(QPalette::Base), 1.5));
            p.drawPolygon(QPolygonF({c + QPointF(0, -8), c + QPointF(8, 0), c + QPointF(0, 8), c + QPointF(-8, 0)}));
            continue;
        }
        if (pt.user) { // users: a second, quieter layer
            p.setBrush(Qt::NoBrush);
            p.setPen(QPen(QColor(0x70, 0x70, 0x70, 140), 1));
            const QPointF c = toScreen(pt.pos, area);
            p.drawRect(QRectF(c.x() - 2.5, c.y() - 2.5, 5, 5));
            continue;
        }
        const double r = match ? 6 : 3.2;
        p.drawEllipse(toScreen(pt.pos, area), r, r);
    }
    p.restore();
}

void MapWidget::paintLegend(QPainter& p, const QRect& box) {
    const QPalette pal = palette();
    const QFontMetrics fm(font());
    const int w = box.width() - 24;
    const int rowH = fm.height() + 2;
    QColor bg = pal.color(QPalette::Base);
    bg.setAlphaF(0.85);
    p.fillRect(box, bg);
    p.setPen(pal.color(QPalette::Mid));
    p.drawRect(box);
    for (int g = 0; g < m_groups.size(); ++g) {
        const int y = box.top() + 4 + g * rowH;
        p.setPen(Qt::NoPen);
        p.setBrush(colourOf(g));
        p.drawEllipse(QPointF(box.left() + 9, y + rowH / 2.0), 4, 4);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRect(box.left() + 18, y, w + 6, rowH), Qt::AlignVCenter, m_groups[g]);
    }
}

// Titles: the selected and matching movies first, then by weight, never overlapping; the
// selected movie gets a ring.
void MapWidget::paintLabels(QPainter& p, const QRect& area, const QRect& plot, const QRect& legend) {
    const QPalette pal = palette();
    const QFontMetrics fm(font());
    const bool searching = !m_search.isEmpty();
    p.save();
    p.setClipRect(plot);
    QVector<int> order(m_points.size());
    std::iota(order.begin(), order.end(), 0);
    auto priority = [&](int k) {
        const Point& pt = m_points[k];
        if (pt.marker)
            return 1e301; // always labelled
        if (pt.user)
            return -1.0; // users are never labelled
        if (pt.item == m_selected)
            return 1e300;
        if (searching && pt.label.contains(m_search, Qt::CaseInsensitive))
            return 1e200 + pt.weight;
        return pt.weight;
    };
    std::sort(order.begin(), order.end(), [&](int a, int b) { return priority(a) > priority(b); });
    QVector<QRectF> placed;
    if (!legend.isEmpty())
        placed.push_back(legend);
    m_labelsDrawn = 0;
    const int maxLabels = std::max(12, plot.width() * plot.height() / 9000);
    for (int k : order) {
        if ((m_labelsDrawn >= maxLabels && priority(k) < 1e200) || priority(k) < 0)
            break;
        const Point& pt = m_points[k];
        const QPointF s = toScreen(pt.pos, area);
        if (!plot.contains(s.toPoint()))
            continue;
        const QString text = fm.elidedText(pt.label, Qt::ElideRight, 200);
        const double w = fm.horizontalAdvance(text) + 4;
        // Right of the point, else left of it; the first place that clashes with nothing.
        const QRectF right(s.x() + 5, s.y() - fm.height() / 2.0, w, fm.height());
        const QRectF left(s.x() - 5 - w, s.y() - fm.height() / 2.0, w, fm.height());
        auto free = [&](const QRectF& box) {
            if (box.right() > plot.right() || box.left() < plot.left())
                return false;
            for (const QRectF& r : placed)
                if (r.intersects(box))
                    return false;
            return true;
        };
        QRectF box;
        if (free(right))
            box = right;
        else if (free(left))
            box = left;
        else if (priority(k) >= 1e200) // selected or searched: shown even if crowded, clear of the legend
            box = right.intersects(legend) || right.right() > plot.right() ? left : right;
        else
            continue;
        placed.push_back(box);
        ++m_labelsDrawn;
        QColor bg = pal.color(QPalette::Base);
        bg.setAlphaF(0.75);
        p.fillRect(box, bg);
        p.setPen(pt.item == m_selected ? QColor(0xd6, 0x27, 0x28) : pal.color(QPalette::Text));
        p.drawText(box.adjusted(2, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
    }
    // The selected movie gets a ring.
    for (const Point& pt : m_points)
        if (!pt.user && pt.item == m_selected) {
            p.setPen(QPen(QColor(0xd6, 0x27, 0x28), 2.5));
            p.setBrush(Qt::NoBrush);
            p.drawEllipse(toScreen(pt.pos, area), 8, 8);
        }
    p.restore();
}

QRect MapWidget::legendRect(const QRect& plot) const {
    if (m_groups.isEmpty())
        return {};
    const QFontMetrics fm(font());
    int w = 0;
    for (const QString& g : m_groups)
        w = std::max(w, fm.horizontalAdvance(g));
    const int rowH = fm.height() + 2;
    return QRect(plot.right() - w - 30, plot.top() + 6, w + 24, rowH * static_cast<int>(m_groups.size()) + 8);
}

void MapWidget::mouseMoveEvent(QMouseEvent* e) {
    if (m_dragging) {
        const QRect plot = rect().adjusted(kMargin, 12, -12, -kMargin);
        const QPoint d = e->pos() - m_dragFrom;
        m_bounds.translate(-d.x() * m_bounds.width() / plot.width(), d.y() * m_bounds.height() / plot.height());
        m_dragFrom = e->pos();
        m_userMoved = true;
        update();
        return;
    }
    const int k = pointAt(e->pos());
    if (k >= 0)
        QToolTip::showText(e->globalPosition().toPoint(), m_points[k].label, this);
    else
        QToolTip::hideText();
}

void MapWidget::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton)
        return;
    const int k = pointAt(e->pos());
    if (k >= 0 && m_points[k].marker) {
        return; // not a movie to select
    } else if (k >= 0 && m_points[k].user) {
        Q_EMIT userSelected(m_points[k].item);
    } else if (k >= 0) {
        m_selected = m_points[k].item;
        update();
        Q_EMIT movieSelected(m_selected);
    } else {
        m_dragging = true;
        m_dragFrom = e->pos();
    }
}

void MapWidget::mouseReleaseEvent(QMouseEvent*) { m_dragging = false; }

void MapWidget::wheelEvent(QWheelEvent* e) {
    const double f = e->angleDelta().y() > 0 ? 0.8 : 1.25;
    m_userMoved = true;
    const QPointF c = m_bounds.center();
    m_bounds = QRectF(c.x() - m_bounds.width() * f / 2, c.y() - m_bounds.height() * f / 2, m_bounds.width() * f,
                      m_bounds.height() * f);
    update();
}

bool MapWidget::exportImage(const QString& path) {
    if (path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive)) {
        QSvgGenerator gen;
        gen.setFileName(path);
        gen.setSize(size());
        gen.setViewBox(rect());
        QPainter p;
        if (!p.begin(&gen))
            return false;
        paint(p, rect());
        return p.end();
    }
    return grab().save(path);
}

} // namespace factorscope::ui
