// Continued training: the one rule for what continues (the CLI's --resume and the GUI's Continue
// training), an in-memory continuation as exact as a checkpoint's, and a training run recorded
// in the run store the way both front ends record one.
#include "TestUtil.h"
#include "core/common/Error.h"
#include "core/data/DemoData.h"
#include "core/runs/RecordedExperiments.h"
#include "core/runs/RunStore.h"
#include "core/train/Continuation.h"

#include <QTemporaryDir>

#include <cmath>

using namespace factorscope;

namespace {
double largestDifference(const Model& a, const Model& b) {
    double worst = 0;
    for (const auto& [x, y] : {std::pair{a.itemFactors(), b.itemFactors()}, {a.userFactors(), b.userFactors()}})
        for (std::size_t k = 0; k < x.values.size(); ++k)
            worst = std::max(worst, double(std::abs(x.values[k] - y.values[k])));
    return worst;
}
} // namespace

class TestContinuation : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    Dataset m_data = test::smallDemo();
    TrainSpec m_spec;
    Split m_split;

private Q_SLOTS:
    void initTestCase() {
        m_spec.split = SplitSpec::parse("random:0.2");
        m_spec.batchSize = 256;
        m_spec.threads = 1;
        m_spec.schedule.kind = ScheduleKind::Constant; // each run's clock would differ otherwise
        m_spec.restoreBest = false;                    // the last epoch's weights go on
        m_split = makeSplit(m_data, m_spec.split);
    }

    void whatContinues() {
        const ModelSpec trained = ModelSpec::defaultsFor(ModelKind::DotBias);
        QCOMPARE(modelChange(trained, trained), std::string());
        ModelSpec asked = trained;
        asked.init = InitKind::Uniform; // how weights start does not matter to trained weights
        asked.initStd = 0.5;
        asked.hidden = {7}; // nor hidden layers to a model without them
        QCOMPARE(modelChange(trained, asked), std::string());
        asked = trained;
        asked.factors = trained.factors / 2;
        QCOMPARE(modelChange(trained, asked),
                 "factors " + std::to_string(trained.factors) + " -> " + std::to_string(trained.factors / 2));
        asked = trained;
        asked.kind = ModelKind::Dot;
        QVERIFY(modelChange(trained, asked).find("model type dotbias -> dot") != std::string::npos);
        asked = trained;
        asked.yMax = 5.0;
        QVERIFY(modelChange(trained, asked).find("output range 0.5-5.5 -> 0.5-5") != std::string::npos);
        ModelSpec mlp = ModelSpec::defaultsFor(ModelKind::Mlp);
        mlp.hidden = {500, 500, 500};
        mlp.dropouts = {0.5, 0.5, 0.25};
        asked = mlp;
        asked.hidden = {100, 100};
        asked.dropouts = {0.5, 0.5};
        QVERIFY(modelChange(mlp, asked).find("hidden layers 500,500,500 -> 100,100") != std::string::npos);

        QCOMPARE(dataChange(m_data.users, m_data.items, m_data), std::string());
        const Dataset smaller = generateDemo(DemoSpec{3, 200, 150, 6000});
        QVERIFY(dataChange(m_data.users, m_data.items, smaller).find("200 and 150") != std::string::npos);
    }

    // 2 epochs, then a continuation of that trainer for 2 more: the weights of 4 unbroken epochs,
    // on both paths, because the optimiser's state carries over (a fresh optimiser would not).
    void inMemoryContinuationIsExact_data() {
        QTest::addColumn<int>("engine");
        QTest::newRow("general path") << static_cast<int>(Engine::General);
        QTest::newRow("fused path") << static_cast<int>(Engine::Fused);
    }
    void inMemoryContinuationIsExact() {
        QFETCH(int, engine);
        TrainSpec spec = m_spec;
        spec.engine = static_cast<Engine>(engine);
        spec.epochs = 4;
        Model unbroken(spec.model, m_data.users.size(), m_data.items.size(), spec.seed);
        Trainer(unbroken, spec).run(m_data, m_split);

        spec.epochs = 2;
        Model model(spec.model, m_data.users.size(), m_data.items.size(), spec.seed);
        Trainer first(model, spec);
        first.run(m_data, m_split);
        const auto continued = continueTraining(first, spec);
        QCOMPARE(&continued->model(), &model);
        continued->run(m_data, m_split);
        QCOMPARE(continued->history().size(), std::size_t(4));
        QCOMPARE(continued->history().back().epoch, 4);
        const double worst = largestDifference(unbroken, model);
        QVERIFY2(worst <= 1e-6, qPrintable(QStringLiteral("max |difference| %1").arg(worst)));

        // The comparison can tell: a fresh optimiser (AdamW's moments at zero) lands elsewhere.
        Model again(spec.model, m_data.users.size(), m_data.items.size(), spec.seed);
        Trainer head(again, spec);
        head.run(m_data, m_split);
        Trainer fresh(again, spec);
        fresh.setHistory(head.history());
        fresh.run(m_data, m_split);
        QVERIFY2(largestDifference(unbroken, again) > 100 * 1e-6,
                 qPrintable(QString::number(largestDifference(unbroken, again))));
    }

    void anotherNetworkDoesNotContinue() {
        TrainSpec spec = m_spec;
        spec.epochs = 1;
        Model model(spec.model, m_data.users.size(), m_data.items.size(), spec.seed);
        Trainer first(model, spec);
        first.run(m_data, m_split);
        spec.model.factors = 16;
        const QString msg = test::errorOf<SpecError>([&] { continueTraining(first, spec); });
        QVERIFY2(msg.contains(QStringLiteral("factors 64 -> 16")), qPrintable(msg));

        const std::string path = QDir(m_tmp.path()).filePath(QStringLiteral("one.fsckpt")).toStdString();
        saveCheckpoint(path, first, m_data);
        LoadedCheckpoint c = loadCheckpoint(path);
        const QString ofModel = test::errorOf<SpecError>([&] { continueCheckpoint(*c.model, c, spec, m_data); });
        QVERIFY2(ofModel.contains(QStringLiteral("factors 64 -> 16")), qPrintable(ofModel));
        spec.model.factors = 64;
        const Dataset smaller = generateDemo(DemoSpec{3, 200, 150, 6000});
        const QString ofData = test::errorOf<DataError>([&] { continueCheckpoint(*c.model, c, spec, smaller); });
        QVERIFY2(ofData.contains(QStringLiteral("not the data set")), qPrintable(ofData));
        const auto t = continueCheckpoint(*c.model, c, spec, m_data);
        QCOMPARE(t->history().size(), std::size_t(1));
    }

    void trainRecordedKeepsTheRun() {
        const std::string store = QDir(m_tmp.path()).filePath(QStringLiteral("runs.db")).toStdString();
        TrainSpec spec = m_spec;
        spec.epochs = 2;
        Model model(spec.model, m_data.users.size(), m_data.items.size(), spec.seed);
        Trainer trainer(model, spec);
        RecordTarget target{store, "cli"};
        int afterRuns = 0;
        const TrainResult r =
            trainRecorded(target, trainer, m_data, m_split, nullptr, nullptr, [&](const TrainResult&) {
                ++afterRuns;
                return std::string("/somewhere/model.fsckpt");
            });
        QCOMPARE(afterRuns, 1);
        QVERIFY(target.runId > 0);
        QVERIFY(target.warning.empty());
        const auto row = RunStore(store).get(target.runId);
        QVERIFY(row);
        QCOMPARE(row->status, std::string("completed"));
        QCOMPARE(row->checkpointPath, std::string("/somewhere/model.fsckpt"));
        QCOMPARE(row->epochs.size(), std::size_t(2));
        QCOMPARE(row->bestValRmse, r.bestValRmse);

        // What throws after training ends the record failed, with the message, and goes on.
        RecordTarget second{store, "cli"};
        QVERIFY_THROWS_EXCEPTION(
            IoError, trainRecorded(second, trainer, m_data, m_split, nullptr, nullptr,
                                   [](const TrainResult&) -> std::string { throw IoError("the disk is full"); }));
        const auto failed = RunStore(store).get(second.runId);
        QVERIFY(failed);
        QCOMPARE(failed->status, std::string("failed"));
        QCOMPARE(failed->message, std::string("the disk is full"));

        // A store that cannot open costs the record, not the run.
        const std::string blocker = test::writeFile(m_tmp.path(), QStringLiteral("a-file"), "not a folder");
        RecordTarget nowhere{blocker + "/runs.db", "cli"};
        const TrainResult unrecorded = trainRecorded(nowhere, trainer, m_data, m_split);
        QCOMPARE(nowhere.runId, int64_t(0));
        QVERIFY(nowhere.warning.find("not recording this run") != std::string::npos);
        QCOMPARE(unrecorded.history.size(), std::size_t(6));
    }
};

QTEST_GUILESS_MAIN(TestContinuation)
#include "tst_continuation.moc"
