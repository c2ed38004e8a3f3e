// The classic rating predictors and SVD++: the baseline against its alternating least squares, every
// kNN variant (users or items, four similarities, four centres) against a brute-force
// implementation of Surprise's definitions written here from dense matrices, the fallbacks,
// checkpoints (including damaged ones), MovieLens 100K's u1 split, and what they refuse; SVD++'s
// grouped updates against Surprise's rating-by-rating SGD written here.
#include "TestUtil.h"

#include "core/common/Error.h"
#include "core/model/ModelImpl.h"
#include "core/train/Checkpoint.h"
#include "core/train/LrFinder.h"
#include "core/train/StepPath.h"
#include "core/train/TensorPack.h"
#include "core/train/Trainer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>

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

    // Damaged tables in a checkpoint are refused before any prediction reads them.
    void damagedTablesAreRefused() {
        TrainSpec s = classicSpec(ModelKind::Knn);
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        Trainer(model, s).run(m_data, m_split);
        const NamedTensors good = weightsOf(*model.impl().net);
        const auto damaged = [&](const std::string& name, auto change) {
            NamedTensors w;
            for (const auto& [n, t] : good)
                w.emplace_back(n, n == name ? change(t.clone()) : t.clone());
            Model fresh(s.model, m_data.users.size(), m_data.items.size(), s.seed);
            return test::errorOf<CheckpointError>([&] { loadWeights(*fresh.impl().net, w); });
        };
        QVERIFY(damaged("neighbours", [](torch::Tensor t) { return t.fill_(100000); }).contains("out of range"));
        QVERIFY(damaged("neighbour_offsets", [](torch::Tensor t) { return t.flip(0); }).contains("span"));
        QVERIFY(damaged("rater_offsets", [](torch::Tensor t) { return t.narrow(0, 0, 3); }).contains("sizes"));
        QVERIFY(damaged("row_spread", [](torch::Tensor t) { return t.zero_(); }).contains("above 0"));
        QVERIFY(damaged("similarities", [](torch::Tensor t) { return t.fill_(NAN); }).contains("not finite"));
        QVERIFY(damaged("raters", [](torch::Tensor t) { return t.to(torch::kLong); }).contains("type or shape"));
    }

    // SvdppStep's once-per-user update of the implicit factors gives what Surprise's SGD gives
    // when it recomputes the implicit sum and steps every y_j at each rating.
    void svdppMatchesRatingByRatingSgd() {
        TrainSpec s = classicSpec(ModelKind::SvdPP);
        s.model.factors = 4;
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        std::vector<int64_t> rows = m_split.train;
        std::mt19937 rng(5);
        std::shuffle(rows.begin(), rows.end(), rng);
        SvdppStep step(model, s, m_data, rows);
        const auto table = [&](const char* name) {
            for (const auto& p : model.impl().net->named_parameters())
                if (p.key() == name)
                    return std::vector<float>(p.value().data_ptr<float>(),
                                              p.value().data_ptr<float>() + p.value().numel());
            return std::vector<float>();
        };
        std::vector<float> P = table("user"), Q = table("item"), Y = table("implicit"), BU = table("user_bias"),
                           BI = table("item_bias");
        // The reference: users in the order they first appear, each one's ratings in order.
        std::vector<int32_t> order;
        std::vector<std::vector<int64_t>> byUser(m_data.users.size()), rated(m_data.users.size());
        for (int64_t r : rows) {
            const int u = m_data.ratings.user[r];
            if (byUser[u].empty())
                order.push_back(u);
            byUser[u].push_back(r);
            rated[u].push_back(m_data.ratings.item[r]);
        }
        double mean = 0;
        for (int64_t r : rows)
            mean += m_data.ratings.rating[r];
        mean /= static_cast<double>(rows.size());
        const int f = 4;
        const double lr = s.optimizer.lr, reg = s.optimizer.weightDecay;
        for (int epoch = 0; epoch < 3; ++epoch) {
            for (int u : order)
                for (int64_t r : byUser[u]) {
                    const int i = m_data.ratings.item[r];
                    const double sq = std::sqrt(static_cast<double>(rated[u].size()));
                    std::vector<double> impl(f, 0.0);
                    for (int64_t j : rated[u])
                        for (int c = 0; c < f; ++c)
                            impl[c] += Y[j * f + c] / sq;
                    double est = mean + BU[u] + BI[i];
                    for (int c = 0; c < f; ++c)
                        est += Q[i * f + c] * (P[u * f + c] + impl[c]);
                    const double err = m_data.ratings.rating[r] - est;
                    BU[u] += lr * (err - reg * BU[u]);
                    BI[i] += lr * (err - reg * BI[i]);
                    for (int c = 0; c < f; ++c) {
                        const double p = P[u * f + c], q = Q[i * f + c];
                        P[u * f + c] += lr * (err * q - reg * p);
                        Q[i * f + c] += lr * (err * (p + impl[c]) - reg * q);
                        for (int64_t j : rated[u])
                            Y[j * f + c] += lr * (err * q / sq - reg * Y[j * f + c]);
                    }
                }
            step.step(m_data, rows.data(), static_cast<int64_t>(rows.size()), lr, std::nullopt);
        }
        step.endEpoch();
        double worst = 0;
        for (auto [name, want] : {std::pair{"user", &P}, {"item", &Q}, {"implicit", &Y}, {"item_bias", &BI}}) {
            const std::vector<float> got = table(name);
            for (std::size_t k = 0; k < got.size(); ++k)
                worst = std::max(worst, static_cast<double>(std::abs(got[k] - (*want)[k])));
        }
        QVERIFY2(worst < 1e-4, qPrintable(QStringLiteral("largest difference %1").arg(worst)));
    }

    void svdppRefusesWhatItCannotDo() {
        TrainSpec s = classicSpec(ModelKind::SvdPP);
        QVERIFY(s.optimizer.kind == OptimizerKind::Sgd && s.optimizer.lr == 0.01 && s.epochs == 20);
        for (auto [field, change] : std::initializer_list<std::pair<const char*, void (*)(TrainSpec&)>>{
                 {"optimizer", [](TrainSpec& t) { t.optimizer.kind = OptimizerKind::Adam; }},
                 {"optimizer", [](TrainSpec& t) { t.optimizer.momentum = 0.9; }},
                 {"loss", [](TrainSpec& t) { t.loss = LossKind::Bpr; }},
                 {"device", [](TrainSpec& t) { t.device = "cuda"; }}}) {
            TrainSpec t = s;
            change(t);
            try {
                t.validate();
                QFAIL(field);
            } catch (const SpecError& e) {
                QCOMPARE(e.field(), std::string(field));
            }
        }
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        const QString lr =
            test::errorOf<TrainingError>([&] { findLearningRate(model, m_data, m_split, s, LrFindSpec{}); });
        QVERIFY2(lr.contains(QStringLiteral("svdpp")), qPrintable(lr));
        s.setModelKind(ModelKind::DotBias); // leaving SVD++ restores the trained models' settings
        QVERIFY(s.optimizer.kind == TrainSpec().optimizer.kind && s.epochs == TrainSpec().epochs);
    }

    void svdppCheckpointKeepsTheFit() {
        TrainSpec s = classicSpec(ModelKind::SvdPP);
        s.epochs = 3;
        Model model(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        Trainer trainer(model, s);
        const TrainResult r = trainer.run(m_data, m_split);
        QCOMPARE(r.history.size(), std::size_t(3));
        QVERIFY(r.history[2].trainLoss < r.history[0].trainLoss);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("svdpp.fsckpt")).toStdString();
        saveCheckpoint(path, trainer, m_data);
        const LoadedCheckpoint back = loadCheckpoint(path);
        QVERIFY(back.info.spec.model.kind == ModelKind::SvdPP);
        QVERIFY(back.model->predictAll({0, 7}) == model.predictAll({0, 7}));
        // Ranking's one product gives what the pairs give.
        const std::vector<float> all = model.predictAll({3}), pairs = model.predict({3, 3}, {0, 5});
        QVERIFY(std::abs(all[0] - pairs[0]) < 1e-5 && std::abs(all[5] - pairs[1]) < 1e-5);
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
