// Two models' movies compared: Procrustes undoes a rotation, a reflection and a scale (also
// between different factor counts), movies are matched by original id, the most moved movie is
// the one that was pushed, neighbour lists agree with nearest(), and the CLI compares
// checkpoints end to end (embeddings against embeddings and against an item-based kNN), with
// a one-line error for each bad input; and project --method axes on the same checkpoints.
#include "CliRunner.h"
#include "TestUtil.h"

#include "core/analysis/ModelCompare.h"
#include "core/analysis/Neighbours.h"
#include "core/common/Error.h"

#include <Eigen/Dense>
#include <QTemporaryDir>

#include <cmath>
#include <random>

using namespace factorscope;
using factorscope::test::runCli;

namespace {

Matrix toMatrix(const Eigen::MatrixXd& m) {
    Matrix out{m.rows(), m.cols(), {}};
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        for (Eigen::Index c = 0; c < m.cols(); ++c)
            out.values.push_back(static_cast<float>(m(r, c)));
    return out;
}

Eigen::MatrixXd randomMatrix(Eigen::Index rows, Eigen::Index cols, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> normal;
    Eigen::MatrixXd m(rows, cols);
    for (Eigen::Index r = 0; r < rows; ++r)
        for (Eigen::Index c = 0; c < cols; ++c)
            m(r, c) = normal(rng);
    return m;
}

// A random matrix with orthonormal columns (rows x cols, rows >= cols).
Eigen::MatrixXd orthonormal(Eigen::Index rows, Eigen::Index cols, unsigned seed) {
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(randomMatrix(rows, cols, seed));
    return qr.householderQ() * Eigen::MatrixXd::Identity(rows, cols);
}

ItemSide sideOf(const Eigen::MatrixXd& factors, std::vector<int64_t> ids) {
    return ItemSide{std::move(ids), toMatrix(factors), {}};
}

std::vector<int64_t> idsFrom(int64_t first, int n) {
    std::vector<int64_t> ids(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        ids[static_cast<std::size_t>(i)] = first + i;
    return ids;
}

} // namespace

class TestModelCompare : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

    QString path(const char* name) const { return QDir(m_tmp.path()).filePath(QLatin1String(name)); }

private Q_SLOTS:
    void procrustesUndoesRotationReflectionAndScale() {
        const Eigen::MatrixXd A = randomMatrix(300, 8, 1);
        Eigen::MatrixXd Q = orthonormal(8, 8, 2);
        Q.col(0) *= -1; // a reflection too
        const Eigen::MatrixXd B = 0.5 * A * Q;
        const ModelComparison c = compareItemSides(sideOf(A, idsFrom(1, 300)), sideOf(B, idsFrom(1, 300)));
        QCOMPARE(c.ids.size(), std::size_t(300));
        QVERIFY(c.aligned());
        QVERIFY2(std::abs(c.scale - 2.0) < 1e-5, qPrintable(QString::number(c.scale)));
        QVERIFY2(c.residual < 1e-5, qPrintable(QString::number(c.residual)));
        QVERIFY(c.medianMoved < 1e-5);
        QCOMPARE(c.meanJaccard, 1.0); // cosine neighbours do not see a rotation or a scale
    }

    void differentFactorCountsAlign() {
        // B lives in 12 dimensions: A's 8 placed into them by a map with orthonormal rows.
        const Eigen::MatrixXd A = randomMatrix(200, 8, 3);
        const Eigen::MatrixXd P = orthonormal(12, 8, 4).transpose(); // 8 x 12
        const ModelComparison c = compareItemSides(sideOf(A, idsFrom(1, 200)), sideOf(A * P, idsFrom(1, 200)));
        QVERIFY2(c.residual < 1e-5, qPrintable(QString::number(c.residual)));
        QVERIFY(c.meanJaccard > 0.99); // float cosines may swap a near tie at the tenth place
        // And the other way round: the 12-dimensional model first.
        const ModelComparison back = compareItemSides(sideOf(A * P, idsFrom(1, 200)), sideOf(A, idsFrom(1, 200)));
        QVERIFY2(back.residual < 1e-5, qPrintable(QString::number(back.residual)));
    }

    void moviesMatchByIdAndTheMovedOneStandsOut() {
        const int n = 150;
        const Eigen::MatrixXd A = randomMatrix(n, 6, 5);
        Eigen::MatrixXd B = A * orthonormal(6, 6, 6);
        B.row(40) += 3.0 * randomMatrix(1, 6, 7); // movie id 141 pushed far
        B += 0.01 * randomMatrix(n, 6, 8);
        // B lists its movies in reverse, misses A's first ten and has five A lacks.
        std::vector<int64_t> idsB;
        Eigen::MatrixXd Bsub(n - 10 + 5, 6);
        Eigen::Index row = 0;
        for (int r = n - 1; r >= 10; --r, ++row) {
            Bsub.row(row) = B.row(r);
            idsB.push_back(101 + r);
        }
        for (int extra = 0; extra < 5; ++extra, ++row) {
            Bsub.row(row) = randomMatrix(1, 6, 20 + extra);
            idsB.push_back(9000 + extra);
        }
        const ModelComparison c = compareItemSides(sideOf(A, idsFrom(101, n)), sideOf(Bsub, idsB));
        QCOMPARE(c.ids.size(), std::size_t(n - 10));
        QCOMPARE(c.ids.front(), int64_t(111));
        QCOMPARE(c.rowsB.front(), int32_t(n - 11)); // id 111 is B's row n - 11
        const auto most = std::max_element(c.moved.begin(), c.moved.end()) - c.moved.begin();
        QCOMPARE(c.ids[static_cast<std::size_t>(most)], int64_t(141));
        QVERIFY(c.moved[static_cast<std::size_t>(most)] > 10 * c.medianMoved);
        QVERIFY(c.meanJaccard > 0.8);

        // onlyA: A's rows 50..99 alone.
        std::vector<int32_t> only;
        for (int32_t r = 50; r < 100; ++r)
            only.push_back(r);
        const ModelComparison part = compareItemSides(sideOf(A, idsFrom(101, n)), sideOf(Bsub, idsB), 10, only);
        QCOMPARE(part.ids.size(), std::size_t(50));
        QCOMPARE(part.ids.front(), int64_t(151));
    }

    void neighbourListsAgreeWithNearest() {
        const Matrix f = toMatrix(randomMatrix(600, 5, 9)); // more rows than one block of 256
        std::vector<int32_t> rows;
        for (int32_t r = 0; r < 600; r += 2)
            rows.push_back(r);
        const auto lists = cosineNeighbourLists(f, rows, 7);
        for (std::size_t i : {std::size_t(0), std::size_t(150), std::size_t(299)}) {
            const auto expected = nearest(f, rows[i], 7, Metric::Cosine, rows);
            QCOMPARE(lists[i].size(), std::size_t(7));
            for (std::size_t k = 0; k < 7; ++k)
                QCOMPARE(rows[static_cast<std::size_t>(lists[i][k])], expected[k].item);
        }
    }

    void kNNListsCompareByJaccard() {
        // Movies 1..14. A: embeddings on a line (each movie's nearest by cosine: those at the same
        // angle). B: neighbour lists written out by hand.
        Eigen::MatrixXd A(14, 2);
        for (int r = 0; r < 14; ++r)
            A.row(r) << std::cos(0.1 * r), std::sin(0.1 * r);
        ItemSide b{idsFrom(1, 14), {}, std::vector<std::vector<int32_t>>(14)};
        b.neighbours[0] = {1, 13, 2};  // movie 1: movies 2, 14, 3
        b.neighbours[13] = {12, 0, 3}; // movie 14: movies 13, 1, 4
        const ModelComparison c = compareItemSides(sideOf(A, idsFrom(1, 14)), b, 2);
        QVERIFY(!c.aligned());
        // Movie 1's two nearest by angle: 2 and 3; B's first two: 2 and 14 -> 1 shared of 3.
        QCOMPARE(c.jaccard[0], 1.0 / 3.0);
        QCOMPARE(c.shared[0], 1);
        // Movie 14's: 13 and 12; B's: 13 and 1 -> 1 of 3.
        QCOMPARE(c.jaccard[13], 1.0 / 3.0);
        // Movies B has no list for share nothing with A's two.
        QCOMPARE(c.jaccard[5], 0.0);
        QVERIFY(!summariseComparison(c).empty());
    }

    void badInput() {
        const Eigen::MatrixXd A = randomMatrix(20, 3, 10);
        QVERIFY_THROWS_EXCEPTION(SpecError, compareItemSides(sideOf(A, idsFrom(1, 20)), sideOf(A, idsFrom(1, 20)), 0));
        // Only 11 movies shared: too few for 10 neighbours.
        QVERIFY_THROWS_EXCEPTION(SpecError, compareItemSides(sideOf(A, idsFrom(1, 20)), sideOf(A, idsFrom(10, 20))));
        Eigen::MatrixXd nan = A;
        nan(3, 1) = std::nan("");
        try {
            compareItemSides(sideOf(A, idsFrom(1, 20)), sideOf(nan, idsFrom(1, 20)), 3);
            QFAIL("NaN accepted");
        } catch (const SpecError& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains("not finite"), e.what());
        }
        ItemSide wrong = sideOf(A, idsFrom(1, 19)); // 20 vectors, 19 ids
        QVERIFY_THROWS_EXCEPTION(SpecError, compareItemSides(sideOf(A, idsFrom(1, 20)), wrong, 3));
        // Identical vectors: a defined result, no NaN.
        const ModelComparison same = compareItemSides(sideOf(Eigen::MatrixXd::Ones(20, 3), idsFrom(1, 20)),
                                                      sideOf(Eigen::MatrixXd::Ones(20, 3), idsFrom(1, 20)), 3);
        QVERIFY(std::isfinite(same.residual) && std::isfinite(same.meanJaccard));
        const ModelComparison zero =
            compareItemSides(sideOf(Eigen::MatrixXd::Zero(20, 3), idsFrom(1, 20)), sideOf(A, idsFrom(1, 20)), 3);
        QVERIFY(std::isfinite(zero.residual) && std::isfinite(zero.scale));
    }

    void cliComparesCheckpoints() {
        const QString a = path("a.fsckpt"), b = path("b.fsckpt"), bigger = path("big.fsckpt"), knn = path("knn.fsckpt"),
                      knnUsers = path("knnu.fsckpt");
        const auto train = [](QStringList extra, const QString& out) {
            QStringList args{"train",     "--data", "demo",        "--epochs", "4",
                             "--threads", "1",      "--no-record", "--save",   out};
            args += extra;
            const auto r = runCli(args);
            QVERIFY2(r.exitCode == 0, qPrintable(r.stderrText));
        };
        train({"--factors", "16", "--seed", "1"}, a);
        train({"--factors", "16", "--seed", "2"}, b);
        train({"--factors", "48", "--seed", "1"}, bigger);
        train({"--model", "knn", "--knn-on", "items"}, knn);
        train({"--model", "knn"}, knnUsers);

        const QString csv = path("c.csv");
        const auto seeds = runCli({"compare", "--a", a, "--b", b, "--out", csv});
        QCOMPARE(seeds.exitCode, 0);
        const QJsonObject j = seeds.last();
        QCOMPARE(j.value("shared_movies").toInt(), 1500);
        QVERIFY(j.value("aligned").toBool());
        // Two seeds of one model share neighbours far beyond chance (10 of 1,499 neighbours
        // drawn at random: a Jaccard near 0.0034), but do not learn the same embeddings.
        const double jaccard = j.value("mean_jaccard").toDouble();
        QVERIFY2(jaccard > 0.04 && jaccard < 0.95, qPrintable(QString::number(jaccard)));
        QVERIFY(j.value("residual").toDouble() > 0.01 && j.value("residual").toDouble() < 1.0);
        QCOMPARE(j.value("most_moved").toArray().size(), 5);
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QCOMPARE(lines.first(), QByteArray("id,title,moved,jaccard"));
        QCOMPARE(lines.size(), 1502); // a header, 1500 movies, and the last newline

        // The same checkpoint against itself: nothing moved, every neighbour shared.
        const auto self = runCli({"compare", "--a", a, "--b", a, "--top", "300"});
        QCOMPARE(self.last().value("shared_movies").toInt(), 300);
        QCOMPARE(self.last().value("mean_jaccard").toDouble(), 1.0);
        QVERIFY(self.last().value("median_moved").toDouble() < 1e-5);

        // 16 against 48 factors, and embeddings against an item-based kNN's own neighbours.
        const auto sizes = runCli({"compare", "--a", a, "--b", bigger});
        QCOMPARE(sizes.exitCode, 0);
        QVERIFY(sizes.last().value("aligned").toBool());
        const auto neighbours = runCli({"compare", "--a", a, "--b", knn, "--k", "5"});
        QCOMPARE(neighbours.exitCode, 0);
        QVERIFY(!neighbours.last().value("aligned").toBool());
        QVERIFY(neighbours.last().value("median_moved").isUndefined());

        // The same checkpoints on custom axes (project --method axes): between two titles of the demo.
        const QString axes = path("axes.csv");
        const auto onAxes = runCli(
            {"project", "--checkpoint", a, "--method", "axes", "--x-from", "(19", "--x-to", "(20", "--out", axes});
        QVERIFY2(onAxes.exitCode == 0, qPrintable(onAxes.stderrText));
        QCOMPARE(onAxes.last().value("movies").toInt(), 1500);
        const auto axesError = [&](const QStringList& extra, const char* says) {
            QStringList args{"project", "--checkpoint", a, "--method", "axes", "--out", axes};
            const auto r = runCli(args + extra);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.stderrText.contains(QLatin1String(says)), qPrintable(r.stderrText));
        };
        axesError({"--x-from", "zzzz", "--x-to", "(20"}, "--x-from: no movie's title contains 'zzzz'");
        axesError({"--x-from", "(19"}, "needs --x-from and --x-to");
        axesError({"--x-from", "(19", "--x-to", "(20", "--y-from", "(19"}, "both --y-from and --y-to");
        axesError({"--x-from", "(1999)", "--x-to", "(1999)"}, "same place");

        // Bad cases: a user-based kNN, a missing flag, a missing file, a bad k.
        const auto users = runCli({"compare", "--a", a, "--b", knnUsers});
        QCOMPARE(users.exitCode, 2);
        QVERIFY2(users.stderrText.contains("--b: a user-based kNN model"), qPrintable(users.stderrText));
        QCOMPARE(runCli({"compare", "--a", a}).exitCode, 2);
        QCOMPARE(runCli({"compare", "--a", a, "--b", path("none.fsckpt")}).exitCode, 1);
        QCOMPARE(runCli({"compare", "--a", a, "--b", b, "--k", "0"}).exitCode, 2);
        QCOMPARE(runCli({"compare", "--a", a, "--b", b, "--k", "2000"}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestModelCompare)
#include "tst_modelcompare.moc"
