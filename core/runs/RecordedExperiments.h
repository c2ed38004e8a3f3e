#pragma once
// Training runs, cross-validation and grid search recorded in the run store as they run (begun
// before the first epoch or fold, so a crash leaves them interrupted), for the CLI and the app alike.
#include "core/experiment/GridSearch.h"
#include "core/runs/RunRecorder.h"

#include <cstdint>
#include <functional>
#include <string>

namespace factorscope {

// Runs `trainer` with every epoch recorded as it ends and seen by `observer` too. `afterRun`
// runs on the result before the record closes and returns the checkpoint path the record points
// at ("" for none): the CLI writes its checkpoint there, the app its predictions. When training
// or afterRun throws, the record ends failed with the error, which goes on. A store that fails
// costs the record, not the run (target.warning says why; target.runId is the run's id, or 0).
TrainResult trainRecorded(RecordTarget& target, Trainer& trainer, const Dataset& data, const Split& split,
                          TrainObserver* observer = nullptr, TrainControl* control = nullptr,
                          const std::function<std::string(const TrainResult&)>& afterRun = {});

CvResult crossValidateRecorded(RecordTarget& target, const Dataset& data, const TrainSpec& spec,
                               const CvOptions& options, const ProgressFn& progress = {},
                               TrainControl* control = nullptr);

GridResult gridSearchRecorded(RecordTarget& target, const Dataset& data, const TrainSpec& spec,
                              const std::vector<GridAxis>& axes, const GridOptions& options,
                              const ProgressFn& progress = {}, TrainControl* control = nullptr);

} // namespace factorscope
