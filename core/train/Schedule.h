#pragma once
// Learning-rate (and momentum) schedules as pure functions of the step. LibTorch's C++ API
// has none of these; the trainer applies the value to the optimiser's groups every step.
#include <optional>
#include <string>

namespace factorscope {

enum class ScheduleKind { Constant, Step, Triangular, Triangular2, ExpRange, Cosine, OneCycle };

struct ScheduleSpec {
    ScheduleKind kind = ScheduleKind::OneCycle;
    // step: multiply by gamma every stepSize steps. exp_range: gamma^step scales the cycle.
    double gamma = 0.5;
    // step, triangular*, exp_range: steps per half cycle (step_size); 0 = one epoch.
    int stepSize = 0;
    // triangular*, exp_range: the peak; 0 = 5 x the base rate.
    double maxLr = 0.0;
    // cosine: steps per restart period; 0 = two epochs.
    int tMax = 0;
    // cosine: the floor; negative = base rate / 10.
    double etaMin = -1.0;
    // one-cycle (PyTorch OneCycleLR, fastai fit_one_cycle): the base rate is the peak.
    double pctStart = 0.25;
    double divFactor = 25.0;
    double finalDivFactor = 1e4;
    double momentumMax = 0.95;
    double momentumMin = 0.85;
    bool cycleMomentum = true;

    void validate() const; // throws SpecError naming the field
};

// Where a schedule is evaluated: the step (0-based), how many steps in all and per epoch.
struct ScheduleClock {
    long long step = 0;
    long long totalSteps = 1;
    long long stepsPerEpoch = 1;
};

// The learning rate at clock.step for an optimiser whose configured rate is baseLr.
double learningRateAt(const ScheduleSpec& s, double baseLr, const ScheduleClock& clock);
// The momentum (SGD momentum, Adam's beta1) at clock.step; nullopt when the schedule leaves
// it alone.
std::optional<double> momentumAt(const ScheduleSpec& s, const ScheduleClock& clock);

std::string toString(ScheduleKind kind);
std::optional<ScheduleKind> parseScheduleKind(const std::string& name);

} // namespace factorscope
