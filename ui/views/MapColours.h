#pragma once
// How the explorer's map colours its movies: by genre (categorical), or by bins of a number —
// how often they were rated (quartiles), their mean rating, their year (decades), or what the
// model learned of them: the movie bias and the length (norm) of the embedding (quintiles).
// One group index per item and the legend's names.
#include "core/analysis/DataViews.h"
#include "core/data/Dataset.h"

#include <QStringList>

#include <vector>

namespace factorscope::ui {

enum class MapColour { Genre, Popularity, MeanRating, Year, ItemBias, Norm };

// Whether a colouring reads the model (its biases or embeddings), not the data alone.
inline bool readsModel(MapColour c) { return c == MapColour::ItemBias || c == MapColour::Norm; }

struct ColourGroups {
    QStringList names;
    std::vector<int> of;  // per item; -1: no group (a movie without a genre or year)
    bool ordered = false; // bins of a number: a sequential scale
    QString missing;      // why there are no groups (a model without biases), "" when there are
};

// What the model-reading colourings read, per item (empty where the model has none).
struct ItemModelValues {
    std::vector<float> bias;
    std::vector<float> norm;
};

ColourGroups colourGroups(MapColour colour, const Dataset& data, const ItemFacts& facts,
                          const ItemModelValues& model = {});

} // namespace factorscope::ui
