#include "TestUtil.h"
#include "core/common/Error.h"
#include "core/data/Split.h"

#include <set>

using namespace factorscope;

namespace {
std::set<int64_t> asSet(const std::vector<int64_t>& v) { return {v.begin(), v.end()}; }
} // namespace

class TestSplit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parseAndPrint_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("ua") << "ua";
        QTest::newRow("u3") << "u3";
        QTest::newRow("random") << "random:0.2";
        QTest::newRow("three-way") << "random:0.1:0.1";
        QTest::newRow("leave") << "leave:2";
        QTest::newRow("temporal") << "temporal:5";
        QTest::newRow("user-ratio") << "user-ratio:0.25";
    }
    void parseAndPrint() {
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(SplitSpec::parse(text.toStdString()).toString()), text);
    }
    void badSpecs_data() {
        QTest::addColumn<QString>("text");
        for (const char* t : {"u9", "random:1.5", "random:0", "random:0.5:0.5", "leave:0", "leave:x", "temporal:-1", "",
                              "ua:3", "user-ratio", "user-ratio:0", "user-ratio:1", "user-ratio:x"})
            QTest::newRow(t) << QString::fromLatin1(t);
    }
    void badSpecs() {
        QFETCH(QString, text);
        QVERIFY_THROWS_EXCEPTION(SpecError, SplitSpec::parse(text.toStdString()));
    }

    void randomIsAPartitionAndSeeded() {
        const Dataset d = test::smallDemo();
        SplitSpec spec = SplitSpec::parse("random:0.2:0.1");
        const Split s = makeSplit(d, spec);
        QCOMPARE(s.train.size() + s.validation.size() + s.test.size(), d.ratings.size());
        QCOMPARE(s.validation.size(), std::size_t(d.ratings.size() * 0.2));
        QCOMPARE(s.test.size(), std::size_t(d.ratings.size() * 0.1));
        std::set<int64_t> all = asSet(s.train);
        for (auto r : s.validation)
            QVERIFY(all.insert(r).second);
        for (auto r : s.test)
            QVERIFY(all.insert(r).second);
        QCOMPARE(makeSplit(d, spec).validation, s.validation);
        spec.seed = 99;
        QVERIFY(makeSplit(d, spec).validation != s.validation);
    }

    void leaveKHoldsKPerUser() {
        const Dataset d = test::smallDemo();
        const Split s = makeSplit(d, SplitSpec::parse("leave:3"));
        std::vector<int> held(d.users.size());
        for (auto r : s.validation)
            held[d.ratings.user[r]]++;
        for (int u = 0; u < d.users.size(); ++u)
            QCOMPARE(held[u], 3);
        QCOMPARE(s.coldUsers, std::size_t(0));
    }

    void userRatioHoldsAShareOfEachUser() {
        const Dataset d = test::smallDemo();
        const Split s = makeSplit(d, SplitSpec::parse("user-ratio:0.25"));
        QCOMPARE(s.train.size() + s.validation.size(), d.ratings.size());
        std::vector<int> held(d.users.size()), all(d.users.size());
        for (auto r : s.validation)
            held[d.ratings.user[r]]++;
        for (std::size_t r = 0; r < d.ratings.size(); ++r)
            all[d.ratings.user[r]]++;
        for (int u = 0; u < d.users.size(); ++u) {
            QVERIFY2(held[u] >= 1 && held[u] < all[u], qPrintable(QString::number(u)));
            QVERIFY(std::abs(held[u] - 0.25 * all[u]) <= 0.5);
        }
        QCOMPARE(s.coldUsers, std::size_t(0));
        // A user with one rating keeps it for training; one with none held out is an error.
        Dataset one;
        one.users = IdMap::fromIds({1, 2});
        one.items = IdMap::fromIds({10, 20});
        one.ratings.push(0, 0, 4, 1);
        one.ratings.push(1, 0, 3, 2);
        one.ratings.push(1, 1, 5, 3);
        const Split small = makeSplit(one, SplitSpec::parse("user-ratio:0.5"));
        QCOMPARE(small.validation.size(), std::size_t(1));
        QCOMPARE(one.ratings.user[small.validation[0]], 1);
        Dataset lone;
        lone.users = IdMap::fromIds({1});
        lone.items = IdMap::fromIds({10});
        lone.ratings.push(0, 0, 4, 1);
        QVERIFY_THROWS_EXCEPTION(SpecError, makeSplit(lone, SplitSpec::parse("user-ratio:0.5")));
    }

    void temporalHoldsTheLatest() {
        const Dataset d = test::smallDemo();
        const Split s = makeSplit(d, SplitSpec::parse("temporal:2"));
        std::vector<int64_t> latestTrain(d.users.size(), INT64_MIN);
        for (auto r : s.train)
            latestTrain[d.ratings.user[r]] = std::max(latestTrain[d.ratings.user[r]], d.ratings.timestamp[r]);
        for (auto r : s.validation)
            QVERIFY(d.ratings.timestamp[r] >= latestTrain[d.ratings.user[r]]);
    }

    void coldUsersAndItemsAreCounted() {
        // Item 30 is rated only in user 1's latest rating, which temporal:1 holds out.
        Dataset d;
        d.users = IdMap::fromIds({1, 2, 3});
        d.items = IdMap::fromIds({10, 20, 30});
        for (int k = 0; k < 10; ++k)
            d.ratings.push(k % 2, k % 2, 4, k);
        d.ratings.push(2, 0, 3, 100);
        d.ratings.push(0, 2, 3, 101);
        const Split s = makeSplit(d, SplitSpec::parse("temporal:1"));
        // User 3 has a single rating: too few to hold one out, so it stays in training.
        QCOMPARE(s.coldItems, std::size_t(1));
        QCOMPARE(s.coldRatings, std::size_t(1));
    }

    void predefinedNeedsTheFiles() {
        const Dataset d = test::smallDemo();
        QVERIFY_THROWS_EXCEPTION(SpecError, makeSplit(d, SplitSpec::parse("ua")));
    }

    void predefinedMl100k() {
        if (!test::hasMl100k())
            QSKIP("MovieLens 100K not found at " FACTORSCOPE_ML100K " (tests never ship it)");
        const Dataset d = loadDataset(test::ml100k());
        const Split s = makeSplit(d, SplitSpec::parse("ua"));
        QCOMPARE(s.train.size(), std::size_t(90570));
        QCOMPARE(s.validation.size(), std::size_t(9430));
        // ua.test holds exactly 10 ratings per user.
        std::vector<int> per(d.users.size());
        for (auto r : s.validation)
            per[d.ratings.user[r]]++;
        QVERIFY(std::all_of(per.begin(), per.end(), [](int n) { return n == 10; }));
    }
};

QTEST_GUILESS_MAIN(TestSplit)
#include "tst_split.moc"
