#include "core/train/StepPath.h"

#include "core/model/ModelImpl.h"
#include "core/train/FusedTrainer.h"
#include "core/train/Optimizers.h"

#include <algorithm>
#include <cmath>

namespace factorscope {

namespace {
// A rating column of the whole data set as a tensor of `type` on `device`.
template <class T> torch::Tensor columnOf(const std::vector<T>& values, torch::ScalarType type, torch::Device device) {
    const auto source = torch::from_blob(const_cast<T*>(values.data()), {static_cast<int64_t>(values.size())},
                                         c10::CppTypeToScalarType<T>::value);
    return source.to(device, type, /*non_blocking=*/false, /*copy=*/true);
}
} // namespace

GeneralStep::GeneralStep(Model& model, torch::optim::Optimizer& optimizer, OptimizerKind kind, const Dataset& data)
    : m_model(model), m_optimizer(optimizer), m_kind(kind) {
    const torch::Device device = model.impl().device;
    m_users = columnOf(data.ratings.user, torch::kLong, device);
    m_items = columnOf(data.ratings.item, torch::kLong, device);
    m_targets = columnOf(data.ratings.rating, torch::kFloat, device);
}

double GeneralStep::step(const Dataset&, const int64_t* rows, int64_t count, double lr,
                         std::optional<double> momentum) {
    setLearningRate(m_optimizer, lr);
    if (momentum)
        setMomentum(m_optimizer, m_kind, *momentum);
    auto idx = torch::from_blob(const_cast<int64_t*>(rows), {count}, torch::kLong);
    if (!m_users.is_cpu())
        idx = idx.to(m_users.device());
    m_optimizer.zero_grad();
    if (!m_batchUsers.defined() || m_batchUsers.size(0) != count) {
        m_batchUsers = torch::empty({count}, m_users.options());
        m_batchItems = torch::empty({count}, m_items.options());
        m_batchTargets = torch::empty({count}, m_targets.options());
    }
    torch::index_select_out(m_batchUsers, m_users, 0, idx);
    torch::index_select_out(m_batchItems, m_items, 0, idx);
    torch::index_select_out(m_batchTargets, m_targets, 0, idx);
    const auto pred = m_model.impl().net->forward(m_batchUsers, m_batchItems);
    const auto loss = torch::mse_loss(pred, m_batchTargets);
    loss.backward();
    m_optimizer.step();
    return loss.item<double>();
}

TrainingRatings trainingRatings(const Dataset& data, const std::vector<int64_t>& rows) {
    TrainingRatings out;
    RatingTriples& t = out.triples;
    double sum = 0;
    for (int64_t r : rows) {
        const auto k = static_cast<std::size_t>(r);
        t.user.push_back(data.ratings.user[k]);
        t.item.push_back(data.ratings.item[k]);
        t.rating.push_back(data.ratings.rating[k]);
        sum += t.rating.back();
        out.low = t.size() == 1 ? t.rating.back() : std::min(out.low, t.rating.back());
        out.high = t.size() == 1 ? t.rating.back() : std::max(out.high, t.rating.back());
    }
    out.mean = rows.empty() ? 0.0 : sum / static_cast<double>(rows.size());
    return out;
}

FusedStep::FusedStep(FusedTrainer& fused) : m_fused(fused) { m_fused.pullWeights(); }

double FusedStep::step(const Dataset& data, const int64_t* rows, int64_t count, double lr,
                       std::optional<double> momentum) {
    return m_fused.step(data, rows, count, lr, momentum.value_or(std::nan("")));
}

void FusedStep::endEpoch() { m_fused.catchUp(); }
bool FusedStep::leavesCoreFree() const { return m_fused.leavesCoreFree(); }

std::unique_ptr<StepPath> makeStepPath(Model& model, const TrainSpec& spec, const Dataset& data,
                                       const std::vector<int64_t>& rows,
                                       std::unique_ptr<torch::optim::Optimizer>& optimizer,
                                       std::unique_ptr<FusedTrainer>& fused) {
    if (spec.model.kind == ModelKind::SvdPP)
        return std::make_unique<SvdppStep>(model, spec, data, rows);
    if (!takesFusedPath(spec)) {
        if (!optimizer)
            optimizer = makeOptimizer(optimizerToBuild(spec), model.impl().net->parameters());
        if (spec.model.kind == ModelKind::AutoRec)
            return std::make_unique<AutorecStep>(model, *optimizer, spec, data, rows);
        if (spec.loss == LossKind::Bpr)
            return std::make_unique<BprStep>(model, *optimizer, spec.optimizer.kind, data, rows, spec.negatives,
                                             spec.seed);
        return std::make_unique<GeneralStep>(model, *optimizer, spec.optimizer.kind, data);
    }
    if (!fused)
        fused = std::make_unique<FusedTrainer>(model, spec);
    else
        fused->setSpec(spec);
    if (spec.loss == LossKind::Bpr)
        return std::make_unique<FusedBprStep>(*fused, data, rows, spec.negatives, spec.seed);
    return std::make_unique<FusedStep>(*fused);
}

} // namespace factorscope
