#pragma once
// k-fold cross-validation: MovieLens 100K's predefined u1..u5 folds when the data set has
// them, else k random folds. Each fold trains a fresh model for the spec's epochs and scores
// the last epoch's weights on the held-out fold: the fold's ratings choose nothing (no early
// stopping, no best-epoch restore), so the figures are honest estimates.
#include "core/data/Dataset.h"
#include "core/data/Split.h"
#include "core/train/Trainer.h"

#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace factorscope {

struct CvOptions {
    int folds = 5;          // random k-fold; predefined folds are always u1..u5
    int members = 1;        // models per fold, trained from seeds seed, seed+1, ...; their predictions are averaged
    bool predefined = true; // use u1..u5 when the data set has them
    uint64_t seed = 42;     // of the random folds
    // > 0: each fold's model also ranks every user's top K against the fold (one model per
    // fold: the members' scores are not averaged for ranking). Runs judged by ranking alone
    // (BPR, popularity, ease) rank at their spec's K when this is 0.
    int rankK = 0;
    void validate() const; // throws SpecError naming the field
};

struct FoldResult {
    std::string name; // u1, or "fold 1"
    double rmse = 0;  // NaN for runs judged by ranking alone
    double mae = 0;
    double ndcg = std::nan(""), precision = std::nan(""), recall = std::nan(""); // at K, where ranked
    std::size_t trainRatings = 0;
    std::size_t testRatings = 0;
    double seconds = 0;
};

struct CvResult {
    std::string scheme; // "predefined u1..u5" or "random 5-fold (seed 42)"
    std::vector<FoldResult> folds;
    double meanRmse = 0, stdRmse = 0; // std over folds (population, as Surprise reports)
    double meanMae = 0, stdMae = 0;
    int rankK = 0; // 0: not ranked
    double meanNdcg = std::nan(""), stdNdcg = std::nan(""), meanPrecision = std::nan(""), meanRecall = std::nan("");
    double seconds = 0;
    bool stopped = false; // a TrainControl asked to stop: the folds so far
};

// Progress of a long experiment: step `done` of `total` (folds x members, or grid points).
using ProgressFn = std::function<void(int done, int total, const std::string& what)>;

struct Fold {
    std::string name;
    Split split; // train and validation (the held-out fold)
};
std::vector<Fold> makeFolds(const Dataset& data, const CvOptions& options);
// How the folds are made, for records: "cv:u1..u5" or "cv:random:5:42".
std::string cvLabel(const Dataset& data, const CvOptions& options);

CvResult crossValidate(const Dataset& data, const TrainSpec& spec, const CvOptions& options = {},
                       const ProgressFn& progress = {}, TrainControl* control = nullptr);

} // namespace factorscope
