#include "ui/views/MapColours.h"

#include <QCoreApplication>

#include <algorithm>

namespace factorscope::ui {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("factorscope::ui::ExplorerView", text); }
} // namespace

ColourGroups colourGroups(MapColour colour, const Dataset& data, const ItemFacts& facts) {
    const auto& counts = facts.counts;
    ColourGroups g;
    g.of.assign(counts.size(), -1);
    switch (colour) {
    case MapColour::Genre:
        for (const auto& name : data.catalogue.genreNames())
            g.names << QString::fromStdString(name);
        g.of = facts.primaryGenre;
        break;
    case MapColour::Popularity: {
        if (counts.empty())
            break;
        std::vector<int64_t> sorted = counts;
        std::sort(sorted.begin(), sorted.end());
        const int64_t q1 = sorted[sorted.size() / 4], q2 = sorted[sorted.size() / 2],
                      q3 = sorted[sorted.size() * 3 / 4];
        g.names = {tr("up to %1 ratings").arg(q1), tr("%1 to %2").arg(q1 + 1).arg(q2),
                   tr("%1 to %2").arg(q2 + 1).arg(q3), tr("more than %1").arg(q3)};
        for (std::size_t i = 0; i < counts.size(); ++i)
            g.of[i] = counts[i] <= q1 ? 0 : counts[i] <= q2 ? 1 : counts[i] <= q3 ? 2 : 3;
        break;
    }
    case MapColour::MeanRating:
        g.names = {tr("mean below 2.5"), tr("2.5 to 3"), tr("3 to 3.5"), tr("3.5 to 4"), tr("4 and above")};
        for (std::size_t i = 0; i < counts.size(); ++i) {
            const double m = facts.meanRating[i];
            g.of[i] = m < 2.5 ? 0 : m < 3 ? 1 : m < 3.5 ? 2 : m < 4 ? 3 : 4;
        }
        break;
    }
    return g;
}

} // namespace factorscope::ui
