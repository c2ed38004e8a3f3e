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

    void rangeTestOnDemoDataLeavesNoTrace() {
        const Dataset d = test::smallDemo();
        TrainSpec spec;
        spec.split = SplitSpec::parse("random:0.2");
        spec.batchSize = 128;
        spec.threads = 1;
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
