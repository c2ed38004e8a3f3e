// factorscope-cli stopped from outside: SIGINT or SIGTERM during train, cv and grid records the
// run as stopped and exits 130 or 143; a checkpoint write past the file-size limit exits 1 with
// one line naming the file and the cause, the previous checkpoint untouched, nothing left over.
#include "CliRunner.h"
#include "TestUtil.h"
#include "core/runs/RunStore.h"

#include <QTemporaryDir>

#include <csignal>

using factorscope::test::runCli;
using factorscope::test::runProgram;

namespace {

struct Stopped {
    int exitCode = -1;
    QString out, err;
};

// Starts the CLI, waits for its first line after the start line (training is under way),
// sends `sig`, and waits for it to end.
Stopped stopAfterFirstLine(const QStringList& args, int sig, int linesFirst) {
    QProcess p;
    p.start(QStringLiteral(FACTORSCOPE_CLI), args);
    Stopped s;
    if (!p.waitForStarted())
        return s;
    QByteArray out;
    while (out.count('\n') < linesFirst && p.state() == QProcess::Running) {
        p.waitForReadyRead(30000);
        out += p.readAllStandardOutput();
    }
    ::kill(static_cast<pid_t>(p.processId()), sig);
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return s;
    }
    s.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    s.out = QString::fromUtf8(out + p.readAllStandardOutput());
    s.err = QString::fromUtf8(p.readAllStandardError());
    return s;
}

} // namespace

class TestCliStops : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

    std::string store(const char* name) { return QDir(m_tmp.path()).filePath(QLatin1String(name)).toStdString(); }

private Q_SLOTS:
    void interruptedTrainingIsRecordedAsStopped() {
        const std::string db = store("train.sqlite");
        const Stopped s =
            stopAfterFirstLine({"train", "--data", "demo", "--epochs", "2000", "--runs-db", QString::fromStdString(db)},
                               SIGINT, 2); // the start line and the first epoch
        QCOMPARE(s.exitCode, 130);
        QVERIFY2(s.err.contains(QStringLiteral("stopping after this batch")), qPrintable(s.err));
        const QJsonObject done =
            QJsonDocument::fromJson(s.out.trimmed().split(QLatin1Char('\n')).last().toUtf8()).object();
        QVERIFY2(done.value("done").toBool(), qPrintable(s.out.right(300)));
        QCOMPARE(done.value("stop_reason").toString(), QStringLiteral("stopped"));
        factorscope::RunStore runs(db);
        const auto list = runs.list();
        QCOMPARE(list.size(), std::size_t(1));
        QCOMPARE(list[0].status, std::string("stopped"));
        const auto epochs = runs.get(list[0].id)->epochs.size();
        QVERIFY(epochs >= 1 && epochs < 2000);
    }

    void terminatedCrossValidationIsRecordedAsStopped() {
        const std::string db = store("cv.sqlite");
        const Stopped s = stopAfterFirstLine(
            {"cv", "--data", "demo", "--epochs", "400", "--runs-db", QString::fromStdString(db)}, SIGTERM, 1);
        QCOMPARE(s.exitCode, 143);
        factorscope::RunStore runs(db);
        const auto list = runs.list();
        QCOMPARE(list.size(), std::size_t(1));
        QCOMPARE(list[0].kind, std::string("cv"));
        QCOMPARE(list[0].status, std::string("stopped"));
    }

    void interruptedGridIsRecordedAsStopped() {
        const std::string db = store("grid.sqlite");
        const Stopped s = stopAfterFirstLine({"grid", "--data", "demo", "--grid", "factors=8,16,32,64", "--epochs",
                                              "300", "--runs-db", QString::fromStdString(db)},
                                             SIGINT, 1);
        QCOMPARE(s.exitCode, 130);
        factorscope::RunStore runs(db);
        bool stopped = false;
        for (const auto& r : runs.list()) {
            QVERIFY2(r.status != "running" && r.status != "interrupted", r.status.c_str());
            stopped |= r.kind == "grid" && r.status == "stopped";
        }
        QVERIFY(stopped);
    }

    void checkpointPastTheFileSizeLimit() {
        const QString ckpt = QDir(m_tmp.path()).filePath(QStringLiteral("limited.fsckpt"));
        QCOMPARE(runCli({"train", "--data", "demo", "--epochs", "1", "--save", ckpt, "--no-record"}).exitCode, 0);
        QFile f(ckpt);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray old = f.readAll();
        f.close();
        // The shell lowers the limit (in 512- or 1024-byte blocks) for the CLI it becomes.
        const factorscope::test::ProcessRun r = runProgram(
            QStringLiteral("/bin/sh"), {"-c", "ulimit -f 32 && exec \"$0\" \"$@\"", QStringLiteral(FACTORSCOPE_CLI),
                                        "train", "--data", "demo", "--epochs", "1", "--save", ckpt, "--no-record"});
        QCOMPARE(r.exitCode, 1);
        const QStringList errLines = r.err.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(errLines.size(), 1);
        QVERIFY2(errLines[0].contains(ckpt) && errLines[0].contains(QStringLiteral("file-size limit")),
                 qPrintable(r.err));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), old);
        QCOMPARE(QDir(m_tmp.path()).entryList({QStringLiteral("*.partial-*")}, QDir::Files), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestCliStops)
#include "tst_clistops.moc"
