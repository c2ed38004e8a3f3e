#include "core/analysis/Spreadsheet.h"

#include "core/common/Error.h"
#include "core/common/Random.h"

#include <algorithm>
#include <numeric>

namespace factorscope {

std::size_t SheetBlock::filled() const {
    return static_cast<std::size_t>(
        std::count_if(ratings.begin(), ratings.end(), [](float r) { return !std::isnan(r); }));
}

namespace {

std::vector<int32_t> mostCounted(const std::vector<int32_t>& ids, int32_t size, int take) {
    std::vector<int64_t> count(static_cast<std::size_t>(size), 0);
    for (int32_t id : ids)
        ++count[static_cast<std::size_t>(id)];
    std::vector<int32_t> order(static_cast<std::size_t>(size));
    std::iota(order.begin(), order.end(), 0);
    const auto k = std::min<std::size_t>(static_cast<std::size_t>(take), order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [&](int32_t a, int32_t b) { return count[a] != count[b] ? count[a] > count[b] : a < b; });
    order.resize(k);
    return order;
}

} // namespace

SheetBlock topBlock(const Dataset& data, int users, int items) {
    if (users < 1 || items < 1)
        throw SpecError("spreadsheet", "needs at least one user and one movie");
    if (data.ratings.empty())
        throw SpecError("spreadsheet", "the data set has no ratings");
    SheetBlock b;
    b.users = mostCounted(data.ratings.user, data.users.size(), users);
    b.items = mostCounted(data.ratings.item, data.items.size(), items);
    b.ratings.assign(b.users.size() * b.items.size(), NAN);
    std::vector<int> row(static_cast<std::size_t>(data.users.size()), -1),
        col(static_cast<std::size_t>(data.items.size()), -1);
    for (std::size_t k = 0; k < b.users.size(); ++k)
        row[static_cast<std::size_t>(b.users[k])] = static_cast<int>(k);
    for (std::size_t k = 0; k < b.items.size(); ++k)
        col[static_cast<std::size_t>(b.items[k])] = static_cast<int>(k);
    const Ratings& r = data.ratings;
    for (std::size_t k = 0; k < r.size(); ++k) {
        const int u = row[static_cast<std::size_t>(r.user[k])], i = col[static_cast<std::size_t>(r.item[k])];
        if (u >= 0 && i >= 0)
            b.ratings[static_cast<std::size_t>(u) * b.items.size() + static_cast<std::size_t>(i)] = r.rating[k];
    }
    return b;
}

SheetModel::SheetModel(const SheetBlock& block, int factors, uint64_t seed, double l2)
    : m_block(block), m_factors(factors), m_l2(l2) {
    if (factors < 1)
        throw SpecError("factors", "at least 1");
    if (block.filled() == 0)
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
            if (const float r = m_block.at(u, i); !std::isnan(r))
                sum += (predict(u, i) - r) * (predict(u, i) - r);
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
    for (int e = 0; e < epochs; ++e) {
        const double before = loss();
        gradient(gp, gq);
        const std::vector<double> p = m_p, q = m_q;
        for (std::size_t k = 0; k < m_p.size(); ++k)
            m_p[k] -= m_step * gp[k];
        for (std::size_t k = 0; k < m_q.size(); ++k)
            m_q[k] -= m_step * gq[k];
        if (loss() < before) {
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
