#pragma once
// Grid search: every combination of a few settings, each trained and scored in turn, sorted
// by validation RMSE (or, with byNdcg, by validation nDCG, highest first). A grid point is
// scored on the spec's split (the best epoch's, as the trainer reports it) or, with
// crossValidate, by the mean over the folds.
#include "core/experiment/CrossValidation.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace factorscope {

struct GridAxis {
    std::string name;                // a CLI flag name: factors, lr, weight-decay, ...
    std::vector<std::string> values; // as the flag would take them
};

// The settings a grid can vary, by their CLI flag names.
const std::vector<std::string>& gridParameters();

// "factors=32,64 weight-decay=0.1,0.3" (axes separated by spaces or ';'). Throws SpecError
// naming the axis or value that is wrong.
std::vector<GridAxis> parseGrid(const std::string& text);
std::string toString(const std::vector<GridAxis>& axes);

// Sets one setting on `spec`; throws SpecError naming it when the name or value is wrong.
void applyParameter(TrainSpec& spec, const std::string& name, const std::string& value);

struct GridOptions {
    bool crossValidate = false;
    // Sort by validation nDCG at the spec's rank-k (with cross-validation at cv.rankK, which
    // the search sets to the spec's K when it is 0). Rankers' grids sort so anyway.
    bool byNdcg = false;
    CvOptions cv;
    int maxPoints = 500; // a larger grid is refused before any training
};

struct GridPoint {
    std::vector<std::pair<std::string, std::string>> settings; // name, value
    TrainSpec spec;
    double rmse = 0; // validation (or mean CV) RMSE
    double mae = 0;
    double stdRmse = 0;         // over folds, with cross-validation
    double ndcg = std::nan(""); // validation (or mean CV) nDCG, where ranked
    int bestEpoch = 0;          // without cross-validation
    double seconds = 0;
    std::string error; // a combination the engine refused (e.g. mlp with a dot-only setting)
};

struct GridResult {
    std::vector<GridPoint> points; // best first; refused points last
    bool stopped = false;
    double seconds = 0;
};

// Throws SpecError before training when an axis or the grid's size is wrong.
GridResult gridSearch(const Dataset& data, const TrainSpec& base, const std::vector<GridAxis>& axes,
                      const GridOptions& options = {}, const ProgressFn& progress = {},
                      TrainControl* control = nullptr);

} // namespace factorscope
