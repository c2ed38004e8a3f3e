// The window as a person uses it: demo data, Train, save and reopen a checkpoint, bad files,
// closing mid-training, settings that persist; and the GUI binary's options, --screenshot
// writing real images.
#include "CliRunner.h"
#include "TestUtil.h"
#include "app/GuiOptions.h"
#include "ui/AppSettings.h"
#include "ui/MainWindow.h"
#include "ui/forms/ExperimentForm.h"
#include "ui/session/Workbench.h"
#include "ui/views/ExplorerView.h"
#include "ui/views/PredictionsView.h"
#include "ui/views/TrainingView.h"

#include "ImageCheck.h"

#include <QAction>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace factorscope;
using namespace factorscope::ui;

namespace {
// The GUI binary, offscreen.
factorscope::test::ProcessRun runGui(const QStringList& args) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    return factorscope::test::runProgram(QStringLiteral(FACTORSCOPE_GUI), args, env);
}
} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("FactorscopeTest"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_tmp.filePath(QStringLiteral("settings")));
    }

    void trainSaveReopen() {
        MainWindow w;
        w.setConfirmClose(false);
        w.show();
        Workbench& bench = w.workbench();
        QSignalSpy loaded(&bench, &Workbench::datasetLoaded);
        w.openDataset(QStringLiteral("demo"));
        QVERIFY(loaded.wait(30000));
        TrainSpec spec = w.form().spec();
        spec.epochs = 2;
        w.form().setSpec(spec);
        QSignalSpy finished(&bench.session(), &TrainingSession::finished);
        w.train();
        QVERIFY(finished.wait(120000));
        QCOMPARE(w.trainingView().epochCount(), 2);
        QVERIFY(w.trainingView().batchPointCount() > 100);
        QVERIFY(w.predictionsView().modelRmse() > 0.3 && w.predictionsView().modelRmse() < 1.0);

        const QString projector = m_tmp.filePath(QStringLiteral("projector"));
        QString exportError;
        QVERIFY2(bench.exportEmbeddings(projector, &exportError), qPrintable(exportError));
        QFile vectors(QDir(projector).filePath(QStringLiteral("vectors.tsv")));
        QVERIFY(vectors.open(QIODevice::ReadOnly));
        QCOMPARE(vectors.readAll().count('\n'), 1500);
        QVERIFY(QFile::exists(QDir(projector).filePath(QStringLiteral("metadata.tsv"))));
        QVERIFY(QFile::exists(QDir(projector).filePath(QStringLiteral("item_factors.npy"))));
        QVERIFY(!bench.exportEmbeddings(QStringLiteral("/proc/no-such/dir"), &exportError));
        QVERIFY(exportError.contains(QStringLiteral("/proc/no-such/dir")));

        const QString ckpt = m_tmp.filePath(QStringLiteral("w.fsckpt"));
        QString error;
        QVERIFY2(bench.saveCheckpoint(ckpt, &error), qPrintable(error));
        const double rmse = w.predictionsView().modelRmse();

        bench.discardModel();
        QVERIFY(!bench.hasModel());
        QSignalSpy reopened(&bench, &Workbench::checkpointLoaded);
        bench.openCheckpoint(ckpt);
        QVERIFY(reopened.count() == 1 || reopened.wait(30000));
        QVERIFY(bench.hasModel());
        QCOMPARE(w.trainingView().epochCount(), 2);
        QVERIFY(std::abs(w.predictionsView().modelRmse() - rmse) < 1e-6);
        QCOMPARE(w.form().spec().epochs, 2);

        // Train continues the reopened model from epoch 3.
        auto* trainAction = w.findChild<QAction*>(QStringLiteral("trainAction"));
        QVERIFY(trainAction);
        QCOMPARE(trainAction->text(), QStringLiteral("Continue &training"));
        QSignalSpy epochs(&bench.session(), &TrainingSession::epochFinished);
        w.train();
        QVERIFY(finished.wait(120000));
        QCOMPARE(epochs.first().at(0).value<EpochStats>().epoch, 3);

        // Another network in the form: the action says a new model comes, and why.
        spec = w.form().spec();
        spec.model.factors = 16;
        w.form().setSpec(spec);
        QCOMPARE(trainAction->text(), QStringLiteral("&Train a new model"));
        QVERIFY2(trainAction->statusTip().contains(QStringLiteral("factors 64 -> 16")),
                 qPrintable(trainAction->statusTip()));
        spec.model.factors = 64;
        w.form().setSpec(spec);
        QCOMPARE(trainAction->text(), QStringLiteral("Continue &training"));
    }

    void recipeSetsTheForm() {
        MainWindow w;
        w.setConfirmClose(false);
        QSignalSpy loaded(&w.workbench(), &Workbench::datasetLoaded);
        w.openDataset(QStringLiteral("demo"));
        QVERIFY(loaded.wait(30000));
        auto* sgd = w.findChild<QAction*>(QStringLiteral("recipe-sgd-dot-bias-rate-drop"));
        QVERIFY(sgd);
        QVERIFY(sgd->toolTip().contains(QStringLiteral("Moving ratings data")));
        sgd->trigger();
        TrainSpec spec = w.form().spec();
        QVERIFY(spec.model.kind == ModelKind::DotBias);
        QCOMPARE(spec.model.factors, 50);
        QVERIFY(spec.optimizer.kind == OptimizerKind::Sgd);
        QVERIFY(spec.schedule.kind == ScheduleKind::Step);
        QCOMPARE(spec.schedule.stepSize, 3 * ((80000 + 63) / 64)); // the rate drops after 3 of the demo's epochs
        // The ua split of the fastai recipe is not on the demo data: a random 20 %, said.
        w.findChild<QAction*>(QStringLiteral("recipe-dot-bias-one-cycle-adamw"))->trigger();
        spec = w.form().spec();
        QCOMPARE(spec.model.factors, 40);
        QCOMPARE(spec.split.toString(), std::string("random:0.2"));
        auto* status = w.findChild<QLabel*>(QStringLiteral("statusText"));
        QVERIFY(status);
        QVERIFY2(status->text().contains(QStringLiteral("no ua split")), qPrintable(status->text()));
    }

    void badFilesEndInMessages() {
        MainWindow w;
        w.setConfirmClose(false);
        Workbench& bench = w.workbench();
        QSignalSpy loaded(&bench, &Workbench::datasetLoaded);
        w.openDataset(QStringLiteral("demo"));
        QVERIFY(loaded.wait(30000));

        QSignalSpy failed(&bench, &Workbench::failed);
        const auto junk = test::writeFile(m_tmp.path(), QStringLiteral("junk.fsckpt"), "not a checkpoint at all");
        bench.openCheckpoint(QString::fromStdString(junk)); // read on a worker
        QVERIFY(failed.wait(30000));
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.first().at(1).toString().contains(QStringLiteral("not a Factorscope checkpoint")));

        QSignalSpy dataFailed(&bench, &Workbench::datasetFailed);
        const auto bad = test::writeFile(m_tmp.path(), QStringLiteral("bad.csv"), "user,item,rating\n1,2\n");
        w.openDataset(QString::fromStdString(bad));
        QVERIFY(dataFailed.wait(30000));
        QVERIFY(dataFailed.first().at(0).toString().contains(QStringLiteral("bad.csv:2")));
        QCOMPARE(bench.summary().format, std::string("demo")); // the demo data stays
    }

    void closingMidTrainingStopsCleanly() {
        auto w = std::make_unique<MainWindow>();
        w->setConfirmClose(false);
        w->show();
        Workbench& bench = w->workbench();
        QSignalSpy loaded(&bench, &Workbench::datasetLoaded);
        w->openDataset(QStringLiteral("demo"));
        QVERIFY(loaded.wait(30000));
        TrainSpec spec = w->form().spec();
        spec.epochs = 1000;
        w->form().setSpec(spec);
        QSignalSpy batches(&bench.session(), &TrainingSession::batchesReady);
        w->train();
        QVERIFY(batches.wait(30000));
        QVERIFY(w->close());
        QVERIFY(!bench.session().isRunning());
        w.reset();
        // The spec was saved on close.
        const auto saved = settings::lastSpec();
        QVERIFY(saved.has_value());
        QCOMPARE(saved->epochs, 1000);
    }

    void guiOptions_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        QTest::newRow("epochs word") << QStringList{"--epochs", "many"} << "--epochs";
        QTest::newRow("epochs zero") << QStringList{"--epochs", "0"} << "--epochs";
        QTest::newRow("missing data") << QStringList{"--data", "/no/such/place"} << "/no/such/place";
        QTest::newRow("unknown") << QStringList{"--bogus"} << "bogus";
        QTest::newRow("two paths") << QStringList{"a.csv", "b.csv"} << "unexpected argument";
        QTest::newRow("missing positional") << QStringList{"/no/ratings.csv"} << "/no/ratings.csv: no such file";
        QTest::newRow("screenshot dir") << QStringList{"--screenshot", "/proc/forbidden/x"} << "--screenshot";
        QTest::newRow("stalls and screenshots")
            << QStringList{"--report-stalls", "--screenshot", m_tmp.path()} << "--report-stalls: cannot be combined";
        QTest::newRow("stalls take no value") << QStringList{"--report-stalls=5"} << "--report-stalls";
        QTest::newRow("bad loss") << QStringList{"--loss", "hinge"} << "--loss: expected mse or bpr";
        QTest::newRow("bad model") << QStringList{"--model", "svd"} << "--model: unknown \"svd\"";
    }
    void guiOptions() {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        QString message;
        bool help = false;
        QVERIFY(!factorscope::app::parseGuiOptions(QStringList{QStringLiteral("factorscope")} + args, &message, &help));
        QVERIFY(!help);
        QVERIFY2(message.contains(error), qPrintable(message));
        // The binary says the same on stderr and exits 2.
        const auto g = runGui(args);
        QCOMPARE(g.exitCode, 2);
        QVERIFY2(g.err.contains(error), qPrintable(g.err));
    }

    void reportStallsTrainsAndPrintsOneJsonLine() {
        // The figure itself is timing (reported, never asserted); what it says is checked.
        const auto g = runGui({"--data", "demo", "--epochs", "3", "--report-stalls"});
        QCOMPARE(g.exitCode, 0);
        const QStringList lines = g.out.trimmed().split(QLatin1Char('\n'));
        const QJsonObject o = QJsonDocument::fromJson(lines.back().toUtf8()).object();
        QVERIFY2(o.contains(QStringLiteral("max_stall_ms")), qPrintable(g.out));
        QVERIFY(o.value(QStringLiteral("max_stall_ms")).toDouble(-1) >= 0);
        QVERIFY(o.value(QStringLiteral("p99_stall_ms")).toDouble(-1) <=
                o.value(QStringLiteral("max_stall_ms")).toDouble());
        QVERIFY(o.value(QStringLiteral("startup_ms")).toDouble(-1) > 0);
        QCOMPARE(o.value(QStringLiteral("epochs")).toInt(), 3); // it trained, and ended with training
    }

    void screenshotOptionWritesRealImages() {
        const QString dir = m_tmp.filePath(QStringLiteral("shots"));
        const auto g = runGui({QStringLiteral("--data"), QStringLiteral("demo"), QStringLiteral("--epochs"),
                               QStringLiteral("2"), QStringLiteral("--screenshot"), dir});
        QCOMPARE(g.exitCode, 0);
        for (const char* name : {"training.png", "schedule.png", "predictions.png", "explorer-components.png",
                                 "explorer-neighbours.png", "explorer-recommend.png"}) {
            const QImage img(QDir(dir).filePath(QString::fromLatin1(name)));
            QVERIFY2(!img.isNull(), name);
            QVERIFY(img.width() >= 1000 && img.height() >= 600);
            QVERIFY2(factorscope::test::distinctColours(img) > 50, name);
        }
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
