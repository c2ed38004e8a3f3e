// Recipes: each is a valid spec with a one-word name, the step schedule drops after the epochs
// the notebook did, and through the CLI every recipe lists, trains on the demo data with its own
// model (its flags overridden where given) and refuses what it cannot do with a one-line error.
#include "CliRunner.h"
#include "TestUtil.h"

#include "core/common/Error.h"
#include "core/experiment/Recipes.h"
#include "core/net/Download.h"

#include <QRegularExpression>

#include <set>

using namespace factorscope;
using factorscope::test::runCli;

class TestRecipes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void specsAreValidAndNamed() {
        std::set<std::string> names;
        const QRegularExpression oneWord(QStringLiteral("^[a-z0-9]+(-[a-z0-9]+)*$"));
        QVERIFY(recipes().size() >= 5);
        for (const Recipe& r : recipes()) {
            QVERIFY2(oneWord.match(QString::fromStdString(r.name)).hasMatch(), r.name.c_str());
            QVERIFY(names.insert(r.name).second);
            QVERIFY(!r.what.empty() && !r.notebook.empty() && !r.measured.empty());
            QVERIFY_THROWS_NO_EXCEPTION(remoteDataset(r.data)); // a set `download` knows
            QVERIFY_THROWS_NO_EXCEPTION(r.spec.validate());
        }
        QVERIFY(test::errorOf<SpecError>([] { recipeNamed("fastai"); }).contains("dot-bias-one-cycle-adamw"));
        QCOMPARE(recipeNamed("dot-bias-one-cycle-adamw").spec.split.toString(), std::string("ua"));
    }

    void rateDropsAfterItsEpochs() {
        const Recipe& r = recipeNamed("sgd-dot-bias-rate-drop");
        TrainSpec s = r.spec;
        r.fitToData(s, 6401); // batches of 64: 101 steps an epoch
        QCOMPARE(s.schedule.stepSize, 3 * 101);
        s.batchSize = 1000; // a flag changed the batch size
        r.fitToData(s, 6401);
        QCOMPARE(s.schedule.stepSize, 3 * 7);
        TrainSpec other = recipeNamed("dot-bias-one-cycle-adamw").spec;
        const int before = other.schedule.stepSize;
        recipeNamed("dot-bias-one-cycle-adamw").fitToData(other, 6401);
        QCOMPARE(other.schedule.stepSize, before);
    }

    void cliListsAndTrainsEachOnDemo() {
        // Text, not JSON lines: read the raw output.
        const auto raw = test::runProgram(QStringLiteral(FACTORSCOPE_CLI), {"recipes", "--names"});
        const QStringList lines = raw.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), static_cast<int>(recipes().size()));
        const auto full = test::runProgram(QStringLiteral(FACTORSCOPE_CLI), {"recipes"});
        const QStringList described = full.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(described.size(), lines.size());
        for (int k = 0; k < lines.size(); ++k) {
            QVERIFY(!lines[k].contains(QLatin1Char(' ')));
            QVERIFY(described[k].startsWith(lines[k] + QStringLiteral(": ")));
            QVERIFY(described[k].contains(QStringLiteral("Factorscope: ")));
            const Recipe& r = recipeNamed(lines[k].toStdString());
            // The demo data, one epoch and big batches: the recipe's model, the flags' settings.
            const auto run = runCli({"train", "--recipe", lines[k], "--data", "demo", "--epochs", "1", "--batch-size",
                                     "2048", "--no-record"});
            QVERIFY2(run.exitCode == 0, qPrintable(run.stderrText));
            const QJsonObject start = run.lines.first();
            QCOMPARE(start.value("recipe").toString(), lines[k]);
            QCOMPARE(start.value("model").toString().toStdString(), toString(r.spec.model.kind));
            QCOMPARE(run.lines.size(), 3); // start, one epoch, done
            if (r.spec.split.kind == SplitSpec::Kind::Predefined)
                QVERIFY(start.value("note").toString().contains("no ua split"));
        }
    }

    void cliRefusals() {
        const auto unknown = runCli({"train", "--recipe", "fastai", "--data", "demo"});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.stderrText.contains("--recipe: \"fastai\" is not a recipe; the recipes are embedding-net-clr"),
                 qPrintable(unknown.stderrText));
        const auto resume = runCli({"train", "--recipe", "linear-mf-adagrad", "--data", "demo", "--resume", "x"});
        QCOMPARE(resume.exitCode, 2);
        QVERIFY(resume.stderrText.contains("does not combine with --resume"));
        // The tests' cache is empty: the recipe's own data set is not downloaded.
        const auto noData = runCli({"train", "--recipe", "linear-mf-adagrad"});
        QCOMPARE(noData.exitCode, 2);
        QVERIFY2(noData.stderrText.contains("factorscope-cli download ml-10m"), qPrintable(noData.stderrText));
        QCOMPARE(runCli({"recipes", "--all"}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestRecipes)
#include "tst_recipes.moc"
