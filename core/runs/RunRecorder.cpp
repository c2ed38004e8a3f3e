#include "core/runs/RunRecorder.h"

#include "core/data/Fingerprint.h"
#include "core/train/SpecJson.h"

namespace factorscope {

RunRecord describeRun(const Dataset& data, const TrainSpec& spec, const std::string& origin, const std::string& kind) {
    RunRecord r;
    r.kind = kind;
    r.origin = origin;
    r.datasetSource = data.source;
    r.datasetFingerprint = fingerprintOf(data);
    r.split = spec.split.toString();
    r.specJson = toJson(spec).dump();
    r.seed = spec.seed;
    return r;
}

std::unique_ptr<RunRecorder> startRecording(RecordTarget& target, const Dataset& data, const TrainSpec& spec,
                                            const std::string& kind, const std::string& splitLabel) {
    target.runId = 0;
    if (target.storePath.empty())
        return nullptr;
    RunRecord run = describeRun(data, spec, target.origin, kind);
    if (!splitLabel.empty())
        run.split = splitLabel;
    try {
        auto r = std::make_unique<RunRecorder>(target.storePath, run);
        target.runId = r->id();
        return r;
    } catch (const std::exception& e) {
        target.warning = std::string("not recording this run: ") + e.what();
        return nullptr;
    }
}

RunRecorder::RunRecorder(const std::string& storePath, const RunRecord& run)
    : m_store(std::make_unique<RunStore>(storePath)), m_run(run) {
    m_id = m_store->begin(run);
}

RunRecorder::~RunRecorder() {
    // A run abandoned by an exception is not "running" any more.
    if (!m_finished) {
        try {
            fail("the run ended with an error");
        } catch (...) {
        }
    }
}

void RunRecorder::onEpoch(const EpochStats& e) {
    m_store->addEpoch(m_id, e);
    m_run.finalValRmse = e.valRmse;
    m_run.finalValMae = e.valMae;
}

void RunRecorder::finish(const TrainResult& result, const std::string& checkpointPath) {
    m_run.status = toString(result.stopReason);
    m_run.seconds = result.seconds;
    m_run.bestEpoch = result.bestEpoch;
    m_run.bestValRmse = result.bestValRmse;
    m_run.bestValNdcg = result.bestValNdcg;
    m_run.testRmse = result.testRmse;
    m_run.checkpointPath = checkpointPath;
    m_run.message = result.message;
    m_store->finish(m_id, m_run);
    m_finished = true;
}

void RunRecorder::finishExperiment(double seconds, double rmse, double mae, double ndcg, const std::string& resultJson,
                                   const std::string& message, bool stopped) {
    m_run.status = stopped ? "stopped" : "completed";
    m_run.seconds = seconds;
    m_run.bestValRmse = rmse;
    m_run.finalValRmse = rmse;
    m_run.finalValMae = mae;
    m_run.bestValNdcg = ndcg;
    m_run.resultJson = resultJson;
    m_run.message = message;
    m_store->finish(m_id, m_run);
    m_finished = true;
}

void RunRecorder::fail(const std::string& message) {
    m_run.status = "failed";
    m_run.message = message;
    m_store->finish(m_id, m_run);
    m_finished = true;
}

} // namespace factorscope
