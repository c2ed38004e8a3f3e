// A neighbourhood model at scale: the bound on the similarities' work (past it, each column's
// raters are sampled down to a cap) and the neighbour lookups that replace scanning a popular
// column's raters. The exact path is tested against Surprise's definitions in tst_classic; here,
// capped fits against the exact one and the baseline on realistic data, and the ways of finding
// the votes against hand-worked numbers.
#include "TestUtil.h"

#include "core/model/Classic.h"
#include "core/model/ModelImpl.h"
#include "core/model/RaterSample.h"
#include "core/train/Trainer.h"

#include <QtTest>

#include <cmath>
#include <set>

using namespace factorscope;

namespace {

// Columns with 10, 5, 1 and 0 raters; rater r of column y is row 3r + y with rating y + r / 10.
SparseRows smallColumns() {
    SparseRows g;
    g.offsets = {0};
    for (int y = 0; y < 4; ++y) {
        const int n = y == 0 ? 10 : y == 1 ? 5 : y == 2 ? 1 : 0;
        for (int r = 0; r < n; ++r) {
            g.index.push_back(3 * r + y);
            g.value.push_back(static_cast<float>(y + r / 10.0));
        }
        g.offsets.push_back(static_cast<int64_t>(g.index.size()));
    }
    return g;
}

RatingTriples triplesOf(const Dataset& d, const std::vector<int64_t>& rows) {
    RatingTriples t;
    for (int64_t r : rows) {
        t.user.push_back(d.ratings.user[r]);
        t.item.push_back(d.ratings.item[r]);
        t.rating.push_back(d.ratings.rating[r]);
    }
    return t;
}

double rmseOf(Model& model, const Dataset& d, const std::vector<int64_t>& rows) {
    std::vector<int32_t> us, is;
    for (int64_t r : rows) {
        us.push_back(d.ratings.user[r]);
        is.push_back(d.ratings.item[r]);
    }
    const std::vector<float> p = model.predict(us, is);
    double sq = 0;
    for (std::size_t k = 0; k < rows.size(); ++k)
        sq += std::pow(p[k] - d.ratings.rating[rows[k]], 2);
    return std::sqrt(sq / static_cast<double>(rows.size()));
}

} // namespace

class TestKnnScale : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void capIsTheLargestWithinTheBound() {
        const SparseRows g = smallColumns();
        QCOMPARE(pairSumsWithCap(g, 0), int64_t(100 + 25 + 1));
        QCOMPARE(raterCap(g, 126), 0); // comparing everyone fits: no cap
        QCOMPARE(raterCap(g, 1000), 0);
        QCOMPARE(pairSumsWithCap(g, 3), int64_t(30 + 15 + 1));
        QCOMPARE(pairSumsWithCap(g, 4), int64_t(40 + 20 + 1));
        QCOMPARE(raterCap(g, 60), 3);
        QCOMPARE(raterCap(g, 61), 4);
        QCOMPARE(raterCap(g, 125), 9); // 90 + 25 + 1 = 116; 10 would be everyone
        QCOMPARE(raterCap(g, 3), 1);   // below even one rater each: the cap stays 1
    }

    void sampleKeepsRatersOfTheColumnInOrder() {
        const SparseRows g = smallColumns();
        const std::vector<float> values(g.value.begin(), g.value.end());
        const SparseRows s = sampleRaters(g, values, 4);
        QCOMPARE(s.offsets, (std::vector<int64_t>{0, 4, 8, 9, 9}));
        for (int y = 0; y < 4; ++y) {
            const std::set<int32_t> raters(g.index.begin() + g.offsets[y], g.index.begin() + g.offsets[y + 1]);
            for (int64_t k = s.offsets[y]; k < s.offsets[y + 1]; ++k) {
                QVERIFY(raters.count(s.index[k]));
                QCOMPARE(s.value[k], static_cast<float>(y + (s.index[k] - y) / 3 / 10.0)); // its own rating
                if (k > s.offsets[y])
                    QVERIFY(s.index[k - 1] < s.index[k]); // distinct, in row order
            }
        }
        QCOMPARE(sampleRaters(g, values, 4).index, s.index);  // the same sample every run
        QCOMPARE(sampleRaters(g, values, 10).index, g.index); // a cap above every column: all
        QCOMPARE(sampleRaters(g, values, 0).index, g.index);  // no cap: all
        QVERIFY(sampleRaters(g, values, 2).index != sampleRaters(g, values, 3).index);
    }

    // On realistic data (the demo generator: planted tastes, a long tail of popularity), a
    // user-based fit within half and within an eighth of the exact work: the cap keeps the work
    // within the bound, the fit is the same on every run, and it loses accuracy as the cap
    // tightens while staying better than the baseline it falls back to.
    void cappedFitsBetweenTheExactOneAndTheBaseline() {
        DemoSpec spec;
        spec.users = 1500;
        spec.movies = 800;
        spec.ratings = 90000;
        const Dataset d = generateDemo(spec);
        const Split split = makeSplit(d, SplitSpec::parse("random:0.2"));
        TrainSpec s = test::quickSpec(1, 256);
        s.setModelKind(ModelKind::Knn); // user-based, msd, centred on the baseline
        const RatingTriples t = triplesOf(d, split.train);
        const SparseRows byItem = groupRatings(t, d.items.size(), true);
        const int64_t exact = pairSumsWithCap(byItem, 0);
        const int64_t bounds[3] = {exact, exact / 2, exact / 8};
        double rmse[3] = {};
        int32_t caps[3] = {};
        for (int k = 0; k < 3; ++k) {
            Model model(s.model, d.users.size(), d.items.size(), s.seed);
            const KnnTables tables = fitKnn(t, d.users.size(), d.items.size(), s.model, bounds[k]);
            caps[k] = tables.raterCap;
            if (k > 0) {
                QVERIFY(caps[k] > 0);
                QVERIFY(pairSumsWithCap(byItem, caps[k]) <= bounds[k]);
                QVERIFY(pairSumsWithCap(byItem, caps[k] + 1) > bounds[k]);
                const KnnTables again = fitKnn(t, d.users.size(), d.items.size(), s.model, bounds[k]);
                QCOMPARE(again.neighbours.index, tables.neighbours.index);
                QCOMPARE(again.neighbours.value, tables.neighbours.value);
            }
            dynamic_cast<KnnModelImpl&>(*model.impl().net).setTables(tables);
            rmse[k] = rmseOf(model, d, split.validation);
        }
        Model baseline(ModelSpec::defaultsFor(ModelKind::Baseline), d.users.size(), d.items.size(), s.seed);
        TrainSpec b = test::quickSpec(1, 256);
        b.setModelKind(ModelKind::Baseline);
        const double baselineRmse = Trainer(baseline, b).run(d, split).bestValRmse;
        qInfo("user-based knn on %zu ratings (%lld pair sums): RMSE exact %.4f; raters capped at %d (half the work) "
              "%.4f; at %d (an eighth) %.4f; baseline %.4f",
              t.size(), static_cast<long long>(exact), rmse[0], caps[1], rmse[1], caps[2], rmse[2], baselineRmse);
        QCOMPARE(caps[0], 0);
        QVERIFY(rmse[0] < rmse[1] && rmse[1] < rmse[2]); // the price of the cap
        QVERIFY(rmse[1] < baselineRmse - 0.03);
        QVERIFY(rmse[2] < baselineRmse - 0.01);
    }

    // Row 0's neighbours are rows 7 (0.9), 23 (0.4) and 180 (0.8, who rated neither column) and
    // 11 (stored at -0.2: never votes). Column 0 has 150 raters, far more than row 0 has
    // neighbours, so the votes are looked up; column 1 has 3, so they are scanned. Both give the
    // similarity-weighted mean of the neighbours' ratings (no centring).
    void votesAreFoundEitherWay() {
        const int32_t rows = 200;
        SparseRows raters; // by column, in row order
        raters.offsets = {0};
        for (int32_t x = 1; x <= 150; ++x) {
            raters.index.push_back(x);
            raters.value.push_back(static_cast<float>(1 + x % 5));
        }
        raters.offsets.push_back(150);
        for (int32_t x : {7, 11, 23}) {
            raters.index.push_back(x);
            raters.value.push_back(x == 7 ? 2.0f : x == 11 ? 5.0f : 4.0f);
        }
        raters.offsets.push_back(153);
        const std::vector<int64_t> neighbourOffsets = [&] {
            std::vector<int64_t> o(rows + 1, 4);
            o[0] = 0;
            return o;
        }();
        const std::vector<int32_t> neighbours = {7, 180, 23, 11};
        const std::vector<float> similarities = {0.9f, 0.8f, 0.4f, -0.2f};
        const std::vector<float> zeros(rows, 0.0f), ones(rows, 1.0f), colZeros(2, 0.0f);
        KnnView v;
        v.rows = rows;
        v.cols = 2;
        v.raterOffsets = raters.offsets.data();
        v.raters = raters.index.data();
        v.raterRatings = raters.value.data();
        v.neighbourOffsets = neighbourOffsets.data();
        v.neighbours = neighbours.data();
        v.similarities = similarities.data();
        v.rowMean = v.rowBias = zeros.data();
        v.rowSpread = ones.data();
        v.colBias = colZeros.data();
        v.mean = 3;
        v.low = 1;
        v.high = 5;
        ModelSpec spec = ModelSpec::defaultsFor(ModelKind::Knn);
        spec.knnCentre = KnnCentre::None;
        const int64_t users[] = {0, 0}, items[] = {0, 1};
        float got[2] = {};
        predictKnnPairs(v, spec, users, items, 2, got);
        const double r7 = 1 + 7 % 5, r23 = 1 + 23 % 5;
        QVERIFY(std::abs(got[0] - (0.9 * r7 + 0.4 * r23) / 1.3) < 1e-5);
        QVERIFY(std::abs(got[1] - (0.9 * 2.0 + 0.4 * 4.0) / 1.3) < 1e-5);
        const KnnExplanation e = explainKnn(v, spec, 0, 0);
        QCOMPARE(e.votes.size(), std::size_t(2));
        QCOMPARE(e.votes[0].neighbour, 7);
        QCOMPARE(e.votes[1].neighbour, 23);
        QCOMPARE(e.votes[1].rating, static_cast<float>(r23));
        spec.neighbours = 1; // K = 1: only the most similar of them
        predictKnnPairs(v, spec, users, items, 2, got);
        QCOMPARE(got[0], static_cast<float>(r7));
        QCOMPARE(got[1], 2.0f);
    }
};

QTEST_GUILESS_MAIN(TestKnnScale)
#include "tst_knnscale.moc"
