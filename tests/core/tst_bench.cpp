// factorscope-bench's command line: every bad flag and key ends in a message naming it and exit
// code 1, before any data is read; one trainer's measurement (--one, the speed table's child
// process) prints its ratings/s, validation RMSE and name. No timing is asserted.
#include "CliRunner.h"
#include "TestUtil.h"

using factorscope::test::ProcessRun;

namespace {
ProcessRun runBench(const QStringList& args) {
    return factorscope::test::runProgram(QStringLiteral(FACTORSCOPE_BENCH), args);
}
} // namespace

class TestBench : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void badArgumentsAreNamed_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        QTest::newRow("unknown flag") << QStringList{"--bogus"} << "unknown argument --bogus";
        QTest::newRow("missing value") << QStringList{"--epochs"} << "--epochs: needs a value";
        QTest::newRow("epochs not a number") << QStringList{"--epochs", "x"} << "--epochs: expected a whole number";
        QTest::newRow("epochs zero") << QStringList{"--epochs", "0"} << "got '0'";
        QTest::newRow("epochs with junk") << QStringList{"--epochs", "5x"} << "got '5x'";
        QTest::newRow("rounds negative") << QStringList{"--rounds", "-1"} << "--rounds";
        QTest::newRow("sizes") << QStringList{"--scale", "--sizes", "1,x"} << "--sizes";
        QTest::newRow("synthetic too small")
            << QStringList{"--write-synthetic", "5", "/nonexistent"} << "--write-synthetic";
        QTest::newRow("key") << QStringList{"--one", "nonsense"} << "--one nonsense: expected hand-written";
        QTest::newRow("key engine") << QStringList{"--one", "dot/64/warp"} << "KIND/BATCH/ENGINE";
        QTest::newRow("key optimiser") << QStringList{"--one", "dot/64/fused/adam"} << "KIND/BATCH/ENGINE";
        QTest::newRow("key too long") << QStringList{"--one", "dot/64/fused/sgd/x"} << "KIND/BATCH/ENGINE";
        QTest::newRow("key batch") << QStringList{"--one", "dot/0/fused"} << "the batch";
        QTest::newRow("rate key") << QStringList{"--rate", "dotbias"} << "expected MODEL/THREADS";
        QTest::newRow("rate threads") << QStringList{"--rate", "mlp/two"} << "expected MODEL/THREADS";
        QTest::newRow("rate model") << QStringList{"--rate", "svd/1"} << "unknown model 'svd'";
        QTest::newRow("models list") << QStringList{"--threads", "--models", "dot,svd"}
                                     << "--models: unknown model svd";
        QTest::newRow("sgemm key") << QStringList{"--sgemm", "embnet"} << "expected MODEL/THREADS";
        // The child reads --data wherever it stands (it once ran on the default data instead).
        QTest::newRow("rate data") << QStringList{"--rate", "dotbias/1", "--data", "/nonexistent/ml"}
                                   << "/nonexistent/ml";
        QTest::newRow("no data") << QStringList{"--one", "hand-written", "--data", "/nonexistent/ml"}
                                 << "/nonexistent/ml";
    }
    void badArgumentsAreNamed() {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        const ProcessRun r = runBench(args);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(named), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void oneTrainerPrintsItsFigures_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("name");
        QTest::newRow("hand-written") << "hand-written"
                                      << "hand-written SGD loop";
        QTest::newRow("fused dotbias") << "dotbias/1024/fused"
                                       << "factorscope fused   dotbias batch  1024";
        QTest::newRow("fused dotbias, SGD") << "dotbias/1024/fused/sgd"
                                            << "(SGD)";
    }
    void oneTrainerPrintsItsFigures() {
        if (!factorscope::test::hasMl100k())
            QSKIP("MovieLens 100K is not at " FACTORSCOPE_ML100K " (its licence keeps it out of the repository)");
        QFETCH(QString, key);
        QFETCH(QString, name);
        const ProcessRun r = runBench({"--one", key, "--epochs", "1", "--data", FACTORSCOPE_ML100K});
        QCOMPARE(r.exitCode, 0);
        const QStringList fields = r.out.trimmed().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        QVERIFY2(fields.size() > 2, qPrintable(r.out));
        QVERIFY(fields[0].toDouble() > 0);
        const double rmse = fields[1].toDouble();
        QVERIFY2(rmse > 0.85 && rmse < 1.2, qPrintable(r.out)); // one epoch of dotbias on ua: about 0.98
        QVERIFY2(r.out.contains(name), qPrintable(r.out));
    }

    void rateChildTrainsTheGivenData() {
        // Two epochs of the MLP on the demo data at one thread: a positive rate, on one line.
        const ProcessRun r = runBench({"--rate", "mlp/1", "--data", "demo"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.trimmed().toDouble() > 0, qPrintable(r.out + r.err));
    }
};

QTEST_GUILESS_MAIN(TestBench)
#include "tst_bench.moc"
