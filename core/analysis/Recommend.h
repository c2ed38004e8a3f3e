#pragma once
// Recommendations for one user, and why one rating was predicted.
#include "core/analysis/DataViews.h"
#include "core/data/Dataset.h"
#include "core/model/Model.h"
#include "core/model/Neighbourhood.h"

#include <string>
#include <vector>

namespace factorscope {

struct Scored {
    int32_t item = 0;
    double rating = 0; // predicted, or the user's own rating for ratedBy()
};

// The user's n highest-predicted movies among those they have not rated in `data`. With the
// data's RowsByUser, the user's ratings are looked up instead of searched for.
std::vector<Scored> recommend(const Model& model, const Dataset& data, int32_t user, int n,
                              const RowsByUser* byUser = nullptr);
// What the user rated, highest first (to show beside the recommendations).
std::vector<Scored> ratedBy(const Dataset& data, int32_t user, int n, const RowsByUser* byUser = nullptr);

struct Explanation {
    bool decomposes = false; // false for mlp/linear/neumf/knn: no additive parts to show
    double prediction = 0;   // what the model predicts
    double raw = 0;          // the additive score before the sigmoid or the clip
    bool biases = false;     // dotbias, baseline, svdpp; autorec's user offset
    double userBias = 0;
    double itemBias = 0;
    bool itemBiasPart = true; // false for autorec: a user offset, no movie bias
    bool hasMean = false;     // baseline, svdpp: the training ratings' mean is a part
    double mean = 0;
    // knn: the neighbours that voted, most similar first, and what their weighted average of
    // centred ratings is added to (the centre); neighbours are users or movies (votersAreUsers).
    std::vector<NeighbourVote> votes;
    double centre = 0;
    bool votersAreUsers = true;
    std::vector<double> factors; // u_f * v_f per factor; they sum with the biases to raw
    bool sigmoid = false;        // prediction = yMin + (yMax - yMin) * sigmoid(raw)
    double yMin = 0, yMax = 0;
    std::string note; // one sentence for the reader
};

Explanation explain(const Model& model, int32_t user, int32_t item);

} // namespace factorscope
