#include "core/model/ModelImpl.h"
#include "core/train/FusedTrainer.h"
#include "core/train/Optimizers.h"
#include "core/train/StepPath.h"

#include <cmath>

namespace factorscope {

std::vector<int64_t> trainingRows(const Dataset& data, const std::vector<int64_t>& trainRows, const TrainSpec& spec) {
    if (!spec.ranksOnly() || spec.positiveAt <= 0)
        return trainRows;
    std::vector<int64_t> rows;
    rows.reserve(trainRows.size());
    for (int64_t r : trainRows)
        if (data.ratings.rating[static_cast<std::size_t>(r)] >= spec.positiveAt)
            rows.push_back(r);
    return rows;
}

BprStep::BprStep(Model& model, torch::optim::Optimizer& optimizer, OptimizerKind kind, const Dataset& data,
                 const std::vector<int64_t>& positives, int negatives, uint64_t seed)
    : m_model(model), m_optimizer(optimizer), m_kind(kind), m_draws(data, positives, negatives, seed) {}

double BprStep::step(const Dataset& data, const int64_t* rows, int64_t count, double lr,
                     std::optional<double> momentum) {
    setLearningRate(m_optimizer, lr);
    if (momentum)
        setMomentum(m_optimizer, m_kind, *momentum);
    const int64_t pairs = m_draws.triples(count);
    auto triples = torch::empty({3, pairs}, torch::kInt);
    m_draws.next(data, rows, count, triples.data_ptr<int32_t>());
    triples = triples.to(m_model.impl().device, torch::kLong);
    const auto users = triples[0];
    m_optimizer.zero_grad();
    auto& net = m_model.impl().net;
    const auto scores = net->forward(torch::cat({users, users}), torch::cat({triples[1], triples[2]}));
    const auto difference = scores.slice(0, 0, pairs) - scores.slice(0, pairs);
    const auto loss = -torch::log_sigmoid(difference).mean();
    loss.backward();
    m_optimizer.step();
    return loss.item<double>();
}

FusedBprStep::FusedBprStep(FusedTrainer& fused, const Dataset& data, const std::vector<int64_t>& positives,
                           int negatives, uint64_t seed)
    : m_fused(fused), m_draws(data, positives, negatives, seed) {
    m_fused.pullWeights();
}

double FusedBprStep::step(const Dataset& data, const int64_t* rows, int64_t count, double lr,
                          std::optional<double> momentum) {
    const int64_t pairs = m_draws.triples(count);
    m_triples.resize(3 * static_cast<std::size_t>(pairs));
    int32_t* t = m_triples.data();
    m_draws.next(data, rows, count, t);
    return m_fused.stepBpr(t, t + pairs, t + 2 * pairs, pairs, lr, momentum.value_or(std::nan("")));
}

void FusedBprStep::endEpoch() { m_fused.catchUp(); }

} // namespace factorscope
