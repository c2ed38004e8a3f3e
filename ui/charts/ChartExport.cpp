#include "ui/charts/ChartExport.h"

#include <QPainter>
#include <QSvgGenerator>
#include <QtCharts/QChartView>

namespace factorscope::ui {

bool exportChartView(QChartView* view, const QString& path) {
    if (path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive)) {
        QSvgGenerator gen;
        gen.setFileName(path);
        gen.setSize(view->size());
        gen.setViewBox(QRect(QPoint(0, 0), view->size()));
        gen.setTitle(view->chart()->title());
        QPainter painter;
        if (!painter.begin(&gen))
            return false;
        view->render(&painter);
        return painter.end();
    }
    return view->grab().save(path);
}

} // namespace factorscope::ui
