#include "ui/views/ExplorerView.h"

#include "core/analysis/DataViews.h"
#include "core/analysis/Neighbours.h"
#include "core/analysis/Recommend.h"
#include "ui/charts/BarChart.h"
#include "ui/views/DataViewsPanel.h"
#include "ui/views/MapColours.h"
#include "ui/views/MapWidget.h"
#include "ui/views/YouPage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <cmath>
#include <numeric>

namespace factorscope::ui {

namespace {
constexpr int kFitMovies = 1000; // the most-rated movies define the components

void fill(QTableWidget* t, const QVector<QStringList>& rows) {
    t->setRowCount(rows.size());
    for (int r = 0; r < rows.size(); ++r)
        for (int c = 0; c < rows[r].size(); ++c) {
            auto* item = new QTableWidgetItem(rows[r][c]);
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            t->setItem(r, c, item);
        }
}

// Wraps a title onto lines of about `width` characters, so long titles fit under their bars.
QString wrapped(const QString& title, int width = 14) {
    QStringList lines;
    QString line;
    for (const QString& word : title.split(QLatin1Char(' '))) {
        if (!line.isEmpty() && line.size() + 1 + word.size() > width) {
            lines << line;
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
    }
    lines << line;
    return lines.mid(0, 3).join(QLatin1Char('\n'));
}
} // namespace

QString ExplorerView::titleOf(int32_t item) const {
    return QString::fromStdString(m_data->catalogue.titleOf(m_data->items.original(item)));
}

void ExplorerView::setData(std::shared_ptr<const Dataset> data, std::shared_ptr<const DataDigest> digest) {
    m_data = std::move(data);
    m_you->setData(m_data);
    if (!digest)
        digest = std::make_shared<const DataDigest>(factorscope::digest(*m_data));
    ++m_generation; // a projection still on its way is of the last data set
    m_projector->restartAlignment();
    m_tsne->cancel();
    m_tsneFrame.reset();
    m_projection.reset();
    m_factors.reset();
    m_nearItems.clear();
    m_selected = -1;
    m_digest = std::move(digest);
    recolour();
    m_user->setRange(1, static_cast<int>(std::min<int64_t>(m_data->users.originals().back(), INT_MAX)));
    m_map->setPoints({}, {});
    m_status->setText(tr("Train a model: its movie embeddings appear here and move as it learns."));
    m_dataViews->setData(*m_data, *m_digest);
}

void ExplorerView::updateEmbeddings(std::shared_ptr<const Matrix> factors) {
    if (!m_data || !factors || factors->rows != m_data->items.size() || factors->cols < 2)
        return;
    m_factors = factors;
    ProjectionRequest r;
    r.factors = std::move(factors);
    r.components = std::min<int>(kComponents, static_cast<int>(m_factors->cols));
    const auto& byCount = m_digest->items.byCount;
    r.fitRows.assign(byCount.begin(), byCount.begin() + std::min<std::ptrdiff_t>(kFitMovies, std::ssize(byCount)));
    r.shownRows = m_shown->currentIndex() == 1 ? byCount : r.fitRows;
    if (!m_data->demoGenreOfItem.empty())
        r.labels = m_digest->items.primaryGenre;
    r.generation = m_generation;
    m_projector->request(std::move(r)); // on a worker: applyProjection shows it
}

void ExplorerView::applyProjection(const ProjectionResult& result) {
    if (result.generation != m_generation || !m_data)
        return; // made for the data set shown before this one
    if (!result.error.isEmpty()) {
        m_status->setText(tr("Could not project the embeddings: %1").arg(result.error));
        return;
    }
    m_projection = result.projection;
    if (readsModel(m_colour))
        recolour(); // the model moved: its biases and norms with it
    if (!m_data->demoGenreOfItem.empty())
        m_separability = result.separability;
    if (axesShown())
        applyAxes(); // the axes' ends moved with the embeddings; refreshes the map
    else
        refreshMap();
    refreshComponents();
    refreshNeighbours();
    if (tsneShown())
        requestTsne(); // new embeddings, or other movies shown: lay them out afresh
}

void ExplorerView::setModel(std::shared_ptr<const Model> model) {
    m_model = std::move(model);
    m_you->setModel(m_model);
    m_youVector.clear();
    m_userFactors = Matrix{};
    if (m_model && !m_model->spec().hasFactors()) {
        m_map->setPoints({}, {});
        m_status->setText(tr("A %1 model has no movie embeddings to map: it predicts from ratings and biases. "
                             "The Recommend page shows why it predicts what it does.")
                              .arg(QString::fromStdString(toString(m_model->spec().kind))));
    } else if (m_model) {
        updateEmbeddings(std::make_shared<const Matrix>(m_model->itemFactors()));
    }
    refreshUser();
}

void ExplorerView::setColour(Colour c) {
    m_colour = c;
    if (m_colourBy->currentIndex() != static_cast<int>(c))
        m_colourBy->setCurrentIndex(static_cast<int>(c));
    if (m_data) {
        recolour();
        refreshMap();
    }
}

void ExplorerView::recolour() {
    ItemModelValues values;
    if (readsModel(m_colour) && m_model)
        values.bias = m_model->itemBiases();
    if (m_colour == Colour::Norm && m_factors)
        values.norm = rowNorms(*m_factors);
    m_groups = colourGroups(m_colour, *m_data, m_digest->items, values);
}

void ExplorerView::setAllMoviesShown(bool on) {
    if (m_shown->currentIndex() != (on ? 1 : 0))
        m_shown->setCurrentIndex(on ? 1 : 0); // re-enters through the signal
    else if (m_factors) {
        m_projection.reset(); // a different set of rows: start the alignment afresh
        m_projector->restartAlignment();
        updateEmbeddings(m_factors);
    }
}

void ExplorerView::setUsersShown(bool on) {
    m_showUsers = on;
    if (m_users->isChecked() != on)
        m_users->setChecked(on);
    refreshMap();
}

void ExplorerView::refreshMap() {
    if (tsneShown())
        return showTsneMap();
    const bool axes = axesShown();
    if (!m_projection || (axes && !m_axes))
        return m_map->setPoints({}, {}); // custom axes not (yet) drawable: the status says why
    const Projection& proj = axes ? *m_axes : *m_projection;
    const int cx = axes ? 0 : m_xAxis->currentData().toInt(), cy = axes ? 1 : m_yAxis->currentData().toInt();
    const int C = static_cast<int>(proj.coords.cols);
    if (cx >= C || cy >= C)
        return;
    QVector<MapWidget::Point> pts;
    pts.reserve(static_cast<int>(proj.items.size()));
    for (std::size_t r = 0; r < proj.items.size(); ++r)
        pts.push_back(moviePoint(proj.items[r], QPointF(proj.coords.at(static_cast<int64_t>(r), cx),
                                                        proj.coords.at(static_cast<int64_t>(r), cy))));
    if (m_showUsers && m_model && m_userFactors.rows == 0)
        m_userFactors = m_model->userFactors();
    // A user vector in the movies' space: centred by the movies' mean, on the same components.
    const auto place = [&](const float* v, int64_t n) {
        double x = 0, y = 0;
        for (int64_t f = 0; f < n; ++f) {
            const double c = v[f] - proj.mean[static_cast<std::size_t>(f)];
            x += c * proj.components.at(cx, f);
            y += c * proj.components.at(cy, f);
        }
        return QPointF(x, y);
    };
    if (m_showUsers && m_userFactors.rows > 0 && m_userFactors.cols == proj.components.cols)
        for (int64_t u = 0; u < m_userFactors.rows; ++u) {
            MapWidget::Point p;
            p.pos = place(&m_userFactors.values[static_cast<std::size_t>(u * m_userFactors.cols)], m_userFactors.cols);
            p.item = static_cast<int>(u);
            p.user = true;
            p.label = tr("User %1").arg(m_data->users.original(static_cast<int32_t>(u)));
            pts.push_back(p);
        }
    if (static_cast<int64_t>(m_youVector.size()) == proj.components.cols) { // you, from the You page
        MapWidget::Point p;
        p.pos = place(m_youVector.data(), static_cast<int64_t>(m_youVector.size()));
        p.marker = true;
        p.label = tr("You");
        pts.push_back(p);
    }
    m_map->setPoints(pts, m_groups.names, m_groups.ordered);
    const auto& ev = proj.explainedVarianceRatio;
    if (axes)
        m_map->setAxisTitles(m_axesTitles.value(0), m_axesTitles.value(1));
    else
        m_map->setAxisTitles(
            tr("PC%1 (%2% of variance)").arg(cx + 1).arg(ev[static_cast<std::size_t>(cx)] * 100, 0, 'f', 1),
            tr("PC%1 (%2%)").arg(cy + 1).arg(ev[static_cast<std::size_t>(cy)] * 100, 0, 'f', 1));
    QString text =
        m_groups.missing.isEmpty()
            ? tr("%1 movies; colour: %2.").arg(m_projection->items.size()).arg(m_colourBy->currentText().toLower())
            : tr("%1 movies; no colours: %2.").arg(m_projection->items.size()).arg(m_groups.missing);
    if (axes)
        text.prepend(m_axesNote + QLatin1Char(' '));
    if (!m_data->demoGenreOfItem.empty() && !axes)
        text += tr(" Planted genres recovered: %1% of movies share the genre of most of their 5 nearest "
                   "neighbours on the top components (chance: %2%).")
                    .arg(m_separability * 100, 0, 'f', 0)
                    .arg(100.0 / std::max<std::size_t>(1, m_data->catalogue.genreNames().size()), 0, 'f', 0);
    m_status->setText(text);
}

void ExplorerView::refreshComponents() {
    if (!m_projection)
        return;
    const int c = m_component->currentData().toInt();
    const int C = static_cast<int>(m_projection->coords.cols);
    if (c >= C)
        return;
    std::vector<int64_t> rows(m_projection->items.size());
    std::iota(rows.begin(), rows.end(), 0);
    const bool lowest = m_end->currentIndex() == 1;
    std::sort(rows.begin(), rows.end(), [&](int64_t a, int64_t b) {
        return lowest ? m_projection->coords.at(a, c) < m_projection->coords.at(b, c)
                      : m_projection->coords.at(a, c) > m_projection->coords.at(b, c);
    });
    rows.resize(std::min<std::size_t>(12, rows.size()));
    std::reverse(rows.begin(), rows.end()); // horizontal bars stack upwards: the most extreme on top
    QStringList titles;
    for (int64_t r : rows)
        titles << wrapped(titleOf(m_projection->items[static_cast<std::size_t>(r)]), 30);
    m_components->setCategories(titles);
    for (int k = 0; k < kComponents; ++k) {
        QVector<double> v;
        for (int64_t r : rows)
            v.push_back(k < C ? m_projection->coords.at(r, k) : 0.0);
        m_components->setValues(k, v);
    }
    m_components->setTitle(tr("Movies with the %1 PC%2 values").arg(m_end->currentText()).arg(c + 1));
}

void ExplorerView::selectMovie(int32_t item) {
    m_selected = item;
    m_map->setSelected(item);
    refreshNeighbours();
    refreshExplanation();
}

void ExplorerView::selectUser(int32_t user) { m_user->setValue(user); }

void ExplorerView::showPage(int page) { m_pages->setCurrentIndex(page); }

bool ExplorerView::selectMovieTitled(const QString& text) {
    if (!m_data || text.trimmed().isEmpty())
        return false;
    for (int32_t i = 0; i < m_data->items.size(); ++i)
        if (titleOf(i).contains(text.trimmed(), Qt::CaseInsensitive)) {
            selectMovie(i);
            return true;
        }
    return false;
}

void ExplorerView::refreshNeighbours() {
    const bool knn = m_model && m_model->spec().kind == ModelKind::Knn;
    m_metric->setEnabled(!knn);
    if (m_selected < 0 || !m_data || (!knn && !m_factors))
        return;
    const QString title = titleOf(m_selected).toHtmlEscaped();
    QVector<QStringList> rows;
    m_nearItems.clear();
    m_alikeFillsTable = knn;
    if (knn) { // by the model's own measure, over the users who rated both: filled by the job
        const ModelSpec& s = m_model->spec();
        m_neighbourTitle->setText(tr("<b>%1</b>: the movies the same users rated most alike, by the model's measure "
                                     "(%2). Support: the users who rated both.")
                                      .arg(title, QString::fromStdString(toString(s.similarity))));
        m_neighbours->setHorizontalHeaderLabels({tr("Rated most alike"), tr("Similarity"), tr("Support")});
        fill(m_neighbours, {{tr("Comparing the movie's raters with every other movie's…"), QString(), QString()}});
        m_alike->request({m_data, m_selected, s, 15, ++m_alikeGeneration});
        return;
    }
    // The embedding's neighbours now; which the same users also rated most alike, when the job
    // has found them.
    const bool cosine = m_metric->currentIndex() == 0;
    for (const Neighbour& n : nearest(*m_factors, m_selected, 15, cosine ? Metric::Cosine : Metric::Euclidean)) {
        m_nearItems.push_back(n.item);
        rows.push_back({titleOf(n.item), QString::number(n.score, 'f', 3), QStringLiteral("…")});
    }
    m_neighbourTitle->setText(cosine ? tr("<b>%1</b>: the movies whose embeddings point the same way.").arg(title)
                                     : tr("<b>%1</b>: the movies whose embeddings lie closest.").arg(title));
    m_neighbours->setHorizontalHeaderLabels(
        {tr("Nearest movies"), cosine ? tr("Similarity") : tr("Distance"), tr("Rated alike")});
    fill(m_neighbours, rows);
    m_alike->request({m_data, m_selected, coRatingMeasure(), 15, ++m_alikeGeneration});
}

void ExplorerView::applyRatedAlike(const RatedAlikeResult& result) {
    if (result.generation != m_alikeGeneration || result.item != m_selected || result.data != m_data)
        return; // an earlier request, or another data set's
    if (!result.error.isEmpty()) {
        m_neighbourTitle->setText(tr("Could not compare the movies' ratings: %1").arg(result.error.toHtmlEscaped()));
        if (m_alikeFillsTable)
            m_neighbours->setRowCount(0);
        return;
    }
    QVector<QStringList> rows;
    if (m_alikeFillsTable) { // a kNN model: the list is the result
        for (const SimilarRow& n : result.rows)
            rows.push_back({titleOf(n.row), QString::number(n.similarity, 'f', 3), QString::number(n.support)});
        fill(m_neighbours, rows);
        return;
    }
    int shared = 0;
    for (std::size_t r = 0; r < m_nearItems.size() && static_cast<int>(r) < m_neighbours->rowCount(); ++r) {
        const bool both = std::any_of(result.rows.begin(), result.rows.end(),
                                      [&](const SimilarRow& n) { return n.row == m_nearItems[r]; });
        shared += both ? 1 : 0;
        m_neighbours->item(static_cast<int>(r), 2)->setText(both ? tr("yes") : QString());
    }
    m_neighbourTitle->setText(
        m_neighbourTitle->text() +
        tr(" %1 of these %2 are also among the %3 movies the same users rated most alike (pearson-baseline over "
           "shared raters, as the neighbourhood model measures it).")
            .arg(shared)
            .arg(m_nearItems.size())
            .arg(result.rows.size()));
}

void ExplorerView::refreshUser() {
    m_rated->setRowCount(0);
    m_recommended->setRowCount(0);
    if (!m_model || !m_data)
        return;
    const auto user = m_data->users.index(m_user->value());
    if (!user)
        return;
    QVector<QStringList> rated;
    for (const Scored& s : ratedBy(*m_data, *user, 15, &m_digest->byUser))
        rated.push_back({titleOf(s.item), QString::number(s.rating, 'f', 1)});
    fill(m_rated, rated);
    QVector<QStringList> recs;
    const auto list = recommend(*m_model, *m_data, *user, 15, &m_digest->byUser);
    for (const Scored& s : list)
        recs.push_back({titleOf(s.item), QString::number(s.rating, 'f', 2)});
    fill(m_recommended, recs);
    for (int r = 0; r < static_cast<int>(list.size()); ++r)
        m_recommended->item(r, 0)->setData(Qt::UserRole, list[static_cast<std::size_t>(r)].item);
    refreshExplanation();
}

// A neighbourhood model's votes: the centre, then each of the eight most similar neighbours'
// share of the weighted average (similarity x centred rating / total similarity), then the rest.
void ExplorerView::addVotes(const Explanation& e, QStringList& cats, QVector<double>& values) const {
    double total = 0;
    for (const auto& v : e.votes)
        total += v.similarity;
    if (m_model->spec().knnCentre != KnnCentre::None) {
        cats << tr("centre");
        values << e.centre;
    }
    double rest = 0;
    for (std::size_t k = 0; k < e.votes.size(); ++k) {
        const auto& v = e.votes[k];
        const double share = v.similarity * v.centred / total;
        if (k >= 8) {
            rest += share;
            continue;
        }
        const QString who =
            e.votersAreUsers ? tr("user %1").arg(m_data->users.original(v.neighbour)) : titleOf(v.neighbour).left(28);
        cats << tr("%1 · %2★ · %3").arg(who).arg(v.rating, 0, 'g', 2).arg(v.similarity, 0, 'f', 2);
        values << share;
    }
    if (e.votes.size() > 8) {
        cats << tr("%1 other neighbours").arg(e.votes.size() - 8);
        values << rest;
    }
}

void ExplorerView::refreshExplanation() {
    if (!m_model || !m_data || m_selected < 0)
        return;
    const auto user = m_data->users.index(m_user->value());
    if (!user)
        return;
    const Explanation e = explain(*m_model, *user, m_selected);
    QStringList cats;
    QVector<double> values;
    if (e.decomposes) {
        if (e.hasMean) {
            cats << tr("mean rating");
            values << e.mean;
        }
        if (e.biases) {
            cats << tr("user bias");
            values << e.userBias;
        }
        if (e.biases && e.itemBiasPart) {
            cats << tr("movie bias");
            values << e.itemBias;
        }
        // The eight largest factor products, then the rest together.
        std::vector<int> order(e.factors.size());
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(),
                  [&](int a, int b) { return std::abs(e.factors[a]) > std::abs(e.factors[b]); });
        double rest = 0;
        for (std::size_t k = 0; k < order.size(); ++k) {
            if (k < 8) {
                cats << tr("factor %1").arg(order[k] + 1);
                values << e.factors[static_cast<std::size_t>(order[k])];
            } else {
                rest += e.factors[static_cast<std::size_t>(order[k])];
            }
        }
        if (order.size() > 8) {
            cats << tr("other factors");
            values << rest;
        }
    }
    if (!e.votes.empty())
        addVotes(e, cats, values);
    std::reverse(cats.begin(), cats.end()); // horizontal bars stack upwards: biases on top
    std::reverse(values.begin(), values.end());
    m_explain->setCategories(cats);
    m_explain->setValues(0, values);
    m_explainTitle->setText(tr("Why user %1 gets <b>%2 stars</b> for <b>%3</b>:")
                                .arg(m_user->value())
                                .arg(e.prediction, 0, 'f', 2)
                                .arg(titleOf(m_selected).toHtmlEscaped()));
    m_explain->setTitle(e.decomposes ? tr("Parts of the score %1%2")
                                           .arg(e.raw, 0, 'f', 2)
                                           .arg(e.sigmoid ? tr(" (a sigmoid maps it to stars)") : QString())
                        : !e.votes.empty() ? tr("Votes: neighbour · rating · similarity")
                                           : QString::fromStdString(e.note));
    if (!e.votes.empty()) // the note says who voted and how: the label wraps it
        m_explainTitle->setText(m_explainTitle->text() + QLatin1Char(' ') +
                                QString::fromStdString(e.note).toHtmlEscaped());
}

} // namespace factorscope::ui
