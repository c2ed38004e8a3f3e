#include "core/runs/RecordedExperiments.h"

#include "core/runs/ExperimentJson.h"
#include "core/runs/RunRecorder.h"

#include <cmath>
#include <memory>

namespace factorscope {

CvResult crossValidateRecorded(RecordTarget& target, const Dataset& data, const TrainSpec& spec,
                               const CvOptions& options, const ProgressFn& progress, TrainControl* control) {
    options.validate();
    auto recorder = startRecording(target, data, spec, "cv", cvLabel(data, options));
    const CvResult r = crossValidate(data, spec, options, progress, control);
    if (recorder)
        recorder->finishExperiment(
            r.seconds, r.meanRmse, r.meanMae, toJson(r).dump(),
            r.scheme + ": RMSE " + std::to_string(r.meanRmse) + " ± " + std::to_string(r.stdRmse), r.stopped);
    return r;
}

GridResult gridSearchRecorded(RecordTarget& target, const Dataset& data, const TrainSpec& spec,
                              const std::vector<GridAxis>& axes, const GridOptions& options, const ProgressFn& progress,
                              TrainControl* control) {
    auto recorder = startRecording(target, data, spec, "grid", options.crossValidate ? cvLabel(data, options.cv) : "");
    const GridResult r = gridSearch(data, spec, axes, options, progress, control);
    if (recorder) {
        nlohmann::json j = toJson(r);
        j["grid"] = toString(axes);
        const bool any = !r.points.empty();
        recorder->finishExperiment(r.seconds, any ? r.points.front().rmse : std::nan(""),
                                   any ? r.points.front().mae : std::nan(""), j.dump(), "grid " + toString(axes),
                                   r.stopped);
    }
    return r;
}

} // namespace factorscope
