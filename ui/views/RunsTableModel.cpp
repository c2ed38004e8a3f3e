#include "ui/views/RunsTableModel.h"

#include <QColor>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <cmath>

namespace factorscope::ui {

void RunsTableModel::setRuns(std::vector<RunRecord> runs) {
    beginResetModel();
    m_runs = std::move(runs);
    m_specs.clear();
    for (const auto& r : m_runs) {
        Spec s;
        const auto j = nlohmann::json::parse(r.specJson, nullptr, false);
        if (j.is_object() && j.contains("model") && j["model"].is_object()) {
            s.model = QString::fromStdString(j["model"].value("kind", std::string()));
            s.factors = j["model"].value("factors", 0);
            s.epochs = j.value("epochs", 0);
        }
        m_specs.push_back(s);
    }
    endResetModel();
}

int RunsTableModel::rowOf(int64_t id) const {
    for (std::size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].id == id)
            return static_cast<int>(i);
    return -1;
}

int RunsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* const names[] = {"#",       "Started", "Kind", "Status", "Data set", "Split",   "Model",
                                        "Factors", "Epochs",  "RMSE", "MAE",    "nDCG",     "Seconds", "From"};
    return tr(names[section]);
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid())
        return {};
    const RunRecord& r = m_runs.at(static_cast<std::size_t>(index.row()));
    const Spec& s = m_specs.at(static_cast<std::size_t>(index.row()));
    const double rmse = std::isfinite(r.bestValRmse) ? r.bestValRmse : r.finalValRmse;
    const auto num = [role](double v, int decimals) -> QVariant {
        if (!std::isfinite(v))
            return role == Qt::UserRole ? QVariant(1e300) : QVariant(QStringLiteral("—"));
        return role == Qt::UserRole ? QVariant(v) : QVariant(QString::number(v, 'f', decimals));
    };
    if (role == Qt::ToolTipRole)
        return QString::fromStdString(r.message.empty() ? r.datasetSource : r.message);
    if (role == Qt::ForegroundRole && index.column() == Status &&
        (r.status == "failed" || r.status == "interrupted" || r.status == "diverged"))
        return QColor(190, 40, 40);
    if (role == Qt::TextAlignmentRole && index.column() >= Factors)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::UserRole)
        return {};
    switch (index.column()) {
    case Id:
        return role == Qt::UserRole ? QVariant(qint64(r.id)) : QVariant(QString::number(r.id));
    case Started:
        return QString::fromStdString(r.startedAt).replace(QLatin1Char('T'), QLatin1Char(' ')).remove(QLatin1Char('Z'));
    case Kind:
        return QString::fromStdString(r.kind);
    case Status:
        return QString::fromStdString(r.status).replace(QLatin1Char('_'), QLatin1Char(' '));
    case Dataset:
        return r.datasetSource == "demo" ? tr("demo") : QFileInfo(QString::fromStdString(r.datasetSource)).fileName();
    case Split:
        return QString::fromStdString(r.split);
    case Model:
        return s.model;
    case Factors:
        return role == Qt::UserRole ? QVariant(s.factors) : QVariant(QString::number(s.factors));
    case Epochs:
        return role == Qt::UserRole ? QVariant(s.epochs) : QVariant(QString::number(s.epochs));
    case BestRmse:
        return num(rmse, 4);
    case Mae:
        return num(r.finalValMae, 4);
    case BestNdcg:
        return num(r.bestValNdcg, 4);
    case Seconds:
        return num(r.seconds, 1);
    case Origin:
        return QString::fromStdString(r.origin);
    default:
        return {};
    }
}

} // namespace factorscope::ui
