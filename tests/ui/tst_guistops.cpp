// Closing the window while work runs in the background, and starting and stopping training
// over and over: each stops its work, leaves no temporary behind, records what it did, and
// (in the asan preset, where LeakSanitizer checks at exit) leaks nothing.
#include "../core/LocalHttpServer.h"
#include "TestUtil.h"
#include "core/runs/RunStore.h"
#include "ui/DownloadController.h"
#include "ui/ExperimentPages.h"
#include "ui/MainWindow.h"
#include "ui/forms/ExperimentForm.h"
#include "ui/session/Workbench.h"
#include "ui/views/ExperimentsView.h"

#include <QDir>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <fstream>
#include <memory>

using namespace factorscope;
using namespace factorscope::ui;

namespace {

// Resident memory of this process in KiB (VmRSS), 0 where /proc is missing.
long residentKiB() {
    std::ifstream status("/proc/self/status");
    std::string key;
    long value = 0;
    while (status >> key) {
        if (key == "VmRSS:") {
            status >> value;
            return value;
        }
        status.ignore(1 << 12, '\n');
    }
    return 0;
}

// Asks the form for `epochs` epochs, the rest of its spec as it is.
void setEpochs(MainWindow& w, int epochs) {
    TrainSpec spec = w.form().spec();
    spec.epochs = epochs;
    w.form().setSpec(spec);
}

} // namespace

class TestGuiStops : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

    QString path(const QString& name) const { return m_tmp.filePath(name); }

    // A window on the demo data, recording into `store`.
    std::unique_ptr<MainWindow> openWindow(const QString& store) {
        auto w = std::make_unique<MainWindow>();
        w->setConfirmClose(false);
        w->workbench().setRunStore(store);
        w->show();
        QSignalSpy loaded(&w->workbench(), &Workbench::datasetLoaded);
        w->openDataset(QStringLiteral("demo"));
        if (!loaded.wait(30000))
            return nullptr;
        return w;
    }

private Q_SLOTS:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("FactorscopeTest"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, path(QStringLiteral("settings")));
    }

    void closingDuringADownloadCancelsIt() {
        auto w = openWindow(path(QStringLiteral("download-runs.sqlite")));
        QVERIFY(w);
        test::LocalHttpServer server;
        const QByteArray body(4 << 20, 'x'); // 4 MiB served 8 KiB every 20 ms: ten seconds
        server.route("/ml-1m.zip", {200, body, test::LocalHttpServer::Mode::Slow});
        server.route("/ml-1m.zip.md5", {200, "00000000000000000000000000000000  ml-1m.zip\n"});
        DownloadController& downloads = w->pages().downloads();
        DownloadOptions o;
        o.baseUrl = server.baseUrl();
        o.cacheDir = path(QStringLiteral("cache")).toStdString();
        downloads.setOptions(o);
        downloads.setShowErrors(false);
        downloads.setConsent([](const RemoteDataset&) { return true; });
        QSignalSpy progress(&downloads.job(), &DownloadJob::progress);
        QVERIFY(downloads.download(remoteDataset("ml-1m")));
        QVERIFY(progress.wait(30000));
        QVERIFY(downloads.job().isRunning());

        QVERIFY(w->close());
        QVERIFY(!downloads.job().isRunning()); // closing cancelled the transfer and waited for it
        w.reset();
        // The partial download and any unpacking folder are gone; nothing was opened.
        const QStringList left = QDir(path(QStringLiteral("cache"))).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
        QVERIFY2(left.isEmpty(), qPrintable(left.join(QStringLiteral(", "))));
    }

    void closingDuringAGridSearchStopsAndRecordsIt() {
        const QString store = path(QStringLiteral("grid-runs.sqlite"));
        auto w = openWindow(store);
        QVERIFY(w);
        setEpochs(*w, 200);
        ExperimentsView& view = w->pages().experiments();
        view.setGridText(QStringLiteral("factors=4,8,16,32"));
        QVERIFY(view.gridError().isEmpty());
        QSignalSpy progress(&w->workbench().experiments(), &ExperimentJob::progress);
        QVERIFY(view.startGridSearch());
        QVERIFY(progress.wait(60000));

        QVERIFY(w->close());
        QVERIFY(!w->workbench().experiments().isRunning());
        w.reset();
        const auto runs = RunStore(store.toStdString()).list();
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(runs[0].kind, std::string("grid"));
        QCOMPARE(runs[0].status, std::string("stopped"));
    }

    void closingDuringTrainingRecordsAStoppedRun() {
        const QString store = path(QStringLiteral("train-runs.sqlite"));
        auto w = openWindow(store);
        QVERIFY(w);
        setEpochs(*w, 1000);
        QSignalSpy batches(&w->workbench().session(), &TrainingSession::batchesReady);
        w->train();
        QVERIFY(batches.wait(30000));
        QVERIFY(w->close());
        QVERIFY(!w->workbench().session().isRunning());
        w.reset();
        const auto runs = RunStore(store.toStdString()).list();
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(runs[0].status, std::string("stopped"));
        const auto epochs = RunStore(store.toStdString()).get(runs[0].id)->epochs.size();
        QVERIFY(epochs < 1000);
    }

    // Two hundred starts and stops on the demo data, half stopped before the first batch
    // arrives and half after: every run ends, is recorded as stopped, and memory stays flat.
    void twoHundredStartStopCycles() {
        const QString store = path(QStringLiteral("cycle-runs.sqlite"));
        auto w = openWindow(store);
        QVERIFY(w);
        setEpochs(*w, 1000);
        TrainingSession& session = w->workbench().session();
        QSignalSpy finished(&session, &TrainingSession::finished);
        QSignalSpy batches(&session, &TrainingSession::batchesReady);
        long afterWarmUp = 0;
        constexpr int kCycles = 200;
        for (int i = 0; i < kCycles; ++i) {
            finished.clear();
            batches.clear();
            w->train();
            QVERIFY2(session.isRunning(), qPrintable(QStringLiteral("cycle %1 did not start").arg(i)));
            if (i % 2 == 1)
                QVERIFY(batches.wait(30000));
            session.stop();
            QVERIFY(finished.count() == 1 || finished.wait(30000));
            QVERIFY(!session.isRunning());
            if (i == 19)
                afterWarmUp = residentKiB();
        }
        const long growth = residentKiB() - afterWarmUp;
        qInfo("resident memory grew %ld KiB over cycles 20-%d", growth, kCycles);
#if !defined(__SANITIZE_ADDRESS__) // ASan's quarantine keeps freed memory resident on purpose
        QVERIFY2(growth < 64 * 1024, qPrintable(QStringLiteral("grew %1 KiB").arg(growth)));
#endif
        w.reset();
        const auto runs = RunStore(store.toStdString()).list();
        QCOMPARE(runs.size(), std::size_t(kCycles));
        for (const auto& r : runs)
            QCOMPARE(r.status, std::string("stopped"));
    }
};

QTEST_MAIN(TestGuiStops)
#include "tst_guistops.moc"
