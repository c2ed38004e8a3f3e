#include "core/data/TextParse.h"

#include <QtTest>

using namespace factorscope::text;

class TestTextParse : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void linesStripCrLfAndCount() {
        LineReader r("a\r\nb\n\nc");
        std::string_view l;
        QStringList got;
        while (r.next(l))
            got << QString::fromUtf8(l.data(), static_cast<int>(l.size()));
        QCOMPARE(got, QStringList({"a", "b", "", "c"}));
        QCOMPARE(r.lineNumber(), std::size_t(4));
    }
    void bomIsSkipped() {
        LineReader r("\xEF\xBB\xBFuserId,movieId");
        std::string_view l;
        QVERIFY(r.next(l));
        QCOMPARE(std::string(l), std::string("userId,movieId"));
    }
    void splitMultiCharSeparator() {
        std::vector<std::string_view> f;
        QCOMPARE(split("1::Toy Story (1995)::Animation|Comedy", "::", f), std::size_t(3));
        QCOMPARE(std::string(f[1]), std::string("Toy Story (1995)"));
        QCOMPARE(split("a\t\tb", "\t", f), std::size_t(3));
        QVERIFY(f[1].empty());
    }
    void csvQuotesAndCommas() {
        std::vector<std::string> f;
        const std::string line = "11,\"American President, The (1995)\",Comedy|Drama|Romance";
        QVERIFY(splitCsv(line, ',', f));
        QCOMPARE(f.size(), std::size_t(3));
        QCOMPARE(f[1], std::string("American President, The (1995)"));
        const std::string doubled = "1,\"Say \"\"Hi\"\", Now (2001)\",Drama";
        QVERIFY(splitCsv(doubled, ',', f));
        QCOMPARE(f[1], std::string("Say \"Hi\", Now (2001)"));
        const std::string open = "1,\"unterminated,Drama";
        QVERIFY(!splitCsv(open, ',', f));
    }
    void numbers_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("isInt");
        QTest::addColumn<bool>("isReal");
        QTest::newRow("int") << "42" << true << true;
        QTest::newRow("spaces") << " 7 " << true << true;
        QTest::newRow("half") << "3.5" << false << true;
        QTest::newRow("word") << "five" << false << false;
        QTest::newRow("empty") << "" << false << false;
        QTest::newRow("trailing") << "4x" << false << false;
    }
    void numbers() {
        QFETCH(QString, text);
        QFETCH(bool, isInt);
        QFETCH(bool, isReal);
        const std::string s = text.toStdString();
        QCOMPARE(toInt(s).has_value(), isInt);
        QCOMPARE(toDouble(s).has_value(), isReal);
    }
    void latin1BecomesUtf8() {
        const std::string latin1 = "Cit\xE9 des enfants perdus, La (1995)";
        QVERIFY(!isUtf8(latin1));
        const std::string utf8 = toUtf8(latin1);
        QVERIFY(isUtf8(utf8));
        QCOMPARE(QString::fromUtf8(utf8.c_str()), QString::fromUtf8("Cité des enfants perdus, La (1995)"));
        // Valid UTF-8 passes unchanged.
        QCOMPARE(toUtf8(utf8), utf8);
        QVERIFY(!isUtf8("\xC3")); // truncated sequence
    }
};

QTEST_GUILESS_MAIN(TestTextParse)
#include "tst_textparse.moc"
