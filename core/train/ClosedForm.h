#pragma once
// core-internal: the rankers fitted at once from the training positives (ModelSpec::closedForm):
// - popularity: each item's number of positives;
// - random: nothing to fit (the seed's random tables are the scores);
// - ease (Steck 2019, "Embarrassingly shallow autoencoders"): with X the users x items matrix of
//   positives and G = X'X + lambda I, P = G^-1, the item-item weights are B_ij = -P_ij / P_jj
//   with a zero diagonal, and a user's score for item j is sum_i X_ui B_ij (X's row dot B's
//   column): the model's user table holds X, its item table B's columns.
// and the classic rating predictors, fitted to every training rating (Neighbourhood.h):
// - baseline: the mean and the biases by alternating least squares;
// - knn: the similarities, each row's mean and spread, and the baseline.
#include "core/data/Dataset.h"
#include "core/model/Model.h"

#include <cstdint>
#include <vector>

namespace factorscope {

void fitClosedForm(Model& model, const Dataset& data, const std::vector<int64_t>& positives);

} // namespace factorscope
