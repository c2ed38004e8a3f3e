#include "core/analysis/ModelCompare.h"

#include "core/analysis/EigenRows.h"
#include "core/common/Error.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>
#include <tuple>
#include <unordered_map>

namespace factorscope {

namespace {

// The movies both sides know, by original id, ascending.
void matchIds(const ItemSide& a, const ItemSide& b, const std::vector<int32_t>& onlyA, ModelComparison& c) {
    std::unordered_map<int64_t, int32_t> inB;
    for (std::size_t r = 0; r < b.ids.size(); ++r)
        inB.emplace(b.ids[r], static_cast<int32_t>(r));
    std::vector<int32_t> order = onlyA;
    if (order.empty()) {
        order.resize(a.ids.size());
        std::iota(order.begin(), order.end(), 0);
    }
    std::erase_if(order, [&](int32_t r) { return r < 0 || static_cast<std::size_t>(r) >= a.ids.size(); });
    std::sort(order.begin(), order.end(), [&](int32_t x, int32_t y) { return a.ids[x] < a.ids[y]; });
    for (int32_t r : order)
        if (auto it = inB.find(a.ids[r]); it != inB.end()) {
            c.ids.push_back(a.ids[r]);
            c.rowsA.push_back(r);
            c.rowsB.push_back(it->second);
        }
}

// Each shared movie's k nearest as indices into the shared list.
std::vector<std::vector<int32_t>> neighboursOf(const ItemSide& side, const std::vector<int32_t>& rows, int k) {
    if (side.factors.rows > 0)
        return cosineNeighbourLists(side.factors, rows, k);
    std::unordered_map<int32_t, int32_t> place;
    for (std::size_t i = 0; i < rows.size(); ++i)
        place.emplace(rows[i], static_cast<int32_t>(i));
    std::vector<std::vector<int32_t>> out(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto r = static_cast<std::size_t>(rows[i]);
        if (r >= side.neighbours.size())
            continue;
        for (int32_t n : side.neighbours[r]) {
            if (static_cast<int>(out[i].size()) >= k)
                break;
            if (auto it = place.find(n); it != place.end() && it->second != static_cast<int32_t>(i))
                out[i].push_back(it->second);
        }
    }
    return out;
}

// The Jaccard index of two neighbour lists (NaN when both are empty) and their common size.
std::pair<double, int> overlapOf(std::vector<int32_t> x, std::vector<int32_t> y) {
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    std::vector<int32_t> both;
    std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(both));
    const auto common = static_cast<int>(both.size());
    if (x.empty() && y.empty())
        return {std::numeric_limits<double>::quiet_NaN(), 0};
    return {double(common) / double(x.size() + y.size() - both.size()), common};
}

void align(const ItemSide& a, const ItemSide& b, ModelComparison& c) {
    const Eigen::MatrixXd A = rowsOf(a.factors, c.rowsA);
    const Eigen::MatrixXd B = rowsOf(b.factors, c.rowsB);
    Eigen::BDCSVD<Eigen::MatrixXd> svd(B.transpose() * A, Eigen::ComputeThinU | Eigen::ComputeThinV);
    const Eigen::MatrixXd W = svd.matrixU() * svd.matrixV().transpose(); // B's factors x A's
    const Eigen::MatrixXd BW = B * W;
    const double energy = BW.squaredNorm();
    c.scale = energy > 0 ? (A.cwiseProduct(BW)).sum() / energy : 1.0;
    const Eigen::MatrixXd diff = A - c.scale * BW;
    const double sizeA = A.norm();
    c.residual = sizeA > 0 ? diff.norm() / sizeA : 0.0;
    const double rms = sizeA / std::sqrt(double(std::max<Eigen::Index>(1, A.rows())));
    c.moved.resize(c.ids.size());
    for (Eigen::Index r = 0; r < A.rows(); ++r)
        c.moved[static_cast<std::size_t>(r)] = rms > 0 ? diff.row(r).norm() / rms : 0.0;
    std::vector<double> sorted = c.moved;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
    c.medianMoved = sorted[sorted.size() / 2];
}

void check(const ItemSide& side, const char* which) {
    const std::string name = std::string("model ") + which;
    if (side.factors.rows > 0 && side.factors.rows != static_cast<int64_t>(side.ids.size()))
        throw SpecError(name + " has " + std::to_string(side.factors.rows) + " movie vectors for " +
                        std::to_string(side.ids.size()) + " movies");
    for (float v : side.factors.values)
        if (!std::isfinite(v))
            throw SpecError(name + "'s movie vectors hold a value that is not finite (NaN or infinite)");
}

} // namespace

std::vector<std::vector<int32_t>> cosineNeighbourLists(const Matrix& f, const std::vector<int32_t>& rows, int k) {
    const auto n = static_cast<Eigen::Index>(rows.size());
    Eigen::MatrixXf X(n, f.cols);
    for (Eigen::Index i = 0; i < n; ++i) {
        for (int64_t c = 0; c < f.cols; ++c)
            X(i, c) = f.at(rows[static_cast<std::size_t>(i)], c);
        const float len = X.row(i).norm();
        if (len > 0)
            X.row(i) /= len;
    }
    const int keep = static_cast<int>(std::min<Eigen::Index>(k, std::max<Eigen::Index>(0, n - 1)));
    std::vector<std::vector<int32_t>> out(static_cast<std::size_t>(n));
    constexpr Eigen::Index kBlock = 256;
    std::vector<int32_t> order(static_cast<std::size_t>(n));
    for (Eigen::Index start = 0; start < n; start += kBlock) {
        const Eigen::Index size = std::min(kBlock, n - start);
        const Eigen::MatrixXf S = X.middleRows(start, size) * X.transpose();
        for (Eigen::Index i = 0; i < size; ++i) {
            const Eigen::Index self = start + i;
            std::iota(order.begin(), order.end(), 0);
            std::swap(order[static_cast<std::size_t>(self)], order.back()); // the movie itself is no neighbour
            const auto better = [&](int32_t x, int32_t y) {
                return S(i, x) > S(i, y) || (S(i, x) == S(i, y) && x < y);
            };
            std::partial_sort(order.begin(), order.begin() + keep, order.end() - 1, better);
            out[static_cast<std::size_t>(self)].assign(order.begin(), order.begin() + keep);
        }
    }
    return out;
}

ModelComparison compareItemSides(const ItemSide& a, const ItemSide& b, int k, const std::vector<int32_t>& onlyA) {
    if (k < 1)
        throw SpecError("k", "must be at least 1");
    check(a, "A");
    check(b, "B");
    ModelComparison c;
    c.k = k;
    matchIds(a, b, onlyA, c);
    if (c.ids.size() < static_cast<std::size_t>(k) + 2)
        throw SpecError("the two models share " + std::to_string(c.ids.size()) + " movies; comparing " +
                        std::to_string(k) + " neighbours needs at least " + std::to_string(k + 2));
    if (a.factors.rows > 0 && b.factors.rows > 0)
        align(a, b, c);
    const auto na = neighboursOf(a, c.rowsA, k), nb = neighboursOf(b, c.rowsB, k);
    c.jaccard.resize(c.ids.size());
    c.shared.resize(c.ids.size());
    double sum = 0;
    int counted = 0;
    for (std::size_t i = 0; i < c.ids.size(); ++i) {
        std::tie(c.jaccard[i], c.shared[i]) = overlapOf(na[i], nb[i]);
        if (!std::isnan(c.jaccard[i])) {
            sum += c.jaccard[i];
            ++counted;
        }
    }
    c.meanJaccard = counted > 0 ? sum / counted : std::numeric_limits<double>::quiet_NaN();
    return c;
}

std::string summariseComparison(const ModelComparison& c) {
    std::ostringstream s;
    s.precision(2);
    s << std::fixed << "Over " << c.ids.size() << " shared movies, " << c.k << " nearest neighbours overlap by "
      << c.meanJaccard * 100 << " % on average (Jaccard)";
    if (c.aligned())
        s << "; after rotating the second model onto the first and scaling it by " << c.scale << ", a movie moved by "
          << c.medianMoved << " of an average embedding's length (median), and what is left is " << c.residual * 100
          << " % of the first model's embeddings";
    else
        s << "; one model has no embeddings (a neighbourhood model), so only the neighbours are compared";
    s << ".";
    return s.str();
}

} // namespace factorscope
