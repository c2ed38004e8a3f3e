#pragma once
// Pure helpers for the charts, free of QtCharts so they are tested on their own.
#include <QPointF>
#include <QVector>

namespace fs::ui {

// TensorBoard's smoothing: an exponential moving average debiased for its start, so the
// first points are not dragged towards zero. weight 0 = raw, 0.99 = very smooth.
QVector<double> debiasedEma(const QVector<double>& values, double weight);

// Keeps the shape of a long series in at most 3 x buckets + 1 points: the first, the minimum and
// the maximum of each bucket of x, in x order. Short series pass unchanged.
QVector<QPointF> decimateMinMax(const QVector<QPointF>& points, int buckets);

// A round tick interval (1, 2 or 5 times a power of ten) giving about `ticks` ticks over span.
double niceInterval(double span, int ticks = 5);

} // namespace fs::ui
