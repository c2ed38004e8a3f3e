#pragma once
// The engine's value types as Qt meta types, so they travel in queued signals. Included
// before any class that uses them in a signal.
#include "core/analysis/DataViews.h"
#include "core/data/Dataset.h"
#include "core/experiment/GridSearch.h"
#include "core/model/Model.h"
#include "core/train/LrFinder.h"
#include "core/train/TrainSpec.h"

#include <QMetaType>
#include <QVector>

#include <memory>

Q_DECLARE_METATYPE(fs::TrainSpec)
Q_DECLARE_METATYPE(fs::BatchStats)
Q_DECLARE_METATYPE(fs::EpochStats)
Q_DECLARE_METATYPE(fs::TrainResult)
Q_DECLARE_METATYPE(fs::DatasetSummary)
Q_DECLARE_METATYPE(fs::LrFindResult)
Q_DECLARE_METATYPE(std::shared_ptr<const fs::Dataset>)
Q_DECLARE_METATYPE(std::shared_ptr<const fs::DataDigest>)
Q_DECLARE_METATYPE(std::shared_ptr<const fs::Matrix>)
Q_DECLARE_METATYPE(std::vector<fs::EpochStats>)
Q_DECLARE_METATYPE(fs::Matrix)
Q_DECLARE_METATYPE(fs::CvResult)
Q_DECLARE_METATYPE(fs::GridResult)

namespace fs::ui {
// Registers them once; call before the first queued connection.
void registerMetaTypes();
} // namespace fs::ui
