#include "ui/views/TrainingView.h"

#include "ui/charts/LineChart.h"
#include "ui/charts/SeriesMath.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSlider>
#include <QSplitter>
#include <QTableWidget>
#include <QTextStream>

#include <cmath>

namespace factorscope::ui {

namespace {
const QColor kBlue(0x1f, 0x77, 0xb4), kOrange(0xff, 0x7f, 0x0e), kGreen(0x2c, 0xa0, 0x2c), kRed(0xd6, 0x27, 0x28),
    kGrey(0x7f, 0x7f, 0x7f), kPurple(0x94, 0x67, 0xbd);
}

TrainingView::TrainingView(QWidget* parent) : QWidget(parent) {
    m_batchLoss = new LineChart(tr("Training loss per batch"), tr("Epoch"), tr("MSE (stars²)"));
    m_batchLoss->setObjectName(QStringLiteral("batchLossChart"));
    m_raw = m_batchLoss->addSeries(tr("raw"), kBlue, LineChart::Style::Faint);
    m_smooth = m_batchLoss->addSeries(tr("smoothed"), kBlue);
    m_epochLoss = new LineChart(tr("Loss per epoch"), tr("Epoch"), tr("MSE (stars²)"));
    m_epochLoss->setObjectName(QStringLiteral("epochLossChart"));
    m_trainEpoch = m_epochLoss->addSeries(tr("training"), kBlue);
    m_valEpoch = m_epochLoss->addSeries(tr("validation"), kOrange);
    m_rmse = new LineChart(tr("Validation RMSE"), tr("Epoch"), tr("RMSE (stars)"));
    m_rmse->setObjectName(QStringLiteral("rmseChart"));
    m_valRmse = m_rmse->addSeries(tr("validation"), kOrange); // RMSE, or a ranker's nDCG
    for (int s : {m_trainEpoch, m_valEpoch})
        m_epochLoss->setPointsVisible(s, true);
    m_rmse->setPointsVisible(m_valRmse, true);
    m_baseline = m_rmse->addSeries(tr("mean"), kGrey, LineChart::Style::Dashed);
    m_rmse->setToolTip(tr("The dashed line is the RMSE of always predicting the mean training rating"));
    m_best = m_rmse->addSeries(tr("best"), kGreen, LineChart::Style::Markers);
    m_ndcg = m_rmse->addSeries(tr("nDCG"), kPurple, LineChart::Style::Line, true);
    m_rmse->setPointsVisible(m_ndcg, true);
    m_lr = new LineChart(tr("Learning rate per batch"), tr("Epoch"), tr("Learning rate"));
    m_lr->setObjectName(QStringLiteral("lrChart"));
    m_lrSeries = m_lr->addSeries(tr("learning rate"), kRed);
    m_momentum = m_lr->addSeries(tr("momentum"), kPurple, LineChart::Style::Dashed, true);
    m_lr->setRightAxisTitle(tr("Momentum"));

    auto* grid = new QGridLayout;
    grid->addWidget(m_batchLoss, 0, 0);
    grid->addWidget(m_epochLoss, 0, 1);
    grid->addWidget(m_rmse, 1, 0);
    grid->addWidget(m_lr, 1, 1);
    auto* chartsBox = new QWidget;
    auto* chartsLayout = new QVBoxLayout(chartsBox);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    auto* controls = new QHBoxLayout;
    m_smoothing = new QSlider(Qt::Horizontal);
    m_smoothing->setRange(0, 99);
    m_smoothing->setValue(90);
    m_smoothing->setMaximumWidth(200);
    m_smoothing->setToolTip(tr("TensorBoard-style smoothing of the batch loss: an exponential average, "
                               "debiased so the start is not pulled to zero"));
    m_smoothingLabel = new QLabel;
    m_logY = new QCheckBox(tr("Logarithmic loss axis"));
    m_logY->setToolTip(tr("Show losses on a log scale: late, small improvements become visible"));
    controls->addWidget(new QLabel(tr("Smoothing:")));
    controls->addWidget(m_smoothing);
    controls->addWidget(m_smoothingLabel);
    controls->addSpacing(20);
    controls->addWidget(m_logY);
    controls->addStretch(1);
    chartsLayout->addLayout(controls);
    chartsLayout->addLayout(grid, 1);

    m_table = new QTableWidget(0, 6);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setMinimumWidth(340);

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(chartsBox);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);

    setRanking(10, false);
    connect(m_smoothing, &QSlider::valueChanged, this, [this] { refreshSmoothed(); });
    connect(m_logY, &QCheckBox::toggled, this, &TrainingView::setLogY);
    refreshSmoothed();
}

void TrainingView::setRanking(int k, bool ranksOnly) {
    m_rankK = k;
    m_ranksOnly = ranksOnly;
    const QString ndcg = tr("nDCG@%1").arg(k);
    const QString loss = ranksOnly ? tr("Loss") : tr("MSE (stars²)");
    m_batchLoss->setTitles(tr("Training loss per batch"), loss);
    m_epochLoss->setTitles(tr("Loss per epoch"), loss);
    m_rmse->setTitles(ranksOnly ? tr("Validation %1").arg(ndcg)
                      : k > 0   ? tr("Validation RMSE and %1").arg(ndcg)
                                : tr("Validation RMSE"),
                      ranksOnly ? ndcg : tr("RMSE (stars)"));
    m_rmse->setRightAxisTitle(k > 0 && !ranksOnly ? ndcg : QString());
    m_rmse->setToolTip(
        (ranksOnly ? tr("Scores that are not ratings have no RMSE: ")
                   : tr("The dashed line is the RMSE of always "
                        "predicting the mean training rating. ")) +
        (k > 0 ? tr("%1 ranks each validation user's top %2 among the movies they did not rate in training; the "
                    "axis names how many users were ranked.")
                     .arg(ndcg)
                     .arg(k)
               : QString()));
    // Two-line headers keep the columns narrow beside the charts.
    m_table->setHorizontalHeaderLabels({tr("Epoch"), ranksOnly ? tr("Train\nloss") : tr("Train\nMSE"), tr("Val\nRMSE"),
                                        tr("Val\nMAE"), tr("nDCG\n@%1").arg(k), tr("Seconds")});
    m_table->setToolTip(ranksOnly ? tr("The best epoch (highest validation %1) is in bold").arg(ndcg)
                                  : tr("The best epoch (lowest validation RMSE) is in bold"));
    // Only the columns the run has: no rating error for rankers, no nDCG when not ranked.
    m_table->setColumnHidden(2, ranksOnly);
    m_table->setColumnHidden(3, ranksOnly);
    m_table->setColumnHidden(4, k <= 0);
}

QList<LineChart*> TrainingView::charts() const { return {m_batchLoss, m_epochLoss, m_rmse, m_lr}; }

void TrainingView::begin(const std::vector<EpochStats>& history, double baselineRmse, int64_t batchesPerEpoch) {
    m_batchesPerEpoch = std::max<int64_t>(1, batchesPerEpoch);
    m_baselineRmse = m_ranksOnly ? std::nan("") : baselineRmse; // a ranker's scores are not ratings
    m_rawLoss.clear();
    for (LineChart* c : charts())
        c->clear();
    showHistory(history);
}

void TrainingView::showHistory(const std::vector<EpochStats>& history) {
    m_epochs.clear();
    m_table->setRowCount(0);
    for (int s : {m_trainEpoch, m_valEpoch})
        m_epochLoss->setPoints(s, {});
    m_rmse->setPoints(m_valRmse, {});
    m_rmse->setPoints(m_ndcg, {});
    for (const auto& e : history)
        addEpoch(e);
    if (history.empty() && std::isfinite(m_baselineRmse))
        m_rmse->setPoints(m_baseline, {{0, m_baselineRmse}, {1, m_baselineRmse}});
}

void TrainingView::addBatches(const QVector<BatchStats>& batches) {
    QVector<QPointF> raw, lr, mom;
    for (const BatchStats& b : batches) {
        m_batchesPerEpoch = std::max<int64_t>(1, b.batchesPerEpoch);
        const double x = (b.epoch - 1) + static_cast<double>(b.batch) / static_cast<double>(m_batchesPerEpoch);
        raw.push_back({x, b.loss});
        m_rawLoss.push_back(b.loss);
        lr.push_back({x, b.lr});
        if (std::isfinite(b.momentum))
            mom.push_back({x, b.momentum});
    }
    m_batchLoss->appendPoints(m_raw, raw);
    m_lr->appendPoints(m_lrSeries, lr);
    if (!mom.isEmpty())
        m_lr->appendPoints(m_momentum, mom);
    refreshSmoothed();
}

void TrainingView::refreshSmoothed() {
    const double w = smoothing();
    m_smoothingLabel->setText(QString::number(w, 'f', 2));
    const QVector<QPointF>& raw = m_batchLoss->points(m_raw);
    const QVector<double> sm = debiasedEma(m_rawLoss, w);
    QVector<QPointF> pts;
    pts.reserve(sm.size());
    for (int k = 0; k < sm.size() && k < raw.size(); ++k)
        pts.push_back({raw[k].x(), sm[k]});
    m_batchLoss->setPoints(m_smooth, pts);
}

void TrainingView::addEpoch(const EpochStats& e) {
    m_epochs.push_back(e);
    m_epochLoss->appendPoints(m_trainEpoch, {{double(e.epoch), e.trainLoss}});
    if (std::isfinite(e.valLoss))
        m_epochLoss->appendPoints(m_valEpoch, {{double(e.epoch), e.valLoss}});
    if (std::isfinite(e.valRmse) && !m_ranksOnly)
        m_rmse->appendPoints(m_valRmse, {{double(e.epoch), e.valRmse}});
    if (std::isfinite(e.valNdcg)) {
        m_rmse->appendPoints(ndcgSeries(), {{double(e.epoch), e.valNdcg}});
        const QString title = tr("nDCG@%1 (%2 users)").arg(m_rankK).arg(e.rankedUsers);
        if (m_ranksOnly)
            m_rmse->setTitles(tr("Validation nDCG@%1").arg(m_rankK), title);
        else
            m_rmse->setRightAxisTitle(title);
    }
    if (std::isfinite(m_baselineRmse))
        m_rmse->setPoints(m_baseline, {{std::min(1.0, double(m_epochs.front().epoch)), m_baselineRmse},
                                       {double(e.epoch), m_baselineRmse}});
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    const auto cell = [](double v, int decimals) {
        return std::isfinite(v) ? QString::number(v, 'f', decimals) : QString();
    };
    const QStringList cells = {QString::number(e.epoch), cell(e.trainLoss, 4), cell(e.valRmse, 4),
                               cell(e.valMae, 4),        cell(e.valNdcg, 4),   cell(e.seconds, 2)};
    for (int c = 0; c < cells.size(); ++c) {
        auto* item = new QTableWidgetItem(cells[c]);
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, c, item);
    }
    m_table->scrollToBottom();
    markBest();
}

// The epoch the trainer keeps: the lowest validation RMSE, or under ranking alone the highest
// nDCG (marked on the nDCG line, on the right axis).
void TrainingView::markBest() {
    int best = -1;
    for (int k = 0; k < static_cast<int>(m_epochs.size()); ++k) {
        const double v = m_ranksOnly ? -m_epochs[k].valNdcg : m_epochs[k].valRmse;
        if (std::isfinite(v) && (best < 0 || v < (m_ranksOnly ? -m_epochs[best].valNdcg : m_epochs[best].valRmse)))
            best = k;
    }
    if (best < 0)
        return;
    m_rmse->setPoints(m_best,
                      {{double(m_epochs[best].epoch), m_ranksOnly ? m_epochs[best].valNdcg : m_epochs[best].valRmse}});
    for (int r = 0; r < m_table->rowCount(); ++r)
        for (int c = 0; c < m_table->columnCount(); ++c) {
            QFont f = m_table->item(r, c)->font();
            f.setBold(r == best);
            m_table->item(r, c)->setFont(f);
        }
}

void TrainingView::finish(const TrainResult& result) {
    Q_UNUSED(result);
    markBest();
    for (LineChart* c : charts())
        c->resetZoom();
}

void TrainingView::setLogY(bool on) {
    if (m_logY->isChecked() != on)
        m_logY->setChecked(on);
    m_batchLoss->setLogY(on);
    m_epochLoss->setLogY(on);
}

void TrainingView::setSmoothing(double weight) { m_smoothing->setValue(static_cast<int>(std::lround(weight * 100))); }
double TrainingView::smoothing() const { return m_smoothing->value() / 100.0; }
int TrainingView::batchPointCount() const { return m_batchLoss->points(m_raw).size(); }
int TrainingView::epochCount() const { return static_cast<int>(m_epochs.size()); }

bool TrainingView::exportCharts(const QString& dir) {
    const QStringList names = {QStringLiteral("batch-loss"), QStringLiteral("epoch-loss"),
                               QStringLiteral("validation-rmse"), QStringLiteral("learning-rate")};
    bool ok = true;
    const auto list = charts();
    for (int k = 0; k < list.size(); ++k)
        for (const char* ext : {".png", ".svg"})
            ok = list[k]->exportImage(QDir(dir).filePath(names[k] + QLatin1String(ext))) && ok;
    return ok;
}

bool TrainingView::exportCsv(const QString& path) const {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return false;
    QTextStream out(&f);
    out << "epoch,train_loss,val_loss,val_rmse,val_mae,val_ndcg,ranked_users,lr,seconds,ratings_per_second,best\n";
    for (const auto& e : m_epochs)
        out << e.epoch << ',' << e.trainLoss << ',' << e.valLoss << ',' << e.valRmse << ',' << e.valMae << ','
            << e.valNdcg << ',' << e.rankedUsers << ',' << e.lr << ',' << e.seconds << ',' << e.ratingsPerSecond << ','
            << (e.best ? 1 : 0) << '\n';
    return out.status() == QTextStream::Ok && f.error() == QFile::NoError;
}

} // namespace factorscope::ui
