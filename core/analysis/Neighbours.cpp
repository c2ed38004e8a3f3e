#include "core/analysis/Neighbours.h"

#include "core/common/Error.h"

#include <algorithm>
#include <cmath>

namespace factorscope {

std::vector<Neighbour> nearest(const Matrix& f, int32_t item, int k, Metric metric,
                               const std::vector<int32_t>& candidates) {
    if (item < 0 || item >= f.rows)
        throw SpecError("neighbours", "item index out of range");
    const float* q = f.values.data() + item * f.cols;
    double qn = 0;
    for (int64_t c = 0; c < f.cols; ++c)
        qn += static_cast<double>(q[c]) * q[c];
    qn = std::sqrt(qn);
    std::vector<Neighbour> all;
    auto consider = [&](int32_t r) {
        if (r == item || r < 0 || r >= f.rows)
            return;
        const float* x = f.values.data() + r * f.cols;
        double dot = 0, xn = 0, d2 = 0;
        for (int64_t c = 0; c < f.cols; ++c) {
            dot += static_cast<double>(q[c]) * x[c];
            xn += static_cast<double>(x[c]) * x[c];
            d2 += (static_cast<double>(q[c]) - x[c]) * (static_cast<double>(q[c]) - x[c]);
        }
        const double score = metric == Metric::Cosine ? dot / std::max(1e-12, qn * std::sqrt(xn)) : std::sqrt(d2);
        all.push_back({r, score});
    };
    if (candidates.empty())
        for (int32_t r = 0; r < f.rows; ++r)
            consider(r);
    else
        for (int32_t r : candidates)
            consider(r);
    const auto better = [metric](const Neighbour& a, const Neighbour& b) {
        return metric == Metric::Cosine ? a.score > b.score : a.score < b.score;
    };
    const std::size_t keep = std::min<std::size_t>(all.size(), static_cast<std::size_t>(std::max(0, k)));
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(keep), all.end(), better);
    all.resize(keep);
    return all;
}

std::vector<float> rowNorms(const Matrix& f) {
    std::vector<float> out(static_cast<std::size_t>(f.rows));
    for (int64_t r = 0; r < f.rows; ++r) {
        double sum = 0;
        for (int64_t c = 0; c < f.cols; ++c)
            sum += double(f.at(r, c)) * f.at(r, c);
        out[static_cast<std::size_t>(r)] = static_cast<float>(std::sqrt(sum));
    }
    return out;
}

} // namespace factorscope
