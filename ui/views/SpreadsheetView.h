#pragma once
// The spreadsheet lesson, live: the 15 most active users x the 15 most rated movies, the user
// factors as columns at the left and the movie factors as rows on top, predictions in the
// empty cells and errors in the filled ones, all updating while a small dot-product model
// (core/analysis/Spreadsheet.h) trains on that block alone.
#include "core/analysis/Spreadsheet.h"
#include "core/data/Dataset.h"

#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTimer;

namespace factorscope::ui {

class SpreadsheetView : public QWidget {
    Q_OBJECT
public:
    explicit SpreadsheetView(QWidget* parent = nullptr);

    // The block is the digest's crosstab (made here when there is no digest).
    void setData(std::shared_ptr<const Dataset> data, std::shared_ptr<const DataDigest> digest = nullptr);
    void setRunning(bool on); // Start / Pause
    bool isRunning() const;
    void reset();            // fresh factors from the seed
    void trainEpochs(int n); // what one tick does, also for tests

    QTableWidget* sheet() const { return m_sheet; }
    const SheetModel* model() const { return m_model.get(); }
    const Crosstab& block() const { return m_block; }

private:
    void rebuildSheet();
    void refreshCells();

    std::shared_ptr<const Dataset> m_data;
    Crosstab m_block;
    std::unique_ptr<SheetModel> m_model;

    QTableWidget* m_sheet;
    QSpinBox* m_factors;
    QPushButton* m_run;
    QLabel* m_status;
    QTimer* m_timer;
};

} // namespace factorscope::ui
