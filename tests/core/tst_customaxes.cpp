// Custom axes: an axis from one group of movies to another orders them along it, the y axis is
// made perpendicular to x (and says how far the asked-for direction leaned on x), coordinates
// are the centred vectors' projections, and impossible axes are refused with a message.
#include "TestUtil.h"

#include "core/analysis/CustomAxes.h"
#include "core/common/Error.h"

#include <QtTest>

#include <cmath>
#include <numeric>
#include <random>

using namespace factorscope;

namespace {

// 100 movies in 4 factors: 0..49 pushed to +2 on factor 0, 50..99 to -2; factor 1 grows with
// the index inside each half; small noise everywhere.
Matrix planted() {
    std::mt19937 rng(3);
    std::normal_distribution<float> noise(0.f, 0.1f);
    Matrix m{100, 4, {}};
    for (int r = 0; r < 100; ++r) {
        m.values.push_back((r < 50 ? 2.f : -2.f) + noise(rng));
        m.values.push_back(static_cast<float>(r % 50) / 25.f + noise(rng));
        m.values.push_back(noise(rng));
        m.values.push_back(noise(rng));
    }
    return m;
}

std::vector<int32_t> range(int32_t from, int32_t to) {
    std::vector<int32_t> r(static_cast<std::size_t>(to - from));
    std::iota(r.begin(), r.end(), from);
    return r;
}

double dot(const Matrix& c, int a, int b) {
    double s = 0;
    for (int64_t k = 0; k < c.cols; ++k)
        s += double(c.at(a, k)) * c.at(b, k);
    return s;
}

} // namespace

class TestCustomAxes : public QObject {
    Q_OBJECT
    Matrix m_f = planted();

private Q_SLOTS:
    void anAxisOrdersItsEnds() {
        const Projection p = customAxes(m_f, {range(0, 50), range(50, 100)}, {});
        QCOMPARE(p.coords.rows, int64_t(100));
        double highestA = -1e9, lowestB = 1e9;
        for (int r = 0; r < 100; ++r)
            (r < 50 ? highestA : lowestB) =
                r < 50 ? std::max(highestA, double(p.coords.at(r, 0))) : std::min(lowestB, double(p.coords.at(r, 0)));
        QVERIFY2(highestA < lowestB, qPrintable(QStringLiteral("%1 %2").arg(highestA).arg(lowestB)));
        // Unit, perpendicular axes; y (no ends given) finds factor 1, the variance x leaves.
        QVERIFY(std::abs(dot(p.components, 0, 0) - 1) < 1e-5 && std::abs(dot(p.components, 1, 1) - 1) < 1e-5);
        QVERIFY(std::abs(dot(p.components, 0, 1)) < 1e-5);
        QVERIFY(std::abs(p.components.at(1, 1)) > 0.95);
        QVERIFY(p.explainedVarianceRatio[0] > 0.7); // the planted split is most of the variance
        // A coordinate by hand: row 7's centred vector on x.
        double x = 0;
        for (int c = 0; c < 4; ++c) {
            double mean = 0;
            for (int r = 0; r < 100; ++r)
                mean += m_f.at(r, c) / 100.0;
            x += (m_f.at(7, c) - mean) * p.components.at(0, c);
        }
        QVERIFY(std::abs(x - p.coords.at(7, 0)) < 1e-4);
    }

    void yIsMadePerpendicular() {
        // y from movie 0 (low on factor 1, high on factor 0) to movie 99 (high on 1, low on 0):
        // it leans on x, which is removed.
        double cosine = 0;
        const Projection p = customAxes(m_f, {range(0, 50), range(50, 100)}, {{0}, {99}}, range(0, 100), &cosine);
        QVERIFY2(cosine > 0.5 && cosine < 0.99, qPrintable(QString::number(cosine)));
        QVERIFY(std::abs(dot(p.components, 0, 1)) < 1e-5);
        QVERIFY(p.coords.at(99, 1) > p.coords.at(0, 1));
        // Only some movies shown: the coordinates are theirs, in their order.
        const Projection few = customAxes(m_f, {{0}, {60}}, {}, {5, 60, 0});
        QCOMPARE(few.items, (std::vector<int32_t>{5, 60, 0}));
        QVERIFY(few.coords.at(1, 0) > few.coords.at(2, 0));
    }

    void impossibleAxesAreRefused() {
        QVERIFY(test::errorOf<SpecError>([&] { customAxes(m_f, {{}, {1}}, {}); }).contains("names no movie"));
        QVERIFY(test::errorOf<SpecError>([&] { customAxes(m_f, {{3}, {3}}, {}); }).contains("same place"));
        QVERIFY(test::errorOf<SpecError>([&] {
                    customAxes(m_f, {{0}, {99}}, {{0}, {99}});
                }).contains("along the x axis"));
        QVERIFY(test::errorOf<SpecError>([&] { customAxes(m_f, {{0}, {500}}, {}); }).contains("out of range"));
        QVERIFY(test::errorOf<SpecError>([&] { customAxes(m_f, {{0}, {1}}, {}, {4}); }).contains("two movies"));
    }
};

QTEST_GUILESS_MAIN(TestCustomAxes)
#include "tst_customaxes.moc"
