// factorscope-cli cv, grid and runs: experiments and the run store.
#include "app/cli/Commands.h"

#include "app/cli/JsonOut.h"

#include "app/cli/SpecArgs.h"
#include "app/cli/StopSignals.h"
#include "core/common/AtomicFile.h"
#include "core/common/Error.h"
#include "core/experiment/GridSearch.h"
#include "core/runs/ExperimentJson.h"
#include "core/runs/RecordedExperiments.h"
#include "core/runs/RunStore.h"
#include "core/train/SpecJson.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <optional>

namespace factorscope::cli {

using nlohmann::json;

namespace {

const char* const kCvFlagsHelp = "Cross-validation:\n"
                                 "  --folds N               random k-fold when the data set has no u1..u5 (default 5)\n"
                                 "  --random-folds          k random folds even where u1..u5 exist\n"
                                 "  --fold-seed N           seed of the random folds (default 42)\n"
                                 "  --members N             models per fold, seeds seed..seed+N-1, predictions\n"
                                 "                          averaged (default 1)\n"
                                 "  --k K                   also rank each user's top K on every fold: nDCG,\n"
                                 "                          precision and recall at K (docs/METRICS.md); BPR and\n"
                                 "                          the rankers fitted at once always rank, at --rank-k\n";

CvOptions cvOptionsFromArgs(Args& args) {
    CvOptions o;
    if (auto v = args.integer("folds", 2, 20))
        o.folds = static_cast<int>(*v);
    if (auto v = args.integer("members", 1, 50))
        o.members = static_cast<int>(*v);
    if (auto v = args.integer("fold-seed", 0, 1LL << 62))
        o.seed = static_cast<uint64_t>(*v);
    o.predefined = !args.flag("random-folds");
    if (auto v = args.integer("k", 1, 1LL << 30))
        o.rankK = static_cast<int>(*v);
    return o;
}

ProgressFn jsonProgress() {
    return [](int done, int total, const std::string& what) {
        emit({{"progress", done}, {"total", total}, {"step", what}});
    };
}

// Where to record: --runs-db, the default store, or nowhere with --no-record.
RecordTarget recordTarget(Args& args) {
    RecordTarget t;
    t.storePath = runsDbFromArgs(args).value_or("");
    t.origin = "cli";
    return t;
}

// An experiment's final line: its result, the run it was recorded as (a recording problem is a
// warning on stderr, not a failure), and "done".
int emitDone(const RecordTarget& t, json out) {
    if (!t.warning.empty())
        std::cerr << "factorscope-cli: " << t.warning << "\n";
    if (t.runId > 0)
        out["run_id"] = t.runId;
    out["done"] = true;
    emit(out);
    return 0;
}

} // namespace

namespace {
std::string gridSettingsList() {
    std::string out;
    for (const auto& n : gridParameters())
        out.append(out.empty() ? "" : ", ").append(n);
    return out;
}
} // namespace

int cmdCv(const std::vector<std::string>& argv) {
    if (wantsHelp(argv)) {
        std::cout << "factorscope-cli cv --data PATH|demo [--folds N] [--members N] [training flags]\n"
                     "Cross-validates the spec: u1..u5 on MovieLens 100K, else k random folds. Each fold\n"
                     "trains for --epochs and is scored on its held-out ratings with the last epoch's\n"
                     "weights. Prints one JSON line per step, then the result with mean and std.\n\n"
                  << kCvFlagsHelp << kRecordFlagsHelp << "\n"
                  << trainFlagsHelp();
        return 0;
    }
    Args args(argv, trainSwitches({"random-folds", "no-record"}));
    const std::string path = args.required("data");
    const LoadOptions options = loadOptionsFromArgs(args);
    const CvOptions cv = cvOptionsFromArgs(args);
    TrainSpec spec = trainSpecFromArgs(args, TrainSpec::defaults());
    RecordTarget target = recordTarget(args);
    args.rejectUnused("cv");
    checkDevice(spec.device);
    const Dataset data = loadDatasetOrDemo(path, options);
    StopOnSignals stop;
    const CvResult r = crossValidateRecorded(target, data, spec, cv, jsonProgress(), stop.control());
    return stop.exitCode(emitDone(target, toJson(r)));
}

int cmdGrid(const std::vector<std::string>& argv) {
    if (wantsHelp(argv)) {
        std::cout << "factorscope-cli grid --data PATH|demo --grid \"factors=32,64 weight-decay=0.1,0.3\" [--cv]\n"
                     "                     [--metric rmse|ndcg]\n"
                     "Trains every combination and prints them sorted by validation RMSE (best first),\n"
                     "or with --metric ndcg by validation nDCG at --rank-k (or --k with --cv).\n"
                     "Without --cv each point is scored on --split (best epoch); with --cv by the mean\n"
                     "of cross-validation. A grid may vary: "
                  << gridSettingsList() << ".\n\n"
                  << kCvFlagsHelp << kRecordFlagsHelp << "\n"
                  << trainFlagsHelp();
        return 0;
    }
    Args args(argv, trainSwitches({"random-folds", "cv", "no-record"}));
    const std::string path = args.required("data");
    const LoadOptions options = loadOptionsFromArgs(args);
    std::vector<GridAxis> axes;
    try {
        axes = parseGrid(args.required("grid"));
    } catch (const SpecError& e) {
        throw UsageError(std::string("--grid: ") + e.what());
    }
    GridOptions grid;
    grid.crossValidate = args.flag("cv");
    grid.cv = cvOptionsFromArgs(args);
    const std::string metric = args.text("metric").value_or("rmse");
    if (metric != "rmse" && metric != "ndcg")
        throw UsageError("--metric: expected rmse or ndcg, got \"" + metric + "\"");
    grid.byNdcg = metric == "ndcg";
    TrainSpec spec = trainSpecFromArgs(args, TrainSpec::defaults());
    RecordTarget target = recordTarget(args);
    args.rejectUnused("grid");
    checkDevice(spec.device);
    const Dataset data = loadDatasetOrDemo(path, options);
    if (!grid.crossValidate)
        defaultSplit(args, data, spec);
    StopOnSignals stop;
    const GridResult r = gridSearchRecorded(target, data, spec, axes, grid, jsonProgress(), stop.control());
    json out = toJson(r);
    out["grid"] = toString(axes);
    return stop.exitCode(emitDone(target, out));
}

int cmdRuns(const std::vector<std::string>& argvIn) {
    if (wantsHelp(argvIn)) {
        std::cout << "factorscope-cli runs [list|show ID|export|delete ID...] [--runs-db FILE]\n"
                     "The run store: every training run, cross-validation and grid search.\n"
                     "  list                    one JSON line per run, newest first\n"
                     "  show ID                 one run with its spec and epochs (JSON)\n"
                     "  export [--format csv|json] [--output FILE] [--ids A,B]\n"
                     "  delete ID...            removes runs\n"
                     "--runs-db FILE            the database (default $FACTORSCOPE_RUNS_DB or\n"
                     "                          ~/.local/share/factorscope/runs.sqlite)\n";
        return 0;
    }
    std::vector<std::string> argv = argvIn;
    std::string action = "list";
    std::vector<int64_t> ids;
    if (!argv.empty() && argv[0].rfind("--", 0) != 0) {
        action = argv[0];
        argv.erase(argv.begin());
    }
    while (!argv.empty() && argv[0].rfind("--", 0) != 0) {
        const std::string& word = argv[0];
        char* end = nullptr;
        const long long id = std::strtoll(word.c_str(), &end, 10);
        if (word.empty() || *end || id <= 0)
            throw UsageError("runs " + action + ": \"" + word + "\" is not a run id");
        ids.push_back(id);
        argv.erase(argv.begin());
    }
    Args args(argv, {});
    const std::string db = args.text("runs-db").value_or(RunStore::defaultPath());
    const std::string format = args.text("format").value_or("json");
    const auto output = args.text("output");
    if (auto v = args.integers("ids", 1, 2'000'000'000))
        for (int id : *v)
            ids.push_back(id);
    args.rejectUnused("runs");
    if (format != "json" && format != "csv")
        throw UsageError("--format: use csv or json, not \"" + format + "\"");
    const bool wantsIds = action == "show" || action == "delete";
    if (action != "list" && action != "show" && action != "export" && action != "delete")
        throw UsageError("runs: unknown action \"" + action + "\" (use list, show, export or delete)");
    if (wantsIds && ids.empty())
        throw UsageError("runs " + action + ": give a run id");

    RunStore store(db);
    if (action == "list") {
        for (const auto& r : store.list())
            emit(toJson(r));
    } else if (action == "show") {
        for (int64_t id : ids) {
            const auto r = store.get(id);
            if (!r)
                throw IoError(db + ": no run " + std::to_string(id));
            emit(toJson(*r));
        }
    } else if (action == "delete") {
        for (int64_t id : ids)
            if (!store.get(id))
                throw IoError(db + ": no run " + std::to_string(id));
        store.remove(ids);
        emit({{"deleted", ids}});
    } else {
        std::vector<RunRecord> runs;
        for (const auto& r : store.list())
            if (ids.empty() || std::find(ids.begin(), ids.end(), r.id) != ids.end())
                runs.push_back(*store.get(r.id));
        std::string text;
        if (format == "csv") {
            text = runsToCsv(runs);
        } else {
            json all = json::array();
            for (const auto& r : runs)
                all.push_back(toJson(r));
            text = all.dump(2) + "\n";
        }
        if (output) {
            writeFileAtomically(*output, text, "the export");
        } else {
            std::cout << text;
        }
    }
    return 0;
}

} // namespace factorscope::cli
