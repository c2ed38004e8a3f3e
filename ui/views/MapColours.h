#pragma once
// How the explorer's map colours its movies: by genre, by how often they were rated (quartiles)
// or by their mean rating. One group index per item and the legend's names.
#include "core/analysis/DataViews.h"
#include "core/data/Dataset.h"

#include <QStringList>

#include <vector>

namespace factorscope::ui {

enum class MapColour { Genre, Popularity, MeanRating };

struct ColourGroups {
    QStringList names;
    std::vector<int> of; // per item; -1: no group (a movie without a genre)
};

ColourGroups colourGroups(MapColour colour, const Dataset& data, const ItemFacts& facts);

} // namespace factorscope::ui
