#pragma once
// The runs page: every recorded run in a sortable table; select several to overlay their
// validation curves and see how their specs differ; re-run one exactly; compare two saved models
// movie by movie (CompareDialog); delete; export CSV or JSON. Reads the run library (ui/session/RunLibrary) when shown
// and whenever it changes.
#include "core/train/TrainSpec.h"
#include "ui/session/MetaTypes.h"

#include <QWidget>

#include <vector>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTableWidget;
class QVBoxLayout;

namespace factorscope {
struct RunRecord;
}

namespace factorscope::ui {

class CompareDialog;
class LineChart;
class RunLibrary;
class RunsTableModel;

class RunsView : public QWidget {
    Q_OBJECT
public:
    // Shows the runs of `runs`, re-reading them whenever it changes.
    explicit RunsView(RunLibrary& runs, QWidget* parent = nullptr);
    ~RunsView() override;

    void refresh(); // re-reads the store, keeps the selection
    void select(const std::vector<qint64>& runIds);
    void selectNewest(int count);
    std::vector<qint64> selectedRuns() const;
    int runCount() const;
    int overlaidCurves() const { return m_curves; }
    QTableWidget* differences() const { return m_diff; }
    QTableView* table() const { return m_table; }

    // False with *error naming the file; runs = the selection, or all when none is selected.
    bool exportRuns(const QString& path, QString* error);
    bool deleteSelected(QString* error); // no confirmation: the button asks first
    // Two selected runs with saved checkpoints: opens their comparison (owned by this view,
    // deleted on close); nullptr with a message otherwise.
    CompareDialog* compareSelected();

Q_SIGNALS:
    // Re-run: the spec exactly as recorded, and the data set it used.
    void rerunRequested(const factorscope::TrainSpec& spec, const QString& datasetSource, const QString& fingerprint);
    void failed(const QString& title, const QString& message);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void selectionChanged();
    void rerun();
    // The two selected runs' checkpoints, or why they cannot be compared.
    QString comparable(std::vector<const RunRecord*>* runs) const;

    RunLibrary& m_runs;
    RunsTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QVBoxLayout* m_chartBox;
    LineChart* m_chart = nullptr;
    QTableWidget* m_diff;
    QLabel* m_status;
    QPushButton* m_rerun;
    QPushButton* m_delete;
    QPushButton* m_compare;
    int m_curves = 0;
};

} // namespace factorscope::ui
