#include "core/experiment/GridSearch.h"

#include "core/common/Error.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <sstream>

namespace factorscope {

namespace {

double toNumber(const std::string& name, const std::string& value) {
    double v = 0;
    const auto* end = value.data() + value.size();
    const auto r = std::from_chars(value.data(), end, v);
    if (value.empty() || r.ec != std::errc() || r.ptr != end || !std::isfinite(v))
        throw SpecError(name + ": \"" + value + "\" is not a number");
    return v;
}

int toInt(const std::string& name, const std::string& value) {
    const double v = toNumber(name, value);
    if (v != std::floor(v) || std::abs(v) > 1e9)
        throw SpecError(name + ": \"" + value + "\" is not a whole number");
    return static_cast<int>(v);
}

// Kinds first: choosing a model or an optimiser resets that part to its defaults, so the
// other axes must apply after it.
int priority(const std::string& name) { return name == "model" || name == "optimizer" ? 0 : 1; }

std::vector<std::string> splitOn(const std::string& s, const std::string& separators) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (separators.find(c) != std::string::npos) {
            if (!cur.empty())
                out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty())
        out.push_back(cur);
    return out;
}

} // namespace

const std::vector<std::string>& gridParameters() {
    static const std::vector<std::string> names = {
        "model",    "factors",  "lr",        "weight-decay",      "epochs", "batch-size", "optimizer",
        "schedule", "init-std", "pct-start", "embedding-dropout", "seed"};
    return names;
}

void applyParameter(TrainSpec& s, const std::string& name, const std::string& value) {
    if (name == "model") {
        const auto kind = parseModelKind(value);
        if (!kind)
            throw SpecError("model", "unknown \"" + value + "\" (use dot, dotbias, linear, mlp or neumf)");
        const int factors = s.model.factors;
        s.model = ModelSpec::defaultsFor(*kind);
        s.model.factors = factors;
    } else if (name == "optimizer") {
        const auto kind = parseOptimizerKind(value);
        if (!kind)
            throw SpecError("optimizer", "unknown \"" + value + "\" (use sgd, adam, adamw, adagrad or rmsprop)");
        s.optimizer = OptimizerSpec::defaultsFor(*kind);
    } else if (name == "schedule") {
        const auto kind = parseScheduleKind(value);
        if (!kind)
            throw SpecError("schedule", "unknown \"" + value + "\"");
        s.schedule.kind = *kind;
    } else if (name == "factors") {
        s.model.factors = toInt(name, value);
    } else if (name == "lr") {
        s.optimizer.lr = toNumber(name, value);
    } else if (name == "weight-decay") {
        s.optimizer.weightDecay = toNumber(name, value);
    } else if (name == "epochs") {
        s.epochs = toInt(name, value);
    } else if (name == "batch-size") {
        s.batchSize = toInt(name, value);
    } else if (name == "init-std") {
        s.model.initStd = toNumber(name, value);
    } else if (name == "pct-start") {
        s.schedule.pctStart = toNumber(name, value);
    } else if (name == "embedding-dropout") {
        s.model.embeddingDropout = toNumber(name, value);
    } else if (name == "seed") {
        const int seed = toInt(name, value);
        if (seed < 0)
            throw SpecError("seed", "must be >= 0, got " + value);
        s.seed = static_cast<uint64_t>(seed);
    } else {
        std::string known;
        for (const auto& n : gridParameters())
            known.append(known.empty() ? "" : ", ").append(n);
        throw SpecError("grid", "unknown setting \"" + name + "\" (use " + known + ")");
    }
}

std::vector<GridAxis> parseGrid(const std::string& text) {
    std::vector<GridAxis> axes;
    for (const std::string& part : splitOn(text, " ;\t\n")) {
        const auto eq = part.find('=');
        if (eq == std::string::npos || eq == 0)
            throw SpecError("grid", "\"" + part + "\" is not NAME=V1,V2,...");
        GridAxis axis{part.substr(0, eq), splitOn(part.substr(eq + 1), ",")};
        if (axis.values.empty())
            throw SpecError("grid", axis.name + " has no values");
        for (const auto& a : axes)
            if (a.name == axis.name)
                throw SpecError("grid", axis.name + " is given twice");
        for (const auto& v : axis.values) { // names a bad value now, not mid-search
            TrainSpec probe = TrainSpec::defaults();
            applyParameter(probe, axis.name, v);
            try {
                probe.validate();
            } catch (const SpecError& e) {
                throw SpecError("grid", axis.name + "=" + v + ": " + e.what());
            }
        }
        axes.push_back(std::move(axis));
    }
    if (axes.empty())
        throw SpecError("grid", "no settings to vary (e.g. \"factors=32,64 weight-decay=0.1,0.3\")");
    return axes;
}

std::string toString(const std::vector<GridAxis>& axes) {
    std::string s;
    for (const auto& a : axes) {
        s.append(s.empty() ? "" : " ").append(a.name).append("=");
        for (std::size_t i = 0; i < a.values.size(); ++i)
            s += (i ? "," : "") + a.values[i];
    }
    return s;
}

GridResult gridSearch(const Dataset& data, const TrainSpec& base, const std::vector<GridAxis>& axesIn,
                      const GridOptions& options, const ProgressFn& progress, TrainControl* control) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<GridAxis> axes = axesIn;
    std::stable_sort(axes.begin(), axes.end(),
                     [](const GridAxis& a, const GridAxis& b) { return priority(a.name) < priority(b.name); });
    std::size_t total = 1;
    for (const auto& a : axes) {
        total *= a.values.size();
        if (total > static_cast<std::size_t>(options.maxPoints))
            throw SpecError("grid", "more than " + std::to_string(options.maxPoints) +
                                        " combinations; remove values or settings");
    }
    if (options.crossValidate)
        options.cv.validate();
    checkSplitFits(data, base.split);

    GridResult result;
    std::vector<std::size_t> index(axes.size(), 0);
    for (std::size_t n = 0; n < total; ++n) {
        GridPoint point;
        point.spec = base;
        std::string label;
        for (std::size_t a = 0; a < axes.size(); ++a) {
            const std::string& v = axes[a].values[index[a]];
            point.settings.emplace_back(axes[a].name, v);
            label.append(label.empty() ? "" : " ").append(axes[a].name).append("=").append(v);
        }
        if (progress)
            progress(static_cast<int>(n), static_cast<int>(total), label);
        const auto t0 = std::chrono::steady_clock::now();
        try {
            for (const auto& [name, value] : point.settings)
                applyParameter(point.spec, name, value);
            point.spec.validate();
            if (options.crossValidate) {
                const CvResult cv = crossValidate(data, point.spec, options.cv, {}, control);
                if (cv.stopped) {
                    result.stopped = true;
                    break;
                }
                point.rmse = cv.meanRmse;
                point.stdRmse = cv.stdRmse;
                point.mae = cv.meanMae;
            } else {
                const Split split = makeSplit(data, point.spec.split);
                Model model(point.spec.model, data.users.size(), data.items.size(), point.spec.seed);
                model.to(point.spec.device);
                Trainer trainer(model, point.spec);
                const TrainResult r = trainer.run(data, split, nullptr, control);
                if (r.stopReason == StopReason::Stopped) {
                    result.stopped = true;
                    break;
                }
                point.bestEpoch = r.bestEpoch;
                point.rmse = r.bestValRmse;
                for (const auto& e : r.history)
                    if (e.epoch == r.bestEpoch)
                        point.mae = e.valMae;
            }
        } catch (const SpecError& e) {
            point.error = e.what();
            point.rmse = std::nan("");
        }
        point.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        result.points.push_back(std::move(point));
        for (std::size_t a = axes.size(); a-- > 0;) {
            if (++index[a] < axes[a].values.size())
                break;
            index[a] = 0;
        }
    }
    std::stable_sort(result.points.begin(), result.points.end(), [](const GridPoint& a, const GridPoint& b) {
        const bool okA = std::isfinite(a.rmse), okB = std::isfinite(b.rmse);
        return okA != okB ? okA : okA && a.rmse < b.rmse;
    });
    if (progress && !result.stopped)
        progress(static_cast<int>(total), static_cast<int>(total), "done");
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace factorscope
