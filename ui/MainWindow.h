#pragma once
// The main window: data set and experiment on the left, training, schedule and predictions
// tabs in the middle, progress and the live learning-rate control below.
#include "core/train/TrainSpec.h"
#include "ui/session/MetaTypes.h"

#include <QMainWindow>

class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QTabWidget;

namespace factorscope::ui {

class DatasetPanel;
class ExperimentPages;
class ExplorerView;
class ExperimentForm;
class PredictionsView;
class ScheduleView;
class ScientificSpinBox;
class TrainingView;
class Workbench;
struct Predictions;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    Workbench& workbench() const { return *m_bench; }
    ExperimentForm& form() const { return *m_form; }
    TrainingView& trainingView() const { return *m_training; }
    ScheduleView& scheduleView() const { return *m_schedule; }
    PredictionsView& predictionsView() const { return *m_predictions; }
    ExplorerView& explorerView() const { return *m_explorer; }
    QTabWidget& tabs() const { return *m_tabs; }
    ExperimentPages& pages() const { return *m_pages; }

    void openDataset(const QString& path);
    void train();
    // Ask before closing during training (off for --screenshot runs and tests).
    void setConfirmClose(bool on) { m_confirmClose = on; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildUi();
    void buildActions();
    // MainWindowTeaching.cpp: the Recipes menu, the Spreadsheet and One step pages, your own ratings,
    // the Lessons menu.
    void buildTeaching();
    void buildOwnRatings();
    void buildLessons();
    void updateActions();
    void updateRecentMenu();
    void rememberRecent(const QString& path);
    void restoreSettings();
    void saveSettings() const;
    void showError(const QString& title, const QString& message);
    void onBatches(const QVector<BatchStats>& batches);
    void onFinished(const TrainResult& result);
    // Predicts the validation ratings once, shows them, returns them.
    std::shared_ptr<const Predictions> refreshPredictions();
    void addExportActions(QMenu* file); // MainWindowResults.cpp, with the exports
    void exportCharts();
    void exportCsv();

    Workbench* m_bench;
    ExperimentForm* m_form;
    DatasetPanel* m_dataset;
    TrainingView* m_training;
    ScheduleView* m_schedule;
    PredictionsView* m_predictions;
    ExplorerView* m_explorer;
    ExperimentPages* m_pages = nullptr;
    QTabWidget* m_tabs;
    QProgressBar* m_progress;
    QLabel* m_status;
    ScientificSpinBox* m_liveLr;
    QPushButton* m_applyLr;
    QPushButton* m_scheduleLr;
    QMenu* m_recentMenu = nullptr;
    QAction* m_open = nullptr;
    QAction* m_demo = nullptr;
    QAction* m_openCkpt = nullptr;
    QAction* m_saveCkpt = nullptr;
    QAction* m_train = nullptr;
    QAction* m_pause = nullptr;
    QAction* m_stop = nullptr;
    QAction* m_newModel = nullptr;
    QAction* m_findLr = nullptr;
    QAction* m_exportCharts = nullptr;
    QAction* m_exportCsv = nullptr;
    QAction* m_exportEmbeddings = nullptr;
    QAction* m_exportMap = nullptr;
    QAction* m_logY = nullptr;
    bool m_confirmClose = true;
    QString m_lastResult;
};

} // namespace factorscope::ui
