#pragma once
// Records one training run in the run store as it goes: the run at the start, each epoch as it
// ends (committed, so a crash keeps it), the outcome at the end. Used as a TrainObserver by
// the CLI, and by the GUI's training session on its worker thread.
#include "core/data/Dataset.h"
#include "core/runs/RunStore.h"
#include "core/train/Trainer.h"

#include <memory>
#include <string>
#include <utility>

namespace factorscope {

// The run's description before it starts: data set source and fingerprint (the data set's own
// when it carries one, else hashed), split, spec, seed.
RunRecord describeRun(const Dataset& data, const TrainSpec& spec, const std::string& origin,
                      const std::string& kind = "train");

struct RecordTarget {
    RecordTarget() = default;
    RecordTarget(std::string store, std::string from) : storePath(std::move(store)), origin(std::move(from)) {}

    std::string storePath; // empty: record nothing
    std::string origin;    // gui, cli
    int64_t runId = 0;     // out: the run's id, 0 when not recorded
    std::string warning;   // out: why it was not recorded, when the store failed
};

class RunRecorder;
// Begins recording a run of `spec` on `data` in target.storePath (describing it, which hashes
// the data, only then). A store that cannot open costs the record, not the run: nullptr, with
// target.warning saying why. nullptr too when the path is empty. `splitLabel` replaces the
// spec's split in the record (cross-validation's folds).
std::unique_ptr<RunRecorder> startRecording(RecordTarget& target, const Dataset& data, const TrainSpec& spec,
                                            const std::string& kind = "train", const std::string& splitLabel = {});

class RunRecorder : public TrainObserver {
public:
    // Opens (or creates) the store at `storePath` and begins the run. Throws IoError.
    RunRecorder(const std::string& storePath, const RunRecord& run);
    ~RunRecorder() override;

    int64_t id() const { return m_id; }
    void onEpoch(const EpochStats& e) override;
    void finish(const TrainResult& result, const std::string& checkpointPath = {});
    // Ends a cross-validation or grid-search run with its result (ndcg NaN where not ranked).
    void finishExperiment(double seconds, double rmse, double mae, double ndcg, const std::string& resultJson,
                          const std::string& message, bool stopped);
    void fail(const std::string& message);

private:
    std::unique_ptr<RunStore> m_store;
    RunRecord m_run;
    int64_t m_id = 0;
    bool m_finished = false;
};

} // namespace factorscope
