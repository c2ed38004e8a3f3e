#include "ui/charts/SeriesMath.h"

#include <algorithm>
#include <cmath>

namespace factorscope::ui {

QVector<double> debiasedEma(const QVector<double>& values, double weight) {
    QVector<double> out;
    out.reserve(values.size());
    double last = 0;
    int n = 0;
    for (double v : values) {
        if (!std::isfinite(v)) {
            out.push_back(v);
            continue;
        }
        last = last * weight + (1 - weight) * v;
        ++n;
        const double debias = weight > 0 ? 1 - std::pow(weight, n) : 1;
        out.push_back(last / debias);
    }
    return out;
}

QVector<QPointF> decimateMinMax(const QVector<QPointF>& points, int buckets) {
    if (buckets < 1 || points.size() <= 3 * buckets + 1)
        return points;
    QVector<QPointF> out;
    out.reserve(2 * buckets + 2);
    const double x0 = points.front().x(), x1 = points.back().x();
    const double width = (x1 - x0) / buckets;
    int i = 0;
    const int n = points.size();
    for (int b = 0; b < buckets && i < n; ++b) {
        const double end = b == buckets - 1 ? x1 + 1 : x0 + width * (b + 1);
        int lo = i, hi = i;
        const int first = i;
        while (i < n && points[i].x() < end) {
            if (points[i].y() < points[lo].y())
                lo = i;
            if (points[i].y() > points[hi].y())
                hi = i;
            ++i;
        }
        if (i == first)
            continue;
        out.push_back(points[first]);
        if (lo != first && hi != first) {
            out.push_back(points[std::min(lo, hi)]);
            if (lo != hi)
                out.push_back(points[std::max(lo, hi)]);
        } else if (lo != first) {
            out.push_back(points[lo]);
        } else if (hi != first) {
            out.push_back(points[hi]);
        }
    }
    if (out.back() != points.back())
        out.push_back(points.back());
    return out;
}

double niceInterval(double span, int ticks) {
    if (!(span > 0) || ticks < 1)
        return 1;
    const double raw = span / ticks;
    const double decade = std::pow(10.0, std::floor(std::log10(raw)));
    const double m = raw / decade;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * decade;
}

AxisTicks axisTicks(double lo, double hi, double lengthPx, double labelPx) {
    AxisTicks t;
    const double span = hi - lo;
    if (!(span > 0) || !std::isfinite(span))
        return t;
    // How many labels fit: each takes its width and as much again as a gap.
    const int fit = std::max(2, static_cast<int>(lengthPx / std::max(1.0, 2 * labelPx)));
    t.step = niceInterval(span, std::min(fit, 10));
    while (span / t.step > fit) { // niceInterval rounds to the nearest: widen to the next round step
        const double decade = std::pow(10.0, std::floor(std::log10(t.step) + 1e-9));
        const double m = t.step / decade;
        t.step = (m < 1.5 ? 2 : m < 3.5 ? 5 : 10) * decade;
    }
    const double largest = std::max(std::abs(lo), std::abs(hi));
    const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(t.step) + 1e-9)));
    if (largest >= 1e6 || (largest > 0 && largest < 1e-3) || decimals > 4) {
        // Scientific: the mantissa's digits tell the steps apart (step / magnitude of largest).
        const int digits = std::clamp(static_cast<int>(std::ceil(std::log10(largest / t.step) - 1e-9)), 0, 3);
        t.format = QStringLiteral("%.") + QString::number(digits) + QStringLiteral("e");
    } else {
        t.format = QStringLiteral("%.") + QString::number(decimals) + QStringLiteral("f");
    }
    return t;
}

} // namespace factorscope::ui
