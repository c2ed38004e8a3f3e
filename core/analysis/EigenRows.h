#pragma once
// core/analysis-internal: rows of a Matrix copied into an Eigen matrix of doubles, which PCA,
// model comparison and custom axes each fit on. Includes Eigen: for .cpp files only.
#include "core/model/Model.h"

#include <Eigen/Dense>

#include <vector>

namespace factorscope {

inline Eigen::MatrixXd rowsOf(const Matrix& m, const std::vector<int32_t>& rows) {
    Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), m.cols);
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (int64_t c = 0; c < m.cols; ++c)
            out(static_cast<Eigen::Index>(r), c) = m.at(rows[r], c);
    return out;
}

} // namespace factorscope
