#include "core/runs/RecordedExperiments.h"

#include "core/runs/ExperimentJson.h"
#include "core/runs/RunRecorder.h"

#include <cmath>
#include <memory>

namespace factorscope {

namespace {
// Hands every batch and epoch to the caller's observer, and each epoch to the record. A store
// that fails mid-run costs the rest of the record (the warning says so), never the run.
class RecordingObserver : public TrainObserver {
public:
    RecordingObserver(std::unique_ptr<RunRecorder> recorder, RecordTarget& target, TrainObserver* also)
        : m_recorder(std::move(recorder)), m_target(target), m_also(also) {}
    void onBatch(const BatchStats& b) override {
        if (m_also)
            m_also->onBatch(b);
    }
    void onEpoch(const EpochStats& e) override {
        record([&] { m_recorder->onEpoch(e); });
        if (m_also)
            m_also->onEpoch(e);
    }
    bool continueAfterEpoch(const EpochStats& e) override { return !m_also || m_also->continueAfterEpoch(e); }

    // Runs `write` on the record, if one is still kept; a failure drops it.
    template <class Write> void record(Write&& write) {
        if (!m_recorder)
            return;
        try {
            write();
        } catch (const std::exception& e) {
            m_target.warning = std::string("the run store failed; the rest of this run is not recorded: ") + e.what();
            m_recorder.reset(); // its destructor marks the run failed, if the store still answers
        }
    }
    RunRecorder* recorder() const { return m_recorder.get(); }

private:
    std::unique_ptr<RunRecorder> m_recorder;
    RecordTarget& m_target;
    TrainObserver* m_also;
};
} // namespace

TrainResult trainRecorded(RecordTarget& target, Trainer& trainer, const Dataset& data, const Split& split,
                          TrainObserver* observer, TrainControl* control,
                          const std::function<std::string(const TrainResult&)>& afterRun) {
    RecordingObserver both(startRecording(target, data, trainer.spec()), target, observer);
    TrainResult result;
    std::string checkpoint;
    try {
        result = trainer.run(data, split, &both, control);
        if (afterRun)
            checkpoint = afterRun(result);
    } catch (const std::exception& e) {
        both.record([&] { both.recorder()->fail(e.what()); });
        throw;
    }
    both.record([&] { both.recorder()->finish(result, checkpoint); });
    return result;
}

CvResult crossValidateRecorded(RecordTarget& target, const Dataset& data, const TrainSpec& spec,
                               const CvOptions& options, const ProgressFn& progress, TrainControl* control) {
    options.validate();
    auto recorder = startRecording(target, data, spec, "cv", cvLabel(data, options));
    const CvResult r = crossValidate(data, spec, options, progress, control);
    if (recorder)
        recorder->finishExperiment(
            r.seconds, r.meanRmse, r.meanMae, r.meanNdcg, toJson(r).dump(),
            r.scheme +
                (r.rankK > 0 ? ": nDCG@" + std::to_string(r.rankK) + " " + std::to_string(r.meanNdcg) + ", RMSE "
                             : ": RMSE ") +
                std::to_string(r.meanRmse) + " ± " + std::to_string(r.stdRmse),
            r.stopped);
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
        recorder->finishExperiment(
            r.seconds, any ? r.points.front().rmse : std::nan(""), any ? r.points.front().mae : std::nan(""),
            any ? r.points.front().ndcg : std::nan(""), j.dump(), "grid " + toString(axes), r.stopped);
    }
    return r;
}

} // namespace factorscope
