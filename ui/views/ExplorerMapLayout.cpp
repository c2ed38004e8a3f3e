// The explorer map's t-SNE layout: its controls' effects, the requests to the worker and the
// frames it sends back as it optimises.
#include "core/analysis/Pca.h"
#include "ui/views/ExplorerView.h"

#include "core/common/Error.h"
#include "core/io/ProjectorExport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>

namespace factorscope::ui {

bool ExplorerView::tsneShown() const { return m_layout->currentIndex() == 1; }

void ExplorerView::setTsneLayout(bool on) {
    if (m_layout->currentIndex() != (on ? 1 : 0))
        m_layout->setCurrentIndex(on ? 1 : 0); // re-enters through the signal
}

void ExplorerView::layoutChanged() {
    const bool tsne = tsneShown();
    m_xAxis->setEnabled(!tsne);
    m_yAxis->setEnabled(!tsne);
    m_users->setEnabled(!tsne); // users are not in the t-SNE layout
    m_perplexity->setEnabled(tsne);
    if (tsne) {
        requestTsne();
    } else {
        m_tsne->cancel();
        m_tsneFrame.reset();
    }
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
