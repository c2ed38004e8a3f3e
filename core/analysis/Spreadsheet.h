#pragma once
// The spreadsheet lesson: the most active users x the most rated movies as a small rating
// matrix, and a tiny matrix factorisation fitted to that block alone, as fast.ai teaches it in
// a spreadsheet. prediction(u, i) = user factors(u) . movie factors(i); the fit minimises the
// sum over the filled cells of (prediction - rating)^2 + l2 (|user factors|^2 + |movie factors|^2)
// by full-batch gradient descent whose step grows 5 % after each step that lowers the loss and
// halves (the step undone) after one that does not, never below 1e-9, so any start converges
// without tuning.
// Plain C++ (no LibTorch): a 15 x 15 block takes microseconds an epoch.
#include "core/analysis/DataViews.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace factorscope {

// The block is the data's crosstab of the most active users and most rated movies
// (DataViews.h; the app's digest already holds it). How many of its cells are rated:
std::size_t filledCells(const Crosstab& block);

class SheetModel {
public:
    // `block` must outlive the model. Factors start uniform in [0, 1), from the seed. Throws
    // SpecError for factors below 1 or a block with no filled cell.
    SheetModel(const Crosstab& block, int factors = 3, uint64_t seed = 42, double l2 = 0.01);

    void train(int epochs); // full-batch steps
    int epochs() const { return m_epochs; }
    int factors() const { return m_factors; }
    double predict(std::size_t u, std::size_t i) const;
    double rmse() const; // over the filled cells
    double loss() const; // the objective above
    double userFactor(std::size_t u, int f) const { return m_p[u * m_factors + f]; }
    double itemFactor(std::size_t i, int f) const { return m_q[i * m_factors + f]; }
    double step() const { return m_step; }

private:
    void gradient(std::vector<double>& gp, std::vector<double>& gq) const;

    const Crosstab& m_block;
    int m_factors;
    double m_l2;
    double m_step = 0.01;
    int m_epochs = 0;
    std::vector<double> m_p, m_q; // users x factors, items x factors (doubles: the loss comparisons stay exact)
};

} // namespace factorscope
