#include "core/experiment/GridSearch.h"

#include "core/common/Error.h"
#include "core/train/SpecFields.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>

namespace factorscope {

namespace {

// Axes apply in the field table's order: choosing a model or an optimiser resets that part to
// its defaults, so the settings within it must apply after it.
std::size_t tableOrder(const std::string& name) {
    const auto& fields = specFields();
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (name == fields[i].name)
            return i;
    return fields.size();
}

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
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& f : specFields())
            if (f.grid)
                out.emplace_back(f.name);
        return out;
    }();
    return names;
}

void applyParameter(TrainSpec& s, const std::string& name, const std::string& value) {
    const SpecField* field = findSpecField(name);
    if (!field || !field->grid) {
        std::string known;
        for (const auto& n : gridParameters())
            known.append(known.empty() ? "" : ", ").append(n);
        throw SpecError("grid", "unknown setting \"" + name + "\" (use " + known + ")");
    }
    applyField(s, *field, value);
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
                     [](const GridAxis& a, const GridAxis& b) { return tableOrder(a.name) < tableOrder(b.name); });
    std::size_t total = 1;
    for (const auto& a : axes) {
        total *= a.values.size();
        if (total > static_cast<std::size_t>(options.maxPoints))
            throw SpecError("grid", "more than " + std::to_string(options.maxPoints) +
                                        " combinations; remove values or settings");
    }
    if (options.crossValidate)
        options.cv.validate();
    if (options.byNdcg && !options.crossValidate && base.rankK == 0)
        throw SpecError("rank-k", "sorting by nDCG needs each run ranked: give K from 1");
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
                CvOptions cvOptions = options.cv;
                if (options.byNdcg && cvOptions.rankK == 0)
                    cvOptions.rankK = point.spec.rankK > 0 ? point.spec.rankK : 10;
                const CvResult cv = crossValidate(data, point.spec, cvOptions, {}, control);
                if (cv.stopped) {
                    result.stopped = true;
                    break;
                }
                point.rmse = cv.meanRmse;
                point.stdRmse = cv.stdRmse;
                point.mae = cv.meanMae;
                point.ndcg = cv.meanNdcg;
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
                point.ndcg = r.bestValNdcg;
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
    // Best first (the lowest RMSE, or the highest nDCG: asked for, or the only figure rankers
    // have); points without the figure last.
    const bool byNdcg = options.byNdcg || base.ranksOnly();
    const auto score = [&](const GridPoint& p) { return byNdcg ? -p.ndcg : p.rmse; };
    std::stable_sort(result.points.begin(), result.points.end(), [&](const GridPoint& a, const GridPoint& b) {
        const bool okA = std::isfinite(score(a)), okB = std::isfinite(score(b));
        return okA != okB ? okA : okA && score(a) < score(b);
    });
    if (progress && !result.stopped)
        progress(static_cast<int>(total), static_cast<int>(total), "done");
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace factorscope
