#include "ui/views/MapColours.h"

#include <QCoreApplication>

#include <algorithm>
#include <functional>

namespace factorscope::ui {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("factorscope::ui::ExplorerView", text); }

// `k` bins at the quantiles of `values`, named "up to a", "a to b", …, "more than z".
template <class T>
void quantileBins(const std::vector<T>& values, int k, const std::function<QString(T)>& show, ColourGroups& g) {
    if (values.empty())
        return;
    std::vector<T> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    std::vector<T> edges;
    for (int b = 1; b < k; ++b)
        edges.push_back(sorted[sorted.size() * static_cast<std::size_t>(b) / static_cast<std::size_t>(k)]);
    g.names << tr("up to %1").arg(show(edges.front()));
    for (std::size_t b = 1; b < edges.size(); ++b)
        g.names << tr("%1 to %2").arg(show(edges[b - 1]), show(edges[b]));
    g.names << tr("more than %1").arg(show(edges.back()));
    for (std::size_t i = 0; i < values.size(); ++i)
        g.of[i] = static_cast<int>(std::lower_bound(edges.begin(), edges.end(), values[i]) - edges.begin());
    g.ordered = true;
}

void yearBins(const Dataset& data, ColourGroups& g) {
    g.names = {tr("before 1960"), tr("1960s"), tr("1970s"), tr("1980s"), tr("1990s"), tr("2000s"), tr("2010 on")};
    g.ordered = true;
    for (std::size_t i = 0; i < g.of.size(); ++i) {
        const Movie* m = data.catalogue.find(data.items.original(static_cast<int32_t>(i)));
        const int year = m ? m->year : 0;
        g.of[i] = year <= 0 ? -1 : year < 1960 ? 0 : std::min(6, (year - 1950) / 10);
    }
}

} // namespace

ColourGroups colourGroups(MapColour colour, const Dataset& data, const ItemFacts& facts, const ItemModelValues& model) {
    const auto& counts = facts.counts;
    ColourGroups g;
    g.of.assign(counts.size(), -1);
    const auto number = [](float v) { return QString::number(v, 'f', 2); };
    switch (colour) {
    case MapColour::Genre:
        for (const auto& name : data.catalogue.genreNames())
            g.names << QString::fromStdString(name);
        g.of = facts.primaryGenre;
        break;
    case MapColour::Popularity:
        quantileBins<int64_t>(
            counts, 4, [](int64_t v) { return QString::number(v); }, g);
        if (!g.names.isEmpty()) {
            g.names.front() += tr(" ratings");
            g.names.back() += tr(" ratings");
        }
        break;
    case MapColour::MeanRating:
        g.names = {tr("mean below 2.5"), tr("2.5 to 3"), tr("3 to 3.5"), tr("3.5 to 4"), tr("4 and above")};
        g.ordered = true;
        for (std::size_t i = 0; i < counts.size(); ++i) {
            const double m = facts.meanRating[i];
            g.of[i] = m < 2.5 ? 0 : m < 3 ? 1 : m < 3.5 ? 2 : m < 4 ? 3 : 4;
        }
        break;
    case MapColour::Year:
        yearBins(data, g);
        break;
    case MapColour::ItemBias:
        if (model.bias.size() != counts.size())
            g.missing = tr("this model has no movie biases");
        else
            quantileBins<float>(model.bias, 5, number, g);
        break;
    case MapColour::Norm:
        if (model.norm.size() != counts.size())
            g.missing = tr("no embeddings yet");
        else
            quantileBins<float>(model.norm, 5, number, g);
        break;
    }
    return g;
}

} // namespace factorscope::ui
