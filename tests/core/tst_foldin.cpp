// Folding new users into a trained model: it stands in for retraining (the held-out users'
// later ratings predicted about as well as by a model retrained with their first ratings), the
// exact solve is the minimum of its objective, the gradient path lowers it, merging keeps every
// old user as it was, and what cannot fold in says so. Also the id-row files it reads.
#include "TestUtil.h"

#include "core/common/Error.h"
#include "core/data/Split.h"
#include "core/experiment/FoldInTrial.h"
#include "core/io/IdRowsFile.h"
#include "core/model/FoldIn.h"
#include "core/train/Trainer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace factorscope;

namespace {

// (1/n) sum (r - prediction)^2 + l2 |user's parameters|^2 for user 0 of `m`.
double objective(const Model& m, const FoldInUser& u, double l2) {
    std::vector<int32_t> users(u.items.size(), 0);
    const auto p = m.predict(users, u.items);
    double sum = 0;
    for (std::size_t k = 0; k < p.size(); ++k)
        sum += (p[k] - u.ratings[k]) * (p[k] - u.ratings[k]);
    double norm = 0;
    for (float v : m.userFactor(0))
        norm += v * v;
    for (float b : m.userBiases())
        norm += b * b;
    return sum / static_cast<double>(p.size()) + l2 * norm;
}

} // namespace

class TestFoldIn : public QObject {
    Q_OBJECT
    Dataset m_data = test::smallDemo();
    QTemporaryDir m_tmp;

    Model trained(ModelKind kind, bool yRange) {
        TrainSpec s = test::quickSpec(8, 256);
        s.setModelKind(kind);
        s.model.factors = 8;
        s.model.useYRange = yRange;
        Model m(s.model, m_data.users.size(), m_data.items.size(), s.seed);
        Trainer(m, s).run(m_data, makeSplit(m_data, s.split));
        return m;
    }

    // User 0's ratings in the data set.
    FoldInUser someone() const {
        FoldInUser u;
        for (std::size_t k = 0; k < m_data.ratings.size(); ++k)
            if (m_data.ratings.user[k] == 0) {
                u.items.push_back(m_data.ratings.item[k]);
                u.ratings.push_back(m_data.ratings.rating[k]);
            }
        return u;
    }

private Q_SLOTS:
    void standsInForRetraining() {
        // The full demo data, the app's default model; 10 % of users held out.
        const Dataset data = loadDatasetOrDemo("demo");
        TrainSpec spec = TrainSpec::defaults();
        spec.threads = 1;
        const FoldInTrialResult r = runFoldInTrial(data, spec, FoldInTrialSpec{});
        QCOMPARE(r.heldOutUsers, std::size_t(100));
        QVERIFY(r.predictedRatings > 1000);
        qInfo("retrained %.4f, folded in %.4f, mean user %.4f", r.retrainedRmse, r.foldedRmse[0], r.meanUserRmse);
        QVERIFY2(r.foldedRmse[0] <= r.retrainedRmse + 0.02, "folding in is within 0.02 RMSE of retraining");
        QVERIFY2(r.foldedRmse[0] < r.meanUserRmse - 0.1, "folding in learns the user, not the average");
    }

    void exactSolveIsTheRidgeMinimum() {
        const Model m = trained(ModelKind::DotBias, false);
        const FoldInUser u = someone();
        FoldInOptions o;
        const Model folded = foldInUsers(m, {u}, o);
        QCOMPARE(folded.users(), 1);
        const double best = objective(folded, u, o.l2);
        // Against an independent solve: the normal equations by Gaussian elimination here.
        const std::size_t dim = 9; // 8 factors and the bias
        std::vector<double> a(dim * dim, 0), b(dim, 0);
        const auto itemBias = m.itemBiases();
        const double n = static_cast<double>(u.items.size());
        for (std::size_t k = 0; k < u.items.size(); ++k) {
            std::vector<double> x(dim, 1.0);
            const auto q = m.itemFactor(u.items[k]);
            for (std::size_t c = 0; c < 8; ++c)
                x[c] = q[c];
            const double target = u.ratings[k] - itemBias[static_cast<std::size_t>(u.items[k])];
            for (std::size_t i = 0; i < dim; ++i) {
                b[i] += x[i] * target / n;
                for (std::size_t j = 0; j < dim; ++j)
                    a[i * dim + j] += x[i] * x[j] / n;
            }
        }
        for (std::size_t i = 0; i < dim; ++i)
            a[i * dim + i] += o.l2;
        for (std::size_t col = 0; col < dim; ++col) // no pivoting needed: symmetric positive definite
            for (std::size_t row = col + 1; row < dim; ++row) {
                const double f = a[row * dim + col] / a[col * dim + col];
                for (std::size_t j = col; j < dim; ++j)
                    a[row * dim + j] -= f * a[col * dim + j];
                b[row] -= f * b[col];
            }
        std::vector<double> theta(dim);
        for (std::size_t i = dim; i-- > 0;) {
            double s = b[i];
            for (std::size_t j = i + 1; j < dim; ++j)
                s -= a[i * dim + j] * theta[j];
            theta[i] = s / a[i * dim + i];
        }
        const auto p = folded.userFactor(0);
        for (std::size_t c = 0; c < 8; ++c)
            QVERIFY2(std::abs(p[c] - theta[c]) < 1e-4, qPrintable(QString::number(c)));
        QVERIFY(std::abs(folded.userBiases()[0] - theta[8]) < 1e-4);
        QVERIFY(best < objective(foldInUsers(
                                     m, {u},
                                     [] {
                                         FoldInOptions start;
                                         start.fit = false;
                                         return start;
                                     }()),
                                 u, o.l2));
    }

    void gradientStepsReachTheMinimum() {
        // Where the exact solve applies, the steps arrive at the same parameters.
        const Model linear = trained(ModelKind::DotBias, false);
        const FoldInUser u = someone();
        FoldInOptions steps;
        steps.exact = false;
        steps.steps = 600;
        const Model exact = foldInUsers(linear, {u});
        const Model descended = foldInUsers(linear, {u}, steps);
        const double gap = objective(descended, u, steps.l2) - objective(exact, u, steps.l2);
        qInfo("objective: exact %.5f, by steps %+.6f", objective(exact, u, steps.l2), gap);
        QVERIFY(gap >= -1e-5 && gap < 1e-3);
        const auto a = exact.userFactor(0), b = descended.userFactor(0);
        for (std::size_t c = 0; c < a.size(); ++c)
            QVERIFY2(std::abs(a[c] - b[c]) < 0.02, qPrintable(QString::number(c)));
        // With a y-range (and for mlp) there is no exact solve: the steps lower the objective from
        // the mean user's, and more steps find nothing much lower.
        for (ModelKind kind : {ModelKind::DotBias, ModelKind::Mlp}) {
            const Model m = trained(kind, true);
            FoldInOptions start;
            start.fit = false;
            const double before = objective(foldInUsers(m, {u}, start), u, steps.l2);
            const double after = objective(foldInUsers(m, {u}), u, steps.l2);
            const double longer = objective(foldInUsers(m, {u}, steps), u, steps.l2);
            qInfo("%s: objective %.4f at the mean user, %.4f fitted, %.4f in 600 steps", toString(kind).c_str(), before,
                  after, longer);
            QVERIFY(after < before);
            QVERIFY(after - longer < 0.01 * before);
        }
    }

    void mergeKeepsOldUsersAndPlacesNewOnes() {
        const Model m = trained(ModelKind::DotBias, true);
        const Model added = foldInUsers(m, {someone(), someone()});
        // New users at rows 0 and 3; the old ones in order around them.
        std::vector<int32_t> sources = {m.users(), 0, 1, m.users() + 1};
        for (int32_t k = 2; k < m.users(); ++k)
            sources.push_back(k);
        const Model merged = mergeUsers(m, added, sources);
        QCOMPARE(merged.users(), m.users() + 2);
        QCOMPARE(merged.itemFactors().values, m.itemFactors().values);
        QCOMPARE(merged.userFactor(1), m.userFactor(0));
        QCOMPARE(merged.userFactor(merged.users() - 1), m.userFactor(m.users() - 1));
        QCOMPARE(merged.userFactor(0), added.userFactor(0));
        QCOMPARE(merged.predict({3, 4}, {5, 6}),
                 (std::vector<float>{added.predict({1}, {5})[0], m.predict({2}, {6})[0]}));
        QVERIFY(test::errorOf<SpecError>([&] { mergeUsers(m, added, {m.users() + 2}); }).contains("out of range"));
    }

    void refusals() {
        const Model m = trained(ModelKind::DotBias, true);
        QVERIFY(test::errorOf<SpecError>([&] { foldInUsers(m, {}); }).contains("no users"));
        QVERIFY(test::errorOf<SpecError>([&] { foldInUsers(m, {FoldInUser{}}); }).contains("no ratings"));
        QVERIFY(test::errorOf<SpecError>([&] { foldInUsers(m, {FoldInUser{{m.items()}, {4}}}); }).contains("invalid"));
        QVERIFY(test::errorOf<SpecError>([&] { foldInUsers(m, {FoldInUser{{0}, {NAN}}}); }).contains("invalid"));
        TrainSpec knn = test::quickSpec(1, 256);
        knn.setModelKind(ModelKind::Knn);
        Model k(knn.model, m_data.users.size(), m_data.items.size());
        Trainer(k, knn).run(m_data, makeSplit(m_data, knn.split));
        const QString why = test::errorOf<SpecError>([&] { foldInUsers(k, {someone()}); });
        QVERIFY2(why.contains("knn model cannot take new users") && why.contains("dotbias"), qPrintable(why));
        for (ModelKind kind : {ModelKind::SvdPP, ModelKind::AutoRec, ModelKind::Baseline, ModelKind::Ease})
            QVERIFY(whyCannotFoldIn(ModelSpec::defaultsFor(kind)).has_value());
    }

    void idRowFiles() {
        const auto read = [&](const QByteArray& text, bool ratings) {
            return readIdRows(test::writeFile(m_tmp.path(), "rows.csv", text), ratings, 0.5, 5.0);
        };
        auto rows = read("user,item,rating\n7,3,4.5\n\n8;4;1\n", true);
        QCOMPARE(rows.size(), std::size_t(2));
        QCOMPARE(rows[1].user, 8);
        QCOMPARE(rows[1].line, std::size_t(4));
        QCOMPARE(rows[0].rating, 4.5);
        QCOMPARE(read("1\t2\n", false).front().item, 2);
        const auto error = [&](const QByteArray& text, bool ratings) {
            return test::errorOf<DataError>([&] { read(text, ratings); });
        };
        QVERIFY(error("user,item,rating\n1,2\n", true).contains("rows.csv:2: expected user,item,rating"));
        QVERIFY(error("1,x,3\n", true).contains("rows.csv:1: the user and item must be whole-number ids"));
        QVERIFY(error("1,2,9\n", true).contains("rows.csv:1: the rating 9 is outside the model's scale"));
        QVERIFY(error("1,2,nan\n", true).contains("the rating is not a number"));
        QVERIFY(error("1,2,0.1\n", true).contains("outside"));
        QVERIFY(error("1,\"2\n", false).contains("unterminated quote"));
        QVERIFY(error("user,item\n", false).contains("no user,item lines"));
        QVERIFY(error("", false).contains("no user,item lines"));
        QVERIFY(test::errorOf<IoError>([] { readIdRows("/nonexistent/rows.csv", false); }).contains("cannot open"));
    }
};

QTEST_GUILESS_MAIN(TestFoldIn)
#include "tst_foldin.moc"
