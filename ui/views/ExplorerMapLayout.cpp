// The explorer map's layouts besides the principal components: t-SNE (its controls' effects,
// the requests to the worker and the frames it sends back as it optimises) and custom axes.
#include "core/analysis/CustomAxes.h"
#include "core/analysis/Pca.h"
#include "ui/views/ExplorerView.h"

#include "core/common/Error.h"
#include "core/io/ProjectorExport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>

namespace factorscope::ui {

bool ExplorerView::tsneShown() const { return m_layout->currentIndex() == 1; }
bool ExplorerView::axesShown() const { return m_layout->currentIndex() == 2; }

void ExplorerView::setTsneLayout(bool on) {
    if (m_layout->currentIndex() != (on ? 1 : 0))
        m_layout->setCurrentIndex(on ? 1 : 0); // re-enters through the signal
}

void ExplorerView::layoutChanged() {
    const bool tsne = tsneShown(), axes = axesShown();
    m_xAxis->setEnabled(!tsne && !axes);
    m_yAxis->setEnabled(!tsne && !axes);
    m_users->setEnabled(!tsne); // users are not in the t-SNE layout
    m_perplexity->setEnabled(tsne);
    m_axesRow->setVisible(axes);
    if (tsne) {
        requestTsne();
    } else {
        m_tsne->cancel();
        m_tsneFrame.reset();
    }
    if (axes)
        applyAxes(); // refreshes the map
    else
        refreshMap();
}

bool ExplorerView::setCustomAxes(const QString& xFrom, const QString& xTo, const QString& yFrom, const QString& yTo) {
    const QString texts[4] = {xFrom, xTo, yFrom, yTo};
    for (int k = 0; k < 4; ++k) {
        m_axisEnds[k]->setText(texts[k]);
        m_axisEnds[k]->setCursorPosition(0); // the title's start in view
    }
    if (!axesShown())
        m_layout->setCurrentIndex(2); // applies through layoutChanged
    else
        applyAxes();
    return m_axes.has_value();
}

std::vector<int32_t> ExplorerView::titleMatches(const QString& text) const {
    std::vector<int32_t> rows;
    const QString wanted = text.trimmed();
    for (int32_t i = 0; !wanted.isEmpty() && i < m_data->items.size(); ++i)
        if (titleOf(i).contains(wanted, Qt::CaseInsensitive))
            rows.push_back(i);
    return rows;
}

void ExplorerView::applyAxes() {
    m_axes.reset();
    if (!axesShown() || !m_projection || !m_factors || !m_data)
        return refreshMap();
    QString text[4];
    std::vector<int32_t> ends[4];
    for (int k = 0; k < 4; ++k) {
        text[k] = m_axisEnds[k]->text().trimmed();
        ends[k] = titleMatches(text[k]);
        if (!text[k].isEmpty() && ends[k].empty()) {
            m_status->setText(tr("No movie's title contains “%1”.").arg(text[k].toHtmlEscaped()));
            return refreshMap();
        }
    }
    if (text[0].isEmpty() || text[1].isEmpty() || text[2].isEmpty() != text[3].isEmpty()) {
        m_status->setText(tr("Name the movies each end of the x axis runs between (part of a title each); for y, "
                             "both ends or neither."));
        return refreshMap();
    }
    double lean = 0;
    try {
        m_axes = customAxes(*m_factors, {ends[0], ends[1]}, {ends[2], ends[3]}, m_projection->items, &lean);
    } catch (const SpecError& e) {
        m_status->setText(tr("These axes cannot be drawn: %1").arg(QString::fromStdString(e.what())));
        return refreshMap();
    }
    const auto end = [&](int k) {
        return ends[k].size() == 1 ? titleOf(ends[k][0]) : tr("“%1” (%2 movies)").arg(text[k]).arg(ends[k].size());
    };
    m_axesTitles = {tr("%1 → %2").arg(end(0), end(1)),
                    text[2].isEmpty() ? tr("the most spread the x axis leaves") : tr("%1 → %2").arg(end(2), end(3))};
    m_axesNote = tr("Custom axes: a movie's place is its embedding's projection on the direction from one end's mean "
                    "to the other's.");
    if (!text[2].isEmpty())
        m_axesNote += tr(" The y direction asked for had a cosine of %1 with x; that part is removed, so the axes are "
                         "perpendicular.")
                          .arg(lean, 0, 'f', 2);
    refreshMap();
}

void ExplorerView::requestTsne() {
    if (!m_projection || !m_factors || !tsneShown())
        return;
    TsneRequest r;
    r.factors = m_factors;
    r.rows = m_projection->items; // the movies the map shows
    r.options.perplexity = m_perplexity->value();
    r.generation = ++m_tsneGeneration;
    m_tsne->request(std::move(r));
}

void ExplorerView::applyTsneFrame(const TsneFrame& frame) {
    if (frame.generation != m_tsneGeneration || !tsneShown())
        return; // of settings or embeddings since replaced
    if (!frame.error.isEmpty()) {
        m_status->setText(tr("Could not lay the movies out with t-SNE: %1").arg(frame.error));
        return;
    }
    m_tsneFrame = frame;
    showTsneMap(); // the map frames the points as the layout grows (unless the user zoomed)
}

void ExplorerView::showTsneMap() {
    if (!m_tsneFrame) {
        m_map->setPoints({}, {});
        m_status->setText(tr("t-SNE: starting…"));
        return;
    }
    const TsneFrame& f = *m_tsneFrame;
    QVector<MapWidget::Point> pts;
    for (std::size_t r = 0; r < f.items.size(); ++r)
        pts.push_back(moviePoint(
            f.items[r], QPointF(f.coords.at(static_cast<int64_t>(r), 0), f.coords.at(static_cast<int64_t>(r), 1))));
    m_map->setPoints(pts, m_groups.names, m_groups.ordered);
    m_map->setAxisTitles(tr("t-SNE x"), tr("t-SNE y"));
    QString text =
        f.done ? tr("t-SNE of %1 movies (perplexity %2).").arg(f.items.size()).arg(m_perplexity->value())
               : tr("t-SNE of %1 movies: iteration %2 of %3…").arg(f.items.size()).arg(f.iteration).arg(f.iterations);
    text += tr(" Movies near each other have similar embeddings; the sizes of clusters, the gaps between them "
               "and the distances between far-apart movies mean nothing.");
    if (f.done && !m_data->demoGenreOfItem.empty()) {
        std::vector<int> labels;
        for (int32_t item : f.items)
            labels.push_back(m_digest->items.primaryGenre[static_cast<std::size_t>(item)]);
        text += tr(" Planted genres recovered: %1% of movies share the genre of most of their 5 nearest "
                   "neighbours here.")
                    .arg(knnAccuracy(f.coords, labels, 2) * 100, 0, 'f', 0);
    }
    m_status->setText(text);
}

MapWidget::Point ExplorerView::moviePoint(int32_t item, QPointF pos) const {
    const auto k = static_cast<std::size_t>(item);
    return {pos, item, m_groups.of[k], static_cast<double>(m_digest->items.counts[k]), titleOf(item)};
}

bool ExplorerView::exportMapCsv(const QString& path, QString* error) const {
    std::vector<int64_t> ids;
    std::vector<std::string> titles;
    Matrix coords;
    coords.cols = 2;
    for (const auto& p : m_map->points()) {
        if (p.user)
            continue;
        ids.push_back(m_data->items.original(p.item));
        titles.push_back(titleOf(p.item).toStdString());
        coords.values.push_back(static_cast<float>(p.pos.x()));
        coords.values.push_back(static_cast<float>(p.pos.y()));
    }
    coords.rows = static_cast<int64_t>(ids.size());
    if (ids.empty()) {
        *error = tr("The map is empty: train a model or open a checkpoint first.");
        return false;
    }
    try {
        writeMapCsv(path.toStdString(), ids, titles, coords);
    } catch (const Error& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

} // namespace factorscope::ui
