#pragma once
// Adding users to a trained model without retraining it ("folding in"): everything the items
// and the network learned stays frozen, and each new user's own parameters (their factor
// vectors and bias) are fitted to their ratings alone, minimising
//     (1/n) sum over their n ratings of (rating - prediction)^2  +  l2 * |their parameters|^2.
// Dot and dotbias without a y-range are linear in those parameters: a ridge regression, solved
// exactly. The others (a sigmoid y-range, linear, mlp, neumf) take Adam steps from the mean
// trained user. The classic predictors, svd++, autorec and the rankers cannot fold in.
#include "core/model/Model.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace factorscope {

// One new user's ratings, by encoded item index.
struct FoldInUser {
    std::vector<int32_t> items;
    std::vector<float> ratings;
};

struct FoldInOptions {
    // The penalty above. Chosen on MovieLens 100K (bench/foldin_bench.cpp, the app's default
    // model, held-out users' first 80 % of ratings against their last 20 %, users drawn with
    // seed 7), checked on another draw (seed 11); docs/PERFORMANCE.md.
    double l2 = 0.05;
    int steps = 200;   // Adam steps, where there is no exact solution
    double lr = 0.05;  // their learning rate
    bool exact = true; // false: gradient steps even where the exact solve applies (checks one against the other)
    bool fit = true;   // false: the new users stay at the start, the mean trained user (a floor to compare with)
};

// Why a model of this kind cannot fold in users; nullopt when it can.
std::optional<std::string> whyCannotFoldIn(const ModelSpec& spec);

// A model of the same kind whose users are the new ones (index k: added[k]), sharing nothing
// with `model` but a copy of its item side, fitted as above. Throws SpecError when the kind
// cannot fold in, when a user has no ratings or an item index is out of range.
Model foldInUsers(const Model& model, const std::vector<FoldInUser>& added, const FoldInOptions& options = {});

// `model`'s users and `added`'s together: row r of every user table comes from `model`'s row
// sources[r] when that is below model.users(), else from `added`'s row sources[r] - model.users().
// Throws SpecError when the two models do not match or a source is out of range.
Model mergeUsers(const Model& model, const Model& added, const std::vector<int32_t>& sources);

} // namespace factorscope
