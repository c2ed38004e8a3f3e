#pragma once
// A 2D scatter of movies in PCA space, painted directly (thousands of points, labels placed
// without overlap): colour by group with a legend, titles for the most important movies, the
// title of any movie on hover, click to select, search to highlight, wheel to zoom, drag to pan.
#include <QColor>
#include <QLineF>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

namespace factorscope::ui {

class MapWidget : public QWidget {
    Q_OBJECT
public:
    struct Point {
        QPointF pos;
        int item = 0;      // the caller's id, reported on selection
        int group = -1;    // colour index into groups(); -1 draws grey
        double weight = 0; // label priority (popularity)
        QString label;
        bool user = false;   // drawn as a small grey square; never labelled unless selected
        bool marker = false; // one point to find at a glance (you): a red diamond, always labelled
    };
    explicit MapWidget(QWidget* parent = nullptr);

    // `ordered`: the groups are bins of a number, coloured on a sequential scale (else categorical).
    void setPoints(QVector<Point> points, const QStringList& groups, bool ordered = false);
    void setAxisTitles(const QString& x, const QString& y);
    // Arrows in data coordinates, drawn over the points (from where a movie was to where it is).
    void setArrows(QVector<QLineF> arrows);
    const QVector<QLineF>& arrows() const { return m_arrows; }
    void setHighlight(const QString& text); // case-insensitive title search
    void setSelected(int item);
    int selected() const { return m_selected; }
    int highlightCount() const { return m_highlighted; }
    int labelCount() const { return m_labelsDrawn; }
    const QVector<Point>& points() const { return m_points; }
    void resetView();
    bool exportImage(const QString& path); // PNG or SVG by suffix

    static QColor groupColour(int group); // the categorical palette
    QColor colourOf(int group) const;     // as the map draws it

Q_SIGNALS:
    void movieSelected(int item);
    void userSelected(int user);

protected:
    void paintEvent(QPaintEvent*) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void wheelEvent(QWheelEvent* e) override;
    void mouseDoubleClickEvent(QMouseEvent*) override {
        m_userMoved = false;
        resetView();
    }

private:
    void paint(QPainter& p, const QRect& area);
    void paintFrame(QPainter& p, const QRect& area, const QRect& plot);
    void paintPoints(QPainter& p, const QRect& area, const QRect& plot);
    void paintLegend(QPainter& p, const QRect& box);
    void paintArrows(QPainter& p, const QRect& area, const QRect& plot);
    void paintLabels(QPainter& p, const QRect& area, const QRect& plot, const QRect& legend);
    QRect legendRect(const QRect& plot) const;
    QPointF toScreen(QPointF data, const QRect& area) const;
    int pointAt(QPoint screen) const;

    QVector<Point> m_points;
    QVector<QLineF> m_arrows;
    QStringList m_groups;
    bool m_ordered = false;
    QString m_xTitle, m_yTitle, m_search;
    int m_selected = -1;
    int m_highlighted = 0;
    int m_labelsDrawn = 0;
    QRectF m_bounds; // data rectangle shown
    QPoint m_dragFrom;
    bool m_dragging = false;
    bool m_userMoved = false; // zoomed or panned: keep the view when new points arrive
};

} // namespace factorscope::ui
