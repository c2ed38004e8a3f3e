#include "core/analysis/Pca.h"

#include "core/analysis/EigenRows.h"
#include "core/common/Error.h"

#include <Eigen/Dense>

#include <algorithm>
#include <map>
#include <numeric>

namespace factorscope {

namespace {
using MatrixXd = Eigen::MatrixXd;

std::vector<int32_t> allRows(const Matrix& m) {
    std::vector<int32_t> r(static_cast<std::size_t>(m.rows));
    std::iota(r.begin(), r.end(), 0);
    return r;
}
} // namespace

Projection pca(const Matrix& factors, int components, const std::vector<int32_t>& fitRowsIn,
               const std::vector<int32_t>& projectRowsIn) {
    const std::vector<int32_t> fitRows = fitRowsIn.empty() ? allRows(factors) : fitRowsIn;
    const std::vector<int32_t> projectRows = projectRowsIn.empty() ? fitRows : projectRowsIn;
    if (components < 1 || components > factors.cols)
        throw SpecError("components", "must be from 1 to the number of factors (" + std::to_string(factors.cols) + ")");
    if (fitRows.size() < 2)
        throw SpecError("pca", "needs at least two movies to fit");
    for (int32_t r : fitRows)
        if (r < 0 || r >= factors.rows)
            throw SpecError("pca", "item index out of range");

    const MatrixXd X = rowsOf(factors, fitRows);
    const Eigen::RowVectorXd mean = X.colwise().mean();
    const MatrixXd Xc = X.rowwise() - mean;
    const MatrixXd cov = (Xc.transpose() * Xc) / static_cast<double>(X.rows() - 1);
    Eigen::SelfAdjointEigenSolver<MatrixXd> eig(cov);
    const Eigen::VectorXd values = eig.eigenvalues(); // ascending
    const MatrixXd vectors = eig.eigenvectors();
    const double total = std::max(1e-300, values.sum());

    Projection p;
    p.items = projectRows;
    p.mean.assign(mean.data(), mean.data() + mean.size());
    p.components.rows = components;
    p.components.cols = factors.cols;
    p.components.values.resize(static_cast<std::size_t>(components * factors.cols));
    MatrixXd W(components, factors.cols);
    for (int c = 0; c < components; ++c) {
        const Eigen::Index idx = vectors.cols() - 1 - c;
        Eigen::VectorXd v = vectors.col(idx);
        Eigen::Index maxAt = 0;
        v.cwiseAbs().maxCoeff(&maxAt);
        if (v(maxAt) < 0)
            v = -v;
        W.row(c) = v.transpose();
        p.explainedVarianceRatio.push_back(std::max(0.0, values(idx)) / total);
    }
    for (int c = 0; c < components; ++c)
        for (int64_t f = 0; f < factors.cols; ++f)
            p.components.values[static_cast<std::size_t>(c * factors.cols + f)] = static_cast<float>(W(c, f));
    const MatrixXd Y = (rowsOf(factors, projectRows).rowwise() - mean) * W.transpose();
    p.coords.rows = Y.rows();
    p.coords.cols = Y.cols();
    p.coords.values.resize(static_cast<std::size_t>(Y.size()));
    for (Eigen::Index r = 0; r < Y.rows(); ++r)
        for (Eigen::Index c = 0; c < Y.cols(); ++c)
            p.coords.values[static_cast<std::size_t>(r * Y.cols() + c)] = static_cast<float>(Y(r, c));
    return p;
}

std::vector<int32_t> mostRated(const std::vector<int64_t>& counts, int n) {
    std::vector<int32_t> items(counts.size());
    std::iota(items.begin(), items.end(), 0);
    std::stable_sort(items.begin(), items.end(), [&](int32_t a, int32_t b) { return counts[a] > counts[b]; });
    if (n > 0 && static_cast<std::size_t>(n) < items.size())
        items.resize(static_cast<std::size_t>(n));
    return items;
}

void alignTo(const Projection& previous, Projection& current) {
    if (previous.coords.cols != current.coords.cols || current.coords.rows == 0)
        return;
    std::map<int32_t, int64_t> prevRow;
    for (std::size_t r = 0; r < previous.items.size(); ++r)
        prevRow[previous.items[r]] = static_cast<int64_t>(r);
    const Eigen::Index C = current.coords.cols;
    MatrixXd M = MatrixXd::Zero(C, C);
    int shared = 0;
    for (std::size_t r = 0; r < current.items.size(); ++r) {
        auto it = prevRow.find(current.items[r]);
        if (it == prevRow.end())
            continue;
        ++shared;
        for (Eigen::Index a = 0; a < C; ++a)
            for (Eigen::Index b = 0; b < C; ++b)
                M(a, b) += current.coords.at(static_cast<int64_t>(r), a) * previous.coords.at(it->second, b);
    }
    if (shared < C)
        return; // too few shared movies to fix a rotation
    Eigen::JacobiSVD<MatrixXd> svd(M, Eigen::ComputeFullU | Eigen::ComputeFullV);
    const MatrixXd R = svd.matrixU() * svd.matrixV().transpose(); // current * R ~ previous
    auto rotate = [&](Matrix& m) {
        for (int64_t r = 0; r < m.rows; ++r) {
            Eigen::RowVectorXd row(C);
            for (Eigen::Index c = 0; c < C; ++c)
                row(c) = m.at(r, c);
            const Eigen::RowVectorXd out = row * R;
            for (Eigen::Index c = 0; c < C; ++c)
                m.values[static_cast<std::size_t>(r * C + c)] = static_cast<float>(out(c));
        }
    };
    rotate(current.coords);
    // The components turn with the coordinates: coords = Xc W^T, so W' = R^T W.
    MatrixXd W(C, current.components.cols);
    for (Eigen::Index c = 0; c < C; ++c)
        for (int64_t f = 0; f < current.components.cols; ++f)
            W(c, f) = current.components.at(c, f);
    const MatrixXd W2 = R.transpose() * W;
    for (Eigen::Index c = 0; c < C; ++c)
        for (int64_t f = 0; f < current.components.cols; ++f)
            current.components.values[static_cast<std::size_t>(c * current.components.cols + f)] =
                static_cast<float>(W2(c, f));
}

double knnAccuracy(const Matrix& coords, const std::vector<int>& labels, int dims, int k) {
    const int64_t n = coords.rows;
    dims = std::min<int>(dims, static_cast<int>(coords.cols));
    if (n < 2 || static_cast<int64_t>(labels.size()) != n || dims < 1)
        return 0;
    int correct = 0;
    std::vector<std::pair<double, int64_t>> dist(static_cast<std::size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t j = 0; j < n; ++j) {
            double d = 0;
            for (int c = 0; c < dims; ++c) {
                const double x = coords.at(i, c) - coords.at(j, c);
                d += x * x;
            }
            dist[static_cast<std::size_t>(j)] = {j == i ? std::numeric_limits<double>::infinity() : d, j};
        }
        const int kk = static_cast<int>(std::min<int64_t>(k, n - 1));
        std::partial_sort(dist.begin(), dist.begin() + kk, dist.end());
        std::map<int, int> votes;
        for (int m = 0; m < kk; ++m)
            ++votes[labels[static_cast<std::size_t>(dist[static_cast<std::size_t>(m)].second)]];
        const auto best = std::max_element(votes.begin(), votes.end(),
                                           [](const auto& a, const auto& b) { return a.second < b.second; });
        if (best->first == labels[static_cast<std::size_t>(i)])
            ++correct;
    }
    return static_cast<double>(correct) / static_cast<double>(n);
}

double chanceAccuracy(const std::vector<int>& labels) {
    if (labels.empty())
        return 0;
    std::map<int, int> counts;
    for (int l : labels)
        ++counts[l];
    int most = 0;
    for (const auto& [l, c] : counts)
        most = std::max(most, c);
    return static_cast<double>(most) / static_cast<double>(labels.size());
}

} // namespace factorscope
