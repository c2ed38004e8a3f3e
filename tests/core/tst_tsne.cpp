// t-SNE and the measures of a map: on planted clusters t-SNE keeps neighbours that PCA mixes
// (trustworthiness and label agreement, each checked on cases worked by hand), Barnes-Hut
// agrees with the exact sum, progress and stopping, and the inputs it refuses or defines.
#include "core/analysis/MapQuality.h"
#include "core/analysis/Pca.h"
#include "core/analysis/Tsne.h"
#include "core/common/Error.h"
#include "core/common/Random.h"

#include <QtTest>

#include <cmath>

using namespace factorscope;

namespace {

// `clusters` Gaussian blobs of `each` points in `dims` dimensions: centres ~ N(0, spread^2),
// points ~ N(centre, 1). Labels: the blob.
Matrix blobs(int clusters, int each, int dims, double spread, std::vector<int>& labels, uint64_t seed = 5) {
    Rng rng(seed);
    std::vector<double> centre(static_cast<std::size_t>(clusters * dims));
    for (double& c : centre)
        c = rng.normal(0.0, spread);
    Matrix m{static_cast<int64_t>(clusters) * each, dims, {}};
    labels.clear();
    for (int c = 0; c < clusters; ++c)
        for (int p = 0; p < each; ++p) {
            labels.push_back(c);
            for (int d = 0; d < dims; ++d)
                m.values.push_back(static_cast<float>(rng.normal(centre[static_cast<std::size_t>(c * dims + d)], 1.0)));
        }
    return m;
}

Matrix line(const std::vector<float>& xs) {
    Matrix m{static_cast<int64_t>(xs.size()), 2, {}};
    for (float x : xs) {
        m.values.push_back(x);
        m.values.push_back(0);
    }
    return m;
}

} // namespace

class TestTsne : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Six points on a line, and a map that swaps the first two with the last two: the penalty
    // worked out from the definition (each map neighbour's rank in the original, less k).
    void trustworthinessByHand() {
        const Matrix original = line({0, 1, 2, 3, 4, 5});
        QCOMPARE(trustworthiness(original, original, 2), 1.0);
        const Matrix swapped = line({4, 5, 2, 3, 0, 1});
        // Each point's two nearest on the map (ties to the lower index) and their original ranks:
        // 0: 1 (1), 3 (3); 1: 0 (1), 3 (3); 2: 3 (2), 5 (5); 3: 0 (5), 2 (1); 4: 5 (2), 2 (3);
        // 5: 2 (3), 4 (1). Penalties 1 + 1 + 3 + 3 + 1 + 1 = 10, over n k (2n - 3k - 1) / 2 = 30.
        QCOMPARE(trustworthiness(original, swapped, 2), 1.0 - 10.0 / 30.0);
        QVERIFY(std::isnan(trustworthiness(original, original, 3))); // k must be below n / 2
    }

    void agreementByHand() {
        const Matrix m = line({0, 1, 2, 10, 11, 12});
        QCOMPARE(neighbourAgreement(m, {0, 0, 0, 1, 1, 1}, 2, 2), 1.0);
        // Points 0, 1 and 2 each have one neighbour of their label among their two nearest.
        QCOMPARE(neighbourAgreement(m, {0, 0, 1, 1, 1, 1}, 2, 2), 0.5);
        QCOMPARE(neighbourAgreement(m, {0, -1, 0, 1, 1, 1}, 2, 1), 1.0); // unlabelled: not counted
    }

    // Twelve planted clusters in 24 dimensions: PCA's two components overlap them; t-SNE keeps
    // each point among its own (scikit-learn on such data: PCA 0.85 and 0.68, t-SNE 0.99 and 1.0).
    void keepsNeighboursPcaMixes() {
        std::vector<int> labels;
        const Matrix points = blobs(12, 40, 24, 2.0, labels);
        const Matrix byPca = pca(points, 2).coords;
        const Matrix byTsne = tsne(points, TsneOptions{});
        QCOMPARE(byTsne.rows, points.rows);
        QCOMPARE(byTsne.cols, int64_t(2));
        const double tp = trustworthiness(points, byPca, 10), tt = trustworthiness(points, byTsne, 10);
        const double ap = neighbourAgreement(byPca, labels), at = neighbourAgreement(byTsne, labels);
        qInfo("480 points in 12 clusters: trustworthiness PCA %.3f, t-SNE %.3f; agreement PCA %.3f, t-SNE %.3f", tp, tt,
              ap, at);
        QVERIFY(tt > tp + 0.05);
        QVERIFY(at > 0.97);
        QVERIFY(at > ap + 0.1);
    }

    // The tree's approximation against every pair summed (theta 0): the same neighbours kept.
    void barnesHutAgreesWithTheExactSum() {
        std::vector<int> labels;
        const Matrix points = blobs(5, 40, 10, 3.0, labels, 9);
        TsneOptions exact;
        exact.theta = 0;
        const double te = trustworthiness(points, tsne(points, exact), 10);
        const double tb = trustworthiness(points, tsne(points, TsneOptions{}), 10);
        qInfo("trustworthiness exact %.4f, Barnes-Hut %.4f", te, tb);
        QVERIFY(std::abs(te - tb) < 0.01);
    }

    void progressAndStop() {
        std::vector<int> labels;
        const Matrix points = blobs(3, 30, 5, 3.0, labels);
        std::vector<int> seen;
        Matrix last;
        const Matrix out = tsne(
            points, TsneOptions{},
            [&](int it, const Matrix& coords) {
                seen.push_back(it);
                last = coords;
                return it < 50;
            },
            25);
        QCOMPARE(seen, (std::vector<int>{25, 50}));
        QCOMPARE(out.values, last.values);                                                // stopped where it said
        QCOMPARE(tsne(points, TsneOptions{}).values, tsne(points, TsneOptions{}).values); // reproducible
    }

    void refusesOrDefines() {
        std::vector<int> labels;
        const Matrix points = blobs(2, 5, 3, 3.0, labels);
        const auto refused = [](const Matrix& m, const TsneOptions& o, const char* field) {
            try {
                tsne(m, o);
                return false;
            } catch (const SpecError& e) {
                return e.field() == field;
            }
        };
        TsneOptions o;
        QVERIFY(refused(points, o, "perplexity")); // 30 with 10 points
        o.perplexity = 3;
        Matrix one{1, 3, {1, 2, 3}};
        QVERIFY(refused(one, o, "points"));
        Matrix nan = points;
        nan.values[4] = NAN;
        QVERIFY(refused(nan, o, "points"));
        o.earlyExaggeration = 0.5;
        QVERIFY(refused(points, o, "early-exaggeration"));
        // Identical vectors: a defined map, every point at one place, finite; no hang.
        Matrix same{40, 3, std::vector<float>(120, 0.5f)};
        TsneOptions s;
        s.perplexity = 5;
        const Matrix m = tsne(same, s);
        for (float v : m.values)
            QCOMPARE(v, m.values[0]);
        QVERIFY(std::isfinite(m.values[0]));
        // Two points: the smallest map there is.
        TsneOptions two;
        two.perplexity = 1;
        const Matrix pair = tsne(Matrix{2, 2, {0, 0, 1, 1}}, two);
        QVERIFY(std::isfinite(pair.values[0]) && std::isfinite(pair.values[3]));
    }
};

QTEST_GUILESS_MAIN(TestTsne)
#include "tst_tsne.moc"
