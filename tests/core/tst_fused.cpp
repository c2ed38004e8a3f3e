// The fused CPU path against the general LibTorch path: identical updates where the semantics
// are identical (plain SGD; any optimiser's first step), reproducible with two threads, and
// every optimiser learns.
#include "TestUtil.h"
#include "core/common/Error.h"
#include "core/common/Random.h"
#include "core/model/Model.h"
#include "core/train/FusedTrainer.h"
#include "core/train/ShuffleAhead.h"
#include "core/train/Trainer.h"

#include <algorithm>
#include <set>

using namespace factorscope;

Q_DECLARE_METATYPE(factorscope::OptimizerKind)

namespace {

struct Run {
    TrainResult result;
    Matrix items;
};

Run train(const Dataset& d, const Split& split, TrainSpec spec, Engine engine) {
    spec.engine = engine;
    Model m(spec.model, d.users.size(), d.items.size(), spec.seed);
    Trainer t(m, spec);
    Run r;
    r.result = t.run(d, split);
    r.items = m.itemFactors();
    return r;
}

double maxDiff(const Matrix& a, const Matrix& b, const std::set<int32_t>& rows) {
    double worst = 0;
    for (int32_t r : rows)
        for (int64_t c = 0; c < a.cols; ++c)
            worst = std::max(worst, static_cast<double>(std::abs(a.at(r, c) - b.at(r, c))));
    return worst;
}

} // namespace

class TestFused : public QObject {
    Q_OBJECT
    Dataset m_data = test::smallDemo();
    Split m_split;
    std::set<int32_t> m_trainedItems;

private Q_SLOTS:
    void initTestCase() {
        m_split = makeSplit(m_data, SplitSpec::parse("random:0.2"));
        for (int64_t r : m_split.train)
            m_trainedItems.insert(m_data.ratings.item[r]);
    }

    void plainSgdMatchesTheGeneralPath() {
        TrainSpec s;
        s.optimizer = OptimizerSpec::defaultsFor(OptimizerKind::Sgd);
        s.optimizer.momentum = 0;
        s.optimizer.weightDecay = 0;
        s.optimizer.lr = 0.1;
        s.schedule.kind = ScheduleKind::Constant;
        s.epochs = 3;
        s.batchSize = 128;
        s.threads = 1;
        const Run g = train(m_data, m_split, s, Engine::General);
        const Run f = train(m_data, m_split, s, Engine::Fused);
        QVERIFY2(maxDiff(g.items, f.items, m_trainedItems) < 1e-4,
                 qPrintable(QString::number(maxDiff(g.items, f.items, m_trainedItems))));
        QVERIFY(std::abs(g.result.bestValRmse - f.result.bestValRmse) < 1e-4);
    }

    // On the first step no row has history, so lazy and dense state agree exactly on every
    // row the batch touched, whatever the optimiser.
    void firstStepMatches_data() {
        QTest::addColumn<OptimizerKind>("kind");
        QTest::addColumn<bool>("nesterov");
        for (auto k : {OptimizerKind::Sgd, OptimizerKind::Adam, OptimizerKind::AdamW, OptimizerKind::Adagrad,
                       OptimizerKind::RmsProp})
            QTest::newRow(toString(k).c_str()) << k << false;
        QTest::newRow("sgd nesterov") << OptimizerKind::Sgd << true;
    }
    void firstStepMatches() {
        QFETCH(OptimizerKind, kind);
        QFETCH(bool, nesterov);
        TrainSpec s;
        s.optimizer = OptimizerSpec::defaultsFor(kind);
        s.optimizer.nesterov = nesterov;
        s.optimizer.weightDecay = kind == OptimizerKind::AdamW ? 0.5 : 1e-3;
        // One step of the whole set's mean loss moves a row by lr times a gradient of about 1e-4:
        // at SGD's lr 0.05 far below the tolerance. At lr 100, with SGD's exact updates held to
        // 1e-4, momentum's or Nesterov's share of the step (0.1 of it, 1e-3) shows.
        double tolerance = 1e-3;
        if (kind == OptimizerKind::Sgd) {
            s.optimizer.lr = 100;
            tolerance = 1e-4;
        }
        s.schedule.kind = ScheduleKind::Constant;
        s.epochs = 1;
        s.batchSize = static_cast<int>(m_split.train.size()); // one step
        s.threads = 1;
        const Run g = train(m_data, m_split, s, Engine::General);
        const Run f = train(m_data, m_split, s, Engine::Fused);
        const double diff = maxDiff(g.items, f.items, m_trainedItems);
        QVERIFY2(diff < tolerance, qPrintable(QString::number(diff)));
    }

    // Adam with a constant rate and no decay, on dot (no sigmoid to hide differences): rows that
    // sit out batches coast with their momentum in the dense optimiser, and the fused path adds
    // that coasting when they come back, so both reach the same validation RMSE (the weights
    // themselves part ways, as two runs of a non-convex problem do).
    void adamCoastsLikeTheDensePath() {
        TrainSpec s;
        s.model.kind = ModelKind::Dot;
        s.model.factors = 16;
        s.optimizer = OptimizerSpec::defaultsFor(OptimizerKind::Adam);
        s.optimizer.lr = 0.01;
        s.optimizer.weightDecay = 0;
        s.schedule.kind = ScheduleKind::Constant;
        s.epochs = 3;
        s.batchSize = 256; // small batches: most rows skip most steps
        s.threads = 1;
        const Run g = train(m_data, m_split, s, Engine::General);
        const Run f = train(m_data, m_split, s, Engine::Fused);
        const double rmse = std::abs(g.result.bestValRmse - f.result.bestValRmse);
        qInfo("dense %.4f, fused %.4f", g.result.bestValRmse, f.result.bestValRmse);
        QVERIFY2(rmse < 0.005, qPrintable(QString::number(rmse)));
    }

    // Before each evaluation the lazy rows catch up on what dense Adam did to them while they
    // sat out batches (momentum moves, moment decay, AdamW decay, each skipped step with its
    // own rate). Over two steps no row is read while it has something pending (a row's
    // gradient is taken at the weights it left, so from the third step on a returning row's
    // gradient differs from dense Adam's), so after the catch-up the weights are dense Adam's
    // up to eps: 4e-5 here with Adam, 2e-4 with AdamW (more than eps explains; not yet traced).
    // Without the catch-up the rows of the first batch only are a momentum step behind: 0.03.
    void lazyAdamCatchesUpWithDenseAdam_data() {
        QTest::addColumn<OptimizerKind>("kind");
        QTest::newRow("adam") << OptimizerKind::Adam;
        QTest::newRow("adamw") << OptimizerKind::AdamW;
    }
    void lazyAdamCatchesUpWithDenseAdam() {
        QFETCH(OptimizerKind, kind);
        TrainSpec s;
        s.model.kind = ModelKind::Dot;
        s.model.factors = 16;
        s.optimizer = OptimizerSpec::defaultsFor(kind);
        s.optimizer.weightDecay = kind == OptimizerKind::AdamW ? 0.3 : 0.0;
        // A sparse training set, so that many items are in one of the two batches only.
        const Split sparse = makeSplit(m_data, SplitSpec::parse("random:0.95"));
        s.schedule.kind = ScheduleKind::Triangular; // a rate that differs between the two steps
        s.schedule.stepSize = 1;
        std::set<int32_t> trained;
        s.epochs = 1;
        s.batchSize = static_cast<int>((sparse.train.size() + 1) / 2); // two steps
        s.threads = 1;
        const Run g = train(m_data, sparse, s, Engine::General);
        const Run f = train(m_data, sparse, s, Engine::Fused);
        for (int64_t r : sparse.train)
            trained.insert(m_data.ratings.item[r]);
        const double diff = maxDiff(g.items, f.items, trained);
        qInfo("max |dense - lazy| over the item factors: %.2e", diff);
        QVERIFY2(diff < 1e-3, qPrintable(QString::number(diff)));
    }

    // The fused trainer's row-wise state handed to a new trainer mid-run (what a checkpoint
    // does), with the recent steps' rates, carries the run on as if it had not stopped: the
    // weights agree with an unbroken run to float rounding. The rate changes every step, as
    // under a schedule, so a wrong or stale coasting or decay product would show.
    void handedOverStateContinuesTheRun() {
        TrainSpec s; // dotbias, AdamW
        s.optimizer.weightDecay = 0.3;
        s.threads = 1;
        const std::vector<int64_t>& rows = m_split.train;
        const int64_t bs = 128, batches = static_cast<int64_t>(rows.size()) / bs, half = batches / 2;
        auto lrAt = [](int64_t k) { return 0.01 * (1.0 + 0.5 * std::sin(0.3 * static_cast<double>(k))); };
        Model unbroken(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        Model resumed(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        FusedTrainer a(unbroken, s), b(resumed, s);
        for (int64_t k = 0; k < batches; ++k)
            a.step(m_data, rows.data() + k * bs, bs, lrAt(k), std::nan(""));
        for (int64_t k = 0; k < half; ++k)
            b.step(m_data, rows.data() + k * bs, bs, lrAt(k), std::nan(""));
        b.pushWeights(); // the weights as they stand, beside the state: what a checkpoint holds
        FusedTrainer c(resumed, s);
        c.setState(b.state());
        for (int64_t k = half; k < batches; ++k)
            c.step(m_data, rows.data() + k * bs, bs, lrAt(k), std::nan(""));
        a.pushWeights();
        c.pushWeights();
        std::set<int32_t> users;
        for (int64_t r : rows)
            users.insert(m_data.ratings.user[r]);
        const double items = maxDiff(unbroken.itemFactors(), resumed.itemFactors(), m_trainedItems);
        const double people = maxDiff(unbroken.userFactors(), resumed.userFactors(), users);
        QVERIFY2(items < 1e-5 && people < 1e-5, qPrintable(QStringLiteral("%1 %2").arg(items).arg(people)));
        // State from before the rates were kept (older checkpoints) still loads; the steps
        // before the restore then coast with the rates of the step at hand.
        auto older = b.state();
        std::erase_if(older, [](const auto& e) { return e.first.rfind("fused.rates", 0) == 0; });
        FusedTrainer olderTrainer(resumed, s);
        olderTrainer.setState(older);
        // A rates tensor of the wrong size is refused by name.
        auto wrong = b.state();
        for (auto& [name, value] : wrong)
            if (name == "fused.rates")
                value = value.slice(0, 0, 8);
        FusedTrainer refusing(resumed, s);
        const QString error = test::errorOf<CheckpointError>([&] { refusing.setState(wrong); });
        QVERIFY2(error.contains(QStringLiteral("fused.rates")), qPrintable(error));
        // Without the handed-over state the run goes elsewhere: the comparison can tell.
        Model fresh(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        FusedTrainer d(fresh, s);
        for (int64_t k = 0; k < half; ++k)
            d.step(m_data, rows.data() + k * bs, bs, lrAt(k), std::nan(""));
        d.pushWeights();
        FusedTrainer e(fresh, s);
        for (int64_t k = half; k < batches; ++k)
            e.step(m_data, rows.data() + k * bs, bs, lrAt(k), std::nan(""));
        e.pushWeights();
        QVERIFY(maxDiff(unbroken.itemFactors(), fresh.itemFactors(), m_trainedItems) > 1e-3);
    }

    // The trainer trains its own copy of the weights: catchUp writes it into the model, and
    // pullWeights takes the model's back (a restored best epoch, a checkpoint): the same plain
    // SGD steps from the restored weights land where they did the first time.
    void theTrainersCopyFollowsTheModel() {
        TrainSpec s; // dotbias
        s.optimizer = OptimizerSpec::defaultsFor(OptimizerKind::Sgd);
        s.optimizer.momentum = 0;
        s.threads = 1;
        Model m(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        const auto initial = m.snapshot();
        const Matrix untrained = m.itemFactors();
        FusedTrainer f(m, s);
        const std::vector<int64_t>& rows = m_split.train;
        auto tenSteps = [&] {
            for (int64_t k = 0; k < 10; ++k)
                f.step(m_data, rows.data() + k * 64, 64, 0.1, std::nan(""));
            f.catchUp();
        };
        tenSteps();
        const Matrix trained = m.itemFactors();
        QVERIFY(maxDiff(untrained, trained, m_trainedItems) > 1e-4);
        m.restore(*initial);
        f.pullWeights();
        tenSteps();
        QCOMPARE(m.itemFactors().values, trained.values);
    }

    // Weights and state packed in one record per row (tables that fit the caches) or in tables
    // of their own (larger ones): the same arithmetic, so the same weights and optimiser state.
    void bothLayoutsTrainAlike_data() { firstStepMatches_data(); }
    void bothLayoutsTrainAlike() {
        QFETCH(OptimizerKind, kind);
        TrainSpec s; // dotbias
        s.optimizer = OptimizerSpec::defaultsFor(kind);
        s.threads = 1;
        Model a(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        Model b(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        FusedTrainer packed(a, s, FusedTrainer::Layout::Packed), separate(b, s, FusedTrainer::Layout::Separate);
        const std::vector<int64_t>& rows = m_split.train;
        for (int64_t k = 0; k + 128 <= static_cast<int64_t>(rows.size()); k += 128) {
            packed.step(m_data, rows.data() + k, 128, 0.01, std::nan(""));
            separate.step(m_data, rows.data() + k, 128, 0.01, std::nan(""));
        }
        packed.catchUp();
        separate.catchUp();
        QCOMPARE(a.itemFactors().values, b.itemFactors().values);
        QCOMPARE(a.userFactors().values, b.userFactors().values);
        QVERIFY(maxDiff(a.itemFactors(), Model(s.model, m_data.users.size(), m_data.items.size(), s.seed).itemFactors(),
                        m_trainedItems) > 1e-4); // it trained
        const auto ps = packed.state(), ss = separate.state();
        QCOMPARE(ps.size(), ss.size());
        for (std::size_t t = 0; t < ps.size(); ++t)
            QVERIFY2(torch::equal(ps[t].second, ss[t].second), ps[t].first.c_str());
    }

    void twoThreadsAreReproducible() {
        TrainSpec s;
        s.epochs = 2;
        s.batchSize = 512;
        s.threads = 2;
        const Run a = train(m_data, m_split, s, Engine::Fused);
        const Run b = train(m_data, m_split, s, Engine::Fused);
        QCOMPARE(a.items.values, b.items.values);
        // Two threads split the work by side, so they compute what one thread does.
        s.threads = 1;
        const Run c = train(m_data, m_split, s, Engine::Fused);
        QCOMPARE(a.items.values, c.items.values);
    }

    // The next epoch's order shuffled on another thread is the order shuffling in place at the
    // epoch's start gives: the same swaps, so the same batches.
    void shufflingAheadGivesTheSameOrders() {
        std::vector<std::vector<int64_t>> orders[2];
        for (int ahead = 0; ahead < 2; ++ahead) {
            ShuffleAhead shuffled(m_split.train, 42, 1, ahead == 1);
            for (int e = 0; e < 5; ++e)
                orders[ahead].push_back(shuffled.next(e + 1 < 5));
        }
        QCOMPARE(orders[1], orders[0]);
        // A run that starts at epoch 3 (a resumed one) walks epoch 3's and 4's orders.
        ShuffleAhead resumed(m_split.train, 42, 3, true);
        QCOMPARE(resumed.next(true), orders[0][2]);
        QCOMPARE(resumed.next(false), orders[0][3]);
        std::vector<int64_t> sorted = m_split.train;
        std::sort(sorted.begin(), sorted.end());
        for (std::size_t e = 0; e < orders[1].size(); ++e) {
            QVERIFY(orders[1][e] != (e == 0 ? m_split.train : orders[1][e - 1])); // shuffled each epoch
            std::vector<int64_t> rows = orders[1][e];
            std::sort(rows.begin(), rows.end());
            QCOMPARE(rows, sorted); // the same ratings, each once
        }
        // Training with the spare core shuffling ahead (the default thread count, where the
        // machine has two cores) computes what one thread alone does.
        TrainSpec s;
        s.epochs = 3;
        s.batchSize = 512;
        s.threads = 0;
        const Run a = train(m_data, m_split, s, Engine::Fused);
        s.threads = 1;
        const Run b = train(m_data, m_split, s, Engine::Fused);
        QCOMPARE(a.items.values, b.items.values);
    }

    void everyOptimiserLearns_data() { firstStepMatches_data(); }
    void everyOptimiserLearns() {
        QFETCH(OptimizerKind, kind);
        QFETCH(bool, nesterov);
        TrainSpec s;
        s.optimizer = OptimizerSpec::defaultsFor(kind);
        s.optimizer.nesterov = nesterov;
        s.epochs = 5;
        s.batchSize = 256;
        const Run f = train(m_data, m_split, s, Engine::Fused);
        QVERIFY2(f.result.bestValRmse < f.result.baselineRmse,
                 qPrintable(QStringLiteral("%1 vs %2").arg(f.result.bestValRmse).arg(f.result.baselineRmse)));
    }

    void fusedOnlyWhereItApplies() {
        TrainSpec s;
        s.engine = Engine::Fused;
        s.model = ModelSpec::defaultsFor(ModelKind::Mlp);
        QVERIFY_THROWS_EXCEPTION(SpecError, s.validate());
        s.model = ModelSpec::defaultsFor(ModelKind::Dot);
        s.validate(); // fine
    }
};

QTEST_GUILESS_MAIN(TestFused)
#include "tst_fused.moc"
