#include "ui/views/RunsView.h"

#include "core/runs/ExperimentJson.h"
#include "core/runs/RunStore.h"
#include "core/train/SpecJson.h"
#include "ui/charts/LineChart.h"
#include "ui/session/RunLibrary.h"
#include "ui/views/CompareDialog.h"
#include "ui/views/RunsTableModel.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace factorscope::ui {

namespace {

const QColor kPalette[] = {QColor(31, 119, 180),  QColor(255, 127, 14), QColor(44, 160, 44),   QColor(214, 39, 40),
                           QColor(148, 103, 189), QColor(140, 86, 75),  QColor(227, 119, 194), QColor(127, 127, 127)};
constexpr int kMaxCurves = 8;

} // namespace

RunsView::RunsView(RunLibrary& runs, QWidget* parent)
    : QWidget(parent), m_runs(runs), m_model(new RunsTableModel(this)), m_proxy(new QSortFilterProxyModel(this)) {
    connect(&m_runs, &RunLibrary::changed, this, &RunsView::refresh);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::UserRole);
    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("runsTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RunsTableModel::Id, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setToolTip(tr("Select several runs (Ctrl/Shift+click) to overlay their curves and compare their specs"));
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsView::selectionChanged);
    connect(m_table, &QTableView::doubleClicked, this, &RunsView::rerun);

    auto* refresh = new QPushButton(tr("&Refresh"));
    m_rerun = new QPushButton(tr("Re-&run"));
    m_rerun->setObjectName(QStringLiteral("rerun"));
    m_rerun->setToolTip(tr("Train again with exactly this run's spec and seed, on its data set"));
    m_delete = new QPushButton(tr("&Delete"));
    m_compare = new QPushButton(tr("Compare &movies…"));
    m_compare->setObjectName(QStringLiteral("compareMovies"));
    connect(m_compare, &QPushButton::clicked, this, &RunsView::compareSelected);
    auto* exportCsv = new QPushButton(tr("Export &CSV…"));
    auto* exportJson = new QPushButton(tr("Export &JSON…"));
    m_status = new QLabel;
    connect(refresh, &QPushButton::clicked, this, &RunsView::refresh);
    connect(m_rerun, &QPushButton::clicked, this, &RunsView::rerun);
    connect(m_delete, &QPushButton::clicked, this, [this] {
        const auto ids = selectedRuns();
        if (ids.empty() ||
            QMessageBox::question(this, tr("Delete runs"), tr("Delete %1 run(s) from the history?").arg(ids.size())) !=
                QMessageBox::Yes)
            return;
        QString error;
        if (!deleteSelected(&error))
            Q_EMIT failed(tr("Delete runs"), error);
    });
    for (auto [button, suffix] :
         {std::pair{exportCsv, QStringLiteral("csv")}, std::pair{exportJson, QStringLiteral("json")}}) {
        connect(button, &QPushButton::clicked, this, [this, suffix] {
            const QString path =
                QFileDialog::getSaveFileName(this, tr("Export runs"), QStringLiteral("runs.") + suffix,
                                             suffix.toUpper() + QStringLiteral(" (*.") + suffix + QLatin1Char(')'));
            QString error;
            if (!path.isEmpty() && !exportRuns(path, &error))
                Q_EMIT failed(tr("Export runs"), error);
        });
    }
    auto* buttons = new QHBoxLayout;
    for (QWidget* w :
         {static_cast<QWidget*>(refresh), static_cast<QWidget*>(m_rerun), static_cast<QWidget*>(m_compare),
          static_cast<QWidget*>(m_delete), static_cast<QWidget*>(exportCsv), static_cast<QWidget*>(exportJson)})
        buttons->addWidget(w);
    buttons->addStretch();
    buttons->addWidget(m_status);

    m_diff = new QTableWidget;
    m_diff->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_diff->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_diff->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* diffBox = new QWidget;
    auto* diffLayout = new QVBoxLayout(diffBox);
    diffLayout->setContentsMargins(0, 0, 0, 0);
    diffLayout->addWidget(new QLabel(tr("<b>How the selected specs differ</b>")));
    diffLayout->addWidget(m_diff);
    auto* chartBox = new QWidget;
    m_chartBox = new QVBoxLayout(chartBox);
    m_chartBox->setContentsMargins(0, 0, 0, 0);

    auto* lower = new QSplitter(Qt::Horizontal);
    lower->addWidget(chartBox);
    lower->addWidget(diffBox);
    lower->setStretchFactor(0, 3);
    lower->setStretchFactor(1, 2);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_table);
    split->addWidget(lower);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(split);
    selectionChanged();
    this->refresh();
}

RunsView::~RunsView() = default;

int RunsView::runCount() const { return m_model->rowCount(); }

void RunsView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refresh();
}

void RunsView::refresh() {
    if (m_runs.path().isEmpty())
        return;
    const auto keep = selectedRuns();
    m_model->setRuns(m_runs.list());
    m_table->resizeColumnsToContents();
    if (!m_runs.error().isEmpty())
        m_status->setText(m_runs.error());
    else
        m_status->setText((m_model->rowCount() == 1 ? tr("1 run in %1") : tr("%1 runs in %2").arg(m_model->rowCount()))
                              .arg(QDir::toNativeSeparators(m_runs.path())));
    select(keep);
}

void RunsView::select(const std::vector<qint64>& runIds) {
    QItemSelection selection;
    for (qint64 id : runIds) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const QModelIndex left = m_proxy->mapFromSource(m_model->index(row, 0));
        const QModelIndex right = m_proxy->mapFromSource(m_model->index(row, RunsTableModel::ColumnCount - 1));
        selection.select(left, right);
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    selectionChanged();
}

void RunsView::selectNewest(int count) {
    std::vector<qint64> ids;
    for (int row = 0; row < m_model->rowCount(); ++row)
        ids.push_back(m_model->run(row).id);
    std::sort(ids.rbegin(), ids.rend());
    ids.resize(std::min<std::size_t>(ids.size(), std::size_t(std::max(count, 0))));
    select(ids);
}

std::vector<qint64> RunsView::selectedRuns() const {
    std::vector<qint64> ids;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        ids.push_back(m_model->run(m_proxy->mapToSource(index).row()).id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

void RunsView::selectionChanged() {
    const auto ids = selectedRuns();
    m_rerun->setEnabled(ids.size() == 1);
    m_delete->setEnabled(!ids.empty());
    std::vector<const RunRecord*> pair;
    const QString why = comparable(&pair);
    m_compare->setEnabled(why.isEmpty());
    m_compare->setToolTip(why.isEmpty() ? tr("How the two models differ movie by movie: neighbours shared, and how far "
                                             "each embedding moved")
                                        : why);

    // A fresh chart each time: its series are the selected runs.
    delete m_chart;
    m_chart = new LineChart(tr("Validation RMSE of the selected runs"), tr("Epoch"), tr("RMSE (stars)"));
    m_chart->setObjectName(QStringLiteral("runsChart"));
    m_chartBox->addWidget(m_chart);
    m_curves = 0;
    const std::vector<RunRecord> runs = ids.empty() ? std::vector<RunRecord>{} : m_runs.get(ids);
    if (!m_runs.error().isEmpty())
        m_status->setText(m_runs.error());
    for (const auto& r : runs) {
        if (r.epochs.empty() || m_curves == kMaxCurves)
            continue;
        QVector<QPointF> points;
        for (const auto& e : r.epochs)
            points.append(QPointF(e.epoch, e.valRmse));
        const int s = m_chart->addSeries(
            tr("#%1 %2").arg(r.id).arg(
                m_model->data(m_model->index(m_model->rowOf(r.id), RunsTableModel::Model), Qt::DisplayRole).toString()),
            kPalette[m_curves % kMaxCurves]);
        m_chart->setPointsVisible(s, true);
        m_chart->setPoints(s, points);
        ++m_curves;
    }
    m_chart->resetZoom(); // draw now, not on the next timer tick

    std::vector<std::string> specs;
    QStringList headers;
    for (const auto& r : runs) {
        specs.push_back(r.specJson);
        headers << tr("#%1").arg(r.id);
    }
    const auto diffs = runs.size() >= 2 ? specDifferences(specs) : std::vector<SpecDifference>{};
    m_diff->clear();
    m_diff->setColumnCount(static_cast<int>(runs.size()));
    m_diff->setHorizontalHeaderLabels(headers);
    m_diff->setRowCount(static_cast<int>(diffs.size()));
    QStringList fields;
    for (std::size_t row = 0; row < diffs.size(); ++row) {
        fields << QString::fromStdString(diffs[row].field);
        for (std::size_t col = 0; col < diffs[row].values.size(); ++col)
            m_diff->setItem(int(row), int(col), new QTableWidgetItem(QString::fromStdString(diffs[row].values[col])));
    }
    m_diff->setVerticalHeaderLabels(fields);
    m_diff->setToolTip(runs.size() < 2 ? tr("Select two or more runs to compare their specs")
                       : diffs.empty() ? tr("The selected runs have the same spec")
                                       : QString());
}

void RunsView::rerun() {
    const auto ids = selectedRuns();
    if (ids.size() != 1)
        return;
    const RunRecord& r = m_model->run(m_model->rowOf(ids.front()));
    if (r.kind != "train") {
        Q_EMIT failed(
            tr("Re-run"),
            tr("Run #%1 is a %2; re-run it from the Experiments page.").arg(r.id).arg(QString::fromStdString(r.kind)));
        return;
    }
    try {
        const TrainSpec spec = trainSpecFromJson(nlohmann::json::parse(r.specJson));
        Q_EMIT rerunRequested(spec, QString::fromStdString(r.datasetSource),
                              QString::fromStdString(r.datasetFingerprint));
    } catch (const std::exception& e) {
        Q_EMIT failed(tr("Re-run"),
                      tr("Run #%1's spec cannot be read: %2").arg(r.id).arg(QString::fromStdString(e.what())));
    }
}

QString RunsView::comparable(std::vector<const RunRecord*>* runs) const {
    const auto ids = selectedRuns();
    if (ids.size() != 2)
        return tr("Select two runs whose models were saved to compare them movie by movie");
    for (qint64 id : ids) {
        const RunRecord& r = m_model->run(m_model->rowOf(id));
        if (r.checkpointPath.empty() || !QFileInfo::exists(QString::fromStdString(r.checkpointPath)))
            return tr("Run #%1 has no saved model: save its checkpoint (File ▸ Save checkpoint) after training to "
                      "compare it")
                .arg(id);
        runs->push_back(&r);
    }
    return {};
}

CompareDialog* RunsView::compareSelected() {
    std::vector<const RunRecord*> runs;
    const QString why = comparable(&runs);
    if (!why.isEmpty()) {
        Q_EMIT failed(tr("Compare models"), why);
        return nullptr;
    }
    const auto name = [this](const RunRecord& r) {
        return tr("run #%1 (%2)")
            .arg(r.id)
            .arg(
                m_model->data(m_model->index(m_model->rowOf(r.id), RunsTableModel::Model), Qt::DisplayRole).toString());
    };
    auto* dialog = new CompareDialog(QString::fromStdString(runs[0]->checkpointPath), name(*runs[0]),
                                     QString::fromStdString(runs[1]->checkpointPath), name(*runs[1]), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

bool RunsView::exportRuns(const QString& path, QString* error) {
    return m_runs.exportRuns(selectedRuns(), path, error);
}

bool RunsView::deleteSelected(QString* error) { return m_runs.remove(selectedRuns(), error); }

} // namespace factorscope::ui
