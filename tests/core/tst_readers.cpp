// The MovieLens readers on small fixture files, one per dialect and one per error case.
#include "TestUtil.h"
#include "core/common/Error.h"
#include "core/data/Dataset.h"

#include <QTemporaryDir>
#include <zip.h>

using namespace factorscope;
using factorscope::test::writeFile;

namespace {

const QByteArray kUData = "1\t10\t4\t881250949\n1\t20\t3\t881250950\n2\t10\t5\t881250951\n"
                          "3\t30\t1\t881250952\n2\t30\t2\t881250953\n";
QByteArray uItem() {
    QByteArray flags19 = "|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0";
    QByteArray drama = flags19;
    drama[2 * 8 + 1] = '1'; // genre 8: Drama
    return "10|Toy Story (1995)|01-Jan-1995||http://x" + flags19 + "\n" +
           "20|Cit\xE9 des enfants perdus, La (1995)|01-Jan-1995||http://x" + drama + "\n" +
           "30|Heat (1995)|01-Jan-1995||http://x" + flags19 + "\n";
}
const QByteArray kUGenre = "unknown|0\nAction|1\nAdventure|2\nAnimation|3\nChildren's|4\nComedy|5\n"
                           "Crime|6\nDocumentary|7\nDrama|8\nFantasy|9\nFilm-Noir|10\nHorror|11\n"
                           "Musical|12\nMystery|13\nRomance|14\nSci-Fi|15\nThriller|16\nWar|17\nWestern|18\n";

std::string errorOf(const std::string& path, LoadOptions o = {}) {
    try {
        loadDataset(path, o);
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

} // namespace

class TestReaders : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

    QString folder(const char* name) {
        QDir(m_tmp.path()).mkpath(QString::fromLatin1(name));
        return QDir(m_tmp.path()).filePath(QString::fromLatin1(name));
    }

private Q_SLOTS:
    void movielens100kFolder() {
        const QString dir = folder("ml100k");
        writeFile(dir, "u.data", kUData);
        writeFile(dir, "u.item", uItem());
        writeFile(dir, "u.genre", kUGenre);
        writeFile(dir, "ua.base", "1\t10\t4\t881250949\n2\t10\t5\t881250951\n3\t30\t1\t881250952\n");
        writeFile(dir, "ua.test", "1\t20\t3\t881250950\n2\t30\t2\t881250953\n");
        const Dataset d = loadDataset(dir.toStdString());
        QCOMPARE(d.format, std::string("movielens-100k"));
        QCOMPARE(d.ratings.size(), std::size_t(5));
        QCOMPARE(d.users.size(), 3);
        QCOMPARE(d.items.size(), 3);
        // Contiguous encoding in ascending original id, both ways.
        QCOMPARE(d.items.original(0), int64_t(10));
        QCOMPARE(*d.items.index(30), 2);
        QCOMPARE(d.catalogue.size(), std::size_t(3));
        QCOMPARE(QString::fromStdString(d.catalogue.titleOf(20)),
                 QString::fromUtf8("Cité des enfants perdus, La (1995)")); // Latin-1 decoded
        QCOMPARE(d.catalogue.find(20)->year, 1995);
        QCOMPARE(d.catalogue.genresOf(20), std::vector<std::string>{"Drama"});
        QCOMPARE(d.predefinedSplits, std::vector<std::string>{"ua"});
        const auto parts = rowsInFiles(d, {"ua.base", "ua.test"});
        QCOMPARE(parts[0].size(), std::size_t(3));
        const auto& rows = parts[1];
        QCOMPARE(rows.size(), std::size_t(2));
        QCOMPARE(d.ratings.rating[rows[0]], 3.0f);
        const DatasetSummary s = summarize(d);
        QCOMPARE(s.ratingMin, 1.0f);
        QCOMPARE(s.ratingMax, 5.0f);
        QCOMPARE(s.histogram[1], std::size_t(1)); // one rating of 1 star
    }

    void movielensDat() {
        const QString dir = folder("ml1m");
        writeFile(dir, "ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978300275\n");
        writeFile(dir, "movies.dat",
                  "1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n"
                  "661::James and the Giant Peach (1996)::Animation|Children's|Musical\n");
        const Dataset d = loadDataset(dir.toStdString());
        QCOMPARE(d.format, std::string("movielens-dat"));
        QCOMPARE(d.ratings.size(), std::size_t(3));
        QCOMPARE(d.catalogue.genresOf(661).size(), std::size_t(3));
        QCOMPARE(d.report.itemsMissingFromCatalogue, std::size_t(0));
    }

    void movielensCsvWithQuotesAndHalfStars() {
        const QString dir = folder("latest");
        writeFile(dir, "ratings.csv",
                  "userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,11,3.5,964981247\r\n"
                  "2,1,0.5,964982224\r\n");
        writeFile(dir, "movies.csv",
                  "movieId,title,genres\n1,Toy Story (1995),Adventure|Animation\n"
                  "11,\"American President, The (1995)\",Comedy|Drama|Romance\n");
        const Dataset d = loadDataset(dir.toStdString());
        QCOMPARE(d.format, std::string("movielens-csv"));
        QCOMPARE(d.ratings.size(), std::size_t(3));
        QCOMPARE(d.catalogue.titleOf(11), std::string("American President, The (1995)"));
        QCOMPARE(summarize(d).ratingMin, 0.5f);
    }

    void zipWithFolderInside() {
        const QString zipPath = QDir(m_tmp.path()).filePath("ml-100k.zip");
        int err = 0;
        zip_t* z = zip_open(zipPath.toLocal8Bit().constData(), ZIP_CREATE | ZIP_TRUNCATE, &err);
        QVERIFY(z);
        const QByteArray item = uItem();
        zip_source_t* a = zip_source_buffer(z, kUData.constData(), kUData.size(), 0);
        zip_source_t* b = zip_source_buffer(z, item.constData(), item.size(), 0);
        QVERIFY(zip_file_add(z, "ml-100k/u.data", a, 0) >= 0);
        QVERIFY(zip_file_add(z, "ml-100k/u.item", b, 0) >= 0);
        QCOMPARE(zip_close(z), 0);
        const Dataset d = loadDataset(zipPath.toStdString());
        QCOMPARE(d.format, std::string("movielens-100k"));
        QCOMPARE(d.ratings.size(), std::size_t(5));
        QCOMPARE(d.catalogue.size(), std::size_t(3));
    }

    void genericCsvAndTsv() {
        const QString dir = folder("generic");
        const auto csv = writeFile(dir, "my.csv", "user,item,rating\n7,100,4\n8,100,2\n");
        const Dataset c = loadDataset(csv);
        QCOMPARE(c.format, std::string("generic-csv"));
        QCOMPARE(c.ratings.size(), std::size_t(2));
        QVERIFY(c.catalogue.empty());
        const auto tsv = writeFile(dir, "my.tsv", "7\t100\t4\t5\n8\t100\t2\t6\n");
        const Dataset t = loadDataset(tsv);
        QCOMPARE(t.format, std::string("generic-tsv"));
        QCOMPARE(t.ratings.timestamp[1], int64_t(6));
        QVERIFY(!c.implicit && !t.implicit);
    }

    // Two columns are implicit feedback: every pair a positive of rating 1, whatever the scale.
    void implicitPairs() {
        const QString dir = folder("implicit");
        const auto path = writeFile(dir, "clicks.csv", "user,item\n7,100\n7,200\n8,100\n");
        LoadOptions scale;
        scale.scaleMin = 2; // a rating scale does not apply to clicks
        const Dataset d = loadDataset(path, scale);
        QVERIFY(d.implicit);
        QCOMPARE(d.ratings.size(), std::size_t(3));
        for (float r : d.ratings.rating)
            QCOMPARE(r, 1.0f);
        QVERIFY(summarize(d).implicit);
        const auto bad = writeFile(dir, "mixed.csv", "7,100\n7,200,5\n");
        const QString msg = test::errorOf<DataError>([&] { loadDataset(bad); });
        QVERIFY2(msg.contains(QStringLiteral("mixed.csv:2: expected 2 comma-separated fields (user, item)")),
                 qPrintable(msg));
        LoadOptions lenient;
        lenient.lenient = true;
        const Dataset kept = loadDataset(bad, lenient);
        QCOMPARE(kept.ratings.size(), std::size_t(1));
        QCOMPARE(kept.report.skippedLines, std::size_t(1));
    }

    void errors_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("too few fields") << QByteArray("1\t10\t4\t5\n1\t20\n")
                                        << "u.data:2: expected 4 tab-separated fields";
        QTest::newRow("user not integer")
            << QByteArray("abc\t10\t4\t5\n") << "u.data:1: user id \"abc\" is not an integer";
        QTest::newRow("rating not number")
            << QByteArray("1\t10\tfour\t5\n") << "u.data:1: rating \"four\" is not a number";
        QTest::newRow("rating above scale")
            << QByteArray("1\t10\t4\t5\n1\t20\t7\t5\n") << "u.data:2: rating 7 is outside the scale";
        QTest::newRow("rating below scale") << QByteArray("1\t10\t0\t5\n") << "u.data:1: rating 0 is outside the scale";
        QTest::newRow("bad timestamp") << QByteArray("1\t10\t4\tyesterday\n") << "u.data:1: timestamp";
        // Found by fuzz_ratings: a decimal past 64-bit seconds was converted regardless (undefined).
        QTest::newRow("timestamp out of range")
            << QByteArray("1\t10\t4\t1e300\n") << "u.data:1: timestamp \"1e300\" is out of range";
        QTest::newRow("duplicate pair") << QByteArray("1\t10\t4\t5\n2\t10\t4\t5\n1\t10\t2\t6\n")
                                        << "u.data:3: duplicate rating of item 10 by user 1 (first rated on line 1)";
        QTest::newRow("empty file") << QByteArray("") << "u.data: no ratings found (the file is empty)";
        QTest::newRow("only blank lines") << QByteArray("\n\n") << "no ratings found";
    }
    void errors() {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const QString dir = folder(QTest::currentDataTag());
        writeFile(dir, "u.data", content);
        const QString msg = QString::fromStdString(errorOf(dir.toStdString()));
        QVERIFY2(msg.contains(expected), qPrintable(msg));
    }

    void lenientSkipsAndReports() {
        const QString dir = folder("lenient");
        writeFile(dir, "u.data", "1\t10\t4\t5\nbroken line\n1\t20\t9\t5\n2\t10\t3\t5\n2\t10\t1\t6\n");
        LoadOptions o;
        o.lenient = true;
        const Dataset d = loadDataset(dir.toStdString(), o);
        QCOMPARE(d.ratings.size(), std::size_t(2));
        QCOMPARE(d.report.skippedLines, std::size_t(2));
        QCOMPARE(d.report.duplicatesSkipped, std::size_t(1));
        QCOMPARE(d.report.firstProblems.size(), std::size_t(2));
        QVERIFY(QString::fromStdString(d.report.firstProblems[0]).contains("u.data:2:"));
        // The first of a duplicate pair is the one kept.
        QCOMPARE(d.ratings.rating[1], 3.0f);
    }

    void folderWithoutKnownFiles() {
        const QString dir = folder("unknown");
        writeFile(dir, "notes.txt", "hello");
        const QString msg = QString::fromStdString(errorOf(dir.toStdString()));
        QVERIFY2(msg.contains("no ratings file found") && msg.contains("notes.txt"), qPrintable(msg));
    }

    void missingPathAndBrokenZip() {
        QVERIFY(QString::fromStdString(errorOf("/definitely/not/here")).contains("no such file or folder"));
        const QString dir = folder("badzip");
        const auto path = writeFile(dir, "broken.zip", QByteArray("PK\x03\x04") + QByteArray(50, 'x'));
        const QString msg = QString::fromStdString(errorOf(path));
        QVERIFY2(msg.contains("broken.zip"), qPrintable(msg));
    }

    void itemsMissingFromCatalogueAreCounted() {
        const QString dir = folder("missing");
        writeFile(dir, "ratings.dat", "1::5::4::1\n1::6::3::2\n");
        writeFile(dir, "movies.dat", "5::Known (1999)::Drama\n");
        const Dataset d = loadDataset(dir.toStdString());
        QCOMPARE(d.report.itemsMissingFromCatalogue, std::size_t(1));
        QCOMPARE(d.catalogue.titleOf(6), std::string("Movie 6"));
        QCOMPARE(d.report.warnings.size(), std::size_t(1));
    }

    void malformedCatalogueLineNamesFile() {
        const QString dir = folder("badmovies");
        writeFile(dir, "ratings.csv", "userId,movieId,rating,timestamp\n1,1,4,1\n");
        writeFile(dir, "movies.csv", "movieId,title,genres\n1,Unquoted, with comma (1999),Drama\n");
        const QString msg = QString::fromStdString(errorOf(dir.toStdString()));
        QVERIFY2(msg.contains("movies.csv:2: expected 3 comma-separated fields"), qPrintable(msg));
    }

    void badScaleOption() {
        LoadOptions o;
        o.scaleMin = 5;
        o.scaleMax = 1;
        QVERIFY(QString::fromStdString(errorOf(m_tmp.path().toStdString(), o)).contains("rating scale"));
    }
};

QTEST_GUILESS_MAIN(TestReaders)
#include "tst_readers.moc"
