// What a model learned: PCA against an independent SVD, Procrustes alignment, neighbours,
// recommendations, explanations, and the planted genres of the demo data recovered by PCA.
#include "TestUtil.h"
#include "core/analysis/DataViews.h"
#include "core/analysis/Neighbours.h"
#include "core/analysis/Pca.h"
#include "core/analysis/Recommend.h"
#include "core/common/Error.h"
#include "core/common/Random.h"
#include "core/data/DemoData.h"
#include "core/train/Trainer.h"

#include <Eigen/Dense>

#include <set>

using namespace factorscope;

namespace {

Matrix randomMatrix(int rows, int cols, uint64_t seed, double lowRankNoise = -1) {
    Rng rng(seed);
    Matrix m;
    m.rows = rows;
    m.cols = cols;
    m.values.resize(static_cast<std::size_t>(rows * cols));
    if (lowRankNoise < 0) {
        for (auto& v : m.values)
            v = static_cast<float>(rng.normal(0, 1) * (1 + (&v - m.values.data()) % cols)); // unequal spreads
        return m;
    }
    // Rank 2 plus a little noise: movies on a plane in factor space.
    std::vector<double> a(cols), b(cols);
    for (int f = 0; f < cols; ++f) {
        a[f] = rng.normal();
        b[f] = rng.normal();
    }
    for (int r = 0; r < rows; ++r) {
        const double x = rng.normal(0, 3), y = rng.normal(0, 1);
        for (int f = 0; f < cols; ++f)
            m.values[static_cast<std::size_t>(r * cols + f)] =
                static_cast<float>(x * a[f] + y * b[f] + rng.normal(0, lowRankNoise));
    }
    return m;
}

// The reference: right singular vectors of the centred data, computed in double precision.
void svdReference(const Matrix& m, Eigen::MatrixXd& components, Eigen::VectorXd& ratios) {
    Eigen::MatrixXd X(m.rows, m.cols);
    for (int64_t r = 0; r < m.rows; ++r)
        for (int64_t c = 0; c < m.cols; ++c)
            X(r, c) = m.at(r, c);
    X = X.rowwise() - X.colwise().mean();
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(X, Eigen::ComputeThinV);
    components = svd.matrixV().transpose();
    const Eigen::VectorXd s2 = svd.singularValues().array().square();
    ratios = s2 / s2.sum();
}

void compareWithReference(const Matrix& m, int C) {
    const Projection p = pca(m, C);
    Eigen::MatrixXd ref;
    Eigen::VectorXd ratios;
    svdReference(m, ref, ratios);
    for (int c = 0; c < C; ++c) {
        QVERIFY2(std::abs(p.explainedVarianceRatio[c] - ratios(c)) < 1e-5,
                 qPrintable(
                     QStringLiteral("component %1: %2 vs %3").arg(c).arg(p.explainedVarianceRatio[c]).arg(ratios(c))));
        double dot = 0;
        for (int64_t f = 0; f < m.cols; ++f)
            dot += p.components.at(c, f) * ref(c, f);
        QVERIFY2(std::abs(std::abs(dot) - 1.0) < 1e-4, qPrintable(QString::number(dot))); // equal up to sign
    }
}

} // namespace

class TestAnalysis : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pcaMatchesSvdOnRandomData() { compareWithReference(randomMatrix(300, 12, 3), 5); }

    void pcaFindsAPlantedPlane() {
        const Matrix m = randomMatrix(500, 20, 9, 0.01);
        compareWithReference(m, 3);
        const Projection p = pca(m, 3);
        QVERIFY(p.explainedVarianceRatio[0] + p.explainedVarianceRatio[1] > 0.999);
        QVERIFY(p.explainedVarianceRatio[0] > p.explainedVarianceRatio[1]);
    }

    void pcaSignsAndSubsets() {
        const Matrix m = randomMatrix(100, 6, 4);
        const Projection a = pca(m, 2), b = pca(m, 2);
        QCOMPARE(a.coords.values, b.coords.values); // deterministic, signs included
        const Projection sub = pca(m, 2, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {42, 43});
        QCOMPARE(sub.items, (std::vector<int32_t>{42, 43}));
        QCOMPARE(sub.coords.rows, int64_t(2));
        QVERIFY_THROWS_EXCEPTION(SpecError, pca(m, 7));
        QVERIFY_THROWS_EXCEPTION(SpecError, pca(m, 2, {1}));
        QVERIFY_THROWS_EXCEPTION(SpecError, pca(m, 2, {1, 500}));
    }

    void mostRatedOrder() {
        QCOMPARE(mostRated({5, 9, 1, 9}, 3), (std::vector<int32_t>{1, 3, 0}));
        QCOMPARE(mostRated({5, 9}, 0).size(), std::size_t(2));
    }

    void procrustesUndoesARotationAndAFlip() {
        const Matrix m = randomMatrix(200, 8, 5);
        const Projection before = pca(m, 2);
        Projection after = before;
        const double t = 0.7;
        for (int64_t r = 0; r < after.coords.rows; ++r) { // rotate by t, then flip the second axis
            const double x = before.coords.at(r, 0), y = before.coords.at(r, 1);
            after.coords.values[static_cast<std::size_t>(2 * r)] =
                static_cast<float>(std::cos(t) * x - std::sin(t) * y);
            after.coords.values[static_cast<std::size_t>(2 * r + 1)] =
                static_cast<float>(-(std::sin(t) * x + std::cos(t) * y));
        }
        alignTo(before, after);
        double worst = 0;
        for (std::size_t k = 0; k < after.coords.values.size(); ++k)
            worst = std::max(worst, static_cast<double>(std::abs(after.coords.values[k] - before.coords.values[k])));
        QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
    }

    void neighbours() {
        Matrix f;
        f.rows = 4;
        f.cols = 2;
        f.values = {1, 0, 0.9f, 0.1f, -1, 0, 0, 5};
        auto n = nearest(f, 0, 2);
        QCOMPARE(n.size(), std::size_t(2));
        QCOMPARE(n[0].item, 1); // nearly parallel
        QVERIFY(n[0].score > 0.99);
        QCOMPARE(n[1].item, 3); // orthogonal beats opposite
        auto e = nearest(f, 0, 3, Metric::Euclidean);
        QCOMPARE(e[0].item, 1);
        QCOMPARE(e[1].item, 2); // distance 2 beats distance sqrt(26)
        QVERIFY_THROWS_EXCEPTION(SpecError, nearest(f, 9, 2));
    }

    // The per-user index finds each user's ratings as a pass over all of them does, in the same
    // order, and the views' lookups through it give the same lists.
    void rowsByUserMatchesAScan() {
        DemoSpec spec;
        spec.users = 120;
        spec.movies = 200;
        spec.ratings = 6000;
        const Dataset d = generateDemo(spec);
        const RowsByUser index = rowsByUser(d);
        QCOMPARE(index.rows.size(), d.ratings.size());
        std::size_t total = 0;
        for (int32_t u = 0; u < d.users.size(); ++u) {
            const auto rows = index.of(u);
            QCOMPARE(rows, rowsOfUser(d, u));
            total += rows.size();
        }
        QCOMPARE(total, d.ratings.size());
        QVERIFY(index.of(-1).empty() && index.of(d.users.size()).empty());
        Model m(ModelSpec{}, d.users.size(), d.items.size());
        for (int32_t u : {0, 7, d.users.size() - 1}) {
            const auto a = ratedBy(d, u, 15), b = ratedBy(d, u, 15, &index);
            QCOMPARE(a.size(), b.size());
            for (std::size_t k = 0; k < a.size(); ++k)
                QVERIFY(a[k].item == b[k].item && a[k].rating == b[k].rating);
            const auto r1 = recommend(m, d, u, 10), r2 = recommend(m, d, u, 10, &index);
            for (std::size_t k = 0; k < r1.size(); ++k)
                QVERIFY(r1[k].item == r2[k].item);
        }
        // An index of another data set is not used: the scan answers.
        const RowsByUser stale = rowsByUser(generateDemo(DemoSpec{}));
        QCOMPARE(rowsOfUser(d, 3, &stale), rowsOfUser(d, 3));
    }

    void halfStarHistogramBins() {
        const auto h = halfStarHistogram({1.0f, 1.2f, 3.74f, 3.76f, 5.4f, 7.0f, NAN});
        QCOMPARE(h.size(), std::size_t(kHalfStarBins));
        QCOMPARE(h[1], 2.0);  // 1.0 and 1.2 round to 1.0
        QCOMPARE(h[6], 1.0);  // 3.74 -> 3.5
        QCOMPARE(h[7], 1.0);  // 3.76 -> 4.0
        QCOMPARE(h[10], 2.0); // 5.4 -> 5.5, 7.0 clamps to the last bin
    }

    void recommendationsAndExplanations() {
        const Dataset d = test::smallDemo();
        TrainSpec spec;
        spec.split = SplitSpec::parse("random:0.2");
        spec.epochs = 4;
        spec.batchSize = 256;
        Model m(spec.model, d.users.size(), d.items.size());
        Trainer(m, spec).run(d, makeSplit(d, spec.split));

        const auto recs = recommend(m, d, 7, 10);
        QCOMPARE(recs.size(), std::size_t(10));
        std::set<int32_t> seen;
        for (const auto& r : ratedBy(d, 7, -1))
            seen.insert(r.item);
        for (std::size_t k = 0; k < recs.size(); ++k) {
            QVERIFY(!seen.count(recs[k].item));
            if (k)
                QVERIFY(recs[k].rating <= recs[k - 1].rating);
        }
        // The best unseen movie beats every other unseen one.
        std::vector<int32_t> users, items;
        for (int32_t i = 0; i < d.items.size(); ++i)
            if (!seen.count(i)) {
                users.push_back(7);
                items.push_back(i);
            }
        // (Scored by one matrix product there and pair by pair here: equal to float rounding.)
        const auto all = m.predict(users, items);
        QVERIFY(std::abs(*std::max_element(all.begin(), all.end()) - recs[0].rating) < 1e-5);
        const auto rated = ratedBy(d, 7, 5);
        QVERIFY(rated.front().rating >= rated.back().rating);

        const Explanation e = explain(m, 7, recs[0].item);
        QVERIFY(e.decomposes && e.sigmoid);
        double sum = e.userBias + e.itemBias;
        for (double f : e.factors)
            sum += f;
        QVERIFY(std::abs(sum - e.raw) < 1e-5);
        const double mapped = e.yMin + (e.yMax - e.yMin) / (1 + std::exp(-e.raw));
        QVERIFY2(std::abs(mapped - e.prediction) < 1e-4,
                 qPrintable(QStringLiteral("%1 vs %2").arg(mapped).arg(e.prediction)));
        QCOMPARE(e.factors.size(), std::size_t(spec.model.factors));

        Model mlp(ModelSpec::defaultsFor(ModelKind::Mlp), d.users.size(), d.items.size());
        const Explanation x = explain(mlp, 0, 0);
        QVERIFY(!x.decomposes);
        QVERIFY(QString::fromStdString(x.note).contains(QStringLiteral("does not split")));
        QVERIFY_THROWS_EXCEPTION(SpecError, explain(m, -1, 0));
    }

    void crosstabAndHistograms() {
        if (!test::hasMl100k())
            QSKIP("MovieLens 100K not found at " FACTORSCOPE_ML100K);
        const Dataset d = loadDataset(test::ml100k());
        const Crosstab t = crosstab(d, 15, 15);
        QCOMPARE(t.users.size(), std::size_t(15));
        QCOMPARE(d.items.original(t.items[0]), int64_t(50)); // Star Wars is the most rated movie
        const ItemFacts facts = itemFacts(d);                // its movies by count, for the explorer's map
        QCOMPARE(facts.byCount.size(), std::size_t(1682));
        QCOMPARE(d.items.original(facts.byCount[0]), int64_t(50));
        for (std::size_t k = 1; k < facts.byCount.size(); ++k)
            QVERIFY(facts.counts[facts.byCount[k - 1]] >= facts.counts[facts.byCount[k]]);
        QCOMPARE(d.users.original(t.users[0]), int64_t(405)); // user 405 rated the most (737)
        // Every filled cell is that user's rating of that movie.
        int filled = 0;
        for (std::size_t r = 0; r < d.ratings.size(); ++r)
            for (std::size_t u = 0; u < 15; ++u)
                for (std::size_t i = 0; i < 15; ++i)
                    if (d.ratings.user[r] == t.users[u] && d.ratings.item[r] == t.items[i]) {
                        QCOMPARE(t.at(u, i), d.ratings.rating[r]);
                        ++filled;
                    }
        int notNan = 0;
        for (float v : t.values)
            notNan += !std::isnan(v);
        QCOMPARE(notNan, filled);
        const CountHistogram hu = ratingsPerUser(d), hi = ratingsPerItem(d);
        QCOMPARE(std::accumulate(hu.counts.begin(), hu.counts.end(), int64_t(0)), int64_t(943));
        QCOMPARE(std::accumulate(hi.counts.begin(), hi.counts.end(), int64_t(0)), int64_t(1682));
        QCOMPARE(hu.counts[0] + hu.counts[1] + hu.counts[2], int64_t(0)); // every user rated at least 20
        QCOMPARE(hu.labels.front(), std::string("1"));
        QCOMPARE(hu.labels.back(), std::string("501+"));
    }

    // Issue 4: on the demo data, a trained model's top components separate the planted genres.
    void plantedGenresSeparateAfterTraining() {
        const Dataset d = generateDemo(DemoSpec{});
        TrainSpec spec;
        spec.split = SplitSpec::parse("random:0.1");
        Model m(spec.model, d.users.size(), d.items.size());
        std::vector<int64_t> counts(static_cast<std::size_t>(d.items.size()), 0);
        for (int32_t i : d.ratings.item)
            ++counts[static_cast<std::size_t>(i)];
        const auto top = mostRated(counts, 1000);
        std::vector<int> labels;
        for (int32_t i : top)
            labels.push_back(d.demoGenreOfItem[static_cast<std::size_t>(i)]);
        const double before = knnAccuracy(pca(m.itemFactors(), 5, top).coords, labels, 5);
        Trainer(m, spec).run(d, makeSplit(d, spec.split));
        const Projection p = pca(m.itemFactors(), 5, top);
        const double after = knnAccuracy(p.coords, labels, 5);
        const double chance = chanceAccuracy(labels);
        qInfo("genre 5-NN accuracy on 5 components: %.3f after training, %.3f before, chance %.3f", after, before,
              chance);
        QVERIFY2(after > 3 * chance, qPrintable(QString::number(after)));
        QVERIFY(after > before + 0.2);
    }
};

QTEST_GUILESS_MAIN(TestAnalysis)
#include "tst_analysis.moc"
