#pragma once
// The learning-rate range test (fastai's lr_find): raise the rate exponentially batch by batch,
// smooth the loss, stop when it explodes, and suggest a rate. The model's weights are
// restored afterwards, so the test leaves no trace.
#include "core/train/Trainer.h"

#include <functional>
#include <vector>

namespace factorscope {

struct LrFindSpec {
    double startLr = 1e-7;
    double endLr = 10.0;
    int steps = 100;
    double beta = 0.98;         // smoothing of the loss (debiased exponential average)
    double divergeFactor = 4.0; // stop when the smoothed loss exceeds this many times its minimum

    void validate() const; // throws SpecError naming the field
};

struct LrFindResult {
    std::vector<double> lrs;
    std::vector<double> losses; // smoothed
    std::vector<double> rawLosses;
    double suggestedLr = 0; // fastai's "valley"
    double minLossLr = 0;   // the rate at the smoothed minimum, divided by 10
    double steepestLr = 0;  // the rate of steepest descent
    bool diverged = false;  // stopped early because the loss exploded
};

// `onPoint(lr, smoothedLoss)` is called after each step (for a live plot); `control` can stop.
LrFindResult findLearningRate(Model& model, const Dataset& data, const Split& split, const TrainSpec& spec,
                              const LrFindSpec& find = {}, const std::function<void(double, double)>& onPoint = {},
                              TrainControl* control = nullptr);

// The suggestion rules, on their own for testing.
double valleyLr(const std::vector<double>& lrs, const std::vector<double>& losses);
double steepestLr(const std::vector<double>& lrs, const std::vector<double>& losses);

} // namespace factorscope
