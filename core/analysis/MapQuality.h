#pragma once
// How faithful a 2-D map of embeddings is, measured the way scikit-learn and the issue's
// comparisons measure it.
#include "core/model/Model.h"

#include <vector>

namespace factorscope {

// Trustworthiness (Venna & Kaski 2001; sklearn.manifold.trustworthiness, Euclidean): 1 minus a
// penalty for each point's k nearest on the map that are not among its k nearest in the original
// space, by how far down the original ranking they are. 1: every map neighbour is a true one.
// Needs k < n / 2; returns NaN otherwise.
double trustworthiness(const Matrix& original, const Matrix& map, int k);

// The share of points whose label is shared by at least `agree` of their k nearest neighbours
// on the map (labels < 0: unlabelled, neither counted nor agreeing).
double neighbourAgreement(const Matrix& map, const std::vector<int>& labels, int k = 5, int agree = 3);

} // namespace factorscope
