#include "core/analysis/MapQuality.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace factorscope {

namespace {

double distance2(const Matrix& m, int64_t a, int64_t b) {
    double d = 0;
    for (int64_t c = 0; c < m.cols; ++c) {
        const double x = m.at(a, c) - m.at(b, c);
        d += x * x;
    }
    return d;
}

// The others ordered by distance from i, nearest first (ties by index, as a stable argsort).
std::vector<int64_t> byDistance(const Matrix& m, int64_t i) {
    std::vector<int64_t> order;
    std::vector<double> d(static_cast<std::size_t>(m.rows));
    for (int64_t j = 0; j < m.rows; ++j)
        if (j != i) {
            order.push_back(j);
            d[static_cast<std::size_t>(j)] = distance2(m, i, j);
        }
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
        return d[static_cast<std::size_t>(a)] < d[static_cast<std::size_t>(b)];
    });
    return order;
}

} // namespace

double trustworthiness(const Matrix& original, const Matrix& map, int k) {
    const int64_t n = original.rows;
    if (map.rows != n || k < 1 || 2 * k >= n)
        return std::numeric_limits<double>::quiet_NaN();
    double penalty = 0;
    std::vector<int64_t> rank(static_cast<std::size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const std::vector<int64_t> truth = byDistance(original, i);
        for (std::size_t r = 0; r < truth.size(); ++r)
            rank[static_cast<std::size_t>(truth[r])] = static_cast<int64_t>(r) + 1;
        const std::vector<int64_t> onMap = byDistance(map, i);
        for (int m = 0; m < k; ++m)
            penalty += static_cast<double>(std::max<int64_t>(0, rank[static_cast<std::size_t>(onMap[m])] - k));
    }
    const double nd = static_cast<double>(n);
    return 1.0 - penalty * 2.0 / (nd * k * (2.0 * nd - 3.0 * k - 1.0));
}

double neighbourAgreement(const Matrix& map, const std::vector<int>& labels, int k, int agree) {
    int64_t counted = 0, agreeing = 0;
    for (int64_t i = 0; i < map.rows; ++i) {
        const int label = labels[static_cast<std::size_t>(i)];
        if (label < 0)
            continue;
        const std::vector<int64_t> near = byDistance(map, i);
        int same = 0;
        for (int m = 0; m < k && m < static_cast<int>(near.size()); ++m)
            same += labels[static_cast<std::size_t>(near[static_cast<std::size_t>(m)])] == label ? 1 : 0;
        ++counted;
        agreeing += same >= agree ? 1 : 0;
    }
    return counted ? static_cast<double>(agreeing) / static_cast<double>(counted) : 0.0;
}

} // namespace factorscope
