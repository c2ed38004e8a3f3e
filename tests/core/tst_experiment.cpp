// Cross-validation and grid search: folds partition the data, means and deviations follow
// from the folds, averaging several models helps, grids are parsed strictly, searched in full
// and sorted; the CLI's cv and grid, with their bad cases. MovieLens 100K's u1..u5 when present.
#include "CliRunner.h"
#include "TestUtil.h"
#include "core/common/Error.h"
#include "core/experiment/GridSearch.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <set>

using namespace factorscope;

namespace {

TrainSpec quickSpec() {
    TrainSpec s = TrainSpec::defaults();
    s.epochs = 3;
    s.model.factors = 16;
    return s;
}

QString specErrorOf(const std::string& grid) {
    try {
        parseGrid(grid);
    } catch (const SpecError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestExperiment : public QObject {
    Q_OBJECT

    Dataset m_data = factorscope::test::smallDemo();
    Dataset m_demo = generateDemo(DemoSpec{}); // the app's demo data: 100,000 ratings

private Q_SLOTS:
    void randomFoldsPartitionTheRatings() {
        CvOptions o;
        o.folds = 4;
        const auto folds = makeFolds(m_data, o);
        QCOMPARE(folds.size(), std::size_t(4));
        std::set<int64_t> seen;
        for (const auto& f : folds) {
            QCOMPARE(f.split.train.size() + f.split.validation.size(), m_data.ratings.size());
            const std::set<int64_t> train(f.split.train.begin(), f.split.train.end());
            for (int64_t row : f.split.validation) {
                QVERIFY(!train.count(row));
                QVERIFY(seen.insert(row).second); // each row held out exactly once
            }
            QVERIFY(std::abs(double(f.split.validation.size()) - m_data.ratings.size() / 4.0) <= 1.0);
        }
        QCOMPARE(seen.size(), m_data.ratings.size());
        QCOMPARE(cvLabel(m_data, o), std::string("cv:random:4:42"));
        o.seed = 43;
        QVERIFY(makeFolds(m_data, o)[0].split.validation != folds[0].split.validation);
        o.folds = 1;
        QVERIFY_THROWS_EXCEPTION(SpecError, makeFolds(m_data, o));
        o.folds = 5;
        o.members = 0;
        QVERIFY_THROWS_EXCEPTION(SpecError, makeFolds(m_data, o));
    }

    void crossValidationSummarisesItsFolds() {
        CvOptions o;
        o.folds = 3;
        std::vector<std::string> steps;
        TrainSpec s = quickSpec();
        s.epochs = 5;
        s.model.factors = 32;
        const CvResult r = crossValidate(m_demo, s, o, [&](int, int total, const std::string& what) {
            QCOMPARE(total, 3);
            steps.push_back(what);
        });
        QCOMPARE(r.folds.size(), std::size_t(3));
        QCOMPARE(steps.back(), std::string("done"));
        double sum = 0, ss = 0;
        for (const auto& f : r.folds)
            sum += f.rmse;
        const double mean = sum / 3;
        for (const auto& f : r.folds)
            ss += (f.rmse - mean) * (f.rmse - mean);
        QVERIFY(std::abs(r.meanRmse - mean) < 1e-12);
        QVERIFY(std::abs(r.stdRmse - std::sqrt(ss / 3)) < 1e-12);
        QVERIFY(r.stdRmse > 0);
        QVERIFY(r.meanMae < r.meanRmse);
        // Better than predicting the mean rating on every fold.
        const auto folds = makeFolds(m_demo, o);
        for (std::size_t i = 0; i < folds.size(); ++i)
            QVERIFY(r.folds[i].rmse < 0.9 * baselineRmse(m_demo, folds[i].split.train, folds[i].split.validation));
    }

    void averagingModelsHelps() {
        CvOptions one, three;
        one.folds = three.folds = 3;
        three.members = 3;
        TrainSpec s = quickSpec();
        s.epochs = 5;
        s.model.factors = 32;
        const double single = crossValidate(m_demo, s, one).meanRmse;
        const double averaged = crossValidate(m_demo, s, three).meanRmse;
        QVERIFY2(averaged < single, qPrintable(QStringLiteral("%1 vs %2").arg(averaged).arg(single)));
    }

    void stopEndsCrossValidation() {
        TrainControl control;
        control.requestStop();
        const CvResult r = crossValidate(m_data, quickSpec(), {}, {}, &control);
        QVERIFY(r.stopped);
        QVERIFY(r.folds.empty());
    }

    void predefinedFoldsOnMl100k() {
        if (!factorscope::test::hasMl100k())
            QSKIP("MovieLens 100K not found at " FACTORSCOPE_ML100K);
        const Dataset data = loadDataset(factorscope::test::ml100k());
        const auto folds = makeFolds(data, {});
        QCOMPARE(folds.size(), std::size_t(5));
        for (int f = 0; f < 5; ++f) {
            std::string name = "u";
            name += std::to_string(f + 1);
            QCOMPARE(folds[f].name, name);
            QCOMPARE(folds[f].split.train.size(), std::size_t(80000));
            QCOMPARE(folds[f].split.validation.size(), std::size_t(20000));
        }
        CvOptions random;
        random.predefined = false;
        QCOMPARE(makeFolds(data, random)[0].name, std::string("fold 1"));
    }

    void gridsAreParsedStrictly() {
        const auto axes = parseGrid("factors=8,16; weight-decay=0.1,0.3  lr=0.01");
        QCOMPARE(axes.size(), std::size_t(3));
        QCOMPARE(axes[1].values, std::vector<std::string>({"0.1", "0.3"}));
        QCOMPARE(toString(axes), std::string("factors=8,16 weight-decay=0.1,0.3 lr=0.01"));
        QVERIFY(specErrorOf("factors=abc").contains(QStringLiteral("factors: \"abc\" is not a whole number")));
        QVERIFY(specErrorOf("lr=abc").contains(QStringLiteral("lr: \"abc\" is not a number")));
        // Only the settings a grid may vary: the output range is not one of them.
        QVERIFY(specErrorOf("y-range=none").contains(QStringLiteral("unknown setting \"y-range\"")));
        QVERIFY(specErrorOf("factors=2.5").contains(QStringLiteral("not a whole number")));
        QVERIFY(specErrorOf("factors=0").contains(QStringLiteral("grid: factors=0")));
        QVERIFY(specErrorOf("colour=red").contains(QStringLiteral("unknown setting \"colour\"")));
        QVERIFY(specErrorOf("factors=").contains(QStringLiteral("has no values")));
        QVERIFY(specErrorOf("factors").contains(QStringLiteral("NAME=V1,V2")));
        QVERIFY(specErrorOf("factors=8 factors=16").contains(QStringLiteral("given twice")));
        QVERIFY(specErrorOf("model=svd").contains(QStringLiteral("model: unknown")));
        QVERIFY(specErrorOf("  ").contains(QStringLiteral("no settings")));
        GridOptions small;
        small.maxPoints = 3;
        QVERIFY_THROWS_EXCEPTION(SpecError,
                                 gridSearch(m_data, quickSpec(), parseGrid("factors=4,8 lr=0.01,0.02"), small));
    }

    void gridSearchTriesEveryPointAndSortsThem() {
        TrainSpec base = quickSpec();
        base.engine = Engine::Fused; // mlp cannot run on it: that point is refused, listed last
        int calls = 0;
        const GridResult r = gridSearch(m_data, base, parseGrid("model=dotbias,mlp factors=4,32"), {},
                                        [&](int, int total, const std::string&) {
                                            QCOMPARE(total, 4);
                                            ++calls;
                                        });
        QCOMPARE(r.points.size(), std::size_t(4));
        QCOMPARE(calls, 5);
        QVERIFY(r.points[0].rmse <= r.points[1].rmse);
        QVERIFY(r.points[0].error.empty() && r.points[1].error.empty());
        for (std::size_t i = 2; i < 4; ++i) {
            QVERIFY2(QString::fromStdString(r.points[i].error).contains(QStringLiteral("engine")),
                     r.points[i].error.c_str());
            QVERIFY(std::isnan(r.points[i].rmse));
        }
        // Each point trained what its settings say.
        for (const auto& p : r.points) {
            QCOMPARE(p.settings[1].first, std::string("factors"));
            QCOMPARE(std::to_string(p.spec.model.factors), p.settings[1].second);
        }
        // Model comes first even when given last, so its defaults do not undo other settings.
        const GridResult reordered = gridSearch(m_data, quickSpec(), parseGrid("factors=6 model=dot"));
        QCOMPARE(reordered.points[0].spec.model.factors, 6);
        QVERIFY(reordered.points[0].spec.model.kind == ModelKind::Dot);
    }

    void gridWithCrossValidation() {
        GridOptions o;
        o.crossValidate = true;
        o.cv.folds = 3;
        const GridResult r = gridSearch(m_data, quickSpec(), parseGrid("weight-decay=0.01,0.3"), o);
        QCOMPARE(r.points.size(), std::size_t(2));
        QVERIFY(r.points[0].stdRmse > 0);
        QVERIFY(r.points[0].rmse <= r.points[1].rmse);
        // The score is the cross-validation's mean.
        const CvResult cv = crossValidate(m_data, r.points[0].spec, o.cv);
        QVERIFY(std::abs(cv.meanRmse - r.points[0].rmse) < 1e-9);
    }

    // Ranking in experiments: each fold's nDCG and their mean; rankers ranked without asking and
    // without RMSE; a grid sorted by nDCG, highest first.
    void rankingInExperiments() {
        CvOptions o;
        o.folds = 3;
        o.rankK = 10;
        const CvResult cv = crossValidate(m_data, quickSpec(), o);
        QCOMPARE(cv.rankK, 10);
        double sum = 0;
        for (const auto& f : cv.folds) {
            QVERIFY(f.ndcg > 0 && f.ndcg <= 1);
            QVERIFY(f.precision > 0 && f.recall > 0);
            sum += f.ndcg;
        }
        QVERIFY(std::abs(cv.meanNdcg - sum / 3) < 1e-12);
        QVERIFY(cv.stdNdcg >= 0 && std::isfinite(cv.meanRmse));
        TrainSpec bpr = quickSpec();
        bpr.setLoss(LossKind::Bpr);
        bpr.epochs = 3;
        CvOptions plain;
        plain.folds = 3;
        const CvResult ranked = crossValidate(m_data, bpr, plain);
        QCOMPARE(ranked.rankK, bpr.rankK);
        QVERIFY(std::isnan(ranked.meanRmse) && ranked.meanNdcg > 0);
        o.members = 2;
        try {
            crossValidate(m_data, quickSpec(), o);
            QFAIL("ranking an average of members was taken");
        } catch (const SpecError& e) {
            QCOMPARE(e.field(), std::string("members"));
        }
        GridOptions g;
        g.byNdcg = true;
        const GridResult r = gridSearch(m_data, quickSpec(), parseGrid("model=random,popularity,ease"), g);
        QCOMPARE(r.points.size(), std::size_t(3));
        qInfo("nDCG@10: %s %.3f, %s %.3f, %s %.3f", r.points[0].settings[0].second.c_str(), r.points[0].ndcg,
              r.points[1].settings[0].second.c_str(), r.points[1].ndcg, r.points[2].settings[0].second.c_str(),
              r.points[2].ndcg);
        QVERIFY(r.points[0].ndcg >= r.points[1].ndcg && r.points[1].ndcg >= r.points[2].ndcg);
        QVERIFY(r.points[2].spec.model.kind == ModelKind::Random);
    }

    void cliCvAndGrid() {
        QTemporaryDir tmp;
        const QString db = QDir(tmp.path()).filePath(QStringLiteral("runs.sqlite"));
        auto r = factorscope::test::runCli({QStringLiteral("cv"), QStringLiteral("--data"), QStringLiteral("demo"),
                                            QStringLiteral("--epochs"), QStringLiteral("2"), QStringLiteral("--folds"),
                                            QStringLiteral("3"), QStringLiteral("--runs-db"), db});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.last()[QStringLiteral("folds")].toArray().size(), 3);
        QVERIFY(r.last()[QStringLiteral("mean_rmse")].toDouble() > 0.3);
        QCOMPARE(r.last()[QStringLiteral("scheme")].toString(), QStringLiteral("random 3-fold (seed 42)"));
        r = factorscope::test::runCli({QStringLiteral("grid"), QStringLiteral("--data"), QStringLiteral("demo"),
                                       QStringLiteral("--epochs"), QStringLiteral("2"), QStringLiteral("--grid"),
                                       QStringLiteral("factors=4,16"), QStringLiteral("--runs-db"), db});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray points = r.last()[QStringLiteral("points")].toArray();
        QCOMPARE(points.size(), 2);
        QVERIFY(points[0].toObject()[QStringLiteral("rmse")].toDouble() <=
                points[1].toObject()[QStringLiteral("rmse")].toDouble());
        r = factorscope::test::runCli({QStringLiteral("runs"), QStringLiteral("--runs-db"), db});
        QCOMPARE(r.lines.size(), 2);
        QCOMPARE(r.lines[0][QStringLiteral("kind")].toString(), QStringLiteral("grid"));
        QCOMPARE(r.lines[1][QStringLiteral("kind")].toString(), QStringLiteral("cv"));
        QCOMPARE(r.lines[1][QStringLiteral("split")].toString(), QStringLiteral("cv:random:3:42"));
        // Bad command lines exit 2 and name the flag.
        const QList<QPair<QStringList, QString>> bad = {
            {{QStringLiteral("cv"), QStringLiteral("--data"), QStringLiteral("demo"), QStringLiteral("--folds"),
              QStringLiteral("1")},
             QStringLiteral("--folds")},
            {{QStringLiteral("cv"), QStringLiteral("--data"), QStringLiteral("demo"), QStringLiteral("--members"),
              QStringLiteral("x")},
             QStringLiteral("--members")},
            {{QStringLiteral("grid"), QStringLiteral("--data"), QStringLiteral("demo")}, QStringLiteral("--grid")},
            {{QStringLiteral("grid"), QStringLiteral("--data"), QStringLiteral("demo"), QStringLiteral("--grid"),
              QStringLiteral("factors=4"), QStringLiteral("--metric"), QStringLiteral("mrr")},
             QStringLiteral("--metric")},
            {{QStringLiteral("cv"), QStringLiteral("--data"), QStringLiteral("demo"), QStringLiteral("--k"),
              QStringLiteral("0")},
             QStringLiteral("--k")},
            {{QStringLiteral("grid"), QStringLiteral("--data"), QStringLiteral("demo"), QStringLiteral("--grid"),
              QStringLiteral("factors=x")},
             QStringLiteral("--grid")},
        };
        for (const auto& [args, flag] : bad) {
            r = factorscope::test::runCli(args + QStringList{QStringLiteral("--no-record")});
            QVERIFY2(r.exitCode == 2 && r.stderrText.contains(flag),
                     qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + r.stderrText));
        }
    }
};

QTEST_GUILESS_MAIN(TestExperiment)
#include "tst_experiment.moc"
