// The run store: runs persist across opens, the schema migrates from version 1, a newer or
// foreign file is refused with a clear message, a crash mid-run leaves the run interrupted
// with its epochs, and the CLI records, lists, exports and deletes runs.
#include "CliRunner.h"
#include "TestUtil.h"
#include "core/common/Error.h"
#include "core/data/Fingerprint.h"
#include "core/runs/ExperimentJson.h"
#include "core/runs/RunRecorder.h"
#include "core/runs/RunStore.h"
#include "core/train/SpecJson.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <csignal>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace factorscope;

namespace {

EpochStats epoch(int n, double rmse) {
    EpochStats e;
    e.epoch = n;
    e.trainLoss = rmse * rmse * 0.9;
    e.valLoss = rmse * rmse;
    e.valRmse = rmse;
    e.valMae = rmse * 0.8;
    e.lr = 0.01 / n;
    e.seconds = 0.5;
    return e;
}

RunRecord sampleRun(const std::string& source = "demo") {
    const Dataset data = factorscope::test::smallDemo();
    RunRecord r = describeRun(data, TrainSpec::defaults(), "cli");
    r.datasetSource = source;
    return r;
}

void execSql(sqlite3* db, const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK)
        qFatal("sql failed: %s", err);
}

} // namespace

class TestRunStore : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    int m_n = 0;
    std::string freshPath() {
        return QDir(m_tmp.path()).filePath(QStringLiteral("runs%1.sqlite").arg(++m_n)).toStdString();
    }

    static QString errorOpening(const std::string& path) {
        try {
            RunStore s(path);
        } catch (const IoError& e) {
            return QString::fromStdString(e.what());
        }
        return {};
    }

private Q_SLOTS:
    void runsPersistAcrossOpens() {
        const std::string path = freshPath();
        int64_t id = 0;
        {
            RunStore store(path);
            QCOMPARE(store.schemaVersion(), RunStore::kSchemaVersion);
            RunRecord run = sampleRun();
            id = store.begin(run);
            for (int e = 1; e <= 3; ++e)
                store.addEpoch(id, epoch(e, 1.0 - 0.05 * e));
            run.status = "completed";
            run.seconds = 1.5;
            run.bestEpoch = 3;
            run.bestValRmse = 0.85;
            run.finalValRmse = 0.85;
            run.bestValNdcg = 0.31;
            run.message = "completed 3 epochs, \"fine\"";
            store.finish(id, run);
        }
        RunStore again(path);
        const auto runs = again.list();
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(runs[0].status, std::string("completed"));
        QCOMPARE(runs[0].kind, std::string("train"));
        QVERIFY(runs[0].epochs.empty()); // list leaves them out
        const auto full = again.get(id);
        QVERIFY(full);
        QCOMPARE(full->epochs.size(), std::size_t(3));
        QCOMPARE(full->epochs[2].valRmse, 0.85);
        QCOMPARE(full->bestEpoch, 3);
        QCOMPARE(full->datasetFingerprint, sampleRun().datasetFingerprint);
        QVERIFY(std::isnan(full->testRmse)); // NaN survives as NULL
        QCOMPARE(full->bestValNdcg, 0.31);
        const TrainSpec spec = trainSpecFromJson(nlohmann::json::parse(full->specJson));
        QCOMPARE(spec.model.factors, TrainSpec::defaults().model.factors);
        QVERIFY(!again.get(id + 100));

        const std::string csv = runsToCsv({*full});
        QVERIFY(csv.find("\"completed 3 epochs, \"\"fine\"\"\"") != std::string::npos);
        again.remove({id});
        QVERIFY(again.list().empty());
    }

    void fingerprintTellsDataSetsApart() {
        const Dataset a = factorscope::test::smallDemo(7), b = factorscope::test::smallDemo(8);
        QCOMPARE(describeRun(a, TrainSpec::defaults(), "cli").datasetFingerprint,
                 describeRun(factorscope::test::smallDemo(7), TrainSpec::defaults(), "cli").datasetFingerprint);
        QVERIFY(describeRun(a, TrainSpec::defaults(), "cli").datasetFingerprint !=
                describeRun(b, TrainSpec::defaults(), "cli").datasetFingerprint);
        // A fingerprint the data set already carries (the app's loader made it) is used as
        // given, not made again.
        Dataset known = a;
        known.fingerprint = "known";
        QCOMPARE(describeRun(known, TrainSpec::defaults(), "gui").datasetFingerprint, std::string("known"));
        QCOMPARE(summarize(known).fingerprint, std::string("known")); // the summary uses the same rule
        QCOMPARE(summarize(a).fingerprint, fingerprint(a));
    }

    void migratesFromVersion1() {
        const std::string path = freshPath();
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        // The version 1 schema as Factorscope 0.1 wrote it, with one run.
        execSql(
            db,
            "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, status TEXT NOT NULL, origin TEXT NOT NULL,"
            " started_at TEXT NOT NULL, seconds REAL NOT NULL DEFAULT 0, dataset_source TEXT NOT NULL,"
            " dataset_fingerprint TEXT NOT NULL, split TEXT NOT NULL, spec_json TEXT NOT NULL, seed INTEGER NOT NULL,"
            " version TEXT NOT NULL, best_epoch INTEGER NOT NULL DEFAULT 0, best_val_rmse REAL, final_val_rmse REAL,"
            " final_val_mae REAL, test_rmse REAL, checkpoint_path TEXT NOT NULL DEFAULT '',"
            " message TEXT NOT NULL DEFAULT '', pid INTEGER NOT NULL);"
            "CREATE TABLE epochs (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
            " epoch INTEGER NOT NULL, stats_json TEXT NOT NULL, PRIMARY KEY (run_id, epoch));"
            "INSERT INTO runs (status, origin, started_at, dataset_source, dataset_fingerprint, split, spec_json,"
            " seed, version, best_val_rmse, pid) VALUES ('completed','gui','2026-01-01T00:00:00Z','demo','x-1',"
            " 'ua','{}',42,'0.1.0',0.91,1);"
            "PRAGMA user_version=1;");
        sqlite3_close(db);
        RunStore store(path);
        QCOMPARE(store.schemaVersion(), RunStore::kSchemaVersion);
        const auto runs = store.list();
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(runs[0].kind, std::string("train"));
        QCOMPARE(runs[0].bestValRmse, 0.91);
        QVERIFY(std::isnan(runs[0].bestValNdcg)); // not ranked before schema 3
        QCOMPARE(runs[0].status, std::string("completed"));
    }

    void newerOrForeignFilesAreRefused() {
        const std::string newer = freshPath();
        {
            sqlite3* db = nullptr;
            sqlite3_open(newer.c_str(), &db);
            execSql(db, "PRAGMA user_version=99;");
            sqlite3_close(db);
        }
        QString msg = errorOpening(newer);
        QVERIFY2(msg.contains(QStringLiteral("newer Factorscope")) && msg.contains(QString::fromStdString(newer)),
                 qPrintable(msg));
        const std::string garbage = freshPath();
        factorscope::test::writeFile(m_tmp.path(), QString::fromStdString(garbage).section(QLatin1Char('/'), -1),
                                     QByteArray(4096, 'x'));
        msg = errorOpening(garbage);
        QVERIFY2(msg.contains(QStringLiteral("move the file aside")), qPrintable(msg));
        QVERIFY(errorOpening("/proc/no-such-dir/runs.sqlite").contains(QStringLiteral("cannot open")));
    }

    void crashMidRunLeavesItInterrupted() {
        const std::string path = freshPath();
        const pid_t child = ::fork();
        if (child == 0) {
            // The child trains "two epochs" and dies without a word, as a crash would.
            RunStore store(path);
            const int64_t id = store.begin(sampleRun());
            store.addEpoch(id, epoch(1, 0.95));
            store.addEpoch(id, epoch(2, 0.93));
            ::kill(::getpid(), SIGKILL);
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        QVERIFY(WIFSIGNALED(status));
        RunStore store(path);
        const auto runs = store.list();
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(runs[0].status, std::string("interrupted"));
        QCOMPARE(runs[0].finalValRmse, 0.93);
        QCOMPARE(store.get(runs[0].id)->epochs.size(), std::size_t(2));
    }

    // Three writers at once (the app and two CLI runs), one of them killed at a random moment,
    // round after round: SQLite's WAL and busy timeout keep every run and epoch, the store stays
    // whole, and each run ends completed or (its writer killed) interrupted with its epochs so far.
    void contendedWritersLoseNothing() {
        const std::string path = freshPath();
        const RunRecord base = sampleRun(); // made before forking: the children only write
        constexpr int kRounds = 8, kWriters = 3, kRunsEach = 3, kEpochs = 6;
        std::srand(12345);
        int survivors = 0;
        for (int round = 0; round < kRounds; ++round) {
            pid_t pids[kWriters];
            for (int w = 0; w < kWriters; ++w) {
                pids[w] = ::fork();
                if (pids[w] == 0) {
                    int code = 0;
                    try {
                        RunStore store(path);
                        for (int k = 0; k < kRunsEach; ++k) {
                            const int64_t id = store.begin(base);
                            for (int e = 1; e <= kEpochs; ++e)
                                store.addEpoch(id, epoch(e, 1.0 - 0.01 * e));
                            RunRecord done = base;
                            done.status = "completed";
                            store.finish(id, done);
                        }
                    } catch (const std::exception&) {
                        code = 3; // a write lost to contention
                    }
                    ::_exit(code);
                }
            }
            const int victim = std::rand() % kWriters;
            ::usleep(static_cast<useconds_t>(std::rand() % 60000));
            ::kill(pids[victim], SIGKILL);
            for (int w = 0; w < kWriters; ++w) {
                int status = 0;
                ::waitpid(pids[w], &status, 0);
                if (WIFEXITED(status)) {
                    QCOMPARE(WEXITSTATUS(status), 0);
                    ++survivors;
                }
            }
        }
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr);
        QCOMPARE(sqlite3_step(st), SQLITE_ROW);
        QCOMPARE(QByteArray(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))), QByteArray("ok"));
        sqlite3_finalize(st);
        sqlite3_close(db);
        RunStore store(path); // marks the killed writers' runs interrupted
        int completed = 0;
        for (const auto& r : store.list()) {
            const auto full = store.get(r.id);
            QVERIFY2(r.status == "completed" || r.status == "interrupted", r.status.c_str());
            if (r.status == "completed") {
                QCOMPARE(full->epochs.size(), std::size_t(kEpochs));
                ++completed;
            }
            for (std::size_t e = 0; e < full->epochs.size(); ++e)
                QCOMPARE(full->epochs[e].epoch, static_cast<int>(e) + 1); // none lost in between
        }
        QVERIFY(completed >= survivors * kRunsEach); // a survivor's runs all finished
    }

    void aLiveRunIsNotInterrupted() {
        const std::string path = freshPath();
        RunStore writer(path);
        const int64_t id = writer.begin(sampleRun());
        RunStore reader(path); // a second window, or the CLI beside the app
        QCOMPARE(reader.get(id)->status, std::string("running"));
        QCOMPARE(reader.markInterrupted(), 0);
        {
            RunRecorder recorder(path, sampleRun()); // abandoned by an exception: marked failed
        }
        QCOMPARE(reader.list().front().status, std::string("failed"));
    }

    void cliRecordsListsExportsAndDeletes() {
        const QString db = QString::fromStdString(freshPath());
        auto r = factorscope::test::runCli({QStringLiteral("train"), QStringLiteral("--data"), QStringLiteral("demo"),
                                            QStringLiteral("--epochs"), QStringLiteral("2"),
                                            QStringLiteral("--runs-db"), db});
        QCOMPARE(r.exitCode, 0);
        const int id = r.last()[QStringLiteral("run_id")].toInt();
        QVERIFY(id > 0);
        r = factorscope::test::runCli({QStringLiteral("train"), QStringLiteral("--data"), QStringLiteral("demo"),
                                       QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--runs-db"), db,
                                       QStringLiteral("--no-record")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(!r.last().contains(QStringLiteral("run_id")));
        r = factorscope::test::runCli(
            {QStringLiteral("runs"), QStringLiteral("list"), QStringLiteral("--runs-db"), db});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.lines.size(), 1);
        QCOMPARE(r.last()[QStringLiteral("status")].toString(), QStringLiteral("completed"));
        QCOMPARE(r.last()[QStringLiteral("origin")].toString(), QStringLiteral("cli"));
        r = factorscope::test::runCli(
            {QStringLiteral("runs"), QStringLiteral("show"), QString::number(id), QStringLiteral("--runs-db"), db});
        QCOMPARE(r.last()[QStringLiteral("epochs")].toArray().size(), 2);
        QCOMPARE(r.last()[QStringLiteral("spec")].toObject()[QStringLiteral("epochs")].toInt(), 2);
        const QString csv = QDir(m_tmp.path()).filePath(QStringLiteral("runs.csv"));
        r = factorscope::test::runCli({QStringLiteral("runs"), QStringLiteral("export"), QStringLiteral("--format"),
                                       QStringLiteral("csv"), QStringLiteral("--output"), csv,
                                       QStringLiteral("--runs-db"), db});
        QCOMPARE(r.exitCode, 0);
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = f.readAll().trimmed().split('\n');
        QCOMPARE(rows.size(), 2);
        QVERIFY(rows[0].startsWith("id,kind,status"));
        // Bad cases: unknown action, bad id, missing run, bad format.
        for (const QStringList& bad :
             {QStringList{QStringLiteral("runs"), QStringLiteral("frobnicate")},
              QStringList{QStringLiteral("runs"), QStringLiteral("show"), QStringLiteral("abc")},
              QStringList{QStringLiteral("runs"), QStringLiteral("delete")},
              QStringList{QStringLiteral("runs"), QStringLiteral("export"), QStringLiteral("--format"),
                          QStringLiteral("xml")}}) {
            r = factorscope::test::runCli(bad + QStringList{QStringLiteral("--runs-db"), db});
            QVERIFY2(r.exitCode == 2, qPrintable(bad.join(QLatin1Char(' ')) + QStringLiteral(": ") + r.stderrText));
        }
        r = factorscope::test::runCli(
            {QStringLiteral("runs"), QStringLiteral("delete"), QStringLiteral("999"), QStringLiteral("--runs-db"), db});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.stderrText.contains(QStringLiteral("no run 999")));
        r = factorscope::test::runCli(
            {QStringLiteral("runs"), QStringLiteral("delete"), QString::number(id), QStringLiteral("--runs-db"), db});
        QCOMPARE(r.exitCode, 0);
        r = factorscope::test::runCli({QStringLiteral("runs"), QStringLiteral("--runs-db"), db});
        QCOMPARE(r.lines.size(), 0);
        // A store that cannot open does not stop training: a warning, and no run id.
        r = factorscope::test::runCli({QStringLiteral("train"), QStringLiteral("--data"), QStringLiteral("demo"),
                                       QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--runs-db"),
                                       QStringLiteral("/proc/none/runs.sqlite")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.stderrText.contains(QStringLiteral("not recording")));
    }
};

QTEST_GUILESS_MAIN(TestRunStore)
#include "tst_runstore.moc"
