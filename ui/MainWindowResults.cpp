// MainWindow's results (split from MainWindow.cpp to keep each file readable): the
// predictions page after a model finishes or loads, and the File menu's exports of charts,
// metrics, embeddings and the map.
#include "core/model/Model.h"
#include "ui/MainWindow.h"
#include "ui/charts/BarChart.h"
#include "ui/charts/LineChart.h"
#include "ui/session/Workbench.h"
#include "ui/views/ExplorerView.h"
#include "ui/views/MapWidget.h"
#include "ui/views/PredictionsView.h"
#include "ui/views/ScheduleView.h"
#include "ui/views/TrainingView.h"

#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QMenu>

namespace factorscope::ui {

void MainWindow::addExportActions(QMenu* file) {
    m_exportCharts = file->addAction(tr("Export &charts (PNG and SVG)…"), this, &MainWindow::exportCharts);
    m_exportCsv = file->addAction(tr("Export &metrics (CSV)…"), this, &MainWindow::exportCsv);
    m_exportEmbeddings = file->addAction(tr("Export &embeddings (TensorBoard Projector, NumPy)…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export embeddings into"));
        if (dir.isEmpty())
            return;
        QString error;
        if (m_bench->exportEmbeddings(dir, &error))
            m_status->setText(tr("vectors.tsv, metadata.tsv, projection.csv and the tables as NumPy arrays "
                                 "(item_factors.npy, user_factors.npy, their ids and biases) written to %1.")
                                  .arg(dir));
        else
            showError(tr("Export failed"), error);
    });
    m_exportMap = file->addAction(tr("Export &map coordinates (CSV)…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the map"), QStringLiteral("map.csv"),
                                                          tr("CSV files (*.csv)"));
        QString error;
        if (!path.isEmpty() && m_explorer->exportMapCsv(path, &error))
            m_status->setText(tr("The map's coordinates (id,title,x,y) written to %1.").arg(path));
        else if (!path.isEmpty())
            showError(tr("Export failed"), error);
    });
}

std::shared_ptr<const Predictions> MainWindow::refreshPredictions() {
    auto p = m_bench->predictions();
    if (!p->predicted.empty())
        m_predictions->setResults(p->actualBins, p->predictedBins, p->rmse, p->baselineRmse, p->predicted.size());
    const auto model = m_bench->session().model();
    const auto digest = m_bench->digest();
    if (model && digest && model->spec().hasFactors())
        m_predictions->setItemNorms(digest->items.counts, model->itemFactors());
    return p;
}

void MainWindow::exportCharts() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export charts into"));
    if (dir.isEmpty())
        return;
    bool ok = m_training->exportCharts(dir);
    ok = m_schedule->charts()[0]->exportImage(QDir(dir).filePath(QStringLiteral("schedule.svg"))) && ok;
    ok = m_schedule->charts()[0]->exportImage(QDir(dir).filePath(QStringLiteral("schedule.png"))) && ok;
    ok = m_schedule->charts()[1]->exportImage(QDir(dir).filePath(QStringLiteral("lr-finder.png"))) && ok;
    ok = m_predictions->chart()->exportImage(QDir(dir).filePath(QStringLiteral("predictions.png"))) && ok;
    ok = m_explorer->map()->exportImage(QDir(dir).filePath(QStringLiteral("map.png"))) && ok;
    ok = m_explorer->map()->exportImage(QDir(dir).filePath(QStringLiteral("map.svg"))) && ok;
    if (ok)
        m_status->setText(tr("Charts exported to %1.").arg(dir));
    else
        showError(tr("Export failed"),
                  tr("Some charts could not be written to %1; check the folder is writable.").arg(dir));
}

void MainWindow::exportCsv() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export metrics"), QStringLiteral("metrics.csv"),
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (m_training->exportCsv(path))
        m_status->setText(tr("Metrics written to %1.").arg(path));
    else
        showError(tr("Export failed"), tr("%1 could not be written; check the folder is writable.").arg(path));
}

} // namespace factorscope::ui
