#include "core/analysis/CustomAxes.h"

#include "core/analysis/EigenRows.h"
#include "core/common/Error.h"

#include <Eigen/Dense>

#include <numeric>

namespace factorscope {

namespace {

Eigen::VectorXd meanOf(const Matrix& f, const std::vector<int32_t>& rows, const char* axis, const char* end) {
    if (rows.empty())
        throw SpecError(std::string(axis) + " axis", std::string("its ") + end + " end names no movie");
    Eigen::VectorXd m = Eigen::VectorXd::Zero(f.cols);
    for (int32_t r : rows) {
        if (r < 0 || r >= f.rows)
            throw SpecError(std::string(axis) + " axis", "movie index out of range");
        for (int64_t c = 0; c < f.cols; ++c)
            m(c) += f.at(r, c);
    }
    return m / static_cast<double>(rows.size());
}

// The unit vector from the `from` end's mean to the `to` end's.
Eigen::VectorXd direction(const Matrix& f, const AxisEnds& ends, const char* axis) {
    const Eigen::VectorXd d = meanOf(f, ends.to, axis, "to") - meanOf(f, ends.from, axis, "from");
    const double n = d.norm();
    if (!(n > 1e-12))
        throw SpecError(std::string(axis) + " axis", "its two ends lie at the same place, so it has no direction");
    return d / n;
}

} // namespace

Projection customAxes(const Matrix& f, const AxisEnds& xEnds, const AxisEnds& yEnds, const std::vector<int32_t>& rowsIn,
                      double* yCosine) {
    std::vector<int32_t> rows = rowsIn;
    if (rows.empty()) {
        rows.resize(static_cast<std::size_t>(f.rows));
        std::iota(rows.begin(), rows.end(), 0);
    }
    if (rows.size() < 2)
        throw SpecError("custom axes", "needs at least two movies");
    for (int32_t r : rows)
        if (r < 0 || r >= f.rows)
            throw SpecError("custom axes", "movie index out of range");
    const Eigen::MatrixXd X = rowsOf(f, rows);
    const Eigen::RowVectorXd mean = X.colwise().mean();
    const Eigen::MatrixXd centred = X.rowwise() - mean;
    const Eigen::VectorXd x = direction(f, xEnds, "x");
    Eigen::VectorXd y;
    if (yEnds.empty()) { // the direction of most variance that x leaves
        const Eigen::MatrixXd rest = centred - (centred * x) * x.transpose();
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(rest.transpose() * rest);
        y = eig.eigenvectors().col(eig.eigenvectors().cols() - 1);
        if (yCosine)
            *yCosine = 0;
    } else {
        const Eigen::VectorXd asked = direction(f, yEnds, "y");
        if (yCosine)
            *yCosine = asked.dot(x);
        y = asked - asked.dot(x) * x;
        if (!(y.norm() > 1e-9))
            throw SpecError("y axis", "it points along the x axis, so it adds nothing to it");
    }
    y.normalize();
    Projection p;
    p.items = rows;
    p.mean.assign(mean.data(), mean.data() + mean.size());
    p.components = Matrix{2, f.cols, {}};
    for (const Eigen::VectorXd* axis : {&x, static_cast<const Eigen::VectorXd*>(&y)})
        for (Eigen::Index c = 0; c < axis->size(); ++c)
            p.components.values.push_back(static_cast<float>((*axis)(c)));
    const Eigen::MatrixXd coords = centred * (Eigen::MatrixXd(f.cols, 2) << x, y).finished();
    p.coords = Matrix{static_cast<int64_t>(rows.size()), 2, {}};
    for (Eigen::Index r = 0; r < coords.rows(); ++r)
        for (Eigen::Index c = 0; c < 2; ++c)
            p.coords.values.push_back(static_cast<float>(coords(r, c)));
    const double total = std::max(1e-300, centred.squaredNorm());
    p.explainedVarianceRatio = {coords.col(0).squaredNorm() / total, coords.col(1).squaredNorm() / total};
    return p;
}

} // namespace factorscope
