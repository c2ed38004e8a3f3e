#include "ui/views/CompareDialog.h"

#include "core/analysis/ItemSides.h"
#include "core/io/ProjectorExport.h"
#include "core/train/Checkpoint.h"
#include "ui/charts/BarChart.h"
#include "ui/views/ListTable.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QResizeEvent>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace factorscope::ui {

namespace {

constexpr int kNeighbours = 10;

QTableWidgetItem* numberItem(double value, int decimals) {
    auto* item = new QTableWidgetItem;
    if (std::isnan(value))
        item->setText(QStringLiteral("–"));
    else
        item->setData(Qt::DisplayRole, std::round(value * std::pow(10, decimals)) / std::pow(10, decimals));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

ItemSide sideOf(const std::string& path, std::vector<std::string>* titles) {
    const LoadedCheckpoint c = loadCheckpoint(path);
    if (titles)
        *titles = c.info.itemTitles;
    try {
        return itemSideOf(*c.model, c.info.items);
    } catch (const std::exception& e) {
        throw std::runtime_error(path + ": " + e.what());
    }
}

} // namespace

CompareDialog::CompareDialog(const QString& checkpointA, const QString& nameA, const QString& checkpointB,
                             const QString& nameB, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Compare %1 with %2").arg(nameA, nameB));
    m_intro = new QLabel(
        tr("<b>%1</b> against <b>%2</b>, movie by movie (matched by their ids). <i>Neighbours in common</i>: how many "
           "of each movie's %3 nearest movies both models name (Jaccard: those over all the movies either names; 1 = "
           "the same list, 0 = none in common). <i>Moved</i>: how far the movie's embedding lies from where the first "
           "model puts it, once the "
           "second model's embeddings are rotated and scaled onto the first's, in units of an average embedding's "
           "length. Factor counts may differ; an item-based neighbourhood model compares by its neighbours alone.")
            .arg(nameA.toHtmlEscaped(), nameB.toHtmlEscaped())
            .arg(kNeighbours));
    m_intro->setWordWrap(true);
    m_summary = new QLabel(tr("Loading both checkpoints and comparing…"));
    m_summary->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("summary"));
    m_busy = new QProgressBar;
    m_busy->setRange(0, 0);
    m_search = new QLineEdit;
    m_search->setPlaceholderText(tr("Find a movie…"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, this, &CompareDialog::filter);
    m_table = listTable({tr("Movie"), tr("Neighbours in common (of %1)").arg(kNeighbours), tr("Jaccard"), tr("Moved")});
    m_table->setSortingEnabled(true);
    m_table->setToolTip(tr("Click a header to sort: the movies the models disagree on most, or agree on most"));
    m_histogram = new BarChart(tr("Movies by neighbours in common"), tr("Neighbours in common"), tr("Movies"));
    m_histogram->addSet(tr("Movies"), QColor(31, 119, 180));
    m_histogram->setLegendVisible(false);
    m_export = new QPushButton(tr("Export &CSV…"));
    m_export->setEnabled(false);
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the comparison"),
                                                          QStringLiteral("comparison.csv"), tr("CSV (*.csv)"));
        QString error;
        if (!path.isEmpty() && !exportCsv(path, &error))
            m_summary->setText(error.toHtmlEscaped());
    });
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_search);
    leftLayout->addWidget(m_table);
    auto* split = new QSplitter;
    split->addWidget(left);
    split->addWidget(m_histogram);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_export);
    bottom->addStretch();
    bottom->addWidget(close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addWidget(m_summary);
    layout->addWidget(m_busy);
    layout->addWidget(split, 1);
    layout->addLayout(bottom);
    resize(1100, 700);

    m_task.start(
        [a = checkpointA.toStdString(), b = checkpointB.toStdString()] {
            Outcome o;
            const ItemSide sideA = sideOf(a, &o.titles);
            o.comparison = std::make_shared<ModelComparison>(compareItemSides(sideA, sideOf(b, nullptr), kNeighbours));
            return o;
        },
        [this](const Outcome& o) { present(o); });
}

CompareDialog::~CompareDialog() = default;

void CompareDialog::resizeEvent(QResizeEvent* event) {
    QDialog::resizeEvent(event);
    fitLabels();
}

void CompareDialog::fitLabels() {
    // A wrapped label's height for the dialog's width: a layout asks a label for its height at
    // a guessed width, which clips the text or leaves gaps around it.
    const int width = contentsRect().width() - layout()->contentsMargins().left() - layout()->contentsMargins().right();
    for (QLabel* label : {m_intro, m_summary})
        label->setFixedHeight(label->heightForWidth(width));
}

QString CompareDialog::summary() const { return m_summary->text(); }

void CompareDialog::present(const Outcome& o) {
    m_busy->hide();
    m_result = o;
    if (!o.error.isEmpty() || !o.comparison) {
        m_summary->setText(tr("Could not compare: %1").arg(o.error.toHtmlEscaped()));
        fitLabels();
        Q_EMIT compared();
        return;
    }
    const ModelComparison& c = *o.comparison;
    m_summary->setText(QString::fromStdString(summariseComparison(c)));
    fitLabels();
    m_table->setSortingEnabled(false);
    m_table->setRowCount(static_cast<int>(c.ids.size()));
    QVector<double> bins(c.k + 1, 0);
    for (std::size_t i = 0; i < c.ids.size(); ++i) {
        const auto row = static_cast<int>(i);
        const auto a = static_cast<std::size_t>(c.rowsA[i]);
        m_table->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(a < o.titles.size() ? o.titles[a] : "")));
        m_table->setItem(row, 1, numberItem(c.shared[i], 0));
        m_table->setItem(row, 2, numberItem(c.jaccard[i], 2));
        m_table->setItem(row, 3, numberItem(c.aligned() ? c.moved[i] : std::nan(""), 3));
        bins[std::clamp(c.shared[i], 0, c.k)] += 1;
    }
    m_table->setColumnHidden(3, !c.aligned());
    m_table->setSortingEnabled(true);
    // The movies that moved most first; without embeddings, those the models disagree on most.
    m_table->sortByColumn(c.aligned() ? 3 : 1, c.aligned() ? Qt::DescendingOrder : Qt::AscendingOrder);
    QStringList labels;
    for (int b = 0; b <= c.k; ++b)
        labels << QString::number(b);
    m_histogram->setCategories(labels);
    m_histogram->setValues(0, bins);
    m_export->setEnabled(true);
    Q_EMIT compared();
}

void CompareDialog::filter(const QString& text) {
    for (int r = 0; r < m_table->rowCount(); ++r)
        m_table->setRowHidden(r, !text.isEmpty() && !m_table->item(r, 0)->text().contains(text, Qt::CaseInsensitive));
}

bool CompareDialog::exportCsv(const QString& path, QString* error) const {
    if (!m_result.comparison) {
        *error = tr("Nothing to export yet: the comparison has not finished");
        return false;
    }
    try {
        writeComparisonCsv(path.toStdString(), *m_result.comparison, m_result.titles);
        return true;
    } catch (const std::exception& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
}

} // namespace factorscope::ui
