// One step at a time: a step moves each parameter by exactly -lr times the sum of its ratings'
// gradients (worked by hand on three ratings), steps lower the error on real-shaped data, the
// followed rating is in every batch, editing it pulls its prediction (the data set untouched),
// the top K skips rated movies, and bad settings are refused with a message.
#include "TestUtil.h"

#include "core/analysis/StepLesson.h"
#include "core/common/Error.h"

#include <QtTest>

#include <cmath>
#include <set>

using namespace factorscope;

namespace {

// Two users, three movies, three ratings: user 0 rated movies 0 and 1, user 1 movie 0.
std::shared_ptr<const Dataset> tiny() {
    auto d = std::make_shared<Dataset>();
    d->ratings.user = {0, 0, 1};
    d->ratings.item = {0, 1, 0};
    d->ratings.rating = {5, 1, 4};
    d->ratings.timestamp = {0, 0, 0};
    d->users = IdMap::fromIds({10, 20});
    d->items = IdMap::fromIds({1, 2, 3});
    return d;
}

} // namespace

class TestStepLesson : public QObject {
    Q_OBJECT
    std::shared_ptr<const Dataset> m_demo = std::make_shared<const Dataset>(test::smallDemo());

private Q_SLOTS:
    void oneStepByHand() {
        StepLesson lesson(tiny(), StepSettings{0.1, 3, 0.1, 5});
        QCOMPARE(lesson.mean(), 10.0 / 3.0);
        const StepParams u0 = lesson.user(0), u1 = lesson.user(1), v0 = lesson.item(0), v1 = lesson.item(1);
        QCOMPARE(u0[2], 0.0); // biases start at 0
        const StepResult r = lesson.step();
        QCOMPARE(r.ratings.size(), std::size_t(3)); // the whole data set is one batch
        const double mu = 10.0 / 3.0;
        // Each rating's prediction and error, by hand.
        const auto p = [&](const StepParams& u, const StepParams& v) { return mu + u[0] * v[0] + u[1] * v[1]; };
        const double e00 = p(u0, v0) - 5, e01 = p(u0, v1) - 1, e10 = p(u1, v0) - 4;
        for (const RatingStep& s : r.ratings) {
            const double e = s.user == 0 ? (s.item == 0 ? e00 : e01) : e10;
            QVERIFY(std::abs(s.error - e) < 1e-12);
            QVERIFY(std::abs(s.prediction - s.rating - e) < 1e-12);
        }
        QVERIFY(std::abs(r.loss - 0.5 * (e00 * e00 + e01 * e01 + e10 * e10)) < 1e-12);
        // User 0 has two ratings in the batch: u0 - lr (e00 v0 + e01 v1), b_u - lr (e00 + e01).
        const StepParams& after = lesson.user(0);
        QVERIFY(std::abs(after[0] - (u0[0] - 0.1 * (e00 * v0[0] + e01 * v1[0]))) < 1e-12);
        QVERIFY(std::abs(after[1] - (u0[1] - 0.1 * (e00 * v0[1] + e01 * v1[1]))) < 1e-12);
        QVERIFY(std::abs(after[2] - (-0.1 * (e00 + e01))) < 1e-12);
        // Movie 0 was rated by both users, each gradient taken before either moved.
        QVERIFY(std::abs(lesson.item(0)[0] - (v0[0] - 0.1 * (e00 * u0[0] + e10 * u1[0]))) < 1e-12);
        QCOMPARE(r.userMove(0)->ratings, 2);
        QCOMPARE(r.itemMove(0)->ratings, 2);
        QCOMPARE(r.itemMove(1)->ratings, 1);
        QVERIFY(r.itemMove(2) == nullptr); // movie 2 has no ratings: not in the batch
        QCOMPARE(r.userMove(0)->after, lesson.user(0));
        QCOMPARE(lesson.item(2)[2], 0.0);
    }

    void stepsLowerTheError() {
        StepLesson lesson(m_demo, StepSettings{0.05, 64, 0.1, 1});
        const double before = lesson.rmse();
        for (int k = 0; k < 400; ++k) // about two passes over the 12,000 ratings
            lesson.step();
        QVERIFY(lesson.passes() > 2.0);
        QCOMPARE(lesson.steps(), int64_t(400));
        const double after = lesson.rmse();
        QVERIFY2(after < before - 0.05, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
    }

    void followedRatingIsInEveryBatchAndAnEditPullsIt() {
        StepLesson lesson(m_demo, StepSettings{0.05, 16, 0.1, 2});
        const int64_t row = 123;
        const int32_t u = m_demo->ratings.user[row], i = m_demo->ratings.item[row];
        lesson.follow(row);
        QCOMPARE(*lesson.followed(), row);
        for (int k = 0; k < 30; ++k)
            lesson.step();
        const double settled = lesson.predict(u, i);
        const float original = m_demo->ratings.rating[row];
        const double edited = original >= 3 ? 0.5 : 5.0;
        lesson.setRating(row, edited);
        QCOMPARE(lesson.ratingOf(row), edited);
        QCOMPARE(m_demo->ratings.rating[row], original); // the data set is never modified
        for (int k = 0; k < 60; ++k) {
            const StepResult r = lesson.step();
            bool in = false;
            for (const RatingStep& s : r.ratings)
                in = in || s.row == row;
            QVERIFY(in);
        }
        const double moved = lesson.predict(u, i);
        QVERIFY2(std::abs(moved - edited) < std::abs(settled - edited) - 0.5,
                 qPrintable(QStringLiteral("%1 -> %2, toward %3").arg(settled).arg(moved).arg(edited)));
    }

    void topKSkipsRatedMovies() {
        StepLesson lesson(m_demo, StepSettings{});
        for (int k = 0; k < 100; ++k)
            lesson.step();
        std::set<int32_t> rated;
        for (std::size_t k = 0; k < m_demo->ratings.size(); ++k)
            if (m_demo->ratings.user[k] == 3)
                rated.insert(m_demo->ratings.item[k]);
        const auto top = lesson.topK(3, 10);
        QCOMPARE(top.size(), std::size_t(10));
        for (std::size_t k = 0; k < top.size(); ++k) {
            QVERIFY(!rated.count(top[k]));
            if (k > 0)
                QVERIFY(lesson.predict(3, top[k - 1]) >= lesson.predict(3, top[k]));
        }
        // Nothing unrated scores above the last of the ten.
        for (int32_t i = 0; i < m_demo->items.size(); ++i)
            if (!rated.count(i) && std::find(top.begin(), top.end(), i) == top.end())
                QVERIFY(lesson.predict(3, i) <= lesson.predict(3, top.back()));
    }

    void badSettingsAreRefused() {
        QVERIFY(test::errorOf<SpecError>([&] { StepLesson(m_demo, StepSettings{0.05, 0}); }).contains("batch"));
        QVERIFY(test::errorOf<SpecError>([&] { StepLesson(m_demo, StepSettings{0.0, 8}); }).contains("lr"));
        QVERIFY(test::errorOf<SpecError>([&] { StepLesson(m_demo, StepSettings{std::nan(""), 8}); }).contains("lr"));
        QVERIFY(test::errorOf<SpecError>([&] {
                    StepLesson(std::make_shared<const Dataset>(), {});
                }).contains("no ratings"));
        StepLesson lesson(m_demo, StepSettings{});
        QVERIFY_THROWS_EXCEPTION(SpecError, lesson.follow(-1));
        QVERIFY_THROWS_EXCEPTION(SpecError, lesson.follow(static_cast<int64_t>(m_demo->ratings.size())));
        QVERIFY(test::errorOf<SpecError>([&] { lesson.setRating(0, 7.0); }).contains("from 0.5 to 5.0"));
        QVERIFY_THROWS_EXCEPTION(SpecError, lesson.setRating(0, std::nan("")));
        QVERIFY_THROWS_EXCEPTION(SpecError, lesson.setLearningRate(-1));
        QVERIFY_THROWS_EXCEPTION(SpecError, lesson.topK(-1, 10));
    }
};

QTEST_GUILESS_MAIN(TestStepLesson)
#include "tst_steplesson.moc"
