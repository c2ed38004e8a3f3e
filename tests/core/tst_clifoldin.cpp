// factorscope-cli fold-in and predict --pairs, as a script uses them: new users added to a
// checkpoint from a CSV of their ratings, their predictions read back by pairs, every old
// user's unchanged, and a one-line error naming the file, line or flag for each bad input.
#include "CliRunner.h"
#include "TestUtil.h"

#include <QJsonArray>
#include <QTemporaryDir>

using factorscope::test::runCli;
using factorscope::test::writeFile;

class TestCliFoldIn : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    QString m_ckpt;

    QString path(const char* name) const { return QDir(m_tmp.path()).filePath(QLatin1String(name)); }
    QString file(const char* name, const QByteArray& text) const {
        return QString::fromStdString(writeFile(m_tmp.path(), QLatin1String(name), text));
    }

private Q_SLOTS:
    void initTestCase() {
        m_ckpt = path("demo.fsckpt");
        QCOMPARE(runCli({"train", "--data", "demo", "--epochs", "4", "--save", m_ckpt, "--threads", "1"}).exitCode, 0);
    }

    void foldInThenPredictPairs() {
        // 90001 loves movies 1..20, 90002 hates them; 90003 rated only a movie nobody knows.
        QByteArray ratings = "user,item,rating\n";
        for (int item = 1; item <= 20; ++item) {
            ratings += "90001," + QByteArray::number(item) + ",5\n";
            ratings += "90002," + QByteArray::number(item) + ",1\n";
        }
        ratings += "90001,999999,4\n90003,888888,3\n";
        const QString out = path("folded.fsckpt");
        const auto r =
            runCli({"fold-in", "--checkpoint", m_ckpt, "--ratings", file("new.csv", ratings), "--save", out});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject j = r.last();
        QCOMPARE(j.value("users_added").toInt(), 2);
        QCOMPARE(j.value("ratings_used").toInt(), 40);
        QCOMPARE(j.value("ratings_skipped_unknown_items").toInt(), 2);
        QCOMPARE(j.value("users_skipped").toArray(), QJsonArray({90003}));
        QCOMPARE(j.value("users").toInt(), 1002);

        const QString pairs =
            file("pairs.csv", "user,item\n90001,1\n90002,1\n90001,2\n90002,2\n1,5\n90003,1\n1,999999\n");
        const auto p = runCli({"predict", "--checkpoint", out, "--pairs", pairs});
        QCOMPARE(p.exitCode, 0);
        QCOMPARE(p.lines.size(), 7);
        for (int k = 0; k < 2; ++k) { // what they said shows in what the model predicts for them
            const double lover = p.lines[2 * k].value("prediction").toDouble();
            const double hater = p.lines[2 * k + 1].value("prediction").toDouble();
            QVERIFY2(lover > hater + 1.5, qPrintable(QStringLiteral("%1 vs %2").arg(lover).arg(hater)));
        }
        // An old user predicts as in the original checkpoint.
        const auto before = runCli({"predict", "--checkpoint", m_ckpt, "--user", "1", "--item", "5"});
        QCOMPARE(p.lines[4].value("user").toInt(), 1);
        QVERIFY(qAbs(p.lines[4].value("prediction").toDouble() - before.last().value("prediction").toDouble()) < 1e-6);
        QVERIFY(p.lines[5].value("prediction").isNull());
        QVERIFY(p.lines[5].value("error").toString().contains("does not know this user"));
        QVERIFY(p.lines[6].value("error").toString().contains("does not know this item"));

        // The folded users are users of the checkpoint now: folding them in again is refused.
        const auto again = runCli(
            {"fold-in", "--checkpoint", out, "--ratings", file("new.csv", ratings), "--save", path("again.fsckpt")});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.stderrText.contains("new.csv:2: user 90001 is already in the checkpoint"),
                 qPrintable(again.stderrText));
        // A folded user is served like any other.
        const auto one = runCli({"predict", "--checkpoint", out, "--user", "90001", "--item", "1"});
        QCOMPARE(one.exitCode, 0);
        QCOMPARE(one.last().value("prediction").toDouble(), p.lines[0].value("prediction").toDouble());
    }

    void trainIncludesYourRatings() {
        // A new user who loves movies 1..15 trains with everyone, then is predicted from the model.
        QByteArray mine = "user,item,rating\n";
        for (int item = 1; item <= 15; ++item)
            mine += "77777," + QByteArray::number(item) + ",5\n";
        mine += "77777,99999999,1\n"; // a movie the demo lacks: skipped
        const QString out = path("with-me.fsckpt");
        const auto r = runCli({"train", "--data", "demo", "--epochs", "3", "--threads", "1", "--no-record",
                               "--include-ratings", file("mine.csv", mine), "--save", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.stderrText));
        const auto p = runCli({"predict", "--checkpoint", out, "--user", "77777", "--item", "1"});
        QCOMPARE(p.exitCode, 0); // the checkpoint knows the user now
        QVERIFY(p.last().value("prediction").toDouble() > 3.5);
        // A user the data set already has: refused, naming the line.
        const auto taken = runCli({"train", "--data", "demo", "--epochs", "1", "--no-record", "--include-ratings",
                                   file("taken.csv", "user,item,rating\n1,1,4\n")});
        QCOMPARE(taken.exitCode, 1);
        QVERIFY2(taken.stderrText.contains("taken.csv:2: user 1 is already in the data set"),
                 qPrintable(taken.stderrText));
        QCOMPARE(runCli({"train", "--data", "demo", "--include-ratings", path("none.csv")}).exitCode, 1);
    }

    void errors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no save") << QStringList{"fold-in", "--checkpoint", "x", "--ratings", "y"} << 2 << "--save";
        QTest::newRow("steps 0") << QStringList{"fold-in", "--checkpoint", "x", "--ratings", "y", "--save",
                                                "z",       "--steps",      "0"}
                                 << 2 << "--steps";
        QTest::newRow("negative l2") << QStringList{"fold-in", "--checkpoint", "x", "--ratings", "y", "--save",
                                                    "z",       "--l2",         "-1"}
                                     << 2 << "--l2";
        QTest::newRow("pairs and user") << QStringList{"predict", "--checkpoint", "x", "--pairs", "p", "--user", "1"}
                                        << 2 << "--pairs replaces";
        QTest::newRow("no pairs") << QStringList{"predict", "--checkpoint", "x"} << 2 << "--pairs FILE";
    }
    void errors() {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        const auto r = runCli(args);
        QCOMPARE(r.exitCode, code);
        QVERIFY2(r.stderrText.contains(mentions), qPrintable(r.stderrText));
        QVERIFY(r.lines.isEmpty());
    }

    void badFiles() {
        const auto foldIn = [&](const QString& ckpt, const QString& ratings) {
            return runCli({"fold-in", "--checkpoint", ckpt, "--ratings", ratings, "--save", path("bad.fsckpt")});
        };
        const auto outOfScale = foldIn(m_ckpt, file("scale.csv", "90001,1,4\n90001,2,6\n"));
        QCOMPARE(outOfScale.exitCode, 1);
        QVERIFY2(outOfScale.stderrText.contains("scale.csv:2: the rating 6 is outside the model's scale (0.5 to 5)"),
                 qPrintable(outOfScale.stderrText));
        const auto twice = foldIn(m_ckpt, file("twice.csv", "90001,1,4\n90001,1,2\n"));
        QVERIFY2(twice.stderrText.contains("twice.csv:2: user 90001 rates item 1 again (first on line 1)"),
                 qPrintable(twice.stderrText));
        const auto unknown = foldIn(m_ckpt, file("unknown.csv", "90001,999999,4\n"));
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY(unknown.stderrText.contains("nothing to fold in"));
        QCOMPARE(foldIn(m_ckpt, path("missing.csv")).exitCode, 1);
        QVERIFY(!QFile::exists(path("bad.fsckpt")));

        const QString knn = path("knn.fsckpt");
        QCOMPARE(runCli({"train", "--data", "demo", "--model", "knn", "--save", knn}).exitCode, 0);
        const auto refused = foldIn(knn, file("ok.csv", "90001,1,4\n"));
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.stderrText.contains("a knn model cannot take new users without retraining"),
                 qPrintable(refused.stderrText));
    }
};

QTEST_GUILESS_MAIN(TestCliFoldIn)
#include "tst_clifoldin.moc"
