// Implicit feedback: BPR's negatives, BPR training on both engines (the same updates under
// plain SGD; a ranker far better than its start), what decides the best epoch, and the bad
// settings named by field.
#include "TestUtil.h"

#include "core/analysis/Ranking.h"
#include "core/common/Error.h"
#include "core/train/NegativeSampler.h"
#include "core/train/StepPath.h"
#include "core/train/Trainer.h"

#include <QtTest>

#include <cmath>
#include <set>

using namespace factorscope;

namespace {

TrainSpec bprSpec(Engine engine) {
    TrainSpec s = test::quickSpec(6, 256);
    s.split = SplitSpec::parse("user-ratio:0.25");
    s.loss = LossKind::Bpr;
    s.engine = engine;
    s.optimizer = OptimizerSpec::defaultsFor(OptimizerKind::Adam);
    s.optimizer.lr = 0.01;
    s.optimizer.weightDecay = 0;
    s.model.useYRange = false;
    s.schedule.kind = ScheduleKind::Constant;
    return s;
}

} // namespace

class TestBpr : public QObject {
    Q_OBJECT
    Dataset m_data = test::smallDemo();

private Q_SLOTS:
    void negativesAreNeverPositives() {
        const Split split = makeSplit(m_data, SplitSpec::parse("user-ratio:0.25"));
        const NegativeSampler sampler(m_data, split.train);
        const auto n = static_cast<int64_t>(split.train.size());
        std::vector<int32_t> u(2 * n), p(2 * n), neg(2 * n), again(2 * n);
        sampler.draw(m_data, split.train.data(), n, 2, 7, 1, u.data(), p.data(), neg.data());
        std::set<std::pair<int32_t, int32_t>> positives;
        for (int64_t r : split.train)
            positives.insert({m_data.ratings.user[r], m_data.ratings.item[r]});
        std::set<int32_t> distinct;
        for (int64_t t = 0; t < 2 * n; ++t) {
            const int64_t row = split.train[std::size_t(t / 2)];
            QCOMPARE(u[t], m_data.ratings.user[row]);
            QCOMPARE(p[t], m_data.ratings.item[row]);
            QVERIFY(!positives.count({u[t], neg[t]})); // no user here rated most of the catalogue
            QVERIFY(sampler.isPositive(u[t], p[t]));
            distinct.insert(neg[t]);
        }
        QVERIFY(distinct.size() > std::size_t(m_data.items.size()) * 9 / 10); // uniform over the catalogue
        // The same (seed, step) draws the same; another step draws others.
        sampler.draw(m_data, split.train.data(), n, 2, 7, 1, u.data(), p.data(), again.data());
        QVERIFY(again == neg);
        sampler.draw(m_data, split.train.data(), n, 2, 7, 2, u.data(), p.data(), again.data());
        QVERIFY(again != neg);
    }

    // Plain SGD updates the same rows by the same amounts on both engines, y-range or not.
    void plainSgdMatchesTheGeneralPath_data() {
        QTest::addColumn<bool>("yRange");
        QTest::newRow("raw scores") << false;
        QTest::newRow("y-range") << true;
    }
    void plainSgdMatchesTheGeneralPath() {
        QFETCH(bool, yRange);
        TrainSpec s = bprSpec(Engine::General);
        s.optimizer = OptimizerSpec::defaultsFor(OptimizerKind::Sgd);
        s.optimizer.momentum = 0;
        s.optimizer.weightDecay = 0;
        s.optimizer.lr = 5;
        s.model.useYRange = yRange;
        s.model.initStd = 0.1;
        s.epochs = 2;
        s.negatives = 2;
        const Split split = makeSplit(m_data, s.split);
        Model general(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        Model fused(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        const TrainResult g = Trainer(general, s).run(m_data, split);
        s.engine = Engine::Fused;
        const TrainResult f = Trainer(fused, s).run(m_data, split);
        qInfo("loss %.6f / %.6f, epoch 1 %.6f / %.6f", g.history.back().trainLoss, f.history.back().trainLoss,
              g.history.front().trainLoss, f.history.front().trainLoss);
        QVERIFY(std::abs(g.history.back().trainLoss - f.history.back().trainLoss) < 1e-4);
        const Matrix a = general.itemFactors(), b = fused.itemFactors();
        double worst = 0, moved = 0;
        const Matrix start = Model(s.model, m_data.users.size(), m_data.items.size(), s.seed).itemFactors();
        for (int64_t i = 0; i < a.rows * a.cols; ++i) {
            worst = std::max(worst, double(std::abs(a.values[i] - b.values[i])));
            moved = std::max(moved, double(std::abs(a.values[i] - start.values[i])));
        }
        qInfo("largest move %.4f, largest difference %.2g", moved, worst);
        QVERIFY(moved > 0.01);
        QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
        QCOMPARE(g.bestEpoch, f.bestEpoch);
    }

    // BPR learns to rank held-out items on either engine, and picks its best epoch by nDCG: its
    // scores are not ratings, so RMSE is not measured.
    void bprLearnsToRank_data() {
        QTest::addColumn<Engine>("engine");
        QTest::addColumn<ModelKind>("kind");
        QTest::newRow("fused dotbias") << Engine::Fused << ModelKind::DotBias;
        QTest::newRow("general dot") << Engine::General << ModelKind::Dot;
        QTest::newRow("general mlp") << Engine::General << ModelKind::Mlp;
    }
    void bprLearnsToRank() {
        QFETCH(Engine, engine);
        QFETCH(ModelKind, kind);
        TrainSpec s = bprSpec(engine);
        s.model = ModelSpec::defaultsFor(kind);
        s.model.useYRange = false;
        if (kind == ModelKind::Mlp)
            s.model.hidden = {32}, s.model.dropouts = {0.1}, s.model.factors = 16, s.epochs = 3;
        const Split split = makeSplit(m_data, s.split);
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        RankingOptions o;
        const double before = rankingMetrics(model, m_data, split.train, split.validation, o).ndcg;
        const TrainResult r = Trainer(model, s).run(m_data, split);
        const double after = rankingMetrics(model, m_data, split.train, split.validation, o).ndcg;
        qInfo("nDCG@10 %.3f -> %.3f (best epoch %d: %.3f)", before, after, r.bestEpoch, r.bestValNdcg);
        QVERIFY(after > 2 * before);
        QVERIFY(r.history.front().trainLoss < std::log(2.0) + 1e-3); // starts near log 2, goes down
        QVERIFY(r.history.back().trainLoss < r.history.front().trainLoss);
        QVERIFY(std::isnan(r.bestValRmse));
        double best = 0;
        for (const EpochStats& e : r.history) {
            QVERIFY(std::isfinite(e.valNdcg));
            // Every user, but a tenth of the sample for a model that scores pair by pair.
            QCOMPARE(e.rankedUsers, kind == ModelKind::Mlp ? int64_t(s.rankUsers / 10) : int64_t(m_data.users.size()));
            best = std::max(best, e.valNdcg);
        }
        QCOMPARE(r.bestValNdcg, best);
        // Restore-best put the best epoch's weights back: ranked on its sample, the same nDCG.
        const int64_t sample = kind == ModelKind::Mlp ? s.rankUsers / 10 : s.rankUsers;
        const double again =
            rankingMetrics(model, m_data, split.train, split.validation, rankingOptionsFor(s, s.rankK, sample)).ndcg;
        QVERIFY(std::abs(again - best) < 1e-9);
    }

    void positivesFromARating() {
        TrainSpec s = bprSpec(Engine::Fused);
        s.positiveAt = 4;
        const Split split = makeSplit(m_data, s.split);
        const auto rows = trainingRows(m_data, split.train, s);
        QVERIFY(!rows.empty() && rows.size() < split.train.size());
        for (int64_t r : rows)
            QVERIFY(m_data.ratings.rating[r] >= 4);
        s.loss = LossKind::Mse;
        QCOMPARE(trainingRows(m_data, split.train, s).size(), split.train.size());
    }

    void badSettingsAreNamed() {
        TrainSpec s = bprSpec(Engine::Fused);
        s.rankK = 0;
        try {
            s.validate();
            QFAIL("BPR without ranking was taken");
        } catch (const SpecError& e) {
            QCOMPARE(e.field(), std::string("rank-k"));
        }
        s.rankK = 5000; // more than the demo's 300 movies
        const Split split = makeSplit(m_data, s.split);
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        try {
            Trainer(model, s).run(m_data, split);
            QFAIL("K past the catalogue was taken");
        } catch (const SpecError& e) {
            QCOMPARE(e.field(), std::string("rank-k"));
        }
        s.rankK = 10;
        s.positiveAt = 6; // above every rating
        const QString why = test::errorOf<TrainingError>([&] { Trainer(model, s).run(m_data, split); });
        QVERIFY2(why.contains(QStringLiteral("--positive-at")), qPrintable(why));
    }
};

QTEST_GUILESS_MAIN(TestBpr)
#include "tst_bpr.moc"
