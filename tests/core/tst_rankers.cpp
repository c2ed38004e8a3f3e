// The rankers fitted at once: popularity, random and EASE. Each against its definition (counts;
// EASE's closed form through its optimality conditions), their order on planted genres, a
// checkpoint round trip, and what they refuse.
#include "TestUtil.h"

#include "core/analysis/Ranking.h"
#include "core/common/Error.h"
#include "core/train/Checkpoint.h"
#include "core/train/LrFinder.h"
#include "core/train/Trainer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>

using namespace factorscope;

namespace {

TrainSpec rankerSpec(ModelKind kind) {
    TrainSpec s = test::quickSpec(5, 256);
    s.split = SplitSpec::parse("user-ratio:0.25");
    s.setModelKind(kind);
    return s;
}

} // namespace

class TestRankers : public QObject {
    Q_OBJECT
    Dataset m_data = test::smallDemo();
    Split m_split;

private Q_SLOTS:
    void initTestCase() { m_split = makeSplit(m_data, SplitSpec::parse("user-ratio:0.25")); }

    void popularityCountsPositives() {
        TrainSpec s = rankerSpec(ModelKind::Popularity);
        s.positiveAt = 4;
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        const TrainResult r = Trainer(model, s).run(m_data, m_split);
        QCOMPARE(r.history.size(), std::size_t(1)); // fitted at once, whatever the epochs
        QVERIFY(std::isnan(r.history[0].trainLoss) && std::isnan(r.bestValRmse));
        std::vector<float> counts(m_data.items.size(), 0);
        for (int64_t row : m_split.train)
            if (m_data.ratings.rating[row] >= 4)
                counts[m_data.ratings.item[row]] += 1;
        std::vector<int32_t> users(m_data.items.size(), 5), items(m_data.items.size());
        for (int32_t i = 0; i < m_data.items.size(); ++i)
            items[i] = i;
        QVERIFY(model.predict(users, items) == counts);
    }

    // EASE's B minimises |X - XB|^2 + lambda |B|^2 with a zero diagonal; its conditions: B's
    // diagonal is zero and (X'X + lambda I) B - X'X is zero off the diagonal.
    void easeSatisfiesItsClosedForm() {
        TrainSpec s = rankerSpec(ModelKind::Ease);
        s.model.easeLambda = 20; // small: the co-ratings, not the penalty, dominate the conditions
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        Trainer(model, s).run(m_data, m_split);
        const int n = m_data.items.size();
        std::vector<std::vector<double>> x(m_data.users.size(), std::vector<double>(n, 0));
        for (int64_t row : m_split.train)
            x[m_data.ratings.user[row]][m_data.ratings.item[row]] = 1;
        std::vector<double> gram(std::size_t(n) * n, 0);
        for (const auto& rowOfX : x)
            for (int i = 0; i < n; ++i)
                if (rowOfX[i] != 0)
                    for (int j = 0; j < n; ++j)
                        gram[std::size_t(i) * n + j] += rowOfX[j];
        const Matrix table = model.itemFactors(); // row j: column j of B
        QCOMPARE(table.cols, int64_t(n));
        double worst = 0, largest = 0;
        for (int i = 0; i < n; ++i) {
            QCOMPARE(table.at(i, i), 0.0f);
            for (int j = 0; j < n; ++j) {
                if (i == j)
                    continue;
                double v = s.model.easeLambda * table.at(j, i) - gram[std::size_t(i) * n + j];
                for (int k = 0; k < n; ++k)
                    v += gram[std::size_t(i) * n + k] * table.at(j, k);
                worst = std::max(worst, std::abs(v));
                largest = std::max(largest, gram[std::size_t(i) * n + j]);
            }
        }
        qInfo("largest off-diagonal residual %.2g (co-rating counts up to %.0f)", worst, largest);
        QVERIFY(worst < 1e-3 * largest);
    }

    // On the demo data what a user rates follows popularity (the planted genres shape the
    // ratings' values), so both rankers beat random by far there; on MovieLens 100K, which
    // users choose what, EASE beats popularity too. The same seed gives the same random ranker.
    void theyBeatRandom() {
        std::map<ModelKind, double> ndcg;
        for (ModelKind kind : {ModelKind::Ease, ModelKind::Popularity, ModelKind::Random}) {
            const TrainSpec s = rankerSpec(kind);
            Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
            ndcg[kind] = Trainer(model, s).run(m_data, m_split).bestValNdcg;
        }
        qInfo("demo nDCG@10: ease %.3f, popularity %.3f, random %.3f", ndcg[ModelKind::Ease],
              ndcg[ModelKind::Popularity], ndcg[ModelKind::Random]);
        QVERIFY(ndcg[ModelKind::Ease] > 3 * ndcg[ModelKind::Random]);
        QVERIFY(ndcg[ModelKind::Popularity] > 3 * ndcg[ModelKind::Random]);
        const TrainSpec s = rankerSpec(ModelKind::Random);
        Model a(s.model, m_data.users.size(), m_data.items.size(), s.seed),
            b(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        QVERIFY(a.predict({1, 2}, {3, 4}) == b.predict({1, 2}, {3, 4}));
    }

    void easeBeatsPopularityOnMovieLens() {
        if (!test::hasMl100k())
            QSKIP("MovieLens 100K not found at " FACTORSCOPE_ML100K "; set -DFACTORSCOPE_ML100K=... to run this");
        const Dataset data = loadDataset(test::ml100k());
        const Split split = makeSplit(data, SplitSpec::parse("user-ratio:0.25"));
        double ndcg[2] = {};
        int k = 0;
        for (ModelKind kind : {ModelKind::Ease, ModelKind::Popularity}) {
            const TrainSpec s = rankerSpec(kind);
            Model model(s.model, data.users.size(), data.items.size(), s.seed);
            ndcg[k++] = Trainer(model, s).run(data, split).bestValNdcg;
        }
        qInfo("MovieLens 100K user-ratio:0.25 nDCG@10: ease %.3f, popularity %.3f", ndcg[0], ndcg[1]);
        QVERIFY(ndcg[0] > 1.5 * ndcg[1]);
    }

    void checkpointKeepsTheFit() {
        TrainSpec s = rankerSpec(ModelKind::Ease);
        s.model.easeLambda = 20;
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        Trainer trainer(model, s);
        trainer.run(m_data, m_split);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("ease.fsckpt")).toStdString();
        saveCheckpoint(path, trainer, m_data);
        const LoadedCheckpoint back = loadCheckpoint(path);
        QVERIFY(back.info.spec.model.kind == ModelKind::Ease);
        QCOMPARE(back.info.spec.model.easeLambda, 20.0);
        QVERIFY(back.model->predictAll({0, 7}) == model.predictAll({0, 7}));
    }

    void whatTheyRefuse() {
        TrainSpec s = rankerSpec(ModelKind::Popularity);
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        const QString lr =
            test::errorOf<TrainingError>([&] { findLearningRate(model, m_data, m_split, s, LrFindSpec{}); });
        QVERIFY2(lr.contains(QStringLiteral("no learning rate")), qPrintable(lr));
        s.rankK = 0;
        try {
            s.validate();
            QFAIL("a ranker without ranking was taken");
        } catch (const SpecError& e) {
            QCOMPARE(e.field(), std::string("rank-k"));
        }
        try {
            Model big(ModelSpec::defaultsFor(ModelKind::Ease), 1000, 30000, 1);
            QFAIL("EASE over 30,000 items was built");
        } catch (const SpecError& e) {
            QCOMPARE(e.field(), std::string("model"));
            QVERIFY2(std::string(e.what()).find("30000 items") != std::string::npos, e.what());
        }
        ModelSpec negative = ModelSpec::defaultsFor(ModelKind::Ease);
        negative.easeLambda = -1;
        QVERIFY_THROWS_EXCEPTION(SpecError, negative.validate());
    }
};

QTEST_GUILESS_MAIN(TestRankers)
#include "tst_rankers.moc"
