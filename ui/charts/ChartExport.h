#pragma once
#include <QString>

class QChartView;

namespace factorscope::ui {
// Writes the chart as PNG or SVG, chosen by the file's suffix. False when it cannot write.
bool exportChartView(QChartView* view, const QString& path);
} // namespace factorscope::ui
