#include "core/train/TrainSpec.h"

#include "core/common/EnumNames.h"
#include "core/common/Error.h"
#include "core/train/SpecFields.h"

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
constexpr EnumName<LossKind> kLosses[] = {{LossKind::Mse, "mse"}, {LossKind::Bpr, "bpr"}};
constexpr EnumName<StopReason> kStops[] = {{StopReason::Completed, "completed"},
                                           {StopReason::EarlyStopped, "early_stopped"},
                                           {StopReason::Diverged, "diverged"},
                                           {StopReason::Stopped, "stopped"}};
} // namespace

std::string toString(OptimizerKind kind) { return nameOf(kNames, kind); }
std::optional<OptimizerKind> parseOptimizerKind(const std::string& name) { return valueOf(kNames, name); }
std::string toString(Engine e) { return nameOf(kEngines, e); }
std::optional<Engine> parseEngine(const std::string& name) { return valueOf(kEngines, name); }
std::string toString(LossKind l) { return nameOf(kLosses, l); }
std::optional<LossKind> parseLossKind(const std::string& name) { return valueOf(kLosses, name); }
std::string toString(StopReason r) { return nameOf(kStops, r); }

// The ranges of single fields are in the field table (SpecFields); these are the rules that
// tie fields together.
void OptimizerSpec::validate() const {
    if (nesterov && (kind != OptimizerKind::Sgd || momentum <= 0))
        throw SpecError("nesterov", "needs SGD with momentum > 0");
}

void TrainSpec::validate() const {
    checkFieldRanges(*this);
    model.validate();
    optimizer.validate();
    schedule.validate();
    if (engine == Engine::Fused &&
        (!(model.kind == ModelKind::Dot || model.kind == ModelKind::DotBias) || device != "cpu"))
        throw SpecError("engine", "the fused path trains dot and dotbias on the CPU; use auto or general");
    if (loss == LossKind::Bpr && model.classic())
        throw SpecError("loss", toString(model.kind) + " is fitted to the ratings themselves, not trained by a loss: "
                                                       "use --loss mse");
    if (model.kind == ModelKind::SvdPP) {
        if (loss != LossKind::Mse)
            throw SpecError("loss", "svdpp is trained on the squared error only: use --loss mse");
        if (optimizer.kind != OptimizerKind::Sgd || optimizer.momentum != 0 || optimizer.nesterov)
            throw SpecError("optimizer", "svdpp trains by plain SGD (its weight decay is the L2 penalty): use "
                                         "--optimizer sgd without momentum");
        if (device != "cpu")
            throw SpecError("device", "svdpp trains on the CPU: use --device cpu");
    }
    if (model.kind == ModelKind::AutoRec && loss != LossKind::Mse)
        throw SpecError("loss", "autorec reconstructs the observed ratings by their squared error: use --loss mse");
    if (ranksOnly() && rankK == 0)
        throw SpecError("rank-k", (loss == LossKind::Bpr ? std::string("BPR") : toString(model.kind)) +
                                      " is judged by validation nDCG: give K from 1");
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

void TrainSpec::setModelKind(ModelKind k) {
    if (k == model.kind)
        return;
    // SVD++ and AutoRec train by settings of their own; leaving them restores the defaults.
    // SVD++'s rate and penalty are the best of a u1..u5 cross-validated grid (README; Surprise's
    // 0.007 and 0.02 came second); AutoRec's Adam at 0.001 on batches of 256 movies with no decay
    // (its penalty is the objective's lambda) for 25 epochs, the best of a u1..u5 grid too.
    const TrainSpec plain;
    if (k == ModelKind::SvdPP) {
        optimizer = OptimizerSpec::defaultsFor(OptimizerKind::Sgd);
        optimizer.lr = 0.01;
        optimizer.weightDecay = 0.05;
        optimizer.momentum = 0;
        schedule.kind = ScheduleKind::Constant;
        epochs = 20;
    } else if (k == ModelKind::AutoRec) {
        optimizer = OptimizerSpec::defaultsFor(OptimizerKind::Adam);
        optimizer.lr = 1e-3;
        optimizer.weightDecay = 0;
        schedule.kind = ScheduleKind::Constant;
        epochs = 25;
        batchSize = 256;
    } else if (model.stepsByEpoch()) {
        optimizer = plain.optimizer;
        schedule = plain.schedule;
        epochs = plain.epochs;
        batchSize = plain.batchSize;
    }
    model = ModelSpec::defaultsFor(k);
    if (loss == LossKind::Bpr)
        model.useYRange = false;
}

void TrainSpec::setLoss(LossKind l) {
    if (l == loss)
        return;
    loss = l;
    const TrainSpec plain;
    if (l == LossKind::Bpr) {
        model.useYRange = false;
        optimizer.lr = optimizer.kind == OptimizerKind::AdamW ? 0.01 : OptimizerSpec::defaultsFor(optimizer.kind).lr;
        negatives = 4;
        epochs = 20;
    } else {
        model.useYRange = ModelSpec::defaultsFor(model.kind).useYRange;
        optimizer.lr = OptimizerSpec::defaultsFor(optimizer.kind).lr;
        epochs = plain.epochs;
    }
}

} // namespace factorscope
