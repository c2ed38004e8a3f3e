#pragma once
// Pure helpers for the charts, free of QtCharts so they are tested on their own.
#include <QPointF>
#include <QString>
#include <QVector>

namespace factorscope::ui {

// TensorBoard's smoothing: an exponential moving average debiased for its start, so the
// first points are not dragged towards zero. weight 0 = raw, 0.99 = very smooth.
QVector<double> debiasedEma(const QVector<double>& values, double weight);

// Keeps the shape of a long series in at most 3 x buckets + 1 points: the first, the minimum and
// the maximum of each bucket of x, in x order. Short series pass unchanged.
QVector<QPointF> decimateMinMax(const QVector<QPointF>& points, int buckets);

// A round tick interval (1, 2 or 5 times a power of ten) giving about `ticks` ticks over span.
double niceInterval(double span, int ticks = 5);

// Ticks for an axis `lengthPx` long showing [lo, hi]: a round step such that labels `labelPx`
// wide (along the axis) and a gap as wide fit between ticks, never fewer than two ticks; and a label
// format with just enough decimals to tell neighbouring ticks apart (%.Nf), or %.Ne where the
// values are too small or too large for plain decimals.
struct AxisTicks {
    double step = 1;
    QString format = QStringLiteral("%.0f");
};
AxisTicks axisTicks(double lo, double hi, double lengthPx, double labelPx);

} // namespace factorscope::ui
