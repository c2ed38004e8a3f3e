#pragma once
// Principal components of embeddings (Eigen): movies as samples, factors as features, centred.
#include "core/model/Model.h"

#include <cstdint>
#include <vector>

namespace factorscope {

struct Projection {
    std::vector<int32_t> items;                 // the encoded items in `coords`, row by row
    Matrix coords;                              // items x components
    Matrix components;                          // components x factors, unit vectors
    std::vector<float> mean;                    // per factor, subtracted before projecting
    std::vector<double> explainedVarianceRatio; // per component, of the fitted rows' variance
};

// Fits on the rows `fitRows` of `factors` (all rows when empty) and projects `projectRows`
// (the fitted rows when empty). Each component's largest loading is positive, so the same
// embeddings always give the same signs. Throws SpecError for impossible requests.
Projection pca(const Matrix& factors, int components, const std::vector<int32_t>& fitRows = {},
               const std::vector<int32_t>& projectRows = {});

// The n items with the most ratings (all when n <= 0), most rated first.
std::vector<int32_t> mostRated(const std::vector<int64_t>& ratingsPerItem, int n);

// Orthogonal Procrustes: rotates (or reflects) `current` onto `previous` over the items they
// share, so that successive projections of a model in training morph instead of flipping.
void alignTo(const Projection& previous, Projection& current);

// How well the first `dims` coordinates separate labelled groups: leave-one-out accuracy of
// a k-nearest-neighbour vote. Compare with chanceAccuracy() (the largest group's share).
double knnAccuracy(const Matrix& coords, const std::vector<int>& labels, int dims, int k = 5);
double chanceAccuracy(const std::vector<int>& labels);

} // namespace factorscope
