#include "core/model/Classic.h"
#include "core/model/ModelImpl.h"
#include "core/train/StepPath.h"

#include <algorithm>
#include <cmath>

namespace factorscope {

SvdppStep::SvdppStep(Model& model, const TrainSpec& spec, const Dataset& data, const std::vector<int64_t>& rows)
    : m_net(dynamic_cast<SvdppModelImpl&>(*model.impl().net)), m_reg(spec.optimizer.weightDecay) {
    const TrainingRatings r = trainingRatings(data, rows);
    m_net.setRated(groupRatings(r.triples, static_cast<int32_t>(m_net.user.size(0)), false), r.mean, r.low, r.high);
    m_net.refreshImplicit();
}

double SvdppStep::step(const Dataset& data, const int64_t* rows, int64_t count, double lr, std::optional<double>) {
    torch::NoGradGuard noGrad;
    const auto users = static_cast<std::size_t>(m_net.user.size(0));
    // Regroup by user, stably: users in the order they first appear.
    m_start.assign(users + 1, 0);
    m_order.clear();
    for (int64_t k = 0; k < count; ++k) {
        const auto u = static_cast<std::size_t>(data.ratings.user[static_cast<std::size_t>(rows[k])]);
        if (m_start[u + 1]++ == 0)
            m_order.push_back(static_cast<int32_t>(u));
    }
    for (std::size_t u = 0; u < users; ++u)
        m_start[u + 1] += m_start[u];
    m_grouped.resize(static_cast<std::size_t>(count));
    std::vector<int64_t> fill(m_start.begin(), m_start.end() - 1);
    for (int64_t k = 0; k < count; ++k)
        m_grouped[static_cast<std::size_t>(fill[data.ratings.user[static_cast<std::size_t>(rows[k])]]++)] = rows[k];

    const int64_t f = m_net.spec.factors;
    float* P = m_net.user.data_ptr<float>();
    float* Q = m_net.item.data_ptr<float>();
    float* Y = m_net.implicit.data_ptr<float>();
    float* BU = m_net.userBias.data_ptr<float>();
    float* BI = m_net.itemBias.data_ptr<float>();
    const int64_t* off = m_net.ratedOffsets.data_ptr<int64_t>();
    const int32_t* rated = m_net.rated.data_ptr<int32_t>();
    const double mean = m_net.scale[0].item<double>();
    const auto a = static_cast<float>(lr), reg = static_cast<float>(m_reg), decay = 1.0f - a * reg;
    std::vector<float> z(static_cast<std::size_t>(f)), g(static_cast<std::size_t>(f));
    double loss = 0;
    for (int32_t u : m_order) {
        const int64_t n = off[u + 1] - off[u];
        const float s = n > 0 ? 1.0f / std::sqrt(static_cast<float>(n)) : 0.0f;
        std::fill(z.begin(), z.end(), 0.0f);
        std::fill(g.begin(), g.end(), 0.0f);
        for (int64_t k = off[u]; k < off[u + 1]; ++k)
            for (int64_t c = 0; c < f; ++c)
                z[c] += Y[rated[k] * f + c];
        for (int64_t c = 0; c < f; ++c)
            z[c] *= s;
        float* pu = P + u * f;
        float kept = 1.0f; // the product of the decays y_j took
        for (int64_t k = m_start[u]; k < m_start[u + 1]; ++k) {
            const auto row = static_cast<std::size_t>(m_grouped[static_cast<std::size_t>(k)]);
            const int32_t i = data.ratings.item[row];
            float* qi = Q + i * f;
            float dot = 0;
            for (int64_t c = 0; c < f; ++c)
                dot += qi[c] * (pu[c] + z[c]);
            const float err = data.ratings.rating[row] - static_cast<float>(mean) - BU[u] - BI[i] - dot;
            loss += static_cast<double>(err) * err;
            BU[u] += a * (err - reg * BU[u]);
            BI[i] += a * (err - reg * BI[i]);
            for (int64_t c = 0; c < f; ++c) {
                const float p = pu[c], q = qi[c];
                pu[c] += a * (err * q - reg * p);
                qi[c] += a * (err * (p + z[c]) - reg * q);
                g[c] = g[c] * decay + a * err * q * s;
                z[c] = z[c] * decay + a * err * q;
            }
            kept *= decay;
        }
        for (int64_t k = off[u]; k < off[u + 1]; ++k) {
            float* y = Y + rated[k] * f;
            for (int64_t c = 0; c < f; ++c)
                y[c] = kept * y[c] + g[c];
        }
    }
    return count ? loss / static_cast<double>(count) : 0.0;
}

void SvdppStep::endEpoch() { m_net.refreshImplicit(); }

} // namespace factorscope
