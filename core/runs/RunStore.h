#pragma once
// The run store: every training run, cross-validation and grid search, from the GUI or the
// CLI, recorded in one SQLite database in the user's data directory. Each epoch is committed
// as it ends, so a crash leaves the run with its metrics so far; the next open marks it
// interrupted. The schema is versioned (PRAGMA user_version) and migrated on open.
#include "core/train/TrainSpec.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace factorscope {

struct RunRecord {
    int64_t id = 0;
    std::string kind = "train"; // train, cv, grid
    std::string status;         // running, completed, early_stopped, diverged, stopped, failed, interrupted
    std::string origin;         // gui, cli
    std::string startedAt;      // ISO 8601, UTC
    double seconds = 0;
    std::string datasetSource;
    std::string datasetFingerprint;
    std::string split;
    std::string specJson; // the full TrainSpec
    uint64_t seed = 0;
    std::string version = FACTORSCOPE_VERSION;
    int bestEpoch = 0;
    double bestValRmse = std::numeric_limits<double>::quiet_NaN();
    double finalValRmse = std::numeric_limits<double>::quiet_NaN();
    double finalValMae = std::numeric_limits<double>::quiet_NaN();
    double testRmse = std::numeric_limits<double>::quiet_NaN();
    double bestValNdcg = std::numeric_limits<double>::quiet_NaN(); // of the best epoch, where it was ranked
    std::string checkpointPath;
    std::string message;
    std::string resultJson;         // cv: per-fold metrics; grid: one row per grid point
    std::vector<EpochStats> epochs; // filled by RunStore::get, not by list
};

class RunStore {
public:
    static constexpr int kSchemaVersion = 3;

    // $FACTORSCOPE_RUNS_DB when set, else $XDG_DATA_HOME (or ~/.local/share)/factorscope/runs.sqlite.
    static std::string defaultPath();

    // Opens or creates the database (and its folder), migrates an older schema, and marks runs
    // whose process is gone as interrupted. Throws IoError naming the file and what to do.
    explicit RunStore(const std::string& path);
    ~RunStore();
    RunStore(const RunStore&) = delete;
    RunStore& operator=(const RunStore&) = delete;

    const std::string& path() const { return m_path; }
    int schemaVersion() const;

    // Inserts a run with status "running" and this process's id; returns its id.
    int64_t begin(const RunRecord& run);
    void addEpoch(int64_t runId, const EpochStats& epoch);
    // Writes the final status, metrics, duration, checkpoint, message and result of `run`.
    void finish(int64_t runId, const RunRecord& run);
    void setCheckpoint(int64_t runId, const std::string& path);

    std::vector<RunRecord> list() const; // newest first, without epochs
    std::optional<RunRecord> get(int64_t runId) const;
    void remove(const std::vector<int64_t>& runIds);
    // Runs still "running" whose process no longer exists become "interrupted"; returns how many.
    int markInterrupted();

private:
    void exec(const char* sql) const;
    void transaction(const std::function<void()>& work); // rolled back when work throws
    void migrate();

    std::string m_path;
    sqlite3* m_db = nullptr;
};

} // namespace factorscope
