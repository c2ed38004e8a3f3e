#include "core/runs/RecordedExperiments.h"

#include "core/io/ExperimentJson.h"
#include "core/runs/RunRecorder.h"

#include <cmath>
#include <memory>
#include <optional>

namespace fs {

namespace {

std::unique_ptr<RunRecorder> begin(RecordTarget& t, const Dataset& data, const TrainSpec& spec,
                                   const std::string& kind, const std::optional<CvOptions>& cv) {
    t.runId = 0;
    if (t.storePath.empty())
        return nullptr;
    RunRecord run = describeRun(data, spec, t.origin, kind);
    if (cv)
        run.split = cvLabel(data, *cv);
    try {
        auto r = std::make_unique<RunRecorder>(t.storePath, run);
        t.runId = r->id();
        return r;
    } catch (const std::exception& e) {
        t.warning = std::string("not recording this run: ") + e.what();
        return nullptr;
    }
}

} // namespace

CvResult crossValidateRecorded(RecordTarget& target, const Dataset& data, const TrainSpec& spec,
                               const CvOptions& options, const ProgressFn& progress, TrainControl* control) {
    options.validate();
    auto recorder = begin(target, data, spec, "cv", options);
    const CvResult r = crossValidate(data, spec, options, progress, control);
    if (recorder)
        recorder->finishExperiment(r.seconds, r.meanRmse, r.meanMae, toJson(r).dump(),
                                   r.scheme + ": RMSE " + std::to_string(r.meanRmse) + " ± " +
                                       std::to_string(r.stdRmse),
                                   r.stopped);
    return r;
}

GridResult gridSearchRecorded(RecordTarget& target, const Dataset& data, const TrainSpec& spec,
                              const std::vector<GridAxis>& axes, const GridOptions& options,
                              const ProgressFn& progress, TrainControl* control) {
    auto recorder = begin(target, data, spec, "grid",
                          options.crossValidate ? std::optional<CvOptions>(options.cv) : std::nullopt);
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

} // namespace fs
