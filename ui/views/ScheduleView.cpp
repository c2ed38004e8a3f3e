#include "ui/views/ScheduleView.h"

#include "ui/charts/LineChart.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace factorscope::ui {

ScheduleView::ScheduleView(QWidget* parent) : QWidget(parent) {
    m_schedule = new LineChart(tr("Learning-rate schedule"), tr("Iteration (batch)"), tr("Learning rate"));
    m_schedule->setObjectName(QStringLiteral("scheduleChart"));
    m_lrSeries = m_schedule->addSeries(tr("learning rate"), QColor(0xd6, 0x27, 0x28));
    m_momSeries = m_schedule->addSeries(tr("momentum (SGD) / β1 (Adam)"), QColor(0x94, 0x67, 0xbd),
                                        LineChart::Style::Dashed, true);
    m_schedule->setRightAxisTitle(tr("Momentum"));
    m_finder = new LineChart(tr("Learning-rate finder"), tr("Learning rate (log scale)"), tr("Smoothed loss (MSE)"));
    m_finder->setObjectName(QStringLiteral("lrFindChart"));
    m_finder->setLogX(true);
    m_lossSeries = m_finder->addSeries(tr("loss"), QColor(0x1f, 0x77, 0xb4));
    m_suggestSeries = m_finder->addSeries(tr("suggested rate"), QColor(0x2c, 0xa0, 0x2c), LineChart::Style::Markers);

    m_info = new QLabel;
    m_info->setWordWrap(true);
    m_find = new QPushButton(tr("Find learning rate"));
    m_find->setToolTip(tr("Train briefly while raising the rate exponentially; where the loss falls fastest "
                          "is a good rate. The model is left untouched."));
    m_use = new QPushButton(tr("Use suggested rate"));
    m_use->setEnabled(false);
    m_finderInfo = new QLabel(tr("Press \"Find learning rate\" to run the range test on the current settings."));
    m_finderInfo->setWordWrap(true);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_find);
    buttons->addWidget(m_use);
    buttons->addWidget(m_finderInfo, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_info);
    layout->addWidget(m_schedule, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_finder, 1);

    connect(m_find, &QPushButton::clicked, this, [this] {
        if (m_running)
            Q_EMIT cancelRequested();
        else
            Q_EMIT findRequested();
    });
    connect(m_use, &QPushButton::clicked, this, [this] {
        if (m_suggested > 0)
            Q_EMIT useLearningRate(m_suggested);
    });
}

QList<LineChart*> ScheduleView::charts() const { return {m_schedule, m_finder}; }

void ScheduleView::setSpec(const TrainSpec& spec, std::size_t trainRatings) {
    const long long perEpoch =
        std::max<long long>(1, (static_cast<long long>(trainRatings) + spec.batchSize - 1) / spec.batchSize);
    const long long total = perEpoch * spec.epochs;
    const long long stride = std::max<long long>(1, total / 2000);
    QVector<QPointF> lr, mom;
    for (long long step = 0; step < total; step += stride) {
        const ScheduleClock c{step, total, perEpoch};
        lr.push_back({double(step), learningRateAt(spec.schedule, spec.optimizer.lr, c)});
        if (auto m = momentumAt(spec.schedule, c))
            mom.push_back({double(step), *m});
    }
    m_schedule->setPoints(m_lrSeries, lr);
    m_schedule->setPoints(m_momSeries, mom);
    m_info->setText(tr("%1 schedule over %2 epochs × %3 batches of %4 = %5 iterations; base rate %6.")
                        .arg(QString::fromStdString(toString(spec.schedule.kind)))
                        .arg(spec.epochs)
                        .arg(perEpoch)
                        .arg(spec.batchSize)
                        .arg(total)
                        .arg(spec.optimizer.lr, 0, 'g', 3));
}

int ScheduleView::previewPointCount() const { return m_schedule->points(m_lrSeries).size(); }

void ScheduleView::lrFindStarted() {
    m_running = true;
    m_find->setText(tr("Cancel"));
    m_use->setEnabled(false);
    m_finder->clear();
    m_finderInfo->setText(tr("Running the range test…"));
}

void ScheduleView::addLrPoint(double lr, double loss) { m_finder->appendPoints(m_lossSeries, {{lr, loss}}); }

void ScheduleView::lrFindFinished(const LrFindResult& r) {
    m_running = false;
    m_find->setText(tr("Find learning rate"));
    m_finder->setPoints(m_lossSeries, {});
    QVector<QPointF> pts;
    for (std::size_t k = 0; k < r.lrs.size(); ++k)
        pts.push_back({r.lrs[k], r.losses[k]});
    m_finder->setPoints(m_lossSeries, pts);
    m_suggested = r.suggestedLr;
    if (m_suggested > 0 && !r.lrs.empty()) {
        const auto it = std::lower_bound(r.lrs.begin(), r.lrs.end(), m_suggested);
        const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(it - r.lrs.begin()), r.lrs.size() - 1);
        m_finder->setPoints(m_suggestSeries, {{r.lrs[k], r.losses[k]}});
        m_finderInfo->setText(
            tr("Suggested learning rate: %1 (valley). Steepest descent at %2; minimum loss ÷ 10 at %3.")
                .arg(m_suggested, 0, 'g', 3)
                .arg(r.steepestLr, 0, 'g', 3)
                .arg(r.minLossLr, 0, 'g', 3));
        m_use->setEnabled(true);
    } else {
        m_finderInfo->setText(tr("The range test stopped before it found a rate; try again with more training data."));
    }
}

void ScheduleView::lrFindFailed(const QString& message) {
    m_running = false;
    m_find->setText(tr("Find learning rate"));
    m_finderInfo->setText(tr("The range test failed: %1").arg(message));
}

} // namespace factorscope::ui
