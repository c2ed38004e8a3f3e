// Integration on the real MovieLens 100K (../shared/data/ml-100k; never shipped): the CLI's
// contract and the default settings' accuracy on the predefined ua split.
#include "CliRunner.h"
#include "TestUtil.h"
#include "core/train/Trainer.h"

using namespace factorscope;

class TestMl100k : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        if (!test::hasMl100k())
            QSKIP("MovieLens 100K not found at " FACTORSCOPE_ML100K "; set -DFACTORSCOPE_ML100K=... to run these");
    }

    void info() {
        const auto r = test::runCli({"info", "--data", QStringLiteral(FACTORSCOPE_ML100K)});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject j = r.last();
        QCOMPARE(j.value("format").toString(), QStringLiteral("movielens-100k"));
        QCOMPARE(j.value("ratings").toInt(), 100000);
        QCOMPARE(j.value("users").toInt(), 943);
        QCOMPARE(j.value("items").toInt(), 1682);
        QCOMPARE(j.value("catalogue_items").toInt(), 1682);
        QCOMPARE(j.value("rating_min").toDouble(), 1.0);
        QCOMPARE(j.value("rating_max").toDouble(), 5.0);
    }

    void defaultTrainingOnUa() {
        const auto r = test::runCli({"train", "--data", QStringLiteral(FACTORSCOPE_ML100K), "--split", "ua"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject done = r.last();
        QVERIFY(done.value("done").toBool());
        const double rmse = done.value("best_val_rmse").toDouble();
        QVERIFY2(rmse <= 0.95, qPrintable(QString::number(rmse)));
        QVERIFY(rmse < done.value("baseline_rmse").toDouble() - 0.1);
        QCOMPARE(r.lines.first().value("split_sizes").toObject().value("validation").toInt(), 9430);
    }

    void catalogueTitlesAreDecoded() {
        const Dataset d = loadDataset(test::ml100k());
        QCOMPARE(d.catalogue.titleOf(1), std::string("Toy Story (1995)"));
        // u.item is Latin-1: item 1004 is "Geronimo: An American Legend", 1633 "Á köldum klaka".
        bool foundAccent = false;
        for (const auto& m : d.catalogue.movies())
            if (QString::fromStdString(m.title).contains(QChar(0x00E9)) ||
                QString::fromStdString(m.title).contains(QChar(0x00C1)))
                foundAccent = true;
        QVERIFY(foundAccent);
        QVERIFY(std::find(d.catalogue.genreNames().begin(), d.catalogue.genreNames().end(), "Film-Noir") !=
                d.catalogue.genreNames().end());
    }
};

QTEST_GUILESS_MAIN(TestMl100k)
#include "tst_ml100k.moc"
