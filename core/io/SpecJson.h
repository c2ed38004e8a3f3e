#pragma once
// JSON forms of the engine's value types: checkpoints store them, the CLI prints them.
#include "core/data/Dataset.h"
#include "core/train/TrainSpec.h"

#include <nlohmann/json.hpp>

namespace fs {

nlohmann::json toJson(const ModelSpec& s);
nlohmann::json toJson(const OptimizerSpec& s);
nlohmann::json toJson(const ScheduleSpec& s);
nlohmann::json toJson(const TrainSpec& s);
nlohmann::json toJson(const EpochStats& s);
nlohmann::json toJson(const DatasetSummary& s);

// Throw CheckpointError naming the missing or mistyped field.
ModelSpec modelSpecFromJson(const nlohmann::json& j);
OptimizerSpec optimizerSpecFromJson(const nlohmann::json& j);
ScheduleSpec scheduleSpecFromJson(const nlohmann::json& j);
TrainSpec trainSpecFromJson(const nlohmann::json& j);
EpochStats epochStatsFromJson(const nlohmann::json& j);

// NaN and infinity have no JSON form: they become null.
nlohmann::json number(double v);

} // namespace fs
