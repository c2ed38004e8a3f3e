#include "core/analysis/Spreadsheet.h"

#include "core/common/Error.h"
#include "core/common/Random.h"

#include <algorithm>

namespace factorscope {

std::size_t filledCells(const Crosstab& block) {
    return static_cast<std::size_t>(
        std::count_if(block.values.begin(), block.values.end(), [](float r) { return !std::isnan(r); }));
}

SheetModel::SheetModel(const Crosstab& block, int factors, uint64_t seed, double l2)
    : m_block(block), m_factors(factors), m_l2(l2) {
    if (factors < 1)
        throw SpecError("factors", "at least 1");
    if (filledCells(block) == 0)
        throw SpecError("spreadsheet", "the block has no ratings to fit");
    Rng rng(seed);
    m_p.resize(block.users.size() * static_cast<std::size_t>(factors));
    m_q.resize(block.items.size() * static_cast<std::size_t>(factors));
    for (auto& v : m_p)
        v = rng.uniform();
    for (auto& v : m_q)
        v = rng.uniform();
}

double SheetModel::predict(std::size_t u, std::size_t i) const {
    double s = 0;
    for (int f = 0; f < m_factors; ++f)
        s += userFactor(u, f) * itemFactor(i, f);
    return s;
}

double SheetModel::rmse() const {
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t u = 0; u < m_block.users.size(); ++u)
        for (std::size_t i = 0; i < m_block.items.size(); ++i)
            if (const float r = m_block.at(u, i); !std::isnan(r)) {
                const double e = predict(u, i) - r;
                sum += e * e;
                ++n;
            }
    return std::sqrt(sum / static_cast<double>(n));
}

double SheetModel::loss() const {
    double sum = 0;
    for (std::size_t u = 0; u < m_block.users.size(); ++u)
        for (std::size_t i = 0; i < m_block.items.size(); ++i)
            if (const float r = m_block.at(u, i); !std::isnan(r)) {
                const double e = predict(u, i) - r;
                sum += e * e;
            }
    double norm = 0;
    for (double v : m_p)
        norm += v * v;
    for (double v : m_q)
        norm += v * v;
    return sum + m_l2 * norm;
}

void SheetModel::gradient(std::vector<double>& gp, std::vector<double>& gq) const {
    gp.assign(m_p.size(), 0);
    gq.assign(m_q.size(), 0);
    for (std::size_t k = 0; k < m_p.size(); ++k)
        gp[k] = 2 * m_l2 * m_p[k];
    for (std::size_t k = 0; k < m_q.size(); ++k)
        gq[k] = 2 * m_l2 * m_q[k];
    const auto F = static_cast<std::size_t>(m_factors);
    for (std::size_t u = 0; u < m_block.users.size(); ++u)
        for (std::size_t i = 0; i < m_block.items.size(); ++i)
            if (const float r = m_block.at(u, i); !std::isnan(r)) {
                const double e = 2.0 * (predict(u, i) - r);
                for (std::size_t f = 0; f < F; ++f) {
                    gp[u * F + f] += e * m_q[i * F + f];
                    gq[i * F + f] += e * m_p[u * F + f];
                }
            }
}

void SheetModel::train(int epochs) {
    std::vector<double> gp, gq;
    double before = loss(); // kept from step to step: each step evaluates the objective once
    for (int e = 0; e < epochs; ++e) {
        gradient(gp, gq);
        const std::vector<double> p = m_p, q = m_q;
        for (std::size_t k = 0; k < m_p.size(); ++k)
            m_p[k] -= m_step * gp[k];
        for (std::size_t k = 0; k < m_q.size(); ++k)
            m_q[k] -= m_step * gq[k];
        if (const double after = loss(); after < before) {
            before = after;
            m_step *= 1.05;
        } else { // too far: back, and half the step
            m_p = p;
            m_q = q;
            m_step = std::max(1e-9, m_step * 0.5);
        }
        ++m_epochs;
    }
}

} // namespace factorscope
