// factorscope-cli's contract, which scripts depend on: JSON output, one-line errors that name
// the flag or file, non-zero exits.
#include "CliRunner.h"
#include "TestUtil.h"

#include "core/data/Split.h"

#include <QJsonArray>
#include <QTemporaryDir>

#include <map>
#include <set>

using factorscope::test::runCli;

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void infoOnDemo() {
        const auto r = runCli({"info", "--data", "demo"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.lines.size(), 1);
        const QJsonObject j = r.last();
        for (const char* key : {"format", "ratings", "users", "items", "catalogue_items", "rating_min", "rating_max"})
            QVERIFY2(j.contains(QLatin1String(key)), key);
        QCOMPARE(j.value("format").toString(), QStringLiteral("demo"));
        QCOMPARE(j.value("ratings").toInt(), 100000);
        QCOMPARE(j.value("rating_min").toDouble(), 1.0);
    }

    void trainSaveEvaluatePredict() {
        const QString ckpt = QDir(m_tmp.path()).filePath("demo.fsckpt");
        const auto r = runCli({"train", "--data", "demo", "--epochs", "3", "--save", ckpt, "--threads", "1"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.lines.size(), 1 + 3 + 1); // start, epochs, done
        for (int e = 1; e <= 3; ++e) {
            const QJsonObject line = r.lines[e];
            QCOMPARE(line.value("epoch").toInt(), e);
            for (const char* key : {"train_loss", "val_rmse", "val_mae", "lr", "seconds", "ratings_per_second"})
                QVERIFY2(line.value(QLatin1String(key)).isDouble(), key);
        }
        const QJsonObject done = r.last();
        QVERIFY(done.value("done").toBool());
        for (const char* key : {"best_epoch", "best_val_rmse", "baseline_rmse", "stop_reason"})
            QVERIFY2(done.contains(QLatin1String(key)), key);
        QCOMPARE(done.value("stop_reason").toString(), QStringLiteral("completed"));
        QVERIFY(done.value("best_val_rmse").toDouble() < done.value("baseline_rmse").toDouble());

        const auto ev = runCli({"evaluate", "--checkpoint", ckpt, "--data", "demo"});
        QCOMPARE(ev.exitCode, 0);
        QVERIFY(qAbs(ev.last().value("rmse").toDouble() - done.value("best_val_rmse").toDouble()) < 1e-5);
        QVERIFY(!ev.last().contains(QStringLiteral("ndcg_at_k"))); // ranking only when asked

        // --k adds the ranking metrics of each user's top K; --relevant-at narrows what counts.
        const auto ranked = runCli({"evaluate", "--checkpoint", ckpt, "--data", "demo", "--k", "5"});
        QCOMPARE(ranked.exitCode, 0);
        const QJsonObject m = ranked.last();
        QCOMPARE(m.value("k").toInt(), 5);
        for (const char* key :
             {"precision_at_k", "recall_at_k", "ndcg_at_k", "map_at_k", "hit_rate_at_k", "catalogue_coverage"}) {
            const double v = m.value(QLatin1String(key)).toDouble(-1);
            QVERIFY2(v > 0 && v <= 1, key);
        }
        QVERIFY(m.value("mean_popularity").toDouble() > 0);
        const auto strict =
            runCli({"evaluate", "--checkpoint", ckpt, "--data", "demo", "--k", "5", "--relevant-at", "4.5"});
        QCOMPARE(strict.exitCode, 0);
        QVERIFY(strict.last().value("users_ranked").toInt() < m.value("users_ranked").toInt());
        const auto tooMany = runCli({"evaluate", "--checkpoint", ckpt, "--data", "demo", "--k", "100000"});
        QCOMPARE(tooMany.exitCode, 2);
        QVERIFY2(tooMany.stderrText.contains(QStringLiteral("--k: must be from 1 to the number of items (1500)")),
                 qPrintable(tooMany.stderrText));

        const auto pr = runCli({"predict", "--checkpoint", ckpt, "--user", "1", "--item", "1"});
        QCOMPARE(pr.exitCode, 0);
        const double p = pr.last().value("prediction").toDouble();
        QVERIFY(p >= 0.5 && p <= 5.5);
        QVERIFY(!pr.last().value("title").toString().isEmpty());

        const auto resumed = runCli({"train", "--data", "demo", "--resume", ckpt, "--epochs", "1"});
        QCOMPARE(resumed.exitCode, 0);
        QCOMPARE(resumed.lines[1].value("epoch").toInt(), 4);

        // A checkpoint continues with the network it was trained with (the GUI's rule too).
        const auto otherModel = runCli({"train", "--data", "demo", "--resume", ckpt, "--factors", "16"});
        QCOMPARE(otherModel.exitCode, 2);
        QVERIFY2(otherModel.stderrText.contains(QStringLiteral("--resume")) &&
                     otherModel.stderrText.contains(QStringLiteral("-> 16")),
                 qPrintable(otherModel.stderrText));
        const QString small = QDir(m_tmp.path()).filePath(QStringLiteral("small"));
        QCOMPARE(runCli({"generate", "--out", small, "--users", "50", "--movies", "40", "--ratings", "800"}).exitCode,
                 0);
        const auto otherData = runCli({"train", "--data", small, "--resume", ckpt});
        QCOMPARE(otherData.exitCode, 1);
        QVERIFY2(otherData.stderrText.contains(QStringLiteral("not the data set the checkpoint was trained on")),
                 qPrintable(otherData.stderrText));
    }

    void pcaAndExport() {
        const QString ckpt = QDir(m_tmp.path()).filePath(QStringLiteral("pca.fsckpt"));
        QCOMPARE(runCli({"train", "--data", "demo", "--epochs", "2", "--factors", "40", "--save", ckpt}).exitCode, 0);
        const auto p = runCli({"pca", "--checkpoint", ckpt, "--top", "50", "--components", "3"});
        QCOMPARE(p.exitCode, 0);
        const QJsonObject j = p.last();
        QCOMPARE(j.value("explained_variance_ratio").toArray().size(), 3);
        const QJsonArray movies = j.value("movies").toArray();
        QCOMPARE(movies.size(), 50);
        QVERIFY(!movies[0].toObject().value("title").toString().isEmpty());
        QCOMPARE(movies[0].toObject().value("coords").toArray().size(), 3);

        const QString out = QDir(m_tmp.path()).filePath(QStringLiteral("projector"));
        QCOMPARE(runCli({"export", "--checkpoint", ckpt, "--out", out}).exitCode, 0);
        QFile vectors(QDir(out).filePath(QStringLiteral("vectors.tsv"))),
            meta(QDir(out).filePath(QStringLiteral("metadata.tsv")));
        QVERIFY(vectors.open(QIODevice::ReadOnly) && meta.open(QIODevice::ReadOnly));
        const QList<QByteArray> vrows = vectors.readAll().split('\n');
        const QList<QByteArray> mrows = meta.readAll().split('\n');
        QCOMPARE(vrows.size() - 1, 1500);     // one row per movie, no header
        QCOMPARE(mrows.size() - 1, 1500 + 1); // plus a header row
        QCOMPARE(vrows[0].split('\t').size(), 40);
        QVERIFY(mrows[0].startsWith("id\ttitle\tgenres\tratings"));
        // --npy adds the tables for NumPy (their contents: tst_npyexport).
        const auto npy = runCli({"export", "--checkpoint", ckpt, "--out", out, "--npy"});
        QCOMPARE(npy.exitCode, 0);
        QCOMPARE(npy.last().value("npy").toArray().size(), 6); // dotbias: factors, ids, biases
        for (const char* name : {"user_factors.npy", "item_factors.npy", "user_ids.npy", "item_bias.npy"})
            QVERIFY2(QFile::exists(QDir(out).filePath(QLatin1String(name))), name);

        // project: a map as id,title,x,y; what it cannot lay out is refused by name.
        const QString map = QDir(m_tmp.path()).filePath(QStringLiteral("map.csv"));
        const auto tsne = runCli(
            {"project", "--checkpoint", ckpt, "--method", "tsne", "--top", "100", "--iterations", "300", "--out", map});
        QCOMPARE(tsne.exitCode, 0);
        QCOMPARE(tsne.last().value("movies").toInt(), 100);
        QFile csv(map);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = csv.readAll().trimmed().split('\n');
        QCOMPARE(rows.size(), 1 + 100);
        QCOMPARE(rows[0], QByteArray("id,title,x,y"));
        QVERIFY(rows[1].count('"') == 2 && rows[1].split(',').size() >= 4);
        QCOMPARE(runCli({"project", "--checkpoint", ckpt, "--method", "pca", "--out", map}).exitCode, 0);
        const auto tooFew = runCli({"project", "--checkpoint", ckpt, "--top", "10", "--out", map});
        QCOMPARE(tooFew.exitCode, 2);
        QVERIFY2(tooFew.stderrText.contains(QStringLiteral("perplexity")) &&
                     tooFew.stderrText.contains(QStringLiteral("(10)")),
                 qPrintable(tooFew.stderrText));
        const auto one = runCli({"project", "--checkpoint", ckpt, "--top", "1", "--perplexity", "0.5", "--out", map});
        QCOMPARE(one.exitCode, 2);
        QVERIFY2(one.stderrText.contains(QStringLiteral("at least 2 points")), qPrintable(one.stderrText));
    }

    void lrFind() {
        const auto r = runCli({"lr-find", "--data", "demo", "--steps", "30", "--threads", "1"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.last().value("done").toBool());
        QVERIFY(r.last().value("suggested_lr").toDouble() > 0);
    }

    void generateWritesALoadableDataSet() {
        const QString dir = QDir(m_tmp.path()).filePath(QStringLiteral("synthetic"));
        const auto g = runCli({"generate", "--out", dir, "--users", "300", "--movies", "200", "--ratings", "9000"});
        QCOMPARE(g.exitCode, 0);
        QCOMPARE(g.last().value("ratings").toInt(), 9000);
        const auto info = runCli({"info", "--data", dir});
        QCOMPARE(info.exitCode, 0);
        QCOMPARE(info.last().value("format").toString(), QStringLiteral("movielens-csv"));
        QCOMPARE(info.last().value("ratings").toInt(), 9000);
        QCOMPARE(info.last().value("users").toInt(), 300);
        QCOMPARE(info.last().value("catalogue_items").toInt(), 200);
    }

    // user,item data (no ratings) trains with BPR by default, judged by ranking; a flag overrides.
    void implicitDataTrainsWithBpr() {
        const factorscope::Dataset demo = factorscope::test::smallDemo();
        QByteArray csv = "user,item\n";
        for (std::size_t r = 0; r < demo.ratings.size(); ++r)
            csv += QByteArray::number(demo.ratings.user[r] + 1) + ',' + QByteArray::number(demo.ratings.item[r] + 1) +
                   '\n';
        const std::string path = factorscope::test::writeFile(m_tmp.path(), "clicks.csv", csv);
        const QString data = QString::fromStdString(path);
        const auto bpr =
            runCli({"train", "--data", data, "--epochs", "2", "--split", "user-ratio:0.25", "--no-record"});
        QCOMPARE(bpr.exitCode, 0);
        QCOMPARE(bpr.lines.first().value("loss").toString(), QStringLiteral("bpr"));
        QCOMPARE(bpr.lines[1].value("ranked_users").toInt(), int(demo.users.size()));
        QVERIFY(bpr.lines[1].value("val_rmse").isNull());
        QVERIFY(bpr.last().value("best_val_ndcg").toDouble() > 0.1);
        const auto mse = runCli({"train", "--data", data, "--epochs", "1", "--loss", "mse", "--no-record"});
        QCOMPARE(mse.exitCode, 0);
        QCOMPARE(mse.lines.first().value("loss").toString(), QStringLiteral("mse"));
    }

    // recommend writes each user's top K without what the user rated in training, best first,
    // and evaluate --k scores exactly those lists: their precision, worked out from the CSV
    // against the held-out ratings, is evaluate's.
    // The classic predictors from their flags: trained, saved, and scored again from the file.
    void classicModels() {
        for (const QStringList& flags : {QStringList{"--model", "baseline", "--baseline-reg-user", "5"},
                                         QStringList{"--model", "knn", "--knn-on", "items", "--similarity",
                                                     "pearson-baseline", "--neighbours", "20"},
                                         QStringList{"--model", "svdpp", "--epochs", "3", "--factors", "8"},
                                         QStringList{"--model", "autorec", "--epochs", "4", "--factors", "32"}}) {
            const QString ckpt = QDir(m_tmp.path()).filePath(flags[1] + ".fsckpt");
            const auto r = runCli(QStringList{"train", "--data", "demo", "--save", ckpt} + flags);
            QCOMPARE(r.exitCode, 0);
            const QJsonObject done = r.last();
            QVERIFY2(done.value("best_val_rmse").toDouble() < done.value("baseline_rmse").toDouble(),
                     qPrintable(flags.join(' ')));
            const auto ev = runCli({"evaluate", "--checkpoint", ckpt, "--data", "demo"});
            QCOMPARE(ev.exitCode, 0);
            QVERIFY(qAbs(ev.last().value("rmse").toDouble() - done.value("best_val_rmse").toDouble()) < 1e-5);
        }
    }

    void recommendWritesWhatEvaluateScores() {
        const QString ckpt = QDir(m_tmp.path()).filePath("ranked.fsckpt");
        const QString csv = QDir(m_tmp.path()).filePath("top.csv");
        QCOMPARE(runCli({"train", "--data", "demo", "--epochs", "2", "--split", "user-ratio:0.25", "--save", ckpt,
                         "--threads", "1"})
                     .exitCode,
                 0);
        const auto rec = runCli({"recommend", "--checkpoint", ckpt, "--data", "demo", "--k", "5", "--out", csv});
        QCOMPARE(rec.exitCode, 0);
        const auto ev = runCli({"evaluate", "--checkpoint", ckpt, "--data", "demo", "--k", "5"});
        QCOMPARE(ev.exitCode, 0);
        const factorscope::Dataset data = factorscope::loadDatasetOrDemo("demo");
        const factorscope::Split split = factorscope::makeSplit(data, factorscope::SplitSpec::parse("user-ratio:0.25"));
        std::set<std::pair<qint64, qint64>> trained, heldOut;
        for (int64_t r : split.train)
            trained.insert({data.users.original(data.ratings.user[r]), data.items.original(data.ratings.item[r])});
        for (int64_t r : split.validation)
            heldOut.insert({data.users.original(data.ratings.user[r]), data.items.original(data.ratings.item[r])});
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readLine().trimmed(), QByteArray("user,item,rank,score"));
        std::map<qint64, int> listed, hits;
        qint64 lastUser = -1;
        double lastScore = 0;
        while (!f.atEnd()) {
            const auto cols = f.readLine().trimmed().split(',');
            QCOMPARE(cols.size(), 4);
            const qint64 user = cols[0].toLongLong(), item = cols[1].toLongLong();
            const int rank = cols[2].toInt();
            const double score = cols[3].toDouble();
            QCOMPARE(rank, ++listed[user]);
            QVERIFY(rank == 1 || (user == lastUser && score <= lastScore));
            QVERIFY2(!trained.count({user, item}), "a movie rated in training was recommended");
            hits[user] += heldOut.count({user, item}) ? 1 : 0;
            lastUser = user;
            lastScore = score;
        }
        QCOMPARE(qint64(listed.size()), qint64(data.users.size()));
        QCOMPARE(rec.last().value("rows").toInt(), 5 * int(listed.size()));
        double precision = 0;
        for (const auto& [user, n] : hits)
            precision += n / 5.0;
        precision /= double(hits.size()); // every demo user holds something out
        QCOMPARE(ev.last().value("users_ranked").toInt(), int(hits.size()));
        QVERIFY(std::abs(ev.last().value("precision_at_k").toDouble() - precision) < 1e-9);

        // --users: only those, in the order given; a user not in the data is named.
        const auto two = runCli({"recommend", "--checkpoint", ckpt, "--data", "demo", "--users", "3,1", "--out", csv});
        QCOMPARE(two.exitCode, 0);
        QCOMPARE(two.last().value("rows").toInt(), 20);
        for (const char* bad : {"1,99999", "1,x", ""}) {
            const auto r = runCli({"recommend", "--checkpoint", ckpt, "--data", "demo", "--users", bad, "--out", csv});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.stderrText.contains(QStringLiteral("--users")), qPrintable(r.stderrText));
        }
        const auto k0 = runCli({"recommend", "--checkpoint", ckpt, "--data", "demo", "--k", "0", "--out", csv});
        QCOMPARE(k0.exitCode, 2);
        QVERIFY2(k0.stderrText.contains(QStringLiteral("--k")), qPrintable(k0.stderrText));
    }

    void errors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no command") << QStringList{} << 2 << "Commands";
        QTest::newRow("unknown command") << QStringList{"fit"} << 2 << "unknown command \"fit\"";
        QTest::newRow("missing data") << QStringList{"info"} << 2 << "--data is required";
        QTest::newRow("unknown flag") << QStringList{"train", "--data", "demo", "--epoch", "3"} << 2 << "--epoch";
        QTest::newRow("no value") << QStringList{"train", "--data"} << 2 << "--data: needs a value";
        QTest::newRow("not a number") << QStringList{"train", "--data", "demo", "--lr", "fast"} << 2 << "--lr";
        QTest::newRow("out of range") << QStringList{"train", "--data", "demo", "--epochs", "0"} << 2 << "--epochs";
        QTest::newRow("negative wd") << QStringList{"train", "--data", "demo", "--weight-decay", "-1"} << 2
                                     << "--weight-decay";
        QTest::newRow("bad model") << QStringList{"train", "--data", "demo", "--model", "svd"} << 2 << "--model";
        QTest::newRow("bad optimizer") << QStringList{"train", "--data", "demo", "--optimizer", "lbfgs"} << 2
                                       << "--optimizer";
        QTest::newRow("bad schedule") << QStringList{"train", "--data", "demo", "--schedule", "linear"} << 2
                                      << "--schedule";
        QTest::newRow("bad split") << QStringList{"train", "--data", "demo", "--split", "random:2"} << 2 << "--split";
        QTest::newRow("split not on demo") << QStringList{"train", "--data", "demo", "--split", "u1"} << 2 << "u1";
        QTest::newRow("dropout count") << QStringList{"train",    "--data", "demo",      "--model", "mlp",
                                                      "--hidden", "8,8",    "--dropout", "0.1"}
                                       << 2 << "--dropout";
        QTest::newRow("bad hidden") << QStringList{"train", "--data", "demo", "--model", "mlp", "--hidden", "8,x"} << 2
                                    << "--hidden";
        QTest::newRow("bad y-range") << QStringList{"train", "--data", "demo", "--y-range", "5,1"} << 2 << "--y-range";
        QTest::newRow("nesterov adamw") << QStringList{"train", "--data", "demo", "--nesterov"} << 2 << "nesterov";
        QTest::newRow("bad device") << QStringList{"train", "--data", "demo", "--device", "tpu"} << 1 << "device tpu";
        QTest::newRow("twice") << QStringList{"train", "--data", "demo", "--lr", "1", "--lr", "2"} << 2
                               << "given twice";
        QTest::newRow("stray word") << QStringList{"train", "demo"} << 2 << "unexpected argument";
        QTest::newRow("missing path") << QStringList{"info", "--data", "/no/such/ratings"} << 1 << "/no/such/ratings";
        QTest::newRow("missing checkpoint")
            << QStringList{"predict", "--checkpoint", "/no/x.fsckpt", "--user", "1", "--item", "1"} << 1
            << "/no/x.fsckpt";
        QTest::newRow("predict without ids") << QStringList{"predict", "--checkpoint", "x"} << 2 << "--user and --item";
        QTest::newRow("generate without out") << QStringList{"generate"} << 2 << "--out is required";
        QTest::newRow("generate bad count")
            << QStringList{"generate", "--out", "/tmp/x", "--ratings", "lots"} << 2 << "--ratings";
        QTest::newRow("generate too dense")
            << QStringList{"generate", "--out", "/tmp/x", "--users", "10", "--movies", "10", "--ratings", "90"} << 2
            << "demo data";
        QTest::newRow("generate unwritable")
            << QStringList{"generate", "--out", "/proc/factorscope"} << 1 << "/proc/factorscope";
        QTest::newRow("on and off") << QStringList{"train", "--data", "demo", "--nesterov", "--no-nesterov"} << 2
                                    << "--nesterov and --no-nesterov";
        QTest::newRow("one beta") << QStringList{"train", "--data", "demo", "--betas", "0.9"} << 2
                                  << "--betas: expected two numbers";
        QTest::newRow("eps zero") << QStringList{"train", "--data", "demo", "--eps", "0"} << 2
                                  << "--eps: must be in (0, 1), got 0";
        QTest::newRow("factors range") << QStringList{"train", "--data", "demo", "--factors", "5000"} << 2
                                       << "--factors: must be from 1 to 4096, got 5000";
        QTest::newRow("momentum order") << QStringList{"train", "--data", "demo", "--momentum-min", "0.97"} << 2
                                        << "--momentum-min";
        QTest::newRow("recommend no out")
            << QStringList{"recommend", "--checkpoint", "x", "--data", "demo"} << 2 << "--out is required";
        QTest::newRow("bad loss") << QStringList{"train", "--data", "demo", "--loss", "hinge"} << 2 << "--loss";
        QTest::newRow("negatives zero") << QStringList{"train", "--data", "demo", "--loss", "bpr", "--negatives", "0"}
                                        << 2 << "--negatives";
        QTest::newRow("bpr unranked") << QStringList{"train", "--data", "demo", "--loss", "bpr", "--rank-k", "0"} << 2
                                      << "--rank-k";
        QTest::newRow("bad user-ratio") << QStringList{"train", "--data", "demo", "--split", "user-ratio:1"} << 2
                                        << "--split";
        QTest::newRow("k zero") << QStringList{"evaluate", "--checkpoint", "x", "--data", "demo", "--k", "0"} << 2
                                << "--k";
        QTest::newRow("relevant-at alone")
            << QStringList{"evaluate", "--checkpoint", "x", "--data", "demo", "--relevant-at", "4"} << 2
            << "--relevant-at: only with --k";
        QTest::newRow("bad similarity")
            << QStringList{"train", "--data", "demo", "--model", "knn", "--similarity", "jaccard"} << 2
            << "--similarity: unknown \"jaccard\" (use msd, cosine, pearson or pearson-baseline)";
        QTest::newRow("neighbours zero") << QStringList{"train", "--data",       "demo", "--model",
                                                        "knn",   "--neighbours", "0"}
                                         << 2 << "--neighbours";
        QTest::newRow("knn-on nothing") << QStringList{"train", "--data",   "demo",  "--model",
                                                       "knn",   "--knn-on", "genres"}
                                        << 2 << "--knn-on";
        QTest::newRow("knn by bpr") << QStringList{"train", "--data", "demo", "--model", "knn", "--loss", "bpr"} << 2
                                    << "--loss";
        QTest::newRow("svdpp by adam") << QStringList{"train", "--data",      "demo", "--model",
                                                      "svdpp", "--optimizer", "adam"}
                                       << 2 << "--optimizer";
        QTest::newRow("autorec lambda negative")
            << QStringList{"train", "--data", "demo", "--model", "autorec", "--autorec-lambda", "-1"} << 2
            << "--autorec-lambda";
        QTest::newRow("autorec by bpr") << QStringList{"train", "--data", "demo", "--model", "autorec", "--loss", "bpr"}
                                        << 2 << "--loss";
        QTest::newRow("autorec lr-find") << QStringList{"lr-find", "--data", "demo", "--model", "autorec"} << 1
                                         << "one step an epoch";
        QTest::newRow("bad engine") << QStringList{"train", "--data", "demo", "--engine", "turbo"} << 2 << "--engine";
        QTest::newRow("fused mlp") << QStringList{"train", "--data", "demo", "--model", "mlp", "--engine", "fused"} << 2
                                   << "engine";
        QTest::newRow("pca no checkpoint") << QStringList{"pca"} << 2 << "--checkpoint is required";
        QTest::newRow("pca bad components")
            << QStringList{"pca", "--checkpoint", "x", "--components", "0"} << 2 << "--components";
        QTest::newRow("pca missing file") << QStringList{"pca", "--checkpoint", "/no/x.fsckpt"} << 1 << "/no/x.fsckpt";
        QTest::newRow("export no out") << QStringList{"export", "--checkpoint", "x"} << 2 << "--out is required";
        QTest::newRow("project no out") << QStringList{"project", "--checkpoint", "x"} << 2 << "--out is required";
        QTest::newRow("project umap") << QStringList{"project", "--checkpoint", "x",   "--out",
                                                     "m.csv",   "--method",     "umap"}
                                      << 2 << "--method: expected pca, tsne or axes";
        QTest::newRow("project no iterations")
            << QStringList{"project", "--checkpoint", "x", "--out", "m.csv", "--iterations", "0"} << 2
            << "--iterations";
        QTest::newRow("project bad perplexity")
            << QStringList{"project", "--checkpoint", "x", "--out", "m.csv", "--perplexity", "nan"} << 2
            << "--perplexity";
        QTest::newRow("lr-find bad range")
            << QStringList{"lr-find", "--data", "demo", "--start", "1", "--end", "0.1"} << 2 << "lr-find range";
    }
    void errors() {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        const auto r = runCli(args);
        QCOMPARE(r.exitCode, code);
        QVERIFY2(r.stderrText.contains(mentions), qPrintable(r.stderrText));
        if (!args.isEmpty()) // a usage text for no command; otherwise exactly one line
            QCOMPARE(r.stderrText.trimmed().count(QLatin1Char('\n')), 0);
        QVERIFY(r.lines.isEmpty());
    }

    void badFileNamesFileAndLine() {
        const auto path = factorscope::test::writeFile(m_tmp.path(), "ratings.csv", "user,item,rating\n1,2,4\n1,3\n");
        const auto r = runCli({"info", "--data", QString::fromStdString(path)});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.stderrText.contains("ratings.csv:3: expected 3 or 4 comma-separated fields"),
                 qPrintable(r.stderrText));
        const auto lenient = runCli({"info", "--data", QString::fromStdString(path), "--lenient"});
        QCOMPARE(lenient.exitCode, 0);
        QCOMPARE(lenient.last().value("skipped_lines").toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
