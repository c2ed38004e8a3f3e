#pragma once
// Two trained models side by side, movie by movie: how many of each movie's nearest neighbours
// they share, and how far its embedding moved once the second model is rotated onto the first
// (core/analysis/ModelCompare). The checkpoints load and compare on a worker thread.
#include "ui/session/WorkerTask.h"

#include <QDialog>

#include <memory>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace factorscope {
struct ModelComparison;
}

namespace factorscope::ui {

class BarChart;

class CompareDialog : public QDialog {
    Q_OBJECT
public:
    // Starts comparing at once; `nameA`/`nameB` say which models these are ("run 12").
    CompareDialog(const QString& checkpointA, const QString& nameA, const QString& checkpointB, const QString& nameB,
                  QWidget* parent = nullptr);
    ~CompareDialog() override;

    bool isComparing() const { return m_task.isRunning(); }
    QTableWidget* table() const { return m_table; }
    QString summary() const;
    BarChart* histogram() const { return m_histogram; }
    // False with *error naming the file.
    bool exportCsv(const QString& path, QString* error) const;

Q_SIGNALS:
    void compared(); // the table is filled, or the error shown

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitLabels();
    struct Outcome {
        std::shared_ptr<const ModelComparison> comparison;
        std::vector<std::string> titles; // by A's encoded index
        QString error;
    };
    void present(const Outcome& o);
    void filter(const QString& text);

    QLabel* m_intro;
    QLabel* m_summary;
    QProgressBar* m_busy;
    QLineEdit* m_search;
    QTableWidget* m_table;
    BarChart* m_histogram;
    QPushButton* m_export;
    Outcome m_result;
    WorkerTask<Outcome> m_task; // last: destroyed (waited for) first
};

} // namespace factorscope::ui
