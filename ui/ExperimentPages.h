#pragma once
// The experiment-tracking half of the main window: the Runs and Experiments pages and the
// Datasets menu, wired to the workbench, the form and the run store. Re-running a recorded run
// loads its data set first when another one is open.
#include "core/train/TrainSpec.h"
#include "ui/session/MetaTypes.h"

#include <QObject>

#include <optional>

class QMenu;

namespace factorscope::ui {

class DownloadController;
class ExperimentsView;
class MainWindow;
class RunsView;

class ExperimentPages : public QObject {
    Q_OBJECT
public:
    // Adds the two pages to the window's tabs; call once the form and workbench exist.
    explicit ExperimentPages(MainWindow& window);

    RunsView& runs() const { return *m_runs; }
    ExperimentsView& experiments() const { return *m_experiments; }
    DownloadController& downloads() const { return *m_downloads; }
    QMenu* datasetsMenu() const { return m_menu; }

    // What runs in the background ("a grid search", "a download"), empty when nothing does.
    QString backgroundWork() const;
    // Stops the experiment and the download and waits for both (closing the window).
    void stopAndWait();

    // Applies the spec and trains, on the run's data set (loaded first when another is open).
    void rerun(const TrainSpec& spec, const QString& source, const QString& fingerprint);

private:
    void onDatasetLoaded();

    MainWindow& m_window;
    RunsView* m_runs;
    ExperimentsView* m_experiments;
    DownloadController* m_downloads;
    QMenu* m_menu;
    std::optional<TrainSpec> m_pendingSpec;
    QString m_pendingFingerprint;
};

} // namespace factorscope::ui
