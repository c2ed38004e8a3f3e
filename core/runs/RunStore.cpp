#include "core/runs/RunStore.h"

#include "core/common/Error.h"
#include "core/train/SpecJson.h"

#include <sqlite3.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <unistd.h>

namespace factorscope {

namespace {

// Each step takes the schema from version i to i + 1. Never edit a released step: add one.
const char* const kMigrations[] = {
    // 1: runs and their epochs.
    "CREATE TABLE runs ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " status TEXT NOT NULL, origin TEXT NOT NULL, started_at TEXT NOT NULL,"
    " seconds REAL NOT NULL DEFAULT 0, dataset_source TEXT NOT NULL, dataset_fingerprint TEXT NOT NULL,"
    " split TEXT NOT NULL, spec_json TEXT NOT NULL, seed INTEGER NOT NULL, version TEXT NOT NULL,"
    " best_epoch INTEGER NOT NULL DEFAULT 0, best_val_rmse REAL, final_val_rmse REAL,"
    " final_val_mae REAL, test_rmse REAL, checkpoint_path TEXT NOT NULL DEFAULT '',"
    " message TEXT NOT NULL DEFAULT '', pid INTEGER NOT NULL);"
    "CREATE TABLE epochs ("
    " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " epoch INTEGER NOT NULL, stats_json TEXT NOT NULL, PRIMARY KEY (run_id, epoch));",
    // 2: cross-validations and grid searches are runs too, with their results. (Parenthesised:
    // one step of two statements, not two steps; the text is as released.)
    ("ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'train';"
     "ALTER TABLE runs ADD COLUMN result_json TEXT NOT NULL DEFAULT '';"),
    // 3: the best epoch's validation nDCG, where runs are ranked.
    "ALTER TABLE runs ADD COLUMN best_val_ndcg REAL;",
};
static_assert(std::size(kMigrations) == RunStore::kSchemaVersion);

std::string nowIso() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

bool processAlive(int64_t pid) {
    if (pid <= 0)
        return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

// A prepared statement that finalises itself; bind and column helpers by position.
class Statement {
public:
    Statement(sqlite3* db, const char* sql, const std::string& path) : m_db(db), m_path(path) {
        if (sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK)
            throw IoError(m_path + ": " + sqlite3_errmsg(db));
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    void bind(int i, const std::string& v) { sqlite3_bind_text(m_stmt, i, v.c_str(), -1, SQLITE_TRANSIENT); }
    void bind(int i, int64_t v) { sqlite3_bind_int64(m_stmt, i, v); }
    void bind(int i, double v) {
        if (std::isfinite(v))
            sqlite3_bind_double(m_stmt, i, v);
        else
            sqlite3_bind_null(m_stmt, i);
    }
    bool step() {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE)
            return false;
        throw IoError(m_path + ": " + sqlite3_errmsg(m_db));
    }
    std::string text(int i) const {
        const auto* t = sqlite3_column_text(m_stmt, i);
        return t ? reinterpret_cast<const char*>(t) : "";
    }
    int64_t integer(int i) const { return sqlite3_column_int64(m_stmt, i); }
    double real(int i) const {
        return sqlite3_column_type(m_stmt, i) == SQLITE_NULL ? std::nan("") : sqlite3_column_double(m_stmt, i);
    }

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt = nullptr;
    const std::string& m_path;
};

const char* const kRunColumns =
    "id, kind, status, origin, started_at, seconds, dataset_source, dataset_fingerprint, split,"
    " spec_json, seed, version, best_epoch, best_val_rmse, final_val_rmse, final_val_mae, test_rmse,"
    " checkpoint_path, message, result_json, best_val_ndcg FROM runs";

RunRecord readRun(const Statement& s) {
    RunRecord r;
    r.id = s.integer(0);
    r.kind = s.text(1);
    r.status = s.text(2);
    r.origin = s.text(3);
    r.startedAt = s.text(4);
    r.seconds = s.real(5);
    r.datasetSource = s.text(6);
    r.datasetFingerprint = s.text(7);
    r.split = s.text(8);
    r.specJson = s.text(9);
    r.seed = static_cast<uint64_t>(s.integer(10));
    r.version = s.text(11);
    r.bestEpoch = static_cast<int>(s.integer(12));
    r.bestValRmse = s.real(13);
    r.finalValRmse = s.real(14);
    r.finalValMae = s.real(15);
    r.testRmse = s.real(16);
    r.checkpointPath = s.text(17);
    r.message = s.text(18);
    r.resultJson = s.text(19);
    r.bestValNdcg = s.real(20);
    return r;
}

} // namespace

std::string RunStore::defaultPath() {
    if (const char* p = std::getenv("FACTORSCOPE_RUNS_DB"); p && *p)
        return p;
    std::filesystem::path base;
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x)
        base = x;
    else if (const char* h = std::getenv("HOME"); h && *h)
        base = std::filesystem::path(h) / ".local" / "share";
    else
        base = std::filesystem::temp_directory_path();
    return (base / "factorscope" / "runs.sqlite").string();
}

RunStore::RunStore(const std::string& path) : m_path(path) {
    std::error_code ec;
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty())
        std::filesystem::create_directories(parent, ec);
    if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
        const std::string why = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close(m_db);
        throw IoError(path + ": cannot open the run database (" + why + "); check the folder's permissions");
    }
    sqlite3_busy_timeout(m_db, 5000);
    try {
        // A file that is not a database fails here, on the first read.
        exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
        migrate();
        markInterrupted();
    } catch (const IoError& e) {
        sqlite3_close(m_db);
        throw IoError(std::string(e.what()) + " (move the file aside to start a new run history)");
    }
}

RunStore::~RunStore() { sqlite3_close(m_db); }

void RunStore::exec(const char* sql) const {
    char* err = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        const std::string why = err ? err : "unknown error";
        sqlite3_free(err);
        throw IoError(m_path + ": " + why);
    }
}

int RunStore::schemaVersion() const {
    Statement s(m_db, "PRAGMA user_version", m_path);
    s.step();
    return static_cast<int>(s.integer(0));
}

void RunStore::transaction(const std::function<void()>& work) {
    exec("BEGIN IMMEDIATE");
    try {
        work();
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

void RunStore::migrate() {
    if (schemaVersion() == kSchemaVersion)
        return; // the common case, without taking the write lock
    transaction([this] {
        const int from = schemaVersion();
        if (from > kSchemaVersion)
            throw IoError(m_path + ": the run database has schema version " + std::to_string(from) +
                          ", written by a newer Factorscope (this one reads up to " + std::to_string(kSchemaVersion) +
                          ")");
        for (int v = from; v < kSchemaVersion; ++v)
            exec(kMigrations[v]);
        exec(("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
    });
}

int64_t RunStore::begin(const RunRecord& run) {
    Statement s(m_db,
                "INSERT INTO runs (kind, status, origin, started_at, dataset_source, dataset_fingerprint,"
                " split, spec_json, seed, version, pid) VALUES (?,'running',?,?,?,?,?,?,?,?,?)",
                m_path);
    s.bind(1, run.kind);
    s.bind(2, run.origin);
    s.bind(3, run.startedAt.empty() ? nowIso() : run.startedAt);
    s.bind(4, run.datasetSource);
    s.bind(5, run.datasetFingerprint);
    s.bind(6, run.split);
    s.bind(7, run.specJson);
    s.bind(8, static_cast<int64_t>(run.seed));
    s.bind(9, run.version);
    s.bind(10, static_cast<int64_t>(::getpid()));
    s.step();
    return sqlite3_last_insert_rowid(m_db);
}

void RunStore::addEpoch(int64_t runId, const EpochStats& epoch) {
    Statement s(m_db, "INSERT OR REPLACE INTO epochs (run_id, epoch, stats_json) VALUES (?,?,?)", m_path);
    s.bind(1, runId);
    s.bind(2, static_cast<int64_t>(epoch.epoch));
    s.bind(3, toJson(epoch).dump());
    s.step();
}

void RunStore::finish(int64_t runId, const RunRecord& run) {
    Statement s(
        m_db,
        "UPDATE runs SET status=?, seconds=?, best_epoch=?, best_val_rmse=?, final_val_rmse=?,"
        " final_val_mae=?, test_rmse=?, checkpoint_path=?, message=?, result_json=?, best_val_ndcg=? WHERE id=?",
        m_path);
    s.bind(1, run.status);
    s.bind(2, run.seconds);
    s.bind(3, static_cast<int64_t>(run.bestEpoch));
    s.bind(4, run.bestValRmse);
    s.bind(5, run.finalValRmse);
    s.bind(6, run.finalValMae);
    s.bind(7, run.testRmse);
    s.bind(8, run.checkpointPath);
    s.bind(9, run.message);
    s.bind(10, run.resultJson);
    s.bind(11, run.bestValNdcg);
    s.bind(12, runId);
    s.step();
}

void RunStore::setCheckpoint(int64_t runId, const std::string& path) {
    Statement s(m_db, "UPDATE runs SET checkpoint_path=? WHERE id=?", m_path);
    s.bind(1, path);
    s.bind(2, runId);
    s.step();
}

std::vector<RunRecord> RunStore::list() const {
    Statement s(m_db, (std::string("SELECT ") + kRunColumns + " ORDER BY id DESC").c_str(), m_path);
    std::vector<RunRecord> out;
    while (s.step())
        out.push_back(readRun(s));
    return out;
}

std::optional<RunRecord> RunStore::get(int64_t runId) const {
    Statement s(m_db, (std::string("SELECT ") + kRunColumns + " WHERE id=?").c_str(), m_path);
    s.bind(1, runId);
    if (!s.step())
        return std::nullopt;
    RunRecord r = readRun(s);
    Statement e(m_db, "SELECT stats_json FROM epochs WHERE run_id=? ORDER BY epoch", m_path);
    e.bind(1, runId);
    while (e.step()) {
        try {
            r.epochs.push_back(epochStatsFromJson(nlohmann::json::parse(e.text(0))));
        } catch (const std::exception&) {
            // A damaged epoch row loses that epoch, not the run.
        }
    }
    return r;
}

void RunStore::remove(const std::vector<int64_t>& runIds) {
    transaction([&] {
        for (int64_t id : runIds) {
            Statement s(m_db, "DELETE FROM runs WHERE id=?", m_path);
            s.bind(1, id);
            s.step();
        }
    });
}

int RunStore::markInterrupted() {
    Statement s(m_db, "SELECT id, pid FROM runs WHERE status='running'", m_path);
    std::vector<int64_t> dead;
    while (s.step())
        if (!processAlive(s.integer(1)))
            dead.push_back(s.integer(0));
    for (int64_t id : dead) {
        Statement u(m_db,
                    "UPDATE runs SET status='interrupted', message='the program ended during the run',"
                    " final_val_rmse=(SELECT json_extract(stats_json,'$.val_rmse') FROM epochs"
                    "  WHERE run_id=runs.id ORDER BY epoch DESC LIMIT 1) WHERE id=?",
                    m_path);
        u.bind(1, id);
        u.step();
    }
    return static_cast<int>(dead.size());
}

} // namespace factorscope
