#include "ui/MainWindow.h"

#include "core/model/Model.h"
#include "ui/AppIcon.h"
#include "ui/AppSettings.h"
#include "ui/BlasNotice.h"
#include "ui/ExperimentPages.h"
#include "ui/charts/BarChart.h"
#include "ui/charts/LineChart.h"
#include "ui/forms/ExperimentForm.h"
#include "ui/forms/ScientificSpinBox.h"
#include "ui/session/Workbench.h"
#include "ui/views/DatasetPanel.h"
#include "ui/views/ExplorerView.h"
#include "ui/views/MapWidget.h"
#include "ui/views/PredictionsView.h"
#include "ui/views/RunsView.h"
#include "ui/views/ScheduleView.h"
#include "ui/views/TrainingView.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <cmath>

namespace factorscope::ui {

namespace {
QString formatDuration(double seconds) {
    const int s = static_cast<int>(std::lround(std::max(0.0, seconds)));
    return s >= 3600 ? QStringLiteral("%1:%2:%3")
                           .arg(s / 3600)
                           .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
                           .arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
QString formatRate(double perSecond) {
    return perSecond >= 1e6 ? QStringLiteral("%1 M").arg(perSecond / 1e6, 0, 'f', 2)
                            : QStringLiteral("%1 k").arg(perSecond / 1e3, 0, 'f', 1);
}
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), m_bench(new Workbench(this)) {
    setWindowTitle(tr("Factorscope"));
    setWindowIcon(appIcon());
    setAcceptDrops(true);
    buildUi();
    buildActions();
    restoreSettings();
    QTimer::singleShot(0, this, [this] { noticeReferenceBlas(this); }); // once the window shows

    connect(m_bench, &Workbench::datasetLoading, this, [this](const QString& path) {
        m_dataset->setLoading(path);
        m_progress->setRange(0, 0); // busy
        m_progress->setFormat(tr("Loading…"));
        m_status->setText(tr("Loading %1…").arg(path));
        updateActions();
    });
    connect(m_bench, &Workbench::datasetLoaded, this, [this](const DatasetSummary& s) {
        m_dataset->setSummary(s);
        m_form->setDataset(s);
        if (s.implicit) { // user,item pairs: no ratings to fit, so a ranker
            TrainSpec spec = m_form->spec();
            spec.setLoss(LossKind::Bpr);
            m_form->setSpec(spec);
        }
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
        m_progress->setFormat(QString());
        m_status->setText(tr("Ready: press Train (Ctrl+Return)."));
        m_training->begin({}, 0, 1);
        m_predictions->clear();
        m_explorer->setData(m_bench->dataset(), m_bench->digest());
        if (s.source != "demo")
            rememberRecent(QString::fromStdString(s.source));
        m_schedule->setSpec(m_form->spec(), s.ratings * 8 / 10);
        updateActions();
    });
    connect(m_bench, &Workbench::datasetFailed, this, [this](const QString& message, const QString& path) {
        m_progress->setRange(0, 1);
        m_progress->setFormat(QString());
        if (m_bench->dataset())
            m_dataset->setSummary(m_bench->summary());
        showError(tr("Cannot open %1").arg(QFileInfo(path).fileName()),
                  message + tr("\n\nThe previous data set stays loaded."));
        updateActions();
    });
    connect(m_bench, &Workbench::failed, this, &MainWindow::showError);
    connect(m_bench, &Workbench::checkpointLoaded, this,
            [this](const TrainSpec& spec, const std::vector<EpochStats>& history) {
                m_form->setSpec(spec);
                const auto p = refreshPredictions();
                m_training->setRanking(spec.rankK, spec.ranksOnly());
                m_training->begin(history, spec.ranksOnly() ? std::nan("") : p->baselineRmse, 1);
                m_explorer->setModel(m_bench->session().model());
                m_status->setText(
                    tr("Checkpoint loaded: %1 epochs. Train continues it; Model ▸ New model starts afresh.")
                        .arg(history.size()));
                updateActions();
            });

    TrainingSession& session = m_bench->session();
    connect(&session, &TrainingSession::started, this,
            [this](const TrainSpec& spec, qint64 train, qint64, double baseline) {
                const qint64 perEpoch = (train + spec.batchSize - 1) / spec.batchSize;
                const auto history = m_bench->session().trainer()->history();
                m_training->setRanking(spec.rankK, spec.ranksOnly());
                m_training->begin(history, baseline, perEpoch);
                m_progress->setRange(0, static_cast<int>(std::min<qint64>(perEpoch * spec.epochs, INT_MAX)));
                m_progress->setValue(0);
                m_tabs->setCurrentWidget(m_training);
                m_liveLr->setValue(spec.optimizer.lr);
                m_explorer->setModel(nullptr); // it is training: the map follows each epoch
                updateActions();
            });
    connect(&session, &TrainingSession::embeddingsUpdated, m_explorer, &ExplorerView::updateEmbeddings);
    connect(&session, &TrainingSession::batchesReady, this, &MainWindow::onBatches);
    connect(&session, &TrainingSession::epochFinished, m_training, &TrainingView::addEpoch);
    connect(&session, &TrainingSession::finished, this, &MainWindow::onFinished);
    connect(&session, &TrainingSession::failed, this, [this](const QString& message) {
        m_progress->setValue(0);
        showError(tr("Training failed"), message);
        updateActions();
    });
    connect(&session, &TrainingSession::pausedChanged, this, [this](bool paused) {
        m_status->setText(paused ? tr("Paused: press Resume (F6) to go on.") : tr("Training…"));
        updateActions();
    });

    connect(m_form, &ExperimentForm::changed, this, [this](const TrainSpec& spec) {
        if (m_bench->dataset())
            m_schedule->setSpec(spec, m_bench->dataset()->ratings.size() * 8 / 10);
        updateActions(); // "Continue training" or "Train a new model"
    });
    connect(m_form, &ExperimentForm::validityChanged, this, [this] { updateActions(); });
    LrFindJob& finder = m_bench->finder();
    connect(m_schedule, &ScheduleView::findRequested, this, [this] {
        m_schedule->lrFindStarted();
        m_bench->findLearningRate(m_form->spec());
    });
    connect(m_schedule, &ScheduleView::cancelRequested, &finder, &LrFindJob::cancel);
    connect(&finder, &LrFindJob::point, m_schedule, &ScheduleView::addLrPoint);
    connect(&finder, &LrFindJob::finished, m_schedule, &ScheduleView::lrFindFinished);
    connect(&finder, &LrFindJob::failed, m_schedule, &ScheduleView::lrFindFailed);
    connect(m_schedule, &ScheduleView::useLearningRate, this, [this](double lr) {
        TrainSpec s = m_form->spec();
        s.optimizer.lr = lr;
        m_form->setSpec(s);
        m_status->setText(tr("Learning rate set to %1.").arg(lr, 0, 'g', 3));
    });
    updateActions();
}

MainWindow::~MainWindow() { m_bench->session().stopAndWait(); }

void MainWindow::buildUi() {
    m_tabs = new QTabWidget;
    m_training = new TrainingView;
    m_training->setObjectName(QStringLiteral("trainingView"));
    m_schedule = new ScheduleView;
    m_schedule->setObjectName(QStringLiteral("scheduleView"));
    m_predictions = new PredictionsView;
    m_tabs->addTab(m_training, tr("&Training"));
    m_tabs->addTab(m_schedule, tr("&Schedule && LR finder"));
    m_tabs->addTab(m_predictions, tr("&Predictions"));
    m_explorer = new ExplorerView;
    m_tabs->addTab(m_explorer, tr("&Explorer"));
    setCentralWidget(m_tabs);

    auto* side = new QWidget;
    auto* sideLayout = new QVBoxLayout(side);
    m_dataset = new DatasetPanel;
    m_form = new ExperimentForm;
    m_form->setDevices([] {
        QStringList out;
        for (const auto& d : availableDevices())
            out << QString::fromStdString(d);
        return out;
    }());
    sideLayout->addWidget(m_dataset);
    sideLayout->addWidget(m_form);
    auto* scroll = new QScrollArea;
    scroll->setWidget(side);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(std::min(400, side->sizeHint().width() + 24));
    auto* dock = new QDockWidget(tr("Data and experiment"), this);
    dock->setObjectName(QStringLiteral("experimentDock"));
    dock->setWidget(scroll);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    m_progress = new QProgressBar;
    m_progress->setMinimumWidth(420);
    m_progress->setTextVisible(true);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("statusText"));
    m_liveLr = new ScientificSpinBox;
    m_liveLr->setRange(1e-9, 100);
    m_liveLr->setToolTip(tr("A learning rate to use from the next batch on, overriding the schedule"));
    m_applyLr = new QPushButton(tr("Override LR"));
    m_applyLr->setToolTip(tr("Train with this learning rate from the next batch, without stopping the run"));
    m_scheduleLr = new QPushButton(tr("Back to schedule"));
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(new QLabel(tr("Live LR:")));
    statusBar()->addPermanentWidget(m_liveLr);
    statusBar()->addPermanentWidget(m_applyLr);
    statusBar()->addPermanentWidget(m_scheduleLr);
    statusBar()->addPermanentWidget(m_progress);
    m_pages = new ExperimentPages(*this); // the Runs and Experiments tabs, the Datasets menu
    connect(m_applyLr, &QPushButton::clicked, this, [this] {
        m_bench->session().setLearningRate(m_liveLr->value());
        m_status->setText(tr("Learning rate overridden: %1 from the next batch.").arg(m_liveLr->value(), 0, 'g', 3));
    });
    connect(m_scheduleLr, &QPushButton::clicked, this, [this] {
        m_bench->session().clearLearningRate();
        m_status->setText(tr("The schedule sets the learning rate again."));
    });
    resize(1440, 900);
}

void MainWindow::buildActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    m_open = file->addAction(tr("&Open data set…"), this, [this] {
        const QString dir = QSettings().value(QStringLiteral("lastDir"), QDir::homePath()).toString();
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open MovieLens data"), dir,
            tr("MovieLens archives and ratings (*.zip *.data *.dat *.csv *.tsv);;All files (*)"));
        const bool asIs = QStringList{QStringLiteral("zip"), QStringLiteral("csv"), QStringLiteral("tsv")}.contains(
            QFileInfo(path).suffix());
        if (!path.isEmpty()) // an archive or a ratings file opens as it is; any other file, its folder
            openDataset(asIs ? path : QFileInfo(path).absolutePath());
    });
    m_open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open data &folder…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a MovieLens folder"));
        if (!dir.isEmpty())
            openDataset(dir);
    });
    m_recentMenu = file->addMenu(tr("Open &recent"));
    m_demo = file->addAction(tr("Use the &demo data"), this, [this] { openDataset(QStringLiteral("demo")); });
    file->addSeparator();
    m_openCkpt = file->addAction(tr("Open &checkpoint…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open checkpoint"), QString(),
                                                          tr("Factorscope checkpoints (*.fsckpt);;All files (*)"));
        if (!path.isEmpty())
            m_bench->openCheckpoint(path);
    });
    m_openCkpt->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
    m_saveCkpt = file->addAction(tr("&Save checkpoint…"), this, [this] {
        QString path = QFileDialog::getSaveFileName(this, tr("Save checkpoint"), QStringLiteral("model.fsckpt"),
                                                    tr("Factorscope checkpoints (*.fsckpt)"));
        if (path.isEmpty())
            return;
        if (QFileInfo(path).suffix().isEmpty())
            path += QLatin1String(".fsckpt");
        QString error;
        if (m_bench->saveCheckpoint(path, &error))
            m_status->setText(tr("Saved %1.").arg(path));
        else
            showError(tr("Cannot save the checkpoint"), error);
    });
    m_saveCkpt->setShortcut(QKeySequence::Save);
    file->addSeparator();
    addExportActions(file);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    menuBar()->addMenu(m_pages->datasetsMenu());
    QMenu* run = menuBar()->addMenu(tr("&Model"));
    m_train = run->addAction(tr("&Train"), this, &MainWindow::train);
    m_train->setShortcuts({QKeySequence(tr("Ctrl+Return")), QKeySequence(Qt::Key_F5)});
    m_train->setObjectName(QStringLiteral("trainAction"));
    m_pause = run->addAction(tr("&Pause"), this, [this] {
        TrainingSession& s = m_bench->session();
        s.isPaused() ? s.resume() : s.pause();
    });
    m_pause->setShortcut(QKeySequence(Qt::Key_F6));
    m_stop = run->addAction(tr("&Stop"), this, [this] { m_bench->session().stop(); });
    m_stop->setShortcuts({QKeySequence(tr("Shift+F5")), QKeySequence(tr("Ctrl+."))});
    m_newModel = run->addAction(tr("&New model"), this, [this] {
        m_bench->discardModel();
        m_training->begin({}, 0, 1);
        m_predictions->clear();
        m_status->setText(tr("The next Train starts a new model."));
        updateActions();
    });
    m_newModel->setToolTip(tr("Forget the trained model so the next Train starts from fresh weights"));
    run->addSeparator();
    m_findLr = run->addAction(tr("&Find learning rate"), this, [this] {
        m_tabs->setCurrentWidget(m_schedule);
        Q_EMIT m_schedule->findRequested();
    });
    m_findLr->setShortcut(QKeySequence(tr("Ctrl+L")));
    m_findLr->setObjectName(QStringLiteral("findLrAction"));

    buildTeaching();
    QMenu* view = menuBar()->addMenu(tr("&View"));
    m_logY = view->addAction(tr("&Logarithmic loss axis"));
    m_logY->setCheckable(true);
    m_logY->setShortcut(QKeySequence(tr("Ctrl+Shift+L")));
    connect(m_logY, &QAction::toggled, m_training, &TrainingView::setLogY);
    for (int k = 0; k < m_tabs->count(); ++k)
        view->addAction(m_tabs->tabText(k).remove(QLatin1Char('&')), QKeySequence(QStringLiteral("Alt+%1").arg(k + 1)),
                        this, [this, k] { m_tabs->setCurrentIndex(k); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Factorscope"), this, [this] {
        QMessageBox::about(this, tr("About Factorscope"),
                           tr("<h3>Factorscope %1</h3><p>A desktop laboratory for collaborative filtering: train "
                              "matrix factorisation and embedding nets on MovieLens and watch them learn.</p>"
                              "<p>Linear algebra: %2.</p><p>MovieLens data © GroupLens Research, used under its "
                              "own terms.</p>")
                               .arg(QStringLiteral(FACTORSCOPE_VERSION), blasDescription()));
    });

    QToolBar* bar = addToolBar(tr("Training"));
    bar->setObjectName(QStringLiteral("trainingToolbar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    for (QAction* a : {m_open, m_train, m_pause, m_stop, m_saveCkpt})
        bar->addAction(a);
    for (QAction* a : {m_train, m_pause, m_stop, m_open, m_saveCkpt, m_openCkpt, m_findLr})
        a->setToolTip(QStringLiteral("%1 (%2)").arg(a->text().remove(QLatin1Char('&')), a->shortcut().toString()));
}

void MainWindow::updateActions() {
    const TrainingSession& s = m_bench->session();
    const bool running = s.isRunning();
    const bool loading = m_bench->isLoading();
    const bool haveData = m_bench->dataset() != nullptr;
    m_train->setEnabled(haveData && !running && !loading && m_form->isValid());
    const QString newModel = m_bench->whyNewModel(m_form->spec()); // one rule: core/train/Continuation.h
    m_train->setText(!m_bench->hasModel() || running ? tr("&Train")
                     : newModel.isEmpty()            ? tr("Continue &training")
                                                     : tr("&Train a new model"));
    m_train->setStatusTip(newModel.isEmpty() ? QString() : tr("A new model, because %1").arg(newModel));
    m_pause->setEnabled(running);
    m_pause->setText(s.isPaused() ? tr("&Resume") : tr("&Pause"));
    m_stop->setEnabled(running);
    m_open->setEnabled(!running && !loading);
    m_demo->setEnabled(!running && !loading);
    m_openCkpt->setEnabled(!running && !loading);
    m_saveCkpt->setEnabled(!running && m_bench->hasModel());
    m_exportEmbeddings->setEnabled(!running && m_bench->hasModel());
    m_exportMap->setEnabled(m_bench->hasModel());
    m_newModel->setEnabled(!running && m_bench->hasModel());
    m_findLr->setEnabled(haveData && !running);
    m_form->setEnabled(!running);
    m_applyLr->setEnabled(running);
    m_scheduleLr->setEnabled(running);
    m_liveLr->setEnabled(running);
}

void MainWindow::openDataset(const QString& path) { m_bench->openDataset(path); }

void MainWindow::train() {
    if (!m_form->isValid()) {
        showError(tr("Check the experiment"), m_form->validationMessage());
        return;
    }
    const QString newModel = m_bench->whyNewModel(m_form->spec());
    if (m_bench->startTraining(m_form->spec()))
        m_status->setText(newModel.isEmpty() ? tr("Training…") : tr("Training a new model: %1.").arg(newModel));
    updateActions();
}

void MainWindow::onBatches(const QVector<BatchStats>& batches) {
    m_training->addBatches(batches);
    const BatchStats& b = batches.back();
    const double eta = b.seconds * static_cast<double>(b.totalSteps - b.step - 1) / static_cast<double>(b.step + 1);
    m_progress->setValue(static_cast<int>(std::min<int64_t>(b.step + 1, m_progress->maximum())));
    m_progress->setFormat(tr("Epoch %1 · batch %2/%3 · ETA %4 · %5 ratings/s")
                              .arg(b.epoch)
                              .arg(b.batch)
                              .arg(b.batchesPerEpoch)
                              .arg(formatDuration(eta))
                              .arg(formatRate(b.ratingsPerSecond)));
}

void MainWindow::onFinished(const TrainResult& r) {
    m_training->finish(r);
    m_progress->setValue(m_progress->maximum());
    m_progress->setFormat(tr("Done in %1").arg(formatDuration(r.seconds)));
    QString text = QString::fromStdString(r.message);
    text[0] = text[0].toUpper();
    m_lastResult = text;
    m_status->setText(text + QLatin1Char('.'));
    refreshPredictions();
    m_explorer->setModel(m_bench->session().model());
    updateActions();
    if (r.stopReason == StopReason::Diverged)
        showError(tr("Training diverged"), text + QLatin1Char('.'));
}

void MainWindow::showError(const QString& title, const QString& message) {
    m_status->setText(title + QLatin1String(": ") + message.section(QLatin1Char('\n'), 0, 0));
    if (!m_confirmClose) {
        qWarning("%s: %s", qPrintable(title), qPrintable(message));
        return; // unattended (--screenshot, tests): no modal dialogs
    }
    QMessageBox::warning(this, title, message);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QStringList work;
    if (m_bench->session().isRunning())
        work << tr("training (the model trained so far is not saved)");
    if (const QString more = m_pages->backgroundWork(); !more.isEmpty())
        work << more;
    if (!work.isEmpty() && m_confirmClose &&
        QMessageBox::question(this, tr("Work is running"), tr("Stop %1 and quit?").arg(work.join(tr(" and ")))) !=
            QMessageBox::Yes) {
        event->ignore();
        return;
    }
    m_bench->session().stopAndWait();
    m_pages->stopAndWait();
    saveSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() && !m_bench->session().isRunning())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.front().isLocalFile())
        return;
    const QString path = urls.front().toLocalFile();
    if (path.endsWith(QLatin1String(".fsckpt")))
        m_bench->openCheckpoint(path);
    else
        openDataset(path);
}

} // namespace factorscope::ui
