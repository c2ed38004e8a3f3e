// The training loop's contracts: early stopping with a minimum epoch count, restoring the best
// weights, divergence, stop, pause, the live learning-rate override, reproducibility.
#include "TestUtil.h"

#include "core/common/Error.h"
#include "core/train/Trainer.h"
#include <algorithm>

#include <atomic>
#include <functional>
#include <thread>

using namespace factorscope;

namespace {

struct Fixture {
    Dataset data = test::smallDemo();
    Split split;
    TrainSpec spec;
    Fixture() {
        spec.split = SplitSpec::parse("random:0.2");
        spec.batchSize = 256;
        spec.threads = 1;
        spec.epochs = 4;
        split = makeSplit(data, spec.split);
    }
    // Large, unregularised and fast: it overfits within a few epochs.
    void overfit() {
        spec.model.factors = 64;
        spec.optimizer = OptimizerSpec::defaultsFor(OptimizerKind::Adam);
        spec.optimizer.weightDecay = 0;
        spec.optimizer.lr = 0.03;
        spec.schedule.kind = ScheduleKind::Constant;
        spec.epochs = 40;
    }
};

class Lambda : public TrainObserver {
public:
    std::function<void(const BatchStats&)> batch;
    std::function<bool(const EpochStats&)> epoch;
    void onBatch(const BatchStats& s) override {
        if (batch)
            batch(s);
    }
    bool continueAfterEpoch(const EpochStats& e) override { return epoch ? epoch(e) : true; }
};

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void earlyStoppingRestoresBest() {
        Fixture f;
        f.overfit();
        f.spec.patience = 2;
        Model m(f.spec.model, f.data.users.size(), f.data.items.size());
        Trainer t(m, f.spec);
        const TrainResult r = t.run(f.data, f.split);
        QVERIFY2(r.stopReason == StopReason::EarlyStopped, r.message.c_str());
        QVERIFY(r.history.size() < 40u);
        QCOMPARE(r.history.size(), static_cast<std::size_t>(r.bestEpoch + 2));
        QVERIFY(r.history[r.bestEpoch - 1].best);
        // The model now holds the best epoch's weights, not the last one's.
        const double now = evaluate(m, f.data, f.split.validation).rmse;
        QVERIFY2(std::abs(now - r.bestValRmse) < 1e-5,
                 qPrintable(QStringLiteral("%1 vs %2").arg(now).arg(r.bestValRmse)));
        QVERIFY(r.history.back().valRmse > r.bestValRmse);
        QVERIFY(QString::fromStdString(r.message).contains("no improvement for 2 epochs"));
        QVERIFY(QString::fromStdString(r.message).contains(
            QStringLiteral("weights of epoch %1 restored").arg(r.bestEpoch)));
    }

    void minEpochsDelaysEarlyStop() {
        Fixture f;
        f.overfit();
        f.spec.patience = 1;
        f.spec.minEpochs = 12;
        Model m(f.spec.model, f.data.users.size(), f.data.items.size());
        Trainer t(m, f.spec);
        const TrainResult r = t.run(f.data, f.split);
        QVERIFY2(r.stopReason == StopReason::EarlyStopped, r.message.c_str());
        QVERIFY(r.history.size() >= 12u);
        // Epochs before the 12th that did not improve stopped nothing (there were some, or the
        // floor was not tested); from the 12th on, the first one that did not improve did.
        QVERIFY(std::any_of(r.history.begin(), r.history.begin() + 11, [](const EpochStats& e) { return !e.best; }));
        for (std::size_t e = 11; e + 1 < r.history.size(); ++e)
            QVERIFY(r.history[e].best);
        QVERIFY(!r.history.back().best);
    }

    void withoutRestoreKeepsLastWeights() {
        Fixture f;
        f.overfit();
        f.spec.epochs = 8;
        f.spec.restoreBest = false;
        Model m(f.spec.model, f.data.users.size(), f.data.items.size());
        Trainer t(m, f.spec);
        const TrainResult r = t.run(f.data, f.split);
        QVERIFY(std::abs(evaluate(m, f.data, f.split.validation).rmse - r.history.back().valRmse) < 1e-5);
        QVERIFY(!QString::fromStdString(r.message).contains("restored"));
    }

    void divergenceStopsWithAReason() {
        Fixture f;
        f.spec.model = ModelSpec::defaultsFor(ModelKind::Dot); // no sigmoid to bound the output
        f.spec.optimizer = OptimizerSpec::defaultsFor(OptimizerKind::Sgd);
        f.spec.optimizer.lr = 50;
        f.spec.schedule.kind = ScheduleKind::Constant;
        Model m(f.spec.model, f.data.users.size(), f.data.items.size());
        Trainer t(m, f.spec);
        const TrainResult r = t.run(f.data, f.split);
        QVERIFY2(r.stopReason == StopReason::Diverged, r.message.c_str());
        QVERIFY2(QString::fromStdString(r.message).contains("lower the learning rate"), r.message.c_str());
    }

    void stopBetweenBatches() {
        Fixture f;
        TrainControl control;
        Lambda obs;
        int64_t seen = 0;
        obs.batch = [&](const BatchStats& s) {
            ++seen;
            if (s.epoch == 2 && s.batch == 5)
                control.requestStop();
        };
        Model m(f.spec.model, f.data.users.size(), f.data.items.size());
        Trainer t(m, f.spec);
        const TrainResult r = t.run(f.data, f.split, &obs, &control);
        QVERIFY2(r.stopReason == StopReason::Stopped, r.message.c_str());
        QCOMPARE(r.history.size(), std::size_t(1)); // the partial epoch is not recorded
        const int64_t perEpoch = (static_cast<int64_t>(f.split.train.size()) + 255) / 256;
        QCOMPARE(seen, perEpoch + 5);
    }

    void pauseHoldsTheLoop() {
        Fixture f;
        f.spec.epochs = 1;
        TrainControl control;
        Lambda obs;
        std::atomic<int64_t> batches{0};
        std::atomic<bool> pausedSeen{false};
        std::thread helper;
        obs.batch = [&](const BatchStats& s) {
            ++batches;
            if (s.batch == 3) {
                control.setPaused(true);
                helper = std::thread([&] {
                    const int64_t at = batches.load();
                    std::this_thread::sleep_for(std::chrono::milliseconds(150));
                    // Nothing ran while paused.
                    pausedSeen = batches.load() == at;
                    control.setPaused(false);
                });
            }
        };
        Model m(f.spec.model, f.data.users.size(), f.data.items.size());
        Trainer t(m, f.spec);
        const TrainResult r = t.run(f.data, f.split, &obs, &control);
        helper.join();
        QVERIFY(pausedSeen);
        QVERIFY2(r.stopReason == StopReason::Completed, r.message.c_str());
        QCOMPARE(r.history.size(), std::size_t(1));
    }

    void liveLearningRateOverride() {
        Fixture f;
        f.spec.epochs = 2;
        TrainControl control;
        Lambda obs;
        std::vector<double> lrs;
        obs.batch = [&](const BatchStats& s) {
            lrs.push_back(s.lr);
            if (s.step == 4)
                control.setLearningRate(0.123);
            if (s.step == 9)
                control.clearLearningRate();
        };
        Model m(f.spec.model, f.data.users.size(), f.data.items.size());
        Trainer t(m, f.spec);
        t.run(f.data, f.split, &obs, &control);
        QVERIFY(lrs[4] != 0.123);
        for (int s = 5; s <= 9; ++s)
            QCOMPARE(lrs[s], 0.123);
        QVERIFY(lrs[10] != 0.123); // back on the one-cycle schedule
    }

    void observerCanStopAfterAnEpoch() {
        Fixture f;
        Lambda obs;
        obs.epoch = [](const EpochStats& e) { return e.epoch < 2; };
        Model m(f.spec.model, f.data.users.size(), f.data.items.size());
        Trainer t(m, f.spec);
        const TrainResult r = t.run(f.data, f.split, &obs);
        QVERIFY2(r.stopReason == StopReason::Stopped, r.message.c_str());
        QCOMPARE(r.history.size(), std::size_t(2));
    }

    void sameSeedSameRun() {
        Fixture f;
        f.spec.threads = 2;
        auto once = [&] {
            Model m(f.spec.model, f.data.users.size(), f.data.items.size(), f.spec.seed);
            Trainer t(m, f.spec);
            return t.run(f.data, f.split);
        };
        const TrainResult a = once(), b = once();
        for (std::size_t e = 0; e < a.history.size(); ++e)
            QCOMPARE(a.history[e].valRmse, b.history[e].valRmse);
        QVERIFY(a.baselineRmse > a.bestValRmse);
    }

    void continuedTrainingNumbersEpochsOn() {
        Fixture f;
        f.spec.epochs = 2;
        Model m(f.spec.model, f.data.users.size(), f.data.items.size());
        Trainer t(m, f.spec);
        t.run(f.data, f.split);
        const TrainResult r = t.run(f.data, f.split);
        QCOMPARE(r.history.size(), std::size_t(4));
        QCOMPARE(r.history.back().epoch, 4);
    }

    void testSetIsReported() {
        Fixture f;
        f.spec.split = SplitSpec::parse("random:0.1:0.1");
        const Split s = makeSplit(f.data, f.spec.split);
        Model m(f.spec.model, f.data.users.size(), f.data.items.size());
        Trainer t(m, f.spec);
        const TrainResult r = t.run(f.data, s);
        QVERIFY(std::isfinite(r.testRmse) && r.testRmse < r.baselineRmse + 0.1);
    }

    void badInputs() {
        Fixture f;
        Model small(f.spec.model, 3, 3);
        Trainer t(small, f.spec);
        QVERIFY_THROWS_EXCEPTION(TrainingError, t.run(f.data, f.split));
        Model m(f.spec.model, f.data.users.size(), f.data.items.size());
        Trainer t2(m, f.spec);
        Split empty;
        QVERIFY_THROWS_EXCEPTION(TrainingError, t2.run(f.data, empty));
        TrainSpec bad = f.spec;
        bad.device = "cuda:banana";
        if (availableDevices().size() == 1)
            QVERIFY_THROWS_EXCEPTION(DeviceError, Trainer(m, bad));
        bad = f.spec;
        bad.batchSize = 0;
        QVERIFY_THROWS_EXCEPTION(SpecError, Trainer(m, bad));
        bad = f.spec;
        bad.optimizer.lr = -1;
        QVERIFY_THROWS_EXCEPTION(SpecError, Trainer(m, bad));
        bad = f.spec;
        bad.optimizer.nesterov = true; // AdamW has no Nesterov momentum
        QVERIFY_THROWS_EXCEPTION(SpecError, Trainer(m, bad));
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
