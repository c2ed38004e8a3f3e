#include "ui/views/SpreadsheetView.h"

#include "core/common/Error.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace factorscope::ui {

namespace {

constexpr int kEpochsPerTick = 20;

QTableWidgetItem* cell(const QString& text, const QColor& background, const QString& tip = QString()) {
    auto* c = new QTableWidgetItem(text);
    c->setTextAlignment(Qt::AlignCenter);
    c->setBackground(background);
    c->setToolTip(tip);
    return c;
}

// A column header: the title without its year or a leading "The", one word a line (at most 3).
QString headerOf(QString title) {
    title = title.trimmed();
    if (const auto open = title.lastIndexOf(QLatin1String(" (")); open > 0)
        title = title.left(open);
    if (title.startsWith(QLatin1String("The ")))
        title = title.mid(4);
    QStringList words = title.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.size() > 3) {
        words = words.mid(0, 3);
        words.last() += QStringLiteral("…");
    }
    return words.join(QLatin1Char('\n'));
}

// Errors from white (0) to red (1.5 stars or more, too high) or blue (too low).
QColor errorColour(double e) {
    const double t = std::min(1.0, std::abs(e) / 1.5);
    const int fade = static_cast<int>(255 - 150 * t);
    return e > 0 ? QColor(255, fade, fade) : QColor(fade, fade, 255);
}

} // namespace

SpreadsheetView::SpreadsheetView(QWidget* parent) : QWidget(parent), m_timer(new QTimer(this)) {
    auto* intro = new QLabel(
        tr("The 15 most active users and the 15 most rated movies. A small model fits this block alone: each "
           "prediction is the user's factors (grey, left) times the movie's factors (grey, top), summed. Filled "
           "cells show the error of that prediction against the rating (red: too high, blue: too low); empty "
           "cells show the prediction. Gradient descent moves the factors to shrink the errors."));
    intro->setWordWrap(true);
    m_factors = new QSpinBox;
    m_factors->setRange(1, 10);
    m_factors->setValue(3);
    m_factors->setPrefix(tr("factors: "));
    m_factors->setToolTip(tr("How many numbers describe each user and each movie"));
    m_run = new QPushButton(tr("Start"));
    m_run->setObjectName(QStringLiteral("sheetRun"));
    auto* resetButton = new QPushButton(tr("Reset"));
    resetButton->setToolTip(tr("Start again from random factors"));
    m_status = new QLabel;
    auto* row = new QHBoxLayout;
    row->addWidget(m_factors);
    row->addWidget(m_run);
    row->addWidget(resetButton);
    row->addWidget(m_status, 1);
    m_sheet = new QTableWidget;
    m_sheet->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_sheet->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    QFont small = m_sheet->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_sheet->setFont(small);
    m_sheet->horizontalHeader()->setFont(small);
    m_sheet->verticalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(row);
    layout->addWidget(m_sheet, 1);

    m_timer->setInterval(50);
    connect(m_timer, &QTimer::timeout, this, [this] { trainEpochs(kEpochsPerTick); });
    connect(m_run, &QPushButton::clicked, this, [this] { setRunning(!isRunning()); });
    connect(resetButton, &QPushButton::clicked, this, &SpreadsheetView::reset);
    connect(m_factors, &QSpinBox::valueChanged, this, &SpreadsheetView::reset);
    rebuildSheet();
}

void SpreadsheetView::setData(std::shared_ptr<const Dataset> data, std::shared_ptr<const DataDigest> digest) {
    setRunning(false);
    m_data = std::move(data);
    m_model.reset();
    m_block = Crosstab{};
    if (m_data && !m_data->ratings.empty())
        m_block = digest ? digest->crosstab : crosstab(*m_data);
    reset();
}

bool SpreadsheetView::isRunning() const { return m_timer->isActive(); }

void SpreadsheetView::setRunning(bool on) {
    on = on && m_model;
    on ? m_timer->start() : m_timer->stop();
    m_run->setText(on ? tr("Pause") : tr("Start"));
}

void SpreadsheetView::reset() {
    m_model.reset();
    if (filledCells(m_block) > 0)
        m_model = std::make_unique<SheetModel>(m_block, m_factors->value());
    rebuildSheet();
}

void SpreadsheetView::trainEpochs(int n) {
    if (!m_model)
        return;
    m_model->train(n);
    refreshCells();
}

void SpreadsheetView::rebuildSheet() {
    const int f = m_model ? m_model->factors() : 0;
    const int users = static_cast<int>(m_block.users.size()), items = static_cast<int>(m_block.items.size());
    m_sheet->clear();
    m_sheet->setRowCount(f + users);
    m_sheet->setColumnCount(f + items);
    QStringList columns, rows;
    for (int k = 0; k < f; ++k) {
        columns << tr("f%1").arg(k + 1);
        rows << tr("f%1").arg(k + 1);
    }
    for (int32_t i : m_block.items)
        columns << headerOf(QString::fromStdString(m_data->catalogue.titleOf(m_data->items.original(i))));
    for (int32_t u : m_block.users)
        rows << tr("user %1").arg(m_data->users.original(u));
    m_sheet->setHorizontalHeaderLabels(columns);
    m_sheet->setVerticalHeaderLabels(rows);
    for (int c = f; c < f + items; ++c) // the full title where the header is cut
        m_sheet->horizontalHeaderItem(c)->setToolTip(QString::fromStdString(
            m_data->catalogue.titleOf(m_data->items.original(m_block.items[static_cast<std::size_t>(c - f)]))));
    refreshCells();
}

void SpreadsheetView::refreshCells() {
    if (!m_model) {
        m_status->setText(m_data ? tr("This data set has no ratings.") : tr("Open a data set."));
        return;
    }
    const SheetModel& m = *m_model;
    const int f = m.factors();
    const QColor factorGrey(228, 228, 228), empty(250, 250, 250);
    for (std::size_t u = 0; u < m_block.users.size(); ++u) {
        for (int k = 0; k < f; ++k)
            m_sheet->setItem(f + static_cast<int>(u), k, cell(QString::number(m.userFactor(u, k), 'f', 2), factorGrey));
        for (std::size_t i = 0; i < m_block.items.size(); ++i) {
            const float p = m.predict(u, i), r = m_block.at(u, i);
            auto* c = std::isnan(r) ? cell(QString::number(p, 'f', 1), empty, tr("predicted %1").arg(p, 0, 'f', 2))
                                    : cell(QString::number(p - r, 'f', 2), errorColour(p - r),
                                           tr("rated %1, predicted %2").arg(r).arg(p, 0, 'f', 2));
            if (std::isnan(r))
                c->setForeground(QColor(90, 90, 90));
            m_sheet->setItem(f + static_cast<int>(u), f + static_cast<int>(i), c);
        }
    }
    for (std::size_t i = 0; i < m_block.items.size(); ++i)
        for (int k = 0; k < f; ++k)
            m_sheet->setItem(k, f + static_cast<int>(i), cell(QString::number(m.itemFactor(i, k), 'f', 2), factorGrey));
    m_status->setText(tr("epoch %1 · RMSE on the %2 filled cells %3 · step %4")
                          .arg(m.epochs())
                          .arg(filledCells(m_block))
                          .arg(m.rmse(), 0, 'f', 3)
                          .arg(m.step(), 0, 'g', 2));
}

} // namespace factorscope::ui
