#pragma once
// Cross-validation and grid search recorded in the run store as they run (begun before the
// first fold, so a crash leaves them interrupted), for the CLI and the app alike.
#include "core/experiment/GridSearch.h"
#include "core/runs/RunRecorder.h"

#include <cstdint>
#include <string>

namespace factorscope {

CvResult crossValidateRecorded(RecordTarget& target, const Dataset& data, const TrainSpec& spec,
                               const CvOptions& options, const ProgressFn& progress = {},
                               TrainControl* control = nullptr);

GridResult gridSearchRecorded(RecordTarget& target, const Dataset& data, const TrainSpec& spec,
                              const std::vector<GridAxis>& axes, const GridOptions& options,
                              const ProgressFn& progress = {}, TrainControl* control = nullptr);

} // namespace factorscope
