#pragma once
// The experiments page: cross-validation (u1..u5 on MovieLens 100K, else k random folds) and
// grid search over the form's spec, in the background with progress and stop; results as
// tables; the grid's best spec applied to the form in one click. Both are recorded as runs.
#include "core/data/Dataset.h"
#include "core/experiment/GridSearch.h"
#include "ui/session/ExperimentJobs.h"
#include "ui/session/MetaTypes.h"

#include <QWidget>

#include <functional>
#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace factorscope::ui {

class ExperimentsView : public QWidget {
    Q_OBJECT
public:
    // Shows and drives `job` (the workbench's), which outlives the view's work.
    explicit ExperimentsView(ExperimentJob& job, QWidget* parent = nullptr);

    // Where the data and the base spec come from (the workbench and the form).
    void setSources(std::function<std::shared_ptr<const Dataset>()> data, std::function<TrainSpec()> spec);

    void startCrossValidation();
    // False with the message shown under the field when the grid text is wrong.
    bool startGridSearch();
    void stop() { m_job.stop(); }
    void setGridText(const QString& text);
    void setFolds(int folds, int members, bool randomFolds);
    void setGridCrossValidates(bool on);

    QTableWidget* cvTable() const { return m_cvTable; }
    QTableWidget* gridTable() const { return m_gridTable; }
    const GridResult& gridResult() const { return m_grid; }
    QString gridError() const;

Q_SIGNALS:
    void applySpec(const factorscope::TrainSpec& spec);
    void recorded(qint64 runId);
    void failed(const QString& title, const QString& message);

private:
    void setBusy(bool busy);
    void showCv(const CvResult& r);
    void showGrid(const GridResult& r);
    void applyRow(int row);
    CvOptions cvOptions() const;

    std::function<std::shared_ptr<const Dataset>()> m_data;
    std::function<TrainSpec()> m_spec;
    ExperimentJob& m_job;
    GridResult m_grid;

    QSpinBox* m_folds;
    QSpinBox* m_members;
    QCheckBox* m_randomFolds;
    QCheckBox* m_cvRank;
    QPushButton* m_cvButton;
    QTableWidget* m_cvTable;
    QLineEdit* m_gridText;
    QLabel* m_gridError;
    QCheckBox* m_gridCv;
    QCheckBox* m_gridByNdcg;
    QPushButton* m_gridButton;
    QPushButton* m_applyBest;
    QTableWidget* m_gridTable;
    QProgressBar* m_progress;
    QLabel* m_progressText;
    QPushButton* m_stop;
};

} // namespace factorscope::ui
