// The classic rating predictors: the baseline against its alternating least squares, every
// kNN variant (users or items, four similarities, four centres) against a brute-force
// implementation of Surprise's definitions written here from dense matrices, the fallbacks,
// explanations, checkpoints (including damaged ones), MovieLens 100K's u1 split (with SVD++,
// tst_svdpp), and what they refuse.
#include "DamagedWeights.h"
#include "TestUtil.h"

#include "core/analysis/CoRatings.h"
#include "core/analysis/Recommend.h"
#include "core/common/Error.h"
#include "core/model/ModelImpl.h"
#include "core/train/Checkpoint.h"
#include "core/train/TensorPack.h"
#include "core/train/Trainer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace factorscope;

namespace {

// Ratings as a dense matrix (0: not rated), rows as the model's orientation has them.
struct Dense {
    int rows = 0, cols = 0;
    std::vector<std::vector<double>> r;
    bool rated(int x, int y) const { return r[x][y] > 0; }
};

Dense denseOf(const Dataset& d, const std::vector<int64_t>& train, bool onItems) {
    Dense m;
    m.rows = onItems ? d.items.size() : d.users.size();
    m.cols = onItems ? d.users.size() : d.items.size();
    m.r.assign(m.rows, std::vector<double>(m.cols, 0.0));
    for (int64_t row : train) {
        const int u = d.ratings.user[row], i = d.ratings.item[row];
        (onItems ? m.r[i][u] : m.r[u][i]) = d.ratings.rating[row];
    }
    return m;
}

// Surprise's similarity of rows a and b, straight from its definitions.
double similarity(const Dense& m, const ModelSpec& s, int a, int b, const std::vector<std::vector<double>>& base) {
    double n = 0, prods = 0, sqa = 0, sqb = 0, sa = 0, sb = 0, sqdiff = 0;
    for (int y = 0; y < m.cols; ++y) {
        if (!m.rated(a, y) || !m.rated(b, y))
            continue;
        double ra = m.r[a][y], rb = m.r[b][y];
        if (s.similarity == Similarity::PearsonBaseline) {
            ra -= base[a][y];
            rb -= base[b][y];
        }
        n += 1;
        prods += ra * rb;
        sqa += ra * ra;
        sqb += rb * rb;
        sa += ra;
        sb += rb;
        sqdiff += (ra - rb) * (ra - rb);
    }
    if (n < s.minSupport)
        return 0;
    switch (s.similarity) {
    case Similarity::Msd:
        return 1 / (sqdiff / n + 1);
    case Similarity::Cosine:
        return sqa * sqb > 0 ? prods / std::sqrt(sqa * sqb) : 0;
    case Similarity::Pearson: {
        const double den = std::sqrt((n * sqa - sa * sa) * (n * sqb - sb * sb));
        return den > 0 ? (n * prods - sa * sb) / den : 0;
    }
    case Similarity::PearsonBaseline:
        return sqa * sqb > 0 ? prods / std::sqrt(sqa * sqb) * (n - 1) / (n - 1 + s.shrinkage) : 0;
    }
    return 0;
}

// x's predicted rating of y: the K most similar rows that rated y, those above 0 voting.
double bruteForce(const Dense& m, const ModelSpec& s, int x, int y, const std::vector<std::vector<double>>& base,
                  const std::vector<double>& mean, const std::vector<double>& sd, double low, double high) {
    std::vector<std::pair<double, int>> nb;
    for (int x2 = 0; x2 < m.rows; ++x2)
        if (x2 != x && m.rated(x2, y))
            nb.emplace_back(static_cast<float>(similarity(m, s, x, x2, base)), x2); // ties as the model's floats
    std::stable_sort(nb.begin(), nb.end(), [](auto& a, auto& b) { return a.first > b.first; });
    nb.resize(std::min<std::size_t>(nb.size(), s.neighbours));
    double sumSim = 0, sum = 0;
    for (auto [sim, x2] : nb) {
        if (sim <= 0)
            continue;
        const double r = m.r[x2][y];
        const double c = s.knnCentre == KnnCentre::None     ? r
                         : s.knnCentre == KnnCentre::Mean   ? r - mean[x2]
                         : s.knnCentre == KnnCentre::ZScore ? (r - mean[x2]) / sd[x2]
                                                            : r - base[x2][y];
        sumSim += sim;
        sum += sim * c;
    }
    const double centre = s.knnCentre == KnnCentre::Mean || s.knnCentre == KnnCentre::ZScore ? mean[x] : base[x][y];
    double est = centre;
    if (sumSim > 0)
        est = s.knnCentre == KnnCentre::None     ? sum / sumSim
              : s.knnCentre == KnnCentre::ZScore ? centre + sd[x] * sum / sumSim
                                                 : centre + sum / sumSim;
    return std::clamp(est, low, high);
}

TrainSpec classicSpec(ModelKind kind) {
    TrainSpec s = test::quickSpec(5, 256);
    s.setModelKind(kind);
    return s;
}

} // namespace

Q_DECLARE_METATYPE(factorscope::Similarity)
Q_DECLARE_METATYPE(factorscope::KnnCentre)

class TestClassic : public QObject {
    Q_OBJECT
    // Small enough for the dense brute force, with users and movies that share few ratings.
    Dataset m_data = [] {
        DemoSpec d;
        d.seed = 3;
        d.users = 40;
        d.movies = 30;
        d.ratings = 500;
        return generateDemo(d);
    }();
    Split m_split;

private Q_SLOTS:
    void initTestCase() { m_split = makeSplit(m_data, SplitSpec::parse("random:0.2")); }

    // Users are solved last: each user's bias is exactly its regularised mean residual.
    void baselineIsItsLeastSquares() {
        TrainSpec s = classicSpec(ModelKind::Baseline);
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        const TrainResult r = Trainer(model, s).run(m_data, m_split);
        QCOMPARE(r.history.size(), std::size_t(1));
        QVERIFY(std::isfinite(r.bestValRmse));
        double mean = 0;
        for (int64_t row : m_split.train)
            mean += m_data.ratings.rating[row];
        mean /= static_cast<double>(m_split.train.size());
        const Matrix bu = model.userFactors(), bi = model.itemFactors();
        std::vector<double> dev(m_data.users.size()), n(m_data.users.size());
        for (int64_t row : m_split.train) {
            const int u = m_data.ratings.user[row];
            dev[u] += m_data.ratings.rating[row] - mean - bi.values[m_data.ratings.item[row]];
            n[u] += 1;
        }
        for (int u = 0; u < m_data.users.size(); ++u)
            QVERIFY(std::abs(bu.values[u] - dev[u] / (s.model.baselineRegUser + n[u])) < 1e-5);
        const float p = model.predict({3}, {4})[0];
        QVERIFY(std::abs(p - std::clamp(mean + bu.values[3] + bi.values[4], 1.0, 5.0)) < 1e-5);
        QVERIFY(std::abs(model.predictAll({3})[4] - p) < 1e-6); // ranking's sum gives the same
    }

    void knnMatchesItsDefinition_data() {
        QTest::addColumn<bool>("onItems");
        QTest::addColumn<Similarity>("similarity");
        QTest::addColumn<KnnCentre>("centre");
        for (bool onItems : {false, true})
            for (Similarity sim :
                 {Similarity::Msd, Similarity::Cosine, Similarity::Pearson, Similarity::PearsonBaseline})
                for (KnnCentre c : {KnnCentre::None, KnnCentre::Mean, KnnCentre::ZScore, KnnCentre::Baseline})
                    QTest::addRow("%s/%s/%s", onItems ? "items" : "users", toString(sim).c_str(), toString(c).c_str())
                        << onItems << sim << c;
    }
    void knnMatchesItsDefinition() {
        QFETCH(bool, onItems);
        QFETCH(Similarity, similarity);
        QFETCH(KnnCentre, centre);
        TrainSpec s = classicSpec(ModelKind::Knn);
        s.model.knnOn = onItems ? KnnOn::Items : KnnOn::Users;
        s.model.similarity = similarity;
        s.model.knnCentre = centre;
        s.model.neighbours = 5; // fewer than the raters of most movies: the selection matters
        s.model.minSupport = 2;
        s.model.shrinkage = 10;
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        Trainer(model, s).run(m_data, m_split);
        // The baseline the model fitted (tested above) and each row's mean and spread.
        const Dense m = denseOf(m_data, m_split.train, onItems);
        const std::vector<float> bu = model.userFactors().values, bi = model.itemFactors().values;
        double global = 0, count = 0;
        std::vector<double> mean(m.rows, 0), sd(m.rows, 1);
        for (int x = 0; x < m.rows; ++x) {
            double sum = 0, sq = 0, k = 0;
            for (int y = 0; y < m.cols; ++y)
                if (m.rated(x, y)) {
                    sum += m.r[x][y];
                    k += 1;
                }
            global += sum;
            count += k;
            mean[x] = k ? sum / k : NAN; // the global mean, below
            for (int y = 0; y < m.cols; ++y)
                if (m.rated(x, y))
                    sq += (m.r[x][y] - mean[x]) * (m.r[x][y] - mean[x]);
            sd[x] = k && sq > 0 ? std::sqrt(sq / k) : 1;
        }
        for (double& v : mean)
            v = std::isnan(v) ? global / count : v;
        std::vector<std::vector<double>> base(m.rows, std::vector<double>(m.cols));
        for (int x = 0; x < m.rows; ++x)
            for (int y = 0; y < m.cols; ++y)
                base[x][y] = global / count + (onItems ? bu[y] + bi[x] : bu[x] + bi[y]);
        std::vector<int32_t> us, is;
        for (int u = 0; u < m_data.users.size(); ++u)
            for (int i = 0; i < m_data.items.size(); ++i) {
                us.push_back(u);
                is.push_back(i);
            }
        const std::vector<float> got = model.predict(us, is);
        double worst = 0;
        for (std::size_t k = 0; k < us.size(); ++k) {
            const int x = onItems ? is[k] : us[k], y = onItems ? us[k] : is[k];
            const double want = bruteForce(m, s.model, x, y, base, mean, sd, 1, 5);
            worst = std::max(worst, std::abs(want - got[k]));
        }
        QVERIFY2(worst < 1e-4, qPrintable(QStringLiteral("largest difference %1").arg(worst)));
    }

    // A user whose movies nobody else rated has no neighbour: the prediction is the centre.
    void withoutNeighboursTheCentreAnswers() {
        Dataset d = m_data;
        const int32_t loner = d.users.size(), newItem = d.items.size();
        const auto grown = [](const IdMap& ids) { // one more id, after the others
            std::vector<int64_t> all = ids.originals();
            all.push_back(*std::max_element(all.begin(), all.end()) + 1);
            return IdMap::fromIds(all);
        };
        d.users = grown(d.users);
        d.items = grown(d.items);
        QCOMPARE(*d.users.index(d.users.originals().back()), loner);
        QCOMPARE(*d.items.index(d.items.originals().back()), newItem);
        d.ratings.push(loner, newItem, 4.0f, 0);
        std::vector<int64_t> train = m_split.train;
        train.push_back(static_cast<int64_t>(d.ratings.size()) - 1);
        Split split = m_split;
        split.train = train;
        for (KnnCentre c : {KnnCentre::None, KnnCentre::Mean, KnnCentre::Baseline}) {
            TrainSpec s = classicSpec(ModelKind::Knn);
            s.model.knnCentre = c;
            Model knn(s.model, d.users.size(), d.items.size(), s.seed);
            Trainer(knn, s).run(d, split);
            TrainSpec b = classicSpec(ModelKind::Baseline);
            Model baseline(b.model, d.users.size(), d.items.size(), b.seed);
            Trainer(baseline, b).run(d, split);
            const float p = knn.predict({loner}, {2})[0];
            const float want = c == KnnCentre::Mean ? 4.0f : baseline.predict({loner}, {2})[0];
            QVERIFY2(std::abs(p - want) < 1e-5, qPrintable(QStringLiteral("%1 against %2").arg(p).arg(want)));
        }
    }

    void checkpointKeepsTheFit() {
        TrainSpec s = classicSpec(ModelKind::Knn);
        s.model.knnOn = KnnOn::Items;
        s.model.similarity = Similarity::PearsonBaseline;
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        Trainer trainer(model, s);
        trainer.run(m_data, m_split);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("knn.fsckpt")).toStdString();
        saveCheckpoint(path, trainer, m_data);
        const LoadedCheckpoint back = loadCheckpoint(path);
        QVERIFY(back.info.spec.model.knnOn == KnnOn::Items);
        QVERIFY(back.info.spec.model.similarity == Similarity::PearsonBaseline);
        QVERIFY(back.model->predictAll({0, 7}) == model.predictAll({0, 7}));
    }

    // Why a rating was predicted: the parts add up to it (the clip aside), and the votes are
    // the neighbours' own ratings.
    void explanationsAddUp() {
        TrainSpec s = classicSpec(ModelKind::Knn);
        s.model.neighbours = 6;
        Model knn(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        Trainer(knn, s).run(m_data, m_split);
        int explained = 0;
        for (int32_t u = 0; u < 10; ++u) {
            const Explanation e = explain(knn, u, 3);
            QVERIFY(!e.decomposes && e.votes.size() <= 6);
            double sumSim = 0, sum = 0;
            for (const NeighbourVote& v : e.votes) {
                sumSim += v.similarity;
                sum += v.similarity * v.centred;
                bool rated = false; // the vote is the neighbour's training rating of the movie
                for (int64_t row : m_split.train)
                    rated |= m_data.ratings.user[row] == v.neighbour && m_data.ratings.item[row] == 3 &&
                             m_data.ratings.rating[row] == v.rating;
                QVERIFY(rated);
            }
            const double want = std::clamp(e.centre + (sumSim > 0 ? sum / sumSim : 0.0), 1.0, 5.0);
            QVERIFY(std::abs(want - e.prediction) < 1e-4);
            explained += !e.votes.empty();
        }
        QVERIFY(explained > 5);
        for (ModelKind kind : {ModelKind::Baseline, ModelKind::SvdPP}) {
            TrainSpec t = classicSpec(kind);
            t.epochs = 2;
            Model m(t.model, m_data.users.size(), m_data.items.size(), t.seed);
            Trainer(m, t).run(m_data, m_split);
            const Explanation e = explain(m, 4, 5);
            QVERIFY(e.decomposes && e.hasMean && e.biases);
            double parts = e.mean + e.userBias + e.itemBias;
            for (double f : e.factors)
                parts += f;
            QVERIFY(std::abs(parts - e.raw) < 1e-4);
            QVERIFY(std::abs(std::clamp(e.raw, 1.0, 5.0) - e.prediction) < 1e-4);
            QCOMPARE(e.factors.size(), std::size_t(kind == ModelKind::SvdPP ? 20 : 0));
        }
        QVERIFY_THROWS_EXCEPTION(SpecError, knn.explainByNeighbours(0, -1));
    }

    // The explorer's movies rated most alike: every similarity against the brute force over the
    // users who rated both, with that count as the support, most similar first.
    void moviesRatedAlike() {
        Dataset train = m_data;
        train.ratings = m_data.ratings.subset(m_split.train);
        const auto co = coRatingsOf(train);
        const Dense m = denseOf(m_data, m_split.train, true);
        std::vector<std::vector<double>> base(m.rows, std::vector<double>(m.cols));
        for (int i = 0; i < m.rows; ++i)
            for (int u = 0; u < m.cols; ++u)
                base[i][u] = co->baseline.mean + co->baseline.itemBias[i] + co->baseline.userBias[u];
        for (Similarity sim : {Similarity::Msd, Similarity::Cosine, Similarity::Pearson, Similarity::PearsonBaseline}) {
            ModelSpec s = coRatingMeasure();
            s.similarity = sim;
            s.minSupport = 2;
            for (int x = 0; x < m.rows; x += 7) {
                const auto supportOf = [&](int x2) {
                    int n = 0;
                    for (int u = 0; u < m.cols; ++u)
                        n += m.rated(x, u) && m.rated(x2, u) ? 1 : 0;
                    return n;
                };
                std::vector<std::pair<float, int>> want; // similarity, movie
                for (int x2 = 0; x2 < m.rows; ++x2)
                    if (const auto v = static_cast<float>(similarity(m, s, x, x2, base)); x2 != x && v > 0)
                        want.emplace_back(v, x2);
                std::stable_sort(want.begin(), want.end(),
                                 [](const auto& a, const auto& b) { return a.first > b.first; });
                want.resize(std::min<std::size_t>(want.size(), 10));
                const std::vector<SimilarRow> got = similarMovies(*co, x, s, 10);
                QCOMPARE(got.size(), want.size());
                for (std::size_t k = 0; k < got.size(); ++k) {
                    QVERIFY(std::abs(got[k].similarity - want[k].first) < 1e-5);
                    const bool tied = (k > 0 && std::abs(want[k - 1].first - want[k].first) < 1e-5) ||
                                      (k + 1 < want.size() && std::abs(want[k + 1].first - want[k].first) < 1e-5);
                    if (!tied)
                        QCOMPARE(got[k].row, want[k].second);
                    QCOMPARE(got[k].support, supportOf(got[k].row));
                }
            }
        }
        QVERIFY(similarMovies(*co, -1, coRatingMeasure(), 10).empty());
        QVERIFY(similarMovies(*co, m.rows, coRatingMeasure(), 10).empty());
    }

    // Damaged tables in a checkpoint are refused before any prediction reads them.
    void damagedTablesAreRefused() {
        TrainSpec s = classicSpec(ModelKind::Knn);
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        Trainer(model, s).run(m_data, m_split);
        const NamedTensors good = weightsOf(*model.impl().net);
        const auto damaged = [&](const std::string& name, auto change) {
            return test::damagedLoadError(good, name, change, s.model, m_data.users.size(), m_data.items.size(),
                                          s.seed);
        };
        QVERIFY(damaged("neighbours", [](torch::Tensor t) { return t.fill_(100000); }).contains("out of range"));
        QVERIFY(damaged("neighbour_offsets", [](torch::Tensor t) { return t.flip(0); }).contains("span"));
        QVERIFY(damaged("rater_offsets", [](torch::Tensor t) { return t.narrow(0, 0, 3); }).contains("sizes"));
        QVERIFY(damaged("row_spread", [](torch::Tensor t) { return t.zero_(); }).contains("above 0"));
        QVERIFY(damaged("similarities", [](torch::Tensor t) { return t.fill_(NAN); }).contains("not finite"));
        QVERIFY(damaged("raters", [](torch::Tensor t) { return t.to(torch::kLong); }).contains("type or shape"));
    }

    // On MovieLens 100K's u1 split the neighbourhood and SVD++ improve on the baseline, which
    // improves on the mean.
    void movieLensU1() {
        if (!test::hasMl100k())
            QSKIP("MovieLens 100K not found at " FACTORSCOPE_ML100K "; set -DFACTORSCOPE_ML100K=... to run this");
        const Dataset data = loadDataset(test::ml100k());
        const Split split = makeSplit(data, SplitSpec::parse("u1"));
        double rmse[3] = {};
        int k = 0;
        for (ModelKind kind : {ModelKind::Baseline, ModelKind::Knn, ModelKind::SvdPP}) {
            TrainSpec s = classicSpec(kind);
            s.rankK = 0;
            Model model(s.model, data.users.size(), data.items.size(), s.seed);
            const TrainResult r = Trainer(model, s).run(data, split);
            rmse[k++] = std::isnan(r.testRmse) ? r.bestValRmse : r.testRmse;
            QVERIFY(r.baselineRmse > 1.0);
        }
        qInfo("MovieLens 100K u1 RMSE: baseline %.4f, knn (user, msd, baseline-centred) %.4f, svdpp %.4f", rmse[0],
              rmse[1], rmse[2]);
        QVERIFY(rmse[0] < 0.97);
        QVERIFY(rmse[1] < rmse[0]);
        QVERIFY(rmse[2] < rmse[0]);
    }

    // Fitted at once, they take no optimiser steps: optimiser and schedule settings that would be
    // out of range elsewhere neither block them nor reach LibTorch's optimiser (an internal error).
    void optimiserSettingsDoNotApply() {
        TrainSpec s = classicSpec(ModelKind::Knn);
        s.optimizer.lr = -5;
        s.optimizer.weightDecay = -1;
        s.schedule.pctStart = 7;
        s.validate();
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        const TrainResult r = Trainer(model, s).run(m_data, m_split);
        QVERIFY(r.bestValRmse < r.baselineRmse);
    }

    void whatTheyRefuse() {
        TrainSpec s = classicSpec(ModelKind::Knn);
        s.loss = LossKind::Bpr;
        try {
            s.validate();
            QFAIL("knn under BPR was taken");
        } catch (const SpecError& e) {
            QCOMPARE(e.field(), std::string("loss"));
        }
        for (auto [field, change] : std::initializer_list<std::pair<const char*, void (*)(ModelSpec&)>>{
                 {"neighbours", [](ModelSpec& m) { m.neighbours = 0; }},
                 {"min-support", [](ModelSpec& m) { m.minSupport = 0; }},
                 {"shrinkage", [](ModelSpec& m) { m.shrinkage = -1; }},
                 {"baseline-reg", [](ModelSpec& m) { m.baselineRegUser = NAN; }},
                 {"baseline-epochs", [](ModelSpec& m) { m.baselineEpochs = 0; }}}) {
            ModelSpec m = ModelSpec::defaultsFor(ModelKind::Knn);
            change(m);
            try {
                m.validate();
                QFAIL(field);
            } catch (const SpecError& e) {
                QCOMPARE(e.field(), std::string(field));
            }
        }
        // K above the number of users is no error: every neighbour votes.
        TrainSpec wide = classicSpec(ModelKind::Knn);
        wide.model.neighbours = 100000;
        Model model(wide.model, m_data.users.size(), m_data.items.size(), wide.seed);
        QVERIFY(std::isfinite(Trainer(model, wide).run(m_data, m_split).bestValRmse));
    }
};

QTEST_GUILESS_MAIN(TestClassic)
#include "tst_classic.moc"
