#include "ui/views/DataViewsPanel.h"

#include "core/analysis/DataViews.h"
#include "ui/charts/BarChart.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace factorscope::ui {

namespace {
QString titleOf(const Dataset& d, int32_t item) {
    return QString::fromStdString(d.catalogue.titleOf(d.items.original(item)));
}
} // namespace

DataViewsPanel::DataViewsPanel(QWidget* parent) : QWidget(parent) {
    auto* dataLayout = new QVBoxLayout(this);
    dataLayout->setContentsMargins(0, 0, 0, 0);
    auto* crossTitle = new QLabel(tr("Ratings of the 15 most active users (rows) for the 15 most rated movies:"));
    crossTitle->setWordWrap(true);
    m_crosstab = new QTableWidget(15, 15);
    m_crosstab->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_crosstab->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_crosstab->verticalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    // Fifteen columns must not push the window wider: the titles are in the tooltips.
    m_crosstab->horizontalHeader()->setMinimumSectionSize(12);
    m_crosstab->verticalHeader()->setMinimumSectionSize(12);
    m_crosstab->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Expanding);
    m_crosstab->setMinimumSize(220, 160);
    m_perUser = new BarChart(tr("Ratings per user"), tr("Ratings"), tr("Users"), nullptr, Qt::Horizontal);
    m_perMovie = new BarChart(tr("Ratings per movie"), tr("Ratings"), tr("Movies"), nullptr, Qt::Horizontal);
    for (BarChart* c : {m_perUser, m_perMovie}) {
        c->addSet(QString(), QColor(0x1f, 0x77, 0xb4));
        c->setLegendVisible(false);
    }
    auto* hists = new QHBoxLayout;
    hists->addWidget(m_perUser);
    hists->addWidget(m_perMovie);
    dataLayout->addWidget(crossTitle);
    dataLayout->addWidget(m_crosstab, 1);
    dataLayout->addLayout(hists, 1);
}

void DataViewsPanel::setData(const Dataset& data, const DataDigest& digest) {
    const Crosstab& t = digest.crosstab;
    m_crosstab->setRowCount(static_cast<int>(t.users.size()));
    m_crosstab->setColumnCount(static_cast<int>(t.items.size()));
    QStringList rows, cols;
    for (int32_t u : t.users)
        rows << tr("user %1").arg(data.users.original(u));
    for (std::size_t i = 0; i < t.items.size(); ++i) {
        const QString title = titleOf(data, t.items[i]);
        cols << (title.size() > 12 ? title.left(11) + QChar(0x2026) : title);
    }
    m_crosstab->setVerticalHeaderLabels(rows);
    m_crosstab->setHorizontalHeaderLabels(cols);
    for (std::size_t i = 0; i < t.items.size(); ++i)
        m_crosstab->horizontalHeaderItem(static_cast<int>(i))->setToolTip(titleOf(data, t.items[i]));
    for (std::size_t u = 0; u < t.users.size(); ++u)
        for (std::size_t i = 0; i < t.items.size(); ++i) {
            const float v = t.at(u, i);
            auto* cell = new QTableWidgetItem(std::isnan(v) ? QString() : QString::number(v, 'g', 2));
            cell->setTextAlignment(Qt::AlignCenter);
            if (!std::isnan(v)) { // from red (1 star) to green (5 stars), pale enough for black text
                const double t01 = std::clamp((v - 1.0) / 4.0, 0.0, 1.0);
                cell->setBackground(QColor::fromHsvF(t01 / 3.0, 0.35, 1.0));
                cell->setForeground(Qt::black);
            }
            m_crosstab->setItem(static_cast<int>(u), static_cast<int>(i), cell);
        }
    for (auto [chart, h] : {std::pair{m_perUser, digest.perUser}, std::pair{m_perMovie, digest.perItem}}) {
        QStringList cats;
        QVector<double> values;
        for (std::size_t b = 0; b < h.labels.size(); ++b) {
            cats << QString::fromStdString(h.labels[b]);
            values << static_cast<double>(h.counts[b]);
        }
        chart->setCategories(cats);
        chart->setValues(0, values);
    }
}

} // namespace factorscope::ui
