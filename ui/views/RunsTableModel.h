#pragma once
// The run store's runs as a table: one row per run, sortable by value (Qt::UserRole).
#include "core/runs/RunStore.h"

#include <QAbstractTableModel>

#include <vector>

namespace factorscope::ui {

class RunsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Id,
        Started,
        Kind,
        Status,
        Dataset,
        Split,
        Model,
        Factors,
        Epochs,
        BestRmse,
        Mae,
        BestNdcg,
        Seconds,
        Origin,
        ColumnCount
    };
    using QAbstractTableModel::QAbstractTableModel;

    void setRuns(std::vector<RunRecord> runs);
    const RunRecord& run(int row) const { return m_runs.at(static_cast<std::size_t>(row)); }
    int rowOf(int64_t id) const; // -1 when absent

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Spec {
        QString model;
        int factors = 0;
        int epochs = 0;
    };
    std::vector<RunRecord> m_runs;
    std::vector<Spec> m_specs; // parsed once per run
};

} // namespace factorscope::ui
