#include "TestUtil.h"
#include "core/common/Error.h"
#include "core/train/LrFinder.h"

#include <cmath>

using namespace factorscope;

class TestLrFinder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void valleyOnATypicalCurve() {
        // Flat, then falling between 1e-4 and 1e-2, then exploding: the valley lies inside
        // the falling stretch, below its minimum.
        std::vector<double> lrs, losses;
        for (int k = 0; k < 100; ++k) {
            const double lr = 1e-7 * std::pow(1e8, k / 99.0);
            const double x = std::log10(lr);
            lrs.push_back(lr);
            losses.push_back(x < -4 ? 1.0 : x < -2 ? 1.0 - 0.4 * (x + 4) : 0.2 + 3 * (x + 2) * (x + 2));
        }
        const double v = valleyLr(lrs, losses);
        QVERIFY2(v > 1e-4 && v < 1e-2, qPrintable(QString::number(v)));
        const double s = steepestLr(lrs, losses);
        QVERIFY2(s > 1e-4 && s < 1e-2, qPrintable(QString::number(s)));
    }

    void rangeTestOnDemoDataLeavesNoTrace_data() {
        QTest::addColumn<int>("engine");
        QTest::newRow("general path") << static_cast<int>(Engine::General);
        QTest::newRow("fused path") << static_cast<int>(Engine::Fused);
    }
    void rangeTestOnDemoDataLeavesNoTrace() {
        QFETCH(int, engine);
        const Dataset d = test::smallDemo();
        TrainSpec spec = test::quickSpec(1, 128);
        spec.engine = static_cast<Engine>(engine);
        const Split split = makeSplit(d, spec.split);
        Model m(spec.model, d.users.size(), d.items.size());
        const auto before = m.itemFactors().values;
        int points = 0;
        const LrFindResult r = findLearningRate(m, d, split, spec, LrFindSpec{}, [&](double, double) { ++points; });
        QCOMPARE(m.itemFactors().values, before);
        QVERIFY(r.lrs.size() >= 20);
        QCOMPARE(points, static_cast<int>(r.lrs.size()));
        // Rates rise exponentially and the suggestion lies in the swept range, below where
        // the loss blew up.
        for (std::size_t k = 1; k < r.lrs.size(); ++k)
            QVERIFY(r.lrs[k] > r.lrs[k - 1]);
        QVERIFY(r.suggestedLr >= r.lrs.front() && r.suggestedLr <= r.lrs.back());
        QVERIFY(*std::min_element(r.losses.begin(), r.losses.end()) < r.losses.front());
    }

    void sweepsOnThePathTrainingTakes() {
        // Plain SGD updates a row alike on either path, so where the finder walks the same
        // batches, the two curves agree until rounding (the fused path sums in another order).
        const Dataset d = test::smallDemo();
        TrainSpec spec = test::quickSpec(1, 256);
        spec.optimizer.kind = OptimizerKind::Sgd;
        spec.optimizer.momentum = 0;
        spec.optimizer.weightDecay = 0;
        const Split split = makeSplit(d, spec.split);
        LrFindSpec find;
        find.startLr = 1e-3;
        find.endLr = 1.0;
        find.steps = 40;
        std::vector<LrFindResult> curves;
        for (Engine engine : {Engine::General, Engine::Fused}) {
            spec.engine = engine;
            Model m(spec.model, d.users.size(), d.items.size(), spec.seed);
            curves.push_back(findLearningRate(m, d, split, spec, find));
        }
        QVERIFY(curves[0].rawLosses.size() >= 20);
        QCOMPARE(curves[1].rawLosses.size(), curves[0].rawLosses.size());
        for (std::size_t k = 0; k < curves[0].rawLosses.size(); ++k)
            QVERIFY2(
                std::abs(curves[0].rawLosses[k] - curves[1].rawLosses[k]) < 1e-4 * curves[0].rawLosses[k],
                qPrintable(
                    QString("step %1: %2 against %3").arg(k).arg(curves[0].rawLosses[k]).arg(curves[1].rawLosses[k])));
    }

    void badSpec() {
        LrFindSpec s;
        s.endLr = s.startLr / 2;
        QVERIFY_THROWS_EXCEPTION(SpecError, s.validate());
        s = LrFindSpec{};
        s.steps = 1;
        QVERIFY_THROWS_EXCEPTION(SpecError, s.validate());
    }
};

QTEST_GUILESS_MAIN(TestLrFinder)
#include "tst_lrfinder.moc"
