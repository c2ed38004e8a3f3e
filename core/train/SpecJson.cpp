#include "core/train/SpecJson.h"

#include "core/common/Error.h"

#include <cmath>

namespace factorscope {

using nlohmann::json;

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

namespace {

template <class T> T get(const json& j, const char* key) {
    if (!j.is_object() || !j.contains(key))
        throw CheckpointError(std::string("missing field \"") + key + "\"");
    try {
        if constexpr (std::is_floating_point_v<T>) {
            if (j.at(key).is_null())
                return std::nan("");
        }
        const std::string what = std::string("field \"") + key + "\"";
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
            return checkedInteger<T>(j.at(key), what);
        else if constexpr (std::is_same_v<T, std::vector<int>>)
            return checkedIntegers<int>(j.at(key), what);
        else
            return j.at(key).get<T>();
    } catch (const json::exception&) {
        throw CheckpointError(std::string("field \"") + key + "\" has the wrong type");
    }
}

template <class E> E getEnum(const json& j, const char* key, std::optional<E> (*parse)(const std::string&)) {
    const auto name = get<std::string>(j, key);
    auto v = parse(name);
    if (!v)
        throw CheckpointError(std::string("field \"") + key + "\": unknown value \"" + name + "\"");
    return *v;
}

} // namespace

json toJson(const ModelSpec& s) {
    return {{"kind", toString(s.kind)},
            {"factors", s.factors},
            {"hidden", s.hidden},
            {"dropouts", s.dropouts},
            {"embedding_dropout", s.embeddingDropout},
            {"use_y_range", s.useYRange},
            {"y_min", s.yMin},
            {"y_max", s.yMax},
            {"linear_relu", s.linearRelu},
            {"init", toString(s.init)},
            {"init_std", s.initStd},
            {"init_low", s.initLow},
            {"init_high", s.initHigh}};
}

ModelSpec modelSpecFromJson(const json& j) {
    ModelSpec s;
    s.kind = getEnum<ModelKind>(j, "kind", parseModelKind);
    s.factors = get<int>(j, "factors");
    s.hidden = get<std::vector<int>>(j, "hidden");
    s.dropouts = get<std::vector<double>>(j, "dropouts");
    s.embeddingDropout = get<double>(j, "embedding_dropout");
    s.useYRange = get<bool>(j, "use_y_range");
    s.yMin = get<double>(j, "y_min");
    s.yMax = get<double>(j, "y_max");
    s.linearRelu = get<bool>(j, "linear_relu");
    s.init = getEnum<InitKind>(j, "init", parseInitKind);
    s.initStd = get<double>(j, "init_std");
    s.initLow = get<double>(j, "init_low");
    s.initHigh = get<double>(j, "init_high");
    return s;
}

json toJson(const OptimizerSpec& s) {
    return {{"kind", toString(s.kind)},
            {"lr", s.lr},
            {"weight_decay", s.weightDecay},
            {"momentum", s.momentum},
            {"nesterov", s.nesterov},
            {"beta1", s.beta1},
            {"beta2", s.beta2},
            {"eps", s.eps}};
}

OptimizerSpec optimizerSpecFromJson(const json& j) {
    OptimizerSpec s;
    s.kind = getEnum<OptimizerKind>(j, "kind", parseOptimizerKind);
    s.lr = get<double>(j, "lr");
    s.weightDecay = get<double>(j, "weight_decay");
    s.momentum = get<double>(j, "momentum");
    s.nesterov = get<bool>(j, "nesterov");
    s.beta1 = get<double>(j, "beta1");
    s.beta2 = get<double>(j, "beta2");
    s.eps = get<double>(j, "eps");
    return s;
}

json toJson(const ScheduleSpec& s) {
    return {{"kind", toString(s.kind)},
            {"gamma", s.gamma},
            {"step_size", s.stepSize},
            {"max_lr", s.maxLr},
            {"t_max", s.tMax},
            {"eta_min", s.etaMin},
            {"pct_start", s.pctStart},
            {"div_factor", s.divFactor},
            {"final_div_factor", s.finalDivFactor},
            {"momentum_max", s.momentumMax},
            {"momentum_min", s.momentumMin},
            {"cycle_momentum", s.cycleMomentum}};
}

ScheduleSpec scheduleSpecFromJson(const json& j) {
    ScheduleSpec s;
    s.kind = getEnum<ScheduleKind>(j, "kind", parseScheduleKind);
    s.gamma = get<double>(j, "gamma");
    s.stepSize = get<int>(j, "step_size");
    s.maxLr = get<double>(j, "max_lr");
    s.tMax = get<int>(j, "t_max");
    s.etaMin = get<double>(j, "eta_min");
    s.pctStart = get<double>(j, "pct_start");
    s.divFactor = get<double>(j, "div_factor");
    s.finalDivFactor = get<double>(j, "final_div_factor");
    s.momentumMax = get<double>(j, "momentum_max");
    s.momentumMin = get<double>(j, "momentum_min");
    s.cycleMomentum = get<bool>(j, "cycle_momentum");
    return s;
}

json toJson(const TrainSpec& s) {
    return {{"split", s.split.toString()},
            {"split_seed", s.split.seed},
            {"model", toJson(s.model)},
            {"optimizer", toJson(s.optimizer)},
            {"schedule", toJson(s.schedule)},
            {"epochs", s.epochs},
            {"batch_size", s.batchSize},
            {"patience", s.patience},
            {"min_epochs", s.minEpochs},
            {"restore_best", s.restoreBest},
            {"seed", s.seed},
            {"threads", s.threads},
            {"device", s.device},
            {"engine", toString(s.engine)}};
}

TrainSpec trainSpecFromJson(const json& j) {
    TrainSpec s;
    try {
        s.split = SplitSpec::parse(get<std::string>(j, "split"));
    } catch (const SpecError& e) {
        throw CheckpointError(std::string("field \"split\": ") + e.what());
    }
    s.split.seed = get<uint64_t>(j, "split_seed");
    if (!j.contains("model") || !j.contains("optimizer") || !j.contains("schedule"))
        throw CheckpointError("missing field \"model\", \"optimizer\" or \"schedule\"");
    s.model = modelSpecFromJson(j.at("model"));
    s.optimizer = optimizerSpecFromJson(j.at("optimizer"));
    s.schedule = scheduleSpecFromJson(j.at("schedule"));
    s.epochs = get<int>(j, "epochs");
    s.batchSize = get<int>(j, "batch_size");
    s.patience = get<int>(j, "patience");
    s.minEpochs = get<int>(j, "min_epochs");
    s.restoreBest = get<bool>(j, "restore_best");
    s.seed = get<uint64_t>(j, "seed");
    s.threads = get<int>(j, "threads");
    s.device = get<std::string>(j, "device");
    if (j.contains("engine")) // absent in checkpoints written before the fused path
        s.engine = getEnum<Engine>(j, "engine", parseEngine);
    return s;
}

json toJson(const EpochStats& s) {
    return {{"epoch", s.epoch},
            {"train_loss", number(s.trainLoss)},
            {"val_loss", number(s.valLoss)},
            {"val_rmse", number(s.valRmse)},
            {"val_mae", number(s.valMae)},
            {"lr", number(s.lr)},
            {"seconds", number(s.seconds)},
            {"ratings_per_second", number(s.ratingsPerSecond)},
            {"best", s.best}};
}

EpochStats epochStatsFromJson(const json& j) {
    EpochStats s;
    s.epoch = get<int>(j, "epoch");
    s.trainLoss = get<double>(j, "train_loss");
    s.valLoss = get<double>(j, "val_loss");
    s.valRmse = get<double>(j, "val_rmse");
    s.valMae = get<double>(j, "val_mae");
    s.lr = get<double>(j, "lr");
    s.seconds = get<double>(j, "seconds");
    s.ratingsPerSecond = get<double>(j, "ratings_per_second");
    s.best = get<bool>(j, "best");
    return s;
}

json toJson(const DatasetSummary& s) {
    json j = {{"format", s.format},
              {"source", s.source},
              {"ratings", s.ratings},
              {"fingerprint", s.fingerprint},
              {"users", s.users},
              {"items", s.items},
              {"catalogue_items", s.catalogueItems},
              {"rating_min", s.ratingMin},
              {"rating_max", s.ratingMax},
              {"rating_mean", number(s.ratingMean)},
              {"density", number(s.density)},
              {"rating_histogram", s.histogram},
              {"genres", s.genres},
              {"predefined_splits", s.predefinedSplits},
              {"skipped_lines", s.report.skippedLines},
              {"duplicates_skipped", s.report.duplicatesSkipped},
              {"items_missing_from_catalogue", s.report.itemsMissingFromCatalogue}};
    if (!s.report.firstProblems.empty())
        j["first_problems"] = s.report.firstProblems;
    if (!s.report.warnings.empty())
        j["warnings"] = s.report.warnings;
    return j;
}

} // namespace factorscope
