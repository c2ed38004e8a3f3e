// Your own ratings included in a data set on request: new users take their ascending places
// and every earlier rating keeps its user, movies the data set lacks are skipped and counted,
// a predefined split trains on them, and each bad file is refused naming its line.
#include "TestUtil.h"

#include "core/common/Error.h"
#include "core/data/Split.h"
#include "core/io/OwnRatings.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace factorscope;

class TestOwnRatings : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

    std::string file(const char* name, const QByteArray& text) const {
        return test::writeFile(m_tmp.path(), QLatin1String(name), text);
    }

    // Each rating's (original user, original item, rating), to compare before and after.
    static std::vector<std::tuple<int64_t, int64_t, float>> originals(const Dataset& d) {
        std::vector<std::tuple<int64_t, int64_t, float>> out;
        for (std::size_t k = 0; k < d.ratings.size(); ++k)
            out.emplace_back(d.users.original(d.ratings.user[k]), d.items.original(d.ratings.item[k]),
                             d.ratings.rating[k]);
        return out;
    }

private Q_SLOTS:
    void newUsersJoinAndOldRatingsKeepTheirUsers() {
        Dataset d = test::smallDemo();
        d.fingerprint = "old";
        const auto before = originals(d);
        const int32_t users = d.users.size();
        const int64_t item = d.items.original(3), other = d.items.original(7);
        // User 0 sorts before every demo user: every old index moves up by one.
        const QByteArray text = "user,item,rating\n0," + QByteArray::number(item) + ",5\n0," +
                                QByteArray::number(other) + ",1\n0,99999999,4\n";
        const IncludedRatings r = includeOwnRatings(d, file("me.csv", text));
        QCOMPARE(r.added, std::size_t(2));
        QCOMPARE(r.skippedUnknownItems, std::size_t(1));
        QCOMPARE(r.users, std::vector<int64_t>{0});
        QCOMPARE(d.users.size(), users + 1);
        QCOMPARE(d.users.original(0), int64_t(0));
        QVERIFY(std::is_sorted(d.users.originals().begin(), d.users.originals().end()));
        const auto after = originals(d);
        QCOMPARE(after.size(), before.size() + 2);
        QVERIFY(std::equal(before.begin(), before.end(), after.begin())); // the same ratings by the same users
        QCOMPARE(after[before.size()], std::make_tuple(int64_t(0), item, 5.0f));
        QVERIFY(d.fingerprint.empty());
        QVERIFY(QString::fromStdString(d.report.warnings.back()).contains("included your 2 rating(s)"));
        QVERIFY(QString::fromStdString(d.report.warnings.back()).contains("1 of movies this data set lacks"));
    }

    void aPredefinedSplitTrainsOnThem() {
        if (!test::hasMl100k())
            QSKIP("MovieLens 100K is not at ../shared/data/ml-100k");
        Dataset d = loadDataset(test::ml100k());
        const std::size_t n = d.ratings.size();
        includeOwnRatings(d, file("ml.csv", "user,item,rating\n5000,50,5\n5000,181,4\n5000,1,3\n"));
        const Split s = makeSplit(d, SplitSpec::parse("u1"));
        QCOMPARE(s.train.size() + s.validation.size(), n + 3);
        for (int64_t row = static_cast<int64_t>(n); row < static_cast<int64_t>(n + 3); ++row)
            QVERIFY(std::find(s.train.begin(), s.train.end(), row) != s.train.end());
    }

    void badFilesAreRefused_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        const QByteArray u1 = QByteArray::number(test::smallDemo().users.original(0));
        QTest::newRow("a user the data set has")
            << QByteArray("user,item,rating\n" + u1 + ",1,4\n")
            << QStringLiteral("bad.csv:2: user %1 is already in the data set").arg(QString::fromLatin1(u1));
        QTest::newRow("a pair twice") << QByteArray("900001,1,4\n900001,1,5\n")
                                      << QStringLiteral("bad.csv:2: user 900001 rated movie 1 twice");
        QTest::newRow("off the scale") << QByteArray("900001,1,9\n") << QStringLiteral("bad.csv:1");
        QTest::newRow("not a number") << QByteArray("900001,one,4\n") << QStringLiteral("bad.csv:1");
    }

    void badFilesAreRefused() {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        Dataset d = test::smallDemo();
        const std::size_t n = d.ratings.size();
        const QString message = test::errorOf<DataError>([&] { includeOwnRatings(d, file("bad.csv", text)); });
        QVERIFY2(message.contains(expected), qPrintable(message));
        QCOMPARE(d.ratings.size(), n); // nothing added
    }

    void missingFileAndClicksOnly() {
        Dataset d = test::smallDemo();
        QVERIFY(test::errorOf<IoError>([&] {
                    includeOwnRatings(d, m_tmp.filePath("none.csv").toStdString());
                }).contains("none.csv"));
        d.implicit = true;
        QVERIFY(
            test::errorOf<DataError>([&] { includeOwnRatings(d, file("ok.csv", "900001,1,4\n")); }).contains("clicks"));
    }
};

QTEST_GUILESS_MAIN(TestOwnRatings)
#include "tst_ownratings.moc"
