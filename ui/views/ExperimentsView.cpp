#include "ui/views/ExperimentsView.h"

#include "core/common/Error.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace factorscope::ui {

namespace {

QTableWidget* resultsTable() {
    auto* t = new QTableWidget;
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setAlternatingRowColors(true);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

QTableWidgetItem* cell(const QString& text, bool number = false) {
    auto* item = new QTableWidgetItem(text);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

// A point that trained and was scored, by RMSE or (rankers) by nDCG only.
bool scored(const GridPoint& p) { return std::isfinite(p.rmse) || std::isfinite(p.ndcg); }

QString fixed(double v, int decimals = 4) {
    return std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("—");
}

} // namespace

ExperimentsView::ExperimentsView(ExperimentJob& job, QWidget* parent) : QWidget(parent), m_job(job) {
    // Cross-validation.
    m_folds = new QSpinBox;
    m_folds->setRange(2, 20);
    m_folds->setValue(5);
    m_folds->setToolTip(tr("Random folds; MovieLens 100K uses its own u1..u5"));
    m_members = new QSpinBox;
    m_members->setRange(1, 50);
    m_members->setToolTip(tr("Models trained per fold from consecutive seeds; their predictions are averaged"));
    m_randomFolds = new QCheckBox(tr("Random folds even where u1..u5 exist"));
    m_cvRank = new QCheckBox(tr("Also rank each user's top K (nDCG, precision, recall)"));
    m_cvRank->setObjectName(QStringLiteral("cvRank"));
    m_cvRank->setToolTip(tr("K is the form's \"Rank at K each epoch\"; one model per fold. Rankers (BPR, popularity, "
                            "ease) are always ranked"));
    m_cvButton = new QPushButton(tr("&Cross-validate"));
    m_cvButton->setToolTip(tr("Trains the form's spec on each fold and scores the last epoch on the held-out ratings"));
    connect(m_cvButton, &QPushButton::clicked, this, &ExperimentsView::startCrossValidation);
    m_cvTable = resultsTable();
    auto* cvForm = new QFormLayout;
    cvForm->addRow(tr("Folds:"), m_folds);
    cvForm->addRow(tr("Models per fold:"), m_members);
    cvForm->addRow(m_randomFolds);
    cvForm->addRow(m_cvRank);
    cvForm->addRow(m_cvButton);
    auto* cvBox = new QGroupBox(tr("Cross-validation"));
    auto* cvLayout = new QHBoxLayout(cvBox);
    cvLayout->addLayout(cvForm);
    cvLayout->addWidget(m_cvTable, 1);

    // Grid search.
    m_gridText = new QLineEdit(QStringLiteral("factors=32,64,128 weight-decay=0.3,0.5 lr=0.005,0.01"));
    m_gridText->setToolTip(tr("NAME=V1,V2 … for any of: %1").arg(QString::fromStdString([] {
        std::string s;
        for (const auto& n : gridParameters())
            s.append(s.empty() ? "" : ", ").append(n);
        return s;
    }())));
    m_gridError = new QLabel;
    m_gridError->setStyleSheet(QStringLiteral("color: #b42828"));
    m_gridError->setWordWrap(true);
    m_gridCv = new QCheckBox(tr("Score each point by cross-validation (slower, steadier)"));
    m_gridByNdcg = new QCheckBox(tr("Sort by validation nDCG (highest first) instead of RMSE"));
    m_gridByNdcg->setObjectName(QStringLiteral("gridByNdcg"));
    m_gridButton = new QPushButton(tr("Run &grid"));
    m_applyBest = new QPushButton(tr("&Apply best to the form"));
    m_applyBest->setObjectName(QStringLiteral("applyBest"));
    m_applyBest->setEnabled(false);
    m_applyBest->setToolTip(tr("Or double-click any row"));
    connect(m_gridText, &QLineEdit::textEdited, this, [this] { m_gridError->setText(gridError()); });
    connect(m_gridButton, &QPushButton::clicked, this, &ExperimentsView::startGridSearch);
    connect(m_applyBest, &QPushButton::clicked, this, [this] { applyRow(0); });
    m_gridTable = resultsTable();
    connect(m_gridTable, &QTableWidget::cellDoubleClicked, this, [this](int row, int) { applyRow(row); });
    auto* gridTop = new QHBoxLayout;
    gridTop->addWidget(new QLabel(tr("Settings:")));
    gridTop->addWidget(m_gridText, 1);
    gridTop->addWidget(m_gridButton);
    gridTop->addWidget(m_applyBest);
    auto* gridBox = new QGroupBox(tr("Grid search"));
    auto* gridLayout = new QVBoxLayout(gridBox);
    gridLayout->addLayout(gridTop);
    gridLayout->addWidget(m_gridError);
    auto* gridOptions = new QHBoxLayout;
    gridOptions->addWidget(m_gridCv);
    gridOptions->addWidget(m_gridByNdcg);
    gridOptions->addStretch(1);
    gridLayout->addLayout(gridOptions);
    gridLayout->addWidget(m_gridTable, 1);

    // Progress, shared: one experiment at a time.
    m_progress = new QProgressBar;
    m_progressText = new QLabel;
    m_stop = new QPushButton(tr("Sto&p"));
    m_stop->setEnabled(false);
    connect(m_stop, &QPushButton::clicked, this, &ExperimentsView::stop);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_progress, 1);
    bottom->addWidget(m_progressText, 1);
    bottom->addWidget(m_stop);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(cvBox, 2);
    layout->addWidget(gridBox, 3);
    layout->addLayout(bottom);

    connect(&m_job, &ExperimentJob::progress, this, [this](int done, int total, const QString& what) {
        m_progress->setRange(0, total);
        m_progress->setValue(done);
        m_progressText->setText(what == QLatin1String("done") ? tr("Done") : tr("Training %1").arg(what));
    });
    connect(&m_job, &ExperimentJob::cvFinished, this, [this](const CvResult& r, qint64 id) {
        setBusy(false);
        showCv(r);
        if (id > 0)
            Q_EMIT recorded(id);
    });
    connect(&m_job, &ExperimentJob::gridFinished, this, [this](const GridResult& r, qint64 id) {
        setBusy(false);
        showGrid(r);
        if (id > 0)
            Q_EMIT recorded(id);
    });
    connect(&m_job, &ExperimentJob::failed, this, [this](const QString& message) {
        setBusy(false);
        m_progressText->setText(message);
        Q_EMIT failed(tr("Experiment"), message);
    });
}

void ExperimentsView::setSources(std::function<std::shared_ptr<const Dataset>()> data,
                                 std::function<TrainSpec()> spec) {
    m_data = std::move(data);
    m_spec = std::move(spec);
}

void ExperimentsView::setGridText(const QString& text) {
    m_gridText->setText(text);
    m_gridError->setText(gridError());
}

void ExperimentsView::setFolds(int folds, int members, bool randomFolds) {
    m_folds->setValue(folds);
    m_members->setValue(members);
    m_randomFolds->setChecked(randomFolds);
}

void ExperimentsView::setGridCrossValidates(bool on) { m_gridCv->setChecked(on); }

QString ExperimentsView::gridError() const {
    try {
        parseGrid(m_gridText->text().toStdString());
    } catch (const SpecError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

CvOptions ExperimentsView::cvOptions() const {
    CvOptions o;
    o.folds = m_folds->value();
    o.members = m_members->value();
    o.predefined = !m_randomFolds->isChecked();
    if (m_cvRank->isChecked())
        o.rankK = std::max(1, m_spec().rankK);
    return o;
}

void ExperimentsView::setBusy(bool busy) {
    m_cvButton->setEnabled(!busy);
    m_gridButton->setEnabled(!busy);
    m_stop->setEnabled(busy);
    if (busy) {
        m_progress->setRange(0, 0);
        m_progressText->setText(tr("Starting…"));
    }
}

void ExperimentsView::startCrossValidation() {
    const auto data = m_data ? m_data() : nullptr;
    if (!data || m_job.isRunning())
        return;
    setBusy(true);
    m_job.crossValidate(data, m_spec(), cvOptions());
}

bool ExperimentsView::startGridSearch() {
    const auto data = m_data ? m_data() : nullptr;
    const QString error = gridError();
    m_gridError->setText(error);
    if (!data || m_job.isRunning() || !error.isEmpty())
        return false;
    GridOptions o;
    o.crossValidate = m_gridCv->isChecked();
    o.cv = cvOptions();
    o.byNdcg = m_gridByNdcg->isChecked();
    setBusy(true);
    m_job.gridSearch(data, m_spec(), parseGrid(m_gridText->text().toStdString()), o);
    return true;
}

void ExperimentsView::showCv(const CvResult& r) {
    m_cvTable->clear();
    const bool ranked = r.rankK > 0;
    QStringList headers{tr("Fold"), tr("Train"), tr("Test"), tr("RMSE"), tr("MAE")};
    if (ranked)
        headers << tr("nDCG@%1").arg(r.rankK) << tr("P@%1").arg(r.rankK) << tr("Recall@%1").arg(r.rankK);
    m_cvTable->setColumnCount(int(headers.size()));
    m_cvTable->setHorizontalHeaderLabels(headers);
    m_cvTable->setRowCount(int(r.folds.size()) + 1);
    int row = 0;
    for (const auto& f : r.folds) {
        m_cvTable->setItem(row, 0, cell(QString::fromStdString(f.name)));
        m_cvTable->setItem(row, 1, cell(QLocale().toString(qint64(f.trainRatings)), true));
        m_cvTable->setItem(row, 2, cell(QLocale().toString(qint64(f.testRatings)), true));
        m_cvTable->setItem(row, 3, cell(fixed(f.rmse), true));
        m_cvTable->setItem(row, 4, cell(fixed(f.mae), true));
        if (ranked) {
            m_cvTable->setItem(row, 5, cell(fixed(f.ndcg), true));
            m_cvTable->setItem(row, 6, cell(fixed(f.precision), true));
            m_cvTable->setItem(row, 7, cell(fixed(f.recall), true));
        }
        ++row;
    }
    QFont bold = m_cvTable->font();
    bold.setBold(true);
    m_cvTable->setItem(row, 0, cell(r.stopped ? tr("mean (stopped)") : tr("mean ± std")));
    m_cvTable->setItem(row, 3, cell(fixed(r.meanRmse) + QStringLiteral(" ± ") + fixed(r.stdRmse), true));
    m_cvTable->setItem(row, 4, cell(fixed(r.meanMae) + QStringLiteral(" ± ") + fixed(r.stdMae), true));
    if (ranked) {
        m_cvTable->setItem(row, 5, cell(fixed(r.meanNdcg) + QStringLiteral(" ± ") + fixed(r.stdNdcg), true));
        m_cvTable->setItem(row, 6, cell(fixed(r.meanPrecision), true));
        m_cvTable->setItem(row, 7, cell(fixed(r.meanRecall), true));
    }
    for (int c = 0; c < m_cvTable->columnCount(); ++c)
        if (auto* item = m_cvTable->item(row, c))
            item->setFont(bold);
    m_cvTable->resizeColumnsToContents();
    m_progressText->setText(
        ranked && !std::isfinite(r.meanRmse)
            ? tr("%1: nDCG@%2 %3 ± %4 in %5 s")
                  .arg(QString::fromStdString(r.scheme), QString::number(r.rankK), fixed(r.meanNdcg), fixed(r.stdNdcg),
                       fixed(r.seconds, 1))
            : tr("%1: RMSE %2 ± %3 in %4 s")
                  .arg(QString::fromStdString(r.scheme), fixed(r.meanRmse), fixed(r.stdRmse), fixed(r.seconds, 1)));
}

void ExperimentsView::showGrid(const GridResult& r) {
    m_grid = r;
    QStringList headers{tr("Rank")};
    const std::size_t settings = r.points.empty() ? 0 : r.points.front().settings.size();
    if (settings)
        for (const auto& [name, value] : r.points.front().settings)
            headers << QString::fromStdString(name);
    headers << tr("RMSE") << tr("± std") << tr("MAE") << tr("nDCG") << tr("Best epoch") << tr("Seconds") << tr("Note");
    m_gridTable->clear();
    m_gridTable->setColumnCount(int(headers.size()));
    m_gridTable->setHorizontalHeaderLabels(headers);
    m_gridTable->setRowCount(int(r.points.size()));
    for (int row = 0; row < int(r.points.size()); ++row) {
        const GridPoint& p = r.points[std::size_t(row)];
        int c = 0;
        m_gridTable->setItem(row, c++, cell(QString::number(row + 1), true));
        for (const auto& [name, value] : p.settings)
            m_gridTable->setItem(row, c++, cell(QString::fromStdString(value), true));
        m_gridTable->setItem(row, c++, cell(fixed(p.rmse), true));
        m_gridTable->setItem(row, c++, cell(p.stdRmse > 0 ? fixed(p.stdRmse) : QString(), true));
        m_gridTable->setItem(row, c++, cell(fixed(p.mae), true));
        m_gridTable->setItem(row, c++, cell(fixed(p.ndcg), true));
        m_gridTable->setItem(row, c++, cell(p.bestEpoch > 0 ? QString::number(p.bestEpoch) : QString(), true));
        m_gridTable->setItem(row, c++, cell(fixed(p.seconds, 1), true));
        m_gridTable->setItem(row, c++, cell(QString::fromStdString(p.error)));
    }
    m_gridTable->resizeColumnsToContents();
    m_applyBest->setEnabled(!r.points.empty() && scored(r.points.front()));
    if (!r.points.empty() && scored(r.points.front())) {
        const GridPoint& best = r.points.front();
        const bool byRmse = std::isfinite(best.rmse) && !(m_gridByNdcg->isChecked() && std::isfinite(best.ndcg));
        m_progressText->setText(tr("Best %1 %2 of %3 points in %4 s")
                                    .arg(byRmse ? tr("RMSE") : tr("nDCG"), fixed(byRmse ? best.rmse : best.ndcg),
                                         QString::number(r.points.size()), fixed(r.seconds, 1)));
    }
}

void ExperimentsView::applyRow(int row) {
    if (row < 0 || row >= int(m_grid.points.size()) || !scored(m_grid.points[std::size_t(row)]))
        return;
    Q_EMIT applySpec(m_grid.points[std::size_t(row)].spec);
}

} // namespace factorscope::ui
