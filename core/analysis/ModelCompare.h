#pragma once
// Two models' movies side by side: how far each movie's embedding moved from one model to the
// other once the second is rotated onto the first (orthogonal Procrustes), and how many of each
// movie's nearest neighbours the two models share (Jaccard). Movies are matched by original id,
// so the models may come from different runs, kinds, factor counts or data sets.
#include "core/model/Model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace factorscope {

// One model's side of a comparison: per encoded item, its original id, and either its
// embedding (a row of `factors`) or, for a model without embeddings (an item-based kNN), its
// own neighbour list, most similar first.
struct ItemSide {
    std::vector<int64_t> ids;
    Matrix factors;                               // rows == ids.size(), or empty
    std::vector<std::vector<int32_t>> neighbours; // used when `factors` is empty
};

struct ModelComparison {
    std::vector<int64_t> ids;          // the movies both know, original ids ascending
    std::vector<int32_t> rowsA, rowsB; // their encoded indices in A and in B
    int k = 10;
    // Per shared movie: |a - s * b * W| over the root-mean-square length of A's vectors, where W
    // (B's factors x A's) has orthonormal rows or columns and s is the best single scale;
    // empty when either side has no embeddings.
    std::vector<double> moved;
    // Per shared movie: |N_A ∩ N_B| / |N_A ∪ N_B| of its k nearest among the shared movies
    // (cosine for embeddings, the model's own order for kNN); NaN where neither has neighbours.
    std::vector<double> jaccard;
    std::vector<int> shared; // per shared movie: |N_A ∩ N_B|, the neighbours both name (0 to k)
    double scale = 1;        // s: B's vectors times s are as long as A's
    double residual = 0;     // |A - s * B * W| / |A|, Frobenius, over the shared movies
    double meanJaccard = 0;
    double medianMoved = 0;
    bool aligned() const { return !moved.empty(); }
};

// The k nearest rows of `factors` to each of `rows` by cosine, among `rows` themselves, as
// indices into `rows`; blocked matrix products (Eigen), so tens of thousands of rows take
// seconds, not minutes.
std::vector<std::vector<int32_t>> cosineNeighbourLists(const Matrix& factors, const std::vector<int32_t>& rows, int k);

// Over the movies both know (of A's rows `onlyA` when given: e.g. its most rated). Throws
// SpecError when they share fewer than k + 2 movies or k < 1.
ModelComparison compareItemSides(const ItemSide& a, const ItemSide& b, int k = 10,
                                 const std::vector<int32_t>& onlyA = {});

// One sentence on what the figures say, for the CLI and the app.
std::string summariseComparison(const ModelComparison& c);

} // namespace factorscope
