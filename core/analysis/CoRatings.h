#pragma once
// Movies similar by who rated them alike: the neighbourhood models' item-item similarity over a
// data set's ratings. The explorer lists a kNN model's neighbours of a movie by its own measure
// (with the support: the users who rated both), and beside a factor model's embedding
// neighbours it shows how many are also among the movies rated most alike.
#include "core/data/Dataset.h"
#include "core/model/ModelSpec.h"
#include "core/model/Neighbourhood.h"

#include <memory>
#include <vector>

namespace factorscope {

struct CoRatings {
    SparseRows byItem, byUser;
    BaselineFit baseline; // Surprise's BaselineOnly defaults, for pearson-baseline's residuals
    std::vector<float> itemResiduals, userResiduals;
};

// Every rating of the data set grouped by movie and by user, and the baseline fitted to them
// (MovieLens 100K: a few milliseconds; tens of millions of ratings: seconds).
std::shared_ptr<const CoRatings> coRatingsOf(const Dataset& data);

// The n movies most similar to `item` by spec's similarity, minimum support and shrinkage over
// the users who rated both, most similar first (an empty list for an item out of range).
std::vector<SimilarRow> similarMovies(const CoRatings& c, int32_t item, const ModelSpec& spec, int n);

// The measure a factor model's neighbours are set beside: item-based pearson-baseline with
// shrinkage 100, the neighbourhood model that predicts MovieLens 100K best (README).
ModelSpec coRatingMeasure();

} // namespace factorscope
