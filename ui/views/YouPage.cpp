#include "ui/views/YouPage.h"

#include "core/analysis/Neighbours.h"
#include "core/common/AtomicFile.h"
#include "core/common/Error.h"
#include "core/io/IdRowsFile.h"
#include "core/model/FoldIn.h"
#include "ui/views/ListTable.h"

#include <QCompleter>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QStringListModel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <sstream>

namespace factorscope::ui {

namespace {

void setRow(QTableWidget* t, int row, const QStringList& cells, int32_t item) {
    for (int c = 0; c < cells.size(); ++c) {
        auto* cell = new QTableWidgetItem(cells[c]);
        cell->setData(Qt::UserRole, item);
        t->setItem(row, c, cell);
    }
}

} // namespace

YouPage::YouPage(QWidget* parent) : QWidget(parent) {
    auto* intro = new QLabel(tr("Rate movies you know. The model places you among its users without retraining: "
                                "the movies stay as trained and only your own vector and bias are fitted."));
    intro->setWordWrap(true);
    m_title = new QLineEdit;
    m_title->setObjectName(QStringLiteral("youTitle"));
    m_title->setPlaceholderText(tr("A title you have seen (type part of it; Enter rates it)"));
    m_stars = new QDoubleSpinBox;
    m_stars->setObjectName(QStringLiteral("youStars"));
    m_stars->setSuffix(tr(" ★"));
    m_stars->setDecimals(1);
    m_stars->setToolTip(tr("Your rating, on the data set's scale"));
    auto* rateButton = new QPushButton(tr("Rate"));
    auto* importButton = new QPushButton(tr("Import…"));
    importButton->setToolTip(tr("Your ratings from a user,item,rating CSV (original ids)"));
    auto* saveButton = new QPushButton(tr("Save…"));
    saveButton->setToolTip(tr("Your ratings as a user,item,rating CSV, which factorscope-cli fold-in reads"));
    m_keep = new QPushButton(tr("&Keep for training"));
    m_keep->setObjectName(QStringLiteral("youKeep"));
    m_keep->setToolTip(tr("Keep your ratings in a file of your own for this data set (its files are never "
                          "changed); Datasets ▸ Include my ratings when loading makes the next training learn you"));
    m_keep->setEnabled(false);
    connect(m_keep, &QPushButton::clicked, this, &YouPage::keep);
    auto* row = new QHBoxLayout;
    row->addWidget(m_stars);
    row->addWidget(rateButton);
    row->addStretch(1);
    row->addWidget(importButton);
    row->addWidget(saveButton);
    row->addWidget(m_keep);
    m_rated = listTable({tr("You rated"), tr("Stars")});
    m_rated->setToolTip(tr("Delete removes the selected rating"));
    m_top = listTable({tr("Recommended for you"), tr("Predicted"), tr("Closest of yours")});
    m_top->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_top->setToolTip(tr("Your highest predicted movies; the last column is the movie you rated whose embedding is "
                         "closest to it"));
    m_status = new QLabel;
    m_status->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_title);
    layout->addLayout(row);
    layout->addWidget(m_rated, 1);
    layout->addWidget(m_top, 2);
    layout->addWidget(m_status);

    const auto rateTyped = [this] {
        if (rate(m_title->text(), m_stars->value()))
            m_title->clear();
    };
    connect(rateButton, &QPushButton::clicked, this, rateTyped);
    connect(m_title, &QLineEdit::returnPressed, this, rateTyped);
    connect(importButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import your ratings"), QString(),
                                                          tr("CSV files (*.csv *.txt);;All files (*)"));
        QString error;
        if (!path.isEmpty() && !importRatings(path, &error))
            m_status->setText(error);
    });
    connect(saveButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save your ratings"),
                                                          QStringLiteral("my-ratings.csv"), tr("CSV files (*.csv)"));
        QString error;
        if (!path.isEmpty())
            m_status->setText(saveRatings(path, &error) ? tr("Saved to %1.").arg(path) : error);
    });
    auto* forgetKey = new QShortcut(QKeySequence::Delete, m_rated, nullptr, nullptr, Qt::WidgetShortcut);
    connect(forgetKey, &QShortcut::activated, this, [this] {
        if (auto* cell = m_rated->currentItem())
            forget(cell->data(Qt::UserRole).toInt());
    });
    refresh();
}

void YouPage::setData(std::shared_ptr<const Dataset> data) {
    m_data = std::move(data);
    m_ratings.clear();
    QStringList titles;
    if (m_data) {
        for (int32_t i = 0; i < m_data->items.size(); ++i)
            titles << titleOf(i);
        const double step = m_data->scaleMin == std::floor(m_data->scaleMin) ? 1.0 : 0.5;
        m_stars->setRange(m_data->scaleMin, m_data->scaleMax);
        m_stars->setSingleStep(step);
        m_stars->setValue(m_data->scaleMax);
    }
    if (QCompleter* old = m_title->completer())
        old->deleteLater(); // setCompleter does not delete the one it replaces
    auto* completer = new QCompleter(titles, m_title);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    m_title->setCompleter(completer);
    refresh();
}

void YouPage::setModel(std::shared_ptr<const Model> model) {
    m_model = std::move(model);
    m_itemFactors = m_model && m_model->spec().hasFactors() ? m_model->itemFactors() : Matrix{};
    refresh();
}

QString YouPage::titleOf(int32_t item) const {
    return QString::fromStdString(m_data->catalogue.titleOf(m_data->items.original(item)));
}

QString YouPage::statusText() const { return m_status->text(); }

bool YouPage::rate(const QString& title, double stars) {
    const QString wanted = title.trimmed();
    if (!m_data || wanted.isEmpty()) {
        m_status->setText(tr("Type a title to rate."));
        return false;
    }
    for (int32_t i = 0; i < m_data->items.size(); ++i)
        if (titleOf(i).compare(wanted, Qt::CaseInsensitive) == 0)
            return rateItem(i, stars);
    for (int32_t i = 0; i < m_data->items.size(); ++i)
        if (titleOf(i).contains(wanted, Qt::CaseInsensitive))
            return rateItem(i, stars);
    m_status->setText(tr("No movie's title contains “%1”; try part of the title.").arg(wanted));
    return false;
}

bool YouPage::rateItem(int32_t item, double stars) {
    if (!m_data || item < 0 || item >= m_data->items.size())
        return false;
    if (!(stars >= m_data->scaleMin && stars <= m_data->scaleMax)) {
        m_status->setText(tr("%1 stars is outside this data set's scale (%2 to %3).")
                              .arg(stars)
                              .arg(m_data->scaleMin)
                              .arg(m_data->scaleMax));
        return false;
    }
    m_ratings[item] = static_cast<float>(stars);
    refresh();
    return true;
}

void YouPage::forget(int32_t item) {
    m_ratings.erase(item);
    refresh();
}

void YouPage::refreshRated() {
    m_rated->setRowCount(static_cast<int>(m_ratings.size()));
    int row = 0;
    for (const auto& [item, stars] : m_ratings)
        setRow(m_rated, row++, {titleOf(item), QString::number(stars)}, item);
}

void YouPage::refresh() {
    m_top->setRowCount(0);
    Q_EMIT placed({}); // until a fold-in places you again
    if (!m_data) {
        m_status->setText(tr("Open a data set, train a model, then rate movies here."));
        return;
    }
    refreshRated();
    if (!m_model) {
        m_status->setText(tr("Train a model (or open a checkpoint) to see where your ratings place you."));
        return;
    }
    if (auto why = whyCannotFoldIn(m_model->spec())) {
        m_status->setText(tr("This model cannot take you in: %1.").arg(QString::fromStdString(*why)));
        return;
    }
    if (m_ratings.empty()) {
        m_status->setText(tr("Rate a few movies: your top 10 appears after the first."));
        return;
    }
    FoldInUser you;
    for (const auto& [item, stars] : m_ratings) {
        you.items.push_back(item);
        you.ratings.push_back(stars);
    }
    const auto start = std::chrono::steady_clock::now();
    std::vector<float> scores, vector;
    try {
        const Model folded = foldInUsers(*m_model, {you});
        scores = folded.predictAll({0});
        vector = folded.userFactor(0);
    } catch (const Error& e) {
        m_status->setText(QString::fromStdString(e.what()));
        return;
    }
    m_lastFoldMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    for (float& score : scores)
        if (!std::isfinite(score))
            score = -INFINITY; // keeps the sort's order strict
    for (const auto& [item, stars] : m_ratings)
        scores[static_cast<std::size_t>(item)] = -INFINITY; // not what you have seen
    std::vector<int32_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    const std::size_t k = std::min<std::size_t>(10, scores.size() - m_ratings.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [&](int32_t a, int32_t b) { return scores[a] > scores[b]; });
    m_top->setRowCount(static_cast<int>(k));
    std::vector<int32_t> rated; // the candidates for "closest of yours"
    for (const auto& [item, stars] : m_ratings)
        rated.push_back(item);
    for (std::size_t r = 0; r < k; ++r) {
        const int32_t item = order[r];
        const auto closest = nearest(m_itemFactors, item, 1, Metric::Cosine, rated);
        if (closest.empty()) {
            setRow(m_top, static_cast<int>(r), {titleOf(item), QString::number(scores[item], 'f', 2), QString()}, item);
            continue;
        }
        const int32_t like = closest.front().item;
        const double best = closest.front().score;
        setRow(m_top, static_cast<int>(r),
               {titleOf(item), QString::number(scores[item], 'f', 2),
                tr("%1 (%2 ★)").arg(titleOf(like)).arg(m_ratings.at(like))},
               item);
        m_top->item(static_cast<int>(r), 2)
            ->setToolTip(tr("You gave %1 %2 ★; cosine similarity of the two movies' embeddings: %3")
                             .arg(titleOf(like))
                             .arg(m_ratings.at(like))
                             .arg(best, 0, 'f', 2));
    }
    const QString ms = QString::number(m_lastFoldMs, 'f', 0);
    Q_EMIT placed(QVector<float>(vector.begin(), vector.end()));
    m_status->setText((m_ratings.size() == 1
                           ? tr("Folded in from your rating in %1 ms").arg(ms)
                           : tr("Folded in from your %1 ratings in %2 ms").arg(m_ratings.size()).arg(ms)) +
                      tr("; the movies stay as the model learned them."));
}

int64_t YouPage::newUserId() const {
    const auto& ids = m_data->users.originals();
    return ids.empty() ? 1 : *std::max_element(ids.begin(), ids.end()) + 1;
}

bool YouPage::saveRatings(const QString& path, QString* error) const {
    if (!m_data || m_ratings.empty()) {
        *error = tr("Nothing to save: rate some movies first.");
        return false;
    }
    std::ostringstream out;
    out << "user,item,rating\n";
    const int64_t user = newUserId();
    for (const auto& [item, stars] : m_ratings)
        out << user << ',' << m_data->items.original(item) << ',' << stars << '\n';
    try {
        writeFileAtomically(path.toStdString(), out.str(), "your ratings");
    } catch (const Error& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

void YouPage::setKeepPath(const QString& path) {
    m_keepPath = path;
    m_keep->setEnabled(!path.isEmpty());
}

bool YouPage::keep() {
    QString error;
    if (m_keepPath.isEmpty() || !QDir().mkpath(QFileInfo(m_keepPath).absolutePath()) ||
        !saveRatings(m_keepPath, &error)) {
        m_status->setText(error.isEmpty() ? tr("There is nowhere to keep your ratings for this data set.") : error);
        return false;
    }
    m_status->setText(tr("Kept your %1 ratings in %2. Tick Datasets ▸ Include my ratings when loading, and the next "
                         "training learns you with everyone else.")
                          .arg(m_ratings.size())
                          .arg(QDir::toNativeSeparators(m_keepPath)));
    return true;
}

bool YouPage::importRatings(const QString& path, QString* error) {
    if (!m_data) {
        *error = tr("Open a data set first.");
        return false;
    }
    std::vector<IdRow> rows;
    try {
        rows = readIdRows(path.toStdString(), true, m_data->scaleMin, m_data->scaleMax);
    } catch (const Error& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
    std::map<int32_t, float> mine;
    std::size_t unknown = 0;
    for (const IdRow& r : rows) {
        if (r.user != rows.front().user)
            continue; // the first user's rows
        if (const auto item = m_data->items.index(r.item))
            mine[*item] = static_cast<float>(r.rating);
        else
            ++unknown;
    }
    if (mine.empty()) {
        *error = tr("%1: none of its movies is in this data set.").arg(path);
        return false;
    }
    m_ratings = std::move(mine);
    refresh();
    if (unknown > 0)
        m_status->setText(m_status->text() +
                          tr(" Skipped: %1 of the file's ratings, of movies this data set lacks.").arg(unknown));
    return true;
}

} // namespace factorscope::ui
