#pragma once
// How well folding in (FoldIn.h) stands in for retraining, measured: a share of the users is
// held out; each held-out user's ratings, in time order, split into their first part (what
// they rate first) and the rest (what is predicted). Model A trains without the held-out users
// and folds them in from their first parts; model B trains with those first parts included.
// Both use the same spec and seed and score the held-out users' later ratings, which choose
// nothing (no early stop, no best-epoch restore), as cross-validation does.
#include "core/data/Dataset.h"
#include "core/model/FoldIn.h"
#include "core/train/TrainSpec.h"

#include <cstdint>
#include <vector>

namespace factorscope {

struct FoldInTrialSpec {
    double userShare = 0.1;                         // of the users with at least 5 ratings, held out
    double firstShare = 0.8;                        // of each held-out user's ratings, in time order, folded in
    uint64_t seed = 7;                              // which users are held out
    std::vector<double> l2s = {FoldInOptions{}.l2}; // fold-in penalties tried, each scored
    int steps = FoldInOptions{}.steps;
};

struct FoldInTrialResult {
    std::size_t heldOutUsers = 0;
    std::size_t foldedRatings = 0;    // their first parts
    std::size_t predictedRatings = 0; // their later parts
    double retrainedRmse = 0;         // model B
    double meanUserRmse = 0;          // model A's mean trained user, nothing folded in: the floor
    std::vector<double> foldedRmse;   // model A with the users folded in, per l2
    std::vector<double> foldSeconds;  // the fold-ins, per l2 (all users at once)
    double trainSeconds = 0;          // A and B together
    double oneUserSeconds = 0;        // folding in one user alone (the median held-out user), as the app does
    std::size_t oneUserRatings = 0;   // that user's first part
};

// Throws SpecError when the spec's model cannot fold in or too few users qualify.
FoldInTrialResult runFoldInTrial(const Dataset& data, const TrainSpec& spec, const FoldInTrialSpec& trial);

} // namespace factorscope
