#include "core/train/TrainSpec.h"

#include "core/common/EnumNames.h"
#include "core/common/Error.h"

#include <cmath>

namespace factorscope {

namespace {
constexpr EnumName<OptimizerKind> kNames[] = {{OptimizerKind::Sgd, "sgd"},
                                              {OptimizerKind::Adam, "adam"},
                                              {OptimizerKind::AdamW, "adamw"},
                                              {OptimizerKind::Adagrad, "adagrad"},
                                              {OptimizerKind::RmsProp, "rmsprop"}};
constexpr EnumName<Engine> kEngines[] = {
    {Engine::Auto, "auto"}, {Engine::Fused, "fused"}, {Engine::General, "general"}};
constexpr EnumName<StopReason> kStops[] = {{StopReason::Completed, "completed"},
                                           {StopReason::EarlyStopped, "early_stopped"},
                                           {StopReason::Diverged, "diverged"},
                                           {StopReason::Stopped, "stopped"}};
} // namespace

std::string toString(OptimizerKind kind) { return nameOf(kNames, kind); }
std::optional<OptimizerKind> parseOptimizerKind(const std::string& name) { return valueOf(kNames, name); }
std::string toString(Engine e) { return nameOf(kEngines, e); }
std::optional<Engine> parseEngine(const std::string& name) { return valueOf(kEngines, name); }
std::string toString(StopReason r) { return nameOf(kStops, r); }

void OptimizerSpec::validate() const {
    if (!(std::isfinite(lr) && lr > 0 && lr <= 100))
        throw SpecError("lr", "must be in (0, 100], got " + std::to_string(lr));
    if (!(weightDecay >= 0 && weightDecay <= 10))
        throw SpecError("weight-decay", "must be in [0, 10], got " + std::to_string(weightDecay));
    if (!(momentum >= 0 && momentum < 1))
        throw SpecError("momentum", "must be in [0, 1), got " + std::to_string(momentum));
    if (nesterov && (kind != OptimizerKind::Sgd || momentum <= 0))
        throw SpecError("nesterov", "needs SGD with momentum > 0");
    if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1))
        throw SpecError("betas", "each must be in [0, 1)");
    if (!(eps > 0 && eps < 1))
        throw SpecError("eps", "must be in (0, 1)");
}

void TrainSpec::validate() const {
    model.validate();
    optimizer.validate();
    schedule.validate();
    if (epochs < 1 || epochs > 100000)
        throw SpecError("epochs", "must be from 1 to 100000, got " + std::to_string(epochs));
    if (batchSize < 1 || batchSize > (1 << 24))
        throw SpecError("batch-size", "must be from 1 to 16777216, got " + std::to_string(batchSize));
    if (patience < 0)
        throw SpecError("patience", "must not be negative (0 turns early stopping off)");
    if (minEpochs < 0)
        throw SpecError("min-epochs", "must not be negative");
    if (engine == Engine::Fused &&
        (!(model.kind == ModelKind::Dot || model.kind == ModelKind::DotBias) || device != "cpu"))
        throw SpecError("engine", "the fused path trains dot and dotbias on the CPU; use auto or general");
    if (threads < 0 || threads > 1024)
        throw SpecError("threads", "must be from 0 (automatic) to 1024, got " + std::to_string(threads));
}

OptimizerSpec OptimizerSpec::defaultsFor(OptimizerKind kind) {
    OptimizerSpec s;
    s.kind = kind;
    switch (kind) {
    case OptimizerKind::AdamW:
        break; // lr 0.005, decoupled decay 0.4: the cross-validated grid's best (README)
    case OptimizerKind::Adam:
        s.lr = 1e-2;
        s.weightDecay = 1e-4;
        break;
    case OptimizerKind::Sgd:
        s.lr = 0.05;
        s.weightDecay = 1e-4;
        break;
    case OptimizerKind::Adagrad:
        s.lr = 0.05;
        s.weightDecay = 0.0;
        break;
    case OptimizerKind::RmsProp:
        s.lr = 1e-3;
        s.weightDecay = 1e-4;
        s.momentum = 0.0;
        break;
    }
    return s;
}

TrainSpec TrainSpec::defaults() { return TrainSpec{}; }

} // namespace factorscope
