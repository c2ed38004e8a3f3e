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

Q_DECLARE_METATYPE(factorscope::TrainSpec)
Q_DECLARE_METATYPE(factorscope::BatchStats)
Q_DECLARE_METATYPE(factorscope::EpochStats)
Q_DECLARE_METATYPE(factorscope::TrainResult)
Q_DECLARE_METATYPE(factorscope::DatasetSummary)
Q_DECLARE_METATYPE(factorscope::LrFindResult)
Q_DECLARE_METATYPE(std::shared_ptr<const factorscope::Dataset>)
Q_DECLARE_METATYPE(std::shared_ptr<const factorscope::DataDigest>)
Q_DECLARE_METATYPE(std::shared_ptr<const factorscope::Matrix>)
Q_DECLARE_METATYPE(std::vector<factorscope::EpochStats>)
Q_DECLARE_METATYPE(factorscope::Matrix)
Q_DECLARE_METATYPE(factorscope::CvResult)
Q_DECLARE_METATYPE(factorscope::GridResult)

namespace factorscope::ui {
// Registers them once; call before the first queued connection.
void registerMetaTypes();
} // namespace factorscope::ui
