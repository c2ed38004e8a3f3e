#pragma once
// Grid search: every combination of a few settings, each trained and scored in turn, sorted
// by validation RMSE. A grid point is scored on the spec's split (best epoch's RMSE, as the
// trainer reports it) or, with crossValidate, by the mean RMSE over the folds.
#include "core/experiment/CrossValidation.h"

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
    CvOptions cv;
    int maxPoints = 500; // a larger grid is refused before any training
};

struct GridPoint {
    std::vector<std::pair<std::string, std::string>> settings; // name, value
    TrainSpec spec;
    double rmse = 0; // validation (or mean CV) RMSE
    double mae = 0;
    double stdRmse = 0; // over folds, with cross-validation
    int bestEpoch = 0;  // without cross-validation
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
