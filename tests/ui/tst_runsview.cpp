// Experiment tracking in the app: the training session records its runs (they persist across
// opens of the store), the runs page lists, overlays, compares, exports, deletes and re-runs
// them, and compares two saved models movie by movie; the experiments page cross-validates and grid-searches in the
// background; the Datasets menu downloads from a local server (consent, success, failure keeps the data).
#include "../core/LocalHttpServer.h"
#include "CliRunner.h"
#include "TestUtil.h"
#include "core/data/DatasetWriter.h"
#include "core/data/Fingerprint.h"
#include "core/runs/RunStore.h"
#include "core/train/SpecJson.h"
#include "ui/DownloadController.h"
#include "ui/ExperimentPages.h"
#include "ui/MainWindow.h"
#include "ui/charts/BarChart.h"
#include "ui/forms/ExperimentForm.h"
#include "ui/session/RunLibrary.h"
#include "ui/session/Workbench.h"
#include "ui/views/CompareDialog.h"
#include "ui/views/ExperimentsView.h"
#include "ui/views/RunsTableModel.h"
#include "ui/views/RunsView.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <zip.h>

using namespace factorscope;
using namespace factorscope::ui;

namespace {

TrainSpec quickSpec(int factors, double wd) {
    TrainSpec s = TrainSpec::defaults();
    s.split = SplitSpec::parse("random:0.2");
    s.epochs = 3;
    s.model.factors = factors;
    s.optimizer.weightDecay = wd;
    return s;
}

QByteArray zipOf(const Dataset& data, const QString& work) {
    writeMovieLensCsv(data, work.toStdString());
    const QString zipPath = QDir(work).filePath(QStringLiteral("set.zip"));
    int err = 0;
    zip_t* z = zip_open(zipPath.toLocal8Bit().constData(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    for (const char* name : {"ratings.csv", "movies.csv"})
        zip_file_add(
            z, (std::string("ml-1m/") + name).c_str(),
            zip_source_file(z, QDir(work).filePath(QString::fromLatin1(name)).toLocal8Bit().constData(), 0, -1), 0);
    zip_close(z);
    QFile f(zipPath);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

} // namespace

class TestRunsView : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    QString m_store;

    QString path(const QString& name) const { return m_tmp.filePath(name); }

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("FactorscopeTest"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_tmp.filePath(QStringLiteral("settings")));
        m_store = path(QStringLiteral("runs.sqlite"));
    }

    void sessionRecordsRunsThatPersist() {
        auto data = std::make_shared<const Dataset>(test::smallDemo());
        TrainingSession session;
        session.setRunStore(m_store);
        QSignalSpy recorded(&session, &TrainingSession::runRecorded);
        for (auto [factors, wd] : {std::pair{8, 0.3}, std::pair{16, 0.1}}) {
            session.forget();
            QVERIFY(session.start(data, quickSpec(factors, wd)));
            QVERIFY(recorded.wait(60000));
        }
        RunStore store(m_store.toStdString()); // a fresh open, as after a restart
        const auto runs = store.list();
        QCOMPARE(runs.size(), std::size_t(2));
        const auto run = store.get(recorded.first().at(0).toLongLong());
        QCOMPARE(run->status, std::string("completed"));
        QCOMPARE(run->origin, std::string("gui"));
        QCOMPARE(run->epochs.size(), std::size_t(3));
        QCOMPARE(trainSpecFromJson(nlohmann::json::parse(run->specJson)).model.factors, 8);
        QVERIFY(run->bestValRmse > 0.3 && run->bestValRmse < 1.5);
    }

    // A file that is not a run store: the library lists nothing and names the file; the page
    // shows that instead of crashing, and follows the library to a good store.
    void aBadStoreIsNamed() {
        const QString bad = path(QStringLiteral("not-a-store.sqlite"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not SQLite, it is a text file that happens to end in .sqlite\n");
        f.close();
        RunLibrary runs;
        runs.setPath(bad);
        QVERIFY(runs.list().empty());
        QVERIFY2(runs.error().contains(QStringLiteral("not-a-store.sqlite")), qPrintable(runs.error()));
        RunsView view(runs);
        QCOMPARE(view.runCount(), 0);
        QString error;
        QVERIFY(!view.exportRuns(path(QStringLiteral("out.json")), &error));
        QVERIFY(!error.isEmpty());
        runs.setPath(m_store); // changed(): the page re-reads
        QCOMPARE(view.runCount(), 2);
    }

    void runsPageOverlaysComparesExportsAndDeletes() {
        RunLibrary runs;
        runs.setPath(m_store);
        RunsView view(runs);
        QCOMPARE(view.runCount(), 2);
        view.selectNewest(2);
        QCOMPARE(view.selectedRuns().size(), std::size_t(2));
        QCOMPARE(view.overlaidCurves(), 2);
        QStringList fields;
        for (int r = 0; r < view.differences()->rowCount(); ++r)
            fields << view.differences()->verticalHeaderItem(r)->text();
        QCOMPARE(fields, QStringList({QStringLiteral("model.factors"), QStringLiteral("optimizer.weight_decay")}));
        QCOMPARE(view.differences()->item(0, 0)->text(), QStringLiteral("8"));
        QCOMPARE(view.differences()->item(0, 1)->text(), QStringLiteral("16"));

        // Sorting by RMSE orders the rows by value.
        view.table()->sortByColumn(RunsTableModel::BestRmse, Qt::AscendingOrder);
        const double first = view.table()->model()->index(0, RunsTableModel::BestRmse).data(Qt::UserRole).toDouble();
        const double second = view.table()->model()->index(1, RunsTableModel::BestRmse).data(Qt::UserRole).toDouble();
        QVERIFY(first <= second);

        QString error;
        QVERIFY(view.exportRuns(path(QStringLiteral("runs.json")), &error));
        QFile json(path(QStringLiteral("runs.json")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonArray all = QJsonDocument::fromJson(json.readAll()).array();
        QCOMPARE(all.size(), 2);
        QCOMPARE(all[0].toObject()[QStringLiteral("epochs")].toArray().size(), 3);
        QVERIFY(view.exportRuns(path(QStringLiteral("runs.csv")), &error));
        QFile csv(path(QStringLiteral("runs.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().trimmed().split('\n').size(), 3);
        QVERIFY(!view.exportRuns(path(QStringLiteral("no/such/dir/runs.csv")), &error));
        QVERIFY2(error.contains(QStringLiteral("runs.csv")), qPrintable(error));

        // Re-run hands over the exact spec.
        QSignalSpy rerun(&view, &RunsView::rerunRequested);
        const qint64 oldest = view.selectedRuns().front();
        view.select({oldest});
        QPushButton* rerunButton = view.findChild<QPushButton*>(QStringLiteral("rerun"));
        QVERIFY(rerunButton);
        rerunButton->click();
        QCOMPARE(rerun.count(), 1);
        QCOMPARE(rerun.first().at(0).value<TrainSpec>().model.factors, 8);
        QCOMPARE(rerun.first().at(1).toString(), QStringLiteral("demo"));

        QVERIFY(view.deleteSelected(&error));
        QCOMPARE(view.runCount(), 1);
        RunStore store(m_store.toStdString());
        QCOMPARE(store.list().size(), std::size_t(1));
    }

    void twoSavedModelsCompareMovieByMovie() {
        const QString store = path(QStringLiteral("compare-runs.sqlite"));
        const auto train = [&](const char* factors, const QString& save) {
            QStringList args{"train", "--data",    "demo",  "--epochs",  "3",  "--threads",
                             "1",     "--factors", factors, "--runs-db", store};
            if (!save.isEmpty())
                args << "--save" << save;
            const auto r = test::runCli(args);
            QVERIFY2(r.exitCode == 0, qPrintable(r.stderrText));
        };
        train("8", QString());
        train("8", path(QStringLiteral("eight.fsckpt")));
        train("24", path(QStringLiteral("twentyfour.fsckpt")));
        RunLibrary runs;
        runs.setPath(store);
        RunsView view(runs);
        auto* button = view.findChild<QPushButton*>(QStringLiteral("compareMovies"));
        QVERIFY(button);
        view.selectNewest(3);
        QVERIFY(!button->isEnabled()); // three runs
        view.select({1, 2});           // run 1 was not saved
        QVERIFY(!button->isEnabled());
        QVERIFY2(button->toolTip().contains(QStringLiteral("Run #1 has no saved model")),
                 qPrintable(button->toolTip()));
        QSignalSpy failed(&view, &RunsView::failed);
        QVERIFY(!view.compareSelected());
        QCOMPARE(failed.count(), 1);

        view.select({2, 3});
        QVERIFY(button->isEnabled());
        CompareDialog* dialog = view.compareSelected();
        QVERIFY(dialog);
        QSignalSpy compared(dialog, &CompareDialog::compared);
        QVERIFY(compared.wait(60000));
        QVERIFY2(dialog->summary().contains(QStringLiteral("Over 1500 shared movies")), qPrintable(dialog->summary()));
        QCOMPARE(dialog->table()->rowCount(), 1500);
        QVERIFY(!dialog->table()->isColumnHidden(3)); // both have embeddings: "Moved" is shown
        // Sorted by how far a movie moved, most first; the histogram counts every movie once.
        const double first = dialog->table()->item(0, 3)->data(Qt::DisplayRole).toDouble();
        const double last = dialog->table()->item(1499, 3)->data(Qt::DisplayRole).toDouble();
        QVERIFY(first > last);
        double counted = 0;
        for (double v : dialog->histogram()->values(0))
            counted += v;
        QCOMPARE(counted, 1500.0);
        if (const QString shots = qEnvironmentVariable("FACTORSCOPE_SCREENSHOTS"); !shots.isEmpty()) // docs/screenshots
            dialog->grab().save(QDir(shots).filePath(QStringLiteral("compare-models.png")));
        QString error;
        QVERIFY2(dialog->exportCsv(path(QStringLiteral("compare.csv")), &error), qPrintable(error));
        QFile csv(path(QStringLiteral("compare.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().trimmed().split('\n').size(), 1501);
        QVERIFY(!dialog->exportCsv(path(QStringLiteral("no/such/dir/c.csv")), &error));
        QVERIFY2(error.contains(QStringLiteral("c.csv")), qPrintable(error));

        // A checkpoint gone bad after it was saved: the dialog says so and names the file.
        QFile bad(path(QStringLiteral("twentyfour.fsckpt")));
        QVERIFY(bad.open(QIODevice::WriteOnly | QIODevice::Truncate));
        bad.write("not a checkpoint");
        bad.close();
        CompareDialog broken(path(QStringLiteral("eight.fsckpt")), QStringLiteral("A"),
                             path(QStringLiteral("twentyfour.fsckpt")), QStringLiteral("B"));
        QSignalSpy done(&broken, &CompareDialog::compared);
        QVERIFY(done.wait(60000));
        QVERIFY2(broken.summary().contains(QStringLiteral("twentyfour.fsckpt")), qPrintable(broken.summary()));
        QCOMPARE(broken.table()->rowCount(), 0);
    }

    void experimentsPageCrossValidatesAndSearches() {
        auto data = std::make_shared<const Dataset>(generateDemo(DemoSpec{}));
        ExperimentJob job;
        job.setRunStore(m_store);
        ExperimentsView view(job);
        view.setSources([data] { return data; }, [] { return quickSpec(16, 0.3); });
        QSignalSpy recorded(&view, &ExperimentsView::recorded);
        view.setFolds(3, 1, false);
        view.startCrossValidation();
        QVERIFY(recorded.wait(120000));
        QCOMPARE(view.cvTable()->rowCount(), 4); // three folds and the mean
        QVERIFY(view.cvTable()->item(3, 3)->text().contains(QStringLiteral(" ± ")));

        view.setGridText(QStringLiteral("factors=4 x"));
        QVERIFY(!view.startGridSearch());
        QVERIFY(view.gridError().contains(QStringLiteral("NAME=V1,V2")));
        view.setGridText(QStringLiteral("factors=4,32"));
        QVERIFY(view.gridError().isEmpty());
        QSignalSpy applied(&view, &ExperimentsView::applySpec);
        QVERIFY(view.startGridSearch());
        QVERIFY(recorded.wait(120000));
        QCOMPARE(view.gridTable()->rowCount(), 2);
        const auto& points = view.gridResult().points;
        QVERIFY(points[0].rmse <= points[1].rmse);
        QPushButton* applyBest = view.findChild<QPushButton*>(QStringLiteral("applyBest"));
        QVERIFY(applyBest);
        applyBest->click();
        QCOMPARE(applied.count(), 1);
        QCOMPARE(applied.first().at(0).value<TrainSpec>().model.factors, points[0].spec.model.factors);

        RunStore store(m_store.toStdString());
        const auto runs = store.list();
        QCOMPARE(runs[0].kind, std::string("grid"));
        QCOMPARE(runs[1].kind, std::string("cv"));
        QCOMPARE(runs[1].split, std::string("cv:random:3:42"));
    }

    void savedCheckpointIsNotedOnTheRun() {
        MainWindow w;
        w.setConfirmClose(false);
        const QString store = path(QStringLiteral("ckpt-runs.sqlite"));
        w.workbench().setRunStore(store);
        Workbench& bench = w.workbench();
        QSignalSpy loaded(&bench, &Workbench::datasetLoaded);
        w.openDataset(QStringLiteral("demo"));
        QVERIFY(loaded.wait(30000));
        TrainSpec spec = w.form().spec();
        spec.epochs = 1;
        w.form().setSpec(spec);
        QSignalSpy recorded(&bench.session(), &TrainingSession::runRecorded);
        w.train();
        QVERIFY(recorded.wait(60000));
        const QString ckpt = path(QStringLiteral("noted.fsckpt"));
        QString error;
        QVERIFY2(bench.saveCheckpoint(ckpt, &error), qPrintable(error));
        RunStore runs(store.toStdString());
        QCOMPARE(QString::fromStdString(runs.list().front().checkpointPath), QFileInfo(ckpt).absoluteFilePath());
        QCOMPARE(w.pages().runs().runCount(), 1); // the page refreshed itself
        // The record carries the loaded data set's fingerprint (taken from its summary, not
        // hashed again), the one re-running the run checks the data against.
        QCOMPARE(runs.list().front().datasetFingerprint, bench.summary().fingerprint);
        QCOMPARE(runs.list().front().datasetFingerprint, fingerprint(*bench.dataset()));
    }

    void datasetsMenuDownloadsFromALocalServer() {
        MainWindow w;
        w.setConfirmClose(false);
        Workbench& bench = w.workbench();
        QSignalSpy loaded(&bench, &Workbench::datasetLoaded);
        w.openDataset(QStringLiteral("demo"));
        QVERIFY(loaded.wait(30000));
        const QString demoSource = QString::fromStdString(bench.summary().source);

        const Dataset small = test::smallDemo(11);
        const QString work = path(QStringLiteral("zipwork"));
        QDir().mkpath(work);
        const QByteArray zip = zipOf(small, work);
        test::LocalHttpServer server;
        DownloadController& downloads = w.pages().downloads();
        DownloadOptions o;
        o.baseUrl = server.baseUrl();
        o.cacheDir = path(QStringLiteral("cache")).toStdString();
        downloads.setOptions(o);
        downloads.setShowErrors(false);
        QSignalSpy failed(&downloads, &DownloadController::failed);

        // Declined terms: nothing is fetched.
        downloads.setConsent([](const RemoteDataset&) { return false; });
        QVERIFY(!downloads.download(remoteDataset("ml-1m")));
        QCOMPARE(server.requests(), 0);

        // Accepted, but the server has no such file: an error, and the demo data stays.
        downloads.setConsent([](const RemoteDataset& s) { return s.name == "ml-1m"; });
        QVERIFY(downloads.download(remoteDataset("ml-1m")));
        QVERIFY(failed.wait(30000));
        QVERIFY(failed.first().at(0).toString().contains(QStringLiteral("HTTP 404")));
        QCOMPARE(QString::fromStdString(bench.summary().source), demoSource);

        // Served: downloaded, verified, unpacked and opened.
        server.route("/ml-1m.zip", {200, zip});
        server.route("/ml-1m.zip.md5",
                     {200, QCryptographicHash::hash(zip, QCryptographicHash::Md5).toHex() + "  ml-1m.zip\n"});
        loaded.clear();
        QVERIFY(downloads.download(remoteDataset("ml-1m")));
        QVERIFY(loaded.wait(30000));
        QCOMPARE(bench.summary().ratings, small.ratings.size());
        QVERIFY(QString::fromStdString(bench.summary().source).endsWith(QStringLiteral("ml-1m")));
        // The menu now marks it cached, and lists all seven sets.
        QMenu* menu = w.pages().datasetsMenu();
        QMetaObject::invokeMethod(menu, "aboutToShow");
        QCOMPARE(menu->actions().size(), 7);
        QVERIFY(menu->actions()[2]->text().contains(QStringLiteral("cached")));
    }
};

QTEST_MAIN(TestRunsView)
#include "tst_runsview.moc"
