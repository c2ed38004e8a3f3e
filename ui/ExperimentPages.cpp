#include "ui/ExperimentPages.h"

#include "core/runs/RunStore.h"
#include "ui/DownloadController.h"
#include "ui/MainWindow.h"
#include "ui/forms/ExperimentForm.h"
#include "ui/session/Workbench.h"
#include "ui/views/ExperimentsView.h"
#include "ui/views/RunsView.h"

#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>

namespace factorscope::ui {

ExperimentPages::ExperimentPages(MainWindow& window)
    : QObject(&window), m_window(window), m_runs(new RunsView(window.workbench().runs())),
      m_experiments(new ExperimentsView(window.workbench().experiments())),
      m_downloads(new DownloadController(&window, window.workbench())), m_menu(new QMenu(tr("&Datasets"), &window)) {
    m_runs->setObjectName(QStringLiteral("runsView"));
    window.tabs().addTab(m_runs, tr("&Runs"));
    window.tabs().addTab(m_experiments, tr("E&xperiments"));
    m_downloads->populate(m_menu);
    Workbench& bench = window.workbench();
    m_experiments->setSources([&bench] { return bench.dataset(); }, [&window] { return window.form().spec(); });

    connect(m_experiments, &ExperimentsView::applySpec, this, [this](const TrainSpec& spec) {
        m_window.form().setSpec(spec);
        m_window.statusBar()->showMessage(tr("The grid's settings are in the form: press Train (Ctrl+Return)."), 8000);
    });
    connect(m_runs, &RunsView::rerunRequested, this, &ExperimentPages::rerun);
    auto report = [this](const QString& title, const QString& message) {
        QMessageBox::warning(&m_window, title, message);
    };
    connect(m_runs, &RunsView::failed, this, report);
    connect(m_experiments, &ExperimentsView::failed, this, report);
    connect(&bench, &Workbench::datasetLoaded, this, &ExperimentPages::onDatasetLoaded);
    connect(&bench, &Workbench::datasetFailed, this, [this] { m_pendingSpec.reset(); });
    bench.setRunStore(QString::fromStdString(RunStore::defaultPath()));
}

QString ExperimentPages::backgroundWork() const {
    QStringList work;
    if (m_window.workbench().experiments().isRunning())
        work << tr("the experiment");
    if (m_downloads->job().isRunning())
        work << tr("the download");
    return work.join(tr(" and "));
}

void ExperimentPages::stopAndWait() {
    m_window.workbench().experiments().stop();
    m_downloads->job().cancel();
    m_window.workbench().experiments().wait();
    m_downloads->job().wait();
}

void ExperimentPages::rerun(const TrainSpec& spec, const QString& source, const QString& fingerprint) {
    Workbench& bench = m_window.workbench();
    if (bench.dataset() && QString::fromStdString(bench.summary().fingerprint) == fingerprint) {
        m_window.form().setSpec(spec);
        bench.discardModel(); // exactly as recorded: a fresh model from the run's seed
        m_window.train();
        return;
    }
    if (source != QLatin1String("demo") && !QFileInfo::exists(source)) {
        QMessageBox::warning(
            &m_window, tr("Re-run"),
            tr("This run trained on %1, which is no longer there. Open that data set, then re-run.").arg(source));
        return;
    }
    m_pendingSpec = spec;
    m_pendingFingerprint = fingerprint;
    m_window.openDataset(source);
}

void ExperimentPages::onDatasetLoaded() {
    if (!m_pendingSpec)
        return;
    const TrainSpec spec = *m_pendingSpec;
    m_pendingSpec.reset();
    Workbench& bench = m_window.workbench();
    if (QString::fromStdString(bench.summary().fingerprint) != m_pendingFingerprint) {
        QMessageBox::warning(&m_window, tr("Re-run"),
                             tr("%1 has changed since the run was recorded (its ratings differ), so the run cannot be "
                                "repeated exactly. Its spec is in the form.")
                                 .arg(QString::fromStdString(bench.summary().source)));
        m_window.form().setSpec(spec);
        return;
    }
    m_window.form().setSpec(spec);
    bench.discardModel();
    m_window.train();
}

} // namespace factorscope::ui
