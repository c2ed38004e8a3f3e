#include "core/train/Schedule.h"

#include "core/common/EnumNames.h"
#include "core/common/Error.h"

#include <algorithm>
#include <cmath>

namespace factorscope {

namespace {
constexpr EnumName<ScheduleKind> kNames[] = {
    {ScheduleKind::Constant, "constant"},     {ScheduleKind::Step, "step"},
    {ScheduleKind::Triangular, "triangular"}, {ScheduleKind::Triangular2, "triangular2"},
    {ScheduleKind::ExpRange, "exp_range"},    {ScheduleKind::Cosine, "cosine"},
    {ScheduleKind::OneCycle, "onecycle"}};

// PyTorch's _annealing_cos: from start (pct 0) to end (pct 1) along half a cosine.
double annealCos(double start, double end, double pct) {
    return end + (start - end) / 2.0 * (std::cos(M_PI * pct) + 1.0);
}

long long orEpoch(int v, const ScheduleClock& c, long long epochs) {
    return v > 0 ? v : std::max(1LL, c.stepsPerEpoch * epochs);
}
} // namespace

std::string toString(ScheduleKind kind) { return nameOf(kNames, kind); }
std::optional<ScheduleKind> parseScheduleKind(const std::string& name) { return valueOf(kNames, name); }

// The ranges of single fields are in the field table (SpecFields); this is the rule that ties
// two together.
void ScheduleSpec::validate() const {
    if (kind == ScheduleKind::OneCycle && cycleMomentum && momentumMin > momentumMax)
        throw SpecError("momentum-min", "must not be above momentum-max");
}

double learningRateAt(const ScheduleSpec& s, double baseLr, const ScheduleClock& c) {
    const double t = static_cast<double>(c.step);
    switch (s.kind) {
    case ScheduleKind::Constant:
        return baseLr;
    case ScheduleKind::Step: {
        const long long size = orEpoch(s.stepSize, c, 1);
        return baseLr * std::pow(s.gamma, static_cast<double>(c.step / size));
    }
    case ScheduleKind::Triangular:
    case ScheduleKind::Triangular2:
    case ScheduleKind::ExpRange: {
        // The cyclic triangular(step_size, max_lr, method, gamma) evaluated at `epoch` = step.
        const double stepSize = static_cast<double>(orEpoch(s.stepSize, c, 1));
        const double maxLr = s.maxLr > 0 ? s.maxLr : 5.0 * baseLr;
        const double cycle = std::floor(1.0 + t / (2.0 * stepSize));
        const double x = std::abs(t / stepSize - 2.0 * cycle + 1.0);
        double delta = (maxLr - baseLr) * std::max(0.0, 1.0 - x);
        if (s.kind == ScheduleKind::Triangular2)
            delta /= std::pow(2.0, cycle - 1.0);
        else if (s.kind == ScheduleKind::ExpRange)
            delta *= std::pow(s.gamma, t);
        return baseLr + delta;
    }
    case ScheduleKind::Cosine: {
        // Cosine annealing (t_max, eta_min): restarts every t_max steps.
        const long long tMax = orEpoch(s.tMax, c, 2);
        const double etaMin = s.etaMin >= 0 ? s.etaMin : baseLr / 10.0;
        const double tt = static_cast<double>(c.step % tMax);
        return etaMin + (baseLr - etaMin) * (1.0 + std::cos(M_PI * tt / static_cast<double>(tMax))) / 2.0;
    }
    case ScheduleKind::OneCycle: {
        // PyTorch OneCycleLR (anneal_strategy='cos', three_phase=False); baseLr is max_lr.
        const double initial = baseLr / s.divFactor;
        const double minLr = initial / s.finalDivFactor;
        const double end1 = s.pctStart * static_cast<double>(c.totalSteps) - 1.0;
        const double end2 = static_cast<double>(c.totalSteps) - 1.0;
        if (t <= end1)
            return annealCos(initial, baseLr, end1 > 0 ? t / end1 : 1.0);
        const double pct = end2 > end1 ? (t - end1) / (end2 - end1) : 1.0;
        return annealCos(baseLr, minLr, std::min(1.0, pct));
    }
    }
    return baseLr;
}

std::optional<double> momentumAt(const ScheduleSpec& s, const ScheduleClock& c) {
    if (s.kind != ScheduleKind::OneCycle || !s.cycleMomentum)
        return std::nullopt;
    const double t = static_cast<double>(c.step);
    const double end1 = s.pctStart * static_cast<double>(c.totalSteps) - 1.0;
    const double end2 = static_cast<double>(c.totalSteps) - 1.0;
    if (t <= end1)
        return annealCos(s.momentumMax, s.momentumMin, end1 > 0 ? t / end1 : 1.0);
    const double pct = end2 > end1 ? (t - end1) / (end2 - end1) : 1.0;
    return annealCos(s.momentumMin, s.momentumMax, std::min(1.0, pct));
}

} // namespace factorscope
