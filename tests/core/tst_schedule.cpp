// Schedules against the seeds' formulas (seed 000's triangular/cosine) and PyTorch's
// OneCycleLR, at known points. The one-cycle values were printed by torch 1.13's
// torch.optim.lr_scheduler.OneCycleLR(max_lr=0.01, total_steps=100, pct_start=0.25).
#include "core/common/Error.h"
#include "core/train/Schedule.h"
#include "core/train/TrainSpec.h"

#include <QtTest>

using namespace factorscope;

namespace {
ScheduleSpec make(ScheduleKind k) {
    ScheduleSpec s;
    s.kind = k;
    return s;
}
double at(const ScheduleSpec& s, double base, long long step, long long total = 1000, long long perEpoch = 100) {
    return learningRateAt(s, base, ScheduleClock{step, total, perEpoch});
}
} // namespace

class TestSchedule : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void constantAndStep() {
        QCOMPARE(at(make(ScheduleKind::Constant), 0.01, 537), 0.01);
        ScheduleSpec s = make(ScheduleKind::Step);
        s.gamma = 0.1;
        s.stepSize = 30;
        QCOMPARE(at(s, 1.0, 29), 1.0);
        QVERIFY(qFuzzyCompare(at(s, 1.0, 30), 0.1));
        QVERIFY(qFuzzyCompare(at(s, 1.0, 95), 0.001));
        s.stepSize = 0; // one epoch = 100 steps
        QVERIFY(qFuzzyCompare(at(s, 1.0, 100), 0.1));
    }

    // Seed 000: plot_lr(triangular(250, 0.005)) with base_lr 0.001.
    void triangular_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("step");
        QTest::addColumn<double>("expected");
        const int tri = int(ScheduleKind::Triangular), tri2 = int(ScheduleKind::Triangular2),
                  exp = int(ScheduleKind::ExpRange);
        QTest::newRow("start") << tri << 0 << 0.001;
        QTest::newRow("quarter") << tri << 125 << 0.003;
        QTest::newRow("peak") << tri << 250 << 0.005;
        QTest::newRow("back down") << tri << 500 << 0.001;
        QTest::newRow("second peak") << tri << 750 << 0.005;
        QTest::newRow("tri2 first peak") << tri2 << 250 << 0.005;
        QTest::newRow("tri2 second peak halves") << tri2 << 750 << 0.003;
        QTest::newRow("tri2 third peak quarters") << tri2 << 1250 << 0.002;
        // exp_range with gamma 0.999: 0.001 + 0.004 * 0.999^250
        QTest::newRow("exp_range peak") << exp << 250 << 0.001 + 0.004 * std::pow(0.999, 250);
    }
    void triangular() {
        QFETCH(int, kind);
        QFETCH(int, step);
        QFETCH(double, expected);
        ScheduleSpec s = make(ScheduleKind(kind));
        s.stepSize = 250;
        s.maxLr = 0.005;
        s.gamma = 0.999;
        QVERIFY2(std::abs(at(s, 0.001, step) - expected) < 1e-12,
                 qPrintable(QString::number(at(s, 0.001, step), 'g', 12)));
    }

    // Seed 000: cosine(t_max=500, eta_min=0.0005) with base_lr 0.001.
    void cosineWithRestarts() {
        ScheduleSpec s = make(ScheduleKind::Cosine);
        s.tMax = 500;
        s.etaMin = 0.0005;
        QCOMPARE(at(s, 0.001, 0), 0.001);
        QVERIFY(std::abs(at(s, 0.001, 250) - 0.00075) < 1e-15);
        QVERIFY(at(s, 0.001, 499) < 0.000501);
        QCOMPARE(at(s, 0.001, 500), 0.001); // restart
        // Defaults follow the seed: t_max two epochs, eta_min base/10.
        ScheduleSpec d = make(ScheduleKind::Cosine);
        QVERIFY(std::abs(at(d, 0.001, 100, 1000, 100) - 0.00055) < 1e-15);
    }

    void oneCycleMatchesPyTorch_data() {
        QTest::addColumn<int>("step");
        QTest::addColumn<double>("lr");
        QTest::addColumn<double>("momentum");
        QTest::newRow("0") << 0 << 0.0003999999999999993 << 0.95;
        QTest::newRow("10") << 10 << 0.0039576685835079 << 0.912940952255126;
        QTest::newRow("24 peak") << 24 << 0.01 << 0.85;
        QTest::newRow("25") << 25 << 0.00999561416803769 << 0.850043858495057;
        QTest::newRow("50") << 50 << 0.007316490909678607 << 0.8768351982440069;
        QTest::newRow("99 end") << 99 << 4e-08 << 0.95;
    }
    void oneCycleMatchesPyTorch() {
        QFETCH(int, step);
        QFETCH(double, lr);
        QFETCH(double, momentum);
        const ScheduleSpec s = make(ScheduleKind::OneCycle);
        const ScheduleClock c{step, 100, 10};
        QVERIFY2(std::abs(learningRateAt(s, 0.01, c) - lr) < 1e-12,
                 qPrintable(QString::number(learningRateAt(s, 0.01, c), 'g', 16)));
        QVERIFY(std::abs(*momentumAt(s, c) - momentum) < 1e-12);
    }

    void onlyOneCycleMovesMomentum() {
        QVERIFY(!momentumAt(make(ScheduleKind::Cosine), ScheduleClock{3, 10, 1}));
        ScheduleSpec s = make(ScheduleKind::OneCycle);
        s.cycleMomentum = false;
        QVERIFY(!momentumAt(s, ScheduleClock{3, 10, 1}));
    }

    void namesRoundTrip() {
        for (auto k : {ScheduleKind::Constant, ScheduleKind::Step, ScheduleKind::Triangular, ScheduleKind::Triangular2,
                       ScheduleKind::ExpRange, ScheduleKind::Cosine, ScheduleKind::OneCycle})
            QVERIFY(*parseScheduleKind(toString(k)) == k);
        QVERIFY(!parseScheduleKind("linear"));
    }

    // A schedule's settings are checked where they apply: the spec's field table holds each
    // one's range, ScheduleSpec::validate the rule between two of them.
    void validation() {
        const auto fieldOfError = [](const ScheduleSpec& s) {
            TrainSpec t;
            t.schedule = s;
            try {
                t.validate();
            } catch (const SpecError& e) {
                return e.field();
            }
            return std::string();
        };
        ScheduleSpec s;
        s.pctStart = 1.5;
        QCOMPARE(fieldOfError(s), std::string("pct-start"));
        s = ScheduleSpec{};
        s.gamma = 0; // one-cycle has no gamma
        QCOMPARE(fieldOfError(s), std::string());
        s.kind = ScheduleKind::Step;
        QCOMPARE(fieldOfError(s), std::string("gamma"));
        s = ScheduleSpec{};
        s.momentumMin = 0.99; // above momentum-max
        QCOMPARE(fieldOfError(s), std::string("momentum-min"));
        QVERIFY_THROWS_EXCEPTION(SpecError, s.validate());
        s.cycleMomentum = false; // then neither is used
        QCOMPARE(fieldOfError(s), std::string());
    }
};

QTEST_GUILESS_MAIN(TestSchedule)
#include "tst_schedule.moc"
