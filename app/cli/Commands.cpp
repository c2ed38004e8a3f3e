#include "app/cli/Commands.h"

#include "app/cli/JsonOut.h"
#include "app/cli/SpecArgs.h"
#include "app/cli/StopSignals.h"
#include "core/common/BlasInfo.h"
#include "core/common/Error.h"
#include "core/data/DatasetWriter.h"
#include "core/data/DemoData.h"
#include "core/experiment/Recipes.h"
#include "core/io/OwnRatings.h"
#include "core/net/Download.h"
#include "core/runs/RecordedExperiments.h"
#include "core/train/Checkpoint.h"
#include "core/train/Continuation.h"
#include "core/train/LrFinder.h"
#include "core/train/SpecJson.h"

#include <chrono>
#include <filesystem>
#include <iostream>

namespace factorscope::cli {

using nlohmann::json;

namespace {

json splitJson(const Split& s) {
    return {{"train", s.train.size()},   {"validation", s.validation.size()}, {"test", s.test.size()},
            {"cold_users", s.coldUsers}, {"cold_items", s.coldItems},         {"cold_ratings", s.coldRatings}};
}

// Prints each epoch, and the run store's warning (not recording, or no longer) when one comes.
class JsonLines : public TrainObserver {
public:
    explicit JsonLines(const RecordTarget& target) : m_target(target) {}
    void onEpoch(const EpochStats& e) override {
        warn();
        emit(toJson(e));
    }
    void warn() {
        if (m_target.warning != m_warned && !m_target.warning.empty())
            std::cerr << "factorscope-cli: " << m_target.warning << "\n";
        m_warned = m_target.warning;
    }

private:
    const RecordTarget& m_target;
    std::string m_warned;
};

// train --recipe NAME: the recipe's data set when no --data is given (from the download cache).
std::string recipeDataPath(Args& args, const Recipe* recipe) {
    if (!recipe || args.has("data"))
        return args.required("data");
    const std::string cached = cachedDataset(remoteDataset(recipe->data), defaultDatasetCache());
    if (cached.empty())
        throw UsageError("--data: recipe " + recipe->name + " runs on " + recipe->data +
                         ", which is not downloaded; run \"factorscope-cli download " + recipe->data +
                         "\" first, or give --data PATH (--data demo works too)");
    return cached;
}

} // namespace

int cmdInfo(const std::vector<std::string>& argv) {
    if (wantsHelp(argv)) {
        std::cout << "factorscope-cli info --data PATH|demo [--lenient] [--scale MIN,MAX]\n"
                     "Prints one JSON object describing the data set, and under \"blas\" the BLAS library\n"
                     "the neural models' layers run on (name, version, threading, threads, library).\n";
        return 0;
    }
    Args args(argv, {"lenient"});
    const std::string path = args.required("data");
    const LoadOptions options = loadOptionsFromArgs(args);
    args.rejectUnused("info");
    json out = toJson(summarize(loadDatasetOrDemo(path, options)));
    const BlasInfo blas = loadedBlas();
    out["blas"] = {{"name", blas.name},       {"version", blas.version}, {"threading", blas.threading},
                   {"threads", blas.threads}, {"library", blas.library}, {"optimised", blas.optimised}};
    if (const std::string warning = blasWarning(blas); !warning.empty())
        std::cerr << "warning: " << warning << "\n";
    emit(out);
    return 0;
}

int cmdTrain(const std::vector<std::string>& argv) {
    if (wantsHelp(argv)) {
        std::cout << "factorscope-cli train --data PATH|demo [flags] [--save FILE] [--resume FILE | --recipe NAME]\n"
                     "Prints one JSON line per epoch, then a final line with \"done\": true.\n"
                     "--resume FILE continues training a checkpoint (its spec, unless flags change it).\n"
                     "--recipe NAME starts from a recipe (\"factorscope-cli recipes\"); flags override it, and\n"
                     "without --data it runs on the recipe's own data set once downloaded.\n"
                     "--include-ratings FILE adds your own ratings to the data before training (CSV\n"
                     "user,item,rating with original ids, users the data set does not have; the You page's\n"
                     "Keep and Save write it); ratings of movies the data lacks are skipped and counted.\n"
                     "The run is recorded in the run store (see \"factorscope-cli runs --help\").\n\n"
                  << kRecordFlagsHelp << trainFlagsHelp();
        return 0;
    }
    Args args(argv, trainSwitches({"no-record"}));
    const auto recipeName = args.text("recipe");
    const Recipe* recipe = nullptr;
    if (recipeName) {
        try {
            recipe = &recipeNamed(*recipeName);
        } catch (const SpecError& e) {
            throw UsageError("--" + std::string(e.what()));
        }
    }
    const std::string path = recipeDataPath(args, recipe);
    const LoadOptions options = loadOptionsFromArgs(args);
    const auto runsDb = runsDbFromArgs(args);
    const auto save = args.text("save");
    const auto resume = args.text("resume");
    const auto include = args.text("include-ratings");
    if (resume && recipe)
        throw UsageError("--recipe starts a new run; it does not combine with --resume");
    LoadedCheckpoint ckpt;
    TrainSpec base = recipe ? recipe->spec : TrainSpec::defaults();
    if (resume) {
        ckpt = loadCheckpoint(*resume);
        base = ckpt.info.spec;
    }
    // Read first: user,item data (no ratings) trains with BPR unless the flags say otherwise.
    Dataset data = loadDatasetOrDemo(path, options);
    if (include)
        includeOwnRatings(data, *include);
    if (data.implicit && !resume)
        base.setLoss(LossKind::Bpr);
    TrainSpec spec = trainSpecFromArgs(args, base);
    args.rejectUnused("train");
    checkDevice(spec.device);

    const std::string note =
        recipe && !args.has("split") ? recipe->fitSplit(spec, data.predefinedSplits) : std::string();
    if (!resume && !recipe)
        defaultSplit(args, data, spec);
    const Split split = makeSplit(data, spec.split);
    if (recipe)
        recipe->fitToData(spec, split.train.size());
    std::unique_ptr<Model> model;
    std::unique_ptr<Trainer> trainer;
    if (resume) {
        model = std::move(ckpt.model);
        try {
            trainer = continueCheckpoint(*model, ckpt, spec, data);
        } catch (const DataError& e) {
            throw DataError(path + ": " + e.what());
        } catch (const SpecError& e) {
            throw UsageError(std::string("--resume: ") + e.what() + "; drop the flags that change it");
        }
    } else {
        model = std::make_unique<Model>(spec.model, data.users.size(), data.items.size(), spec.seed);
        trainer = std::make_unique<Trainer>(*model, spec);
    }
    json start = {{"start", true},
                  {"format", data.format},
                  {"split", spec.split.toString()},
                  {"split_sizes", splitJson(split)},
                  {"model", toString(spec.model.kind)},
                  {"loss", toString(spec.loss)},
                  {"parameters", model->parameterCount()},
                  {"device", spec.device}};
    if (recipe)
        start["recipe"] = recipe->name;
    if (!note.empty())
        start["note"] = note;
    emit(start);
    RecordTarget target{runsDb.value_or(""), "cli"};
    JsonLines lines(target);
    StopOnSignals stop;
    bool saved = false;
    const TrainResult r =
        trainRecorded(target, *trainer, data, split, &lines, stop.control(), [&](const TrainResult&) -> std::string {
            if (!save)
                return {};
            if (stop.signal() != 0) {
                std::cerr << "factorscope-cli train: stopped by a signal; " << *save << " was not written\n";
                return {};
            }
            saveCheckpoint(*save, *trainer, data);
            saved = true;
            return std::filesystem::absolute(*save).string();
        });
    lines.warn();
    json done = {{"done", true},
                 {"best_epoch", r.bestEpoch},
                 {"best_val_rmse", number(r.bestValRmse)},
                 {"best_val_ndcg", number(r.bestValNdcg)},
                 {"baseline_rmse", number(r.baselineRmse)},
                 {"stop_reason", toString(r.stopReason)},
                 {"message", r.message},
                 {"seconds", r.seconds}};
    if (!split.test.empty()) {
        done["test_rmse"] = number(r.testRmse);
        done["test_mae"] = number(r.testMae);
    }
    if (saved)
        done["checkpoint"] = *save;
    if (target.runId > 0)
        done["run_id"] = target.runId;
    emit(done);
    return stop.exitCode(r.stopReason == StopReason::Diverged ? 3 : 0);
}

int cmdLrFind(const std::vector<std::string>& argv) {
    if (wantsHelp(argv)) {
        std::cout << "factorscope-cli lr-find --data PATH|demo [--start 1e-7] [--end 10] [--steps 100] [flags]\n"
                     "The learning-rate range test: prints one JSON line per step and a final line\n"
                     "with the suggested learning rate.\n\n"
                  << trainFlagsHelp();
        return 0;
    }
    Args args(argv, trainSwitches());
    const std::string path = args.required("data");
    const LoadOptions options = loadOptionsFromArgs(args);
    LrFindSpec find;
    if (auto v = args.real("start", 1e-12, 1e4))
        find.startLr = *v;
    if (auto v = args.real("end", 1e-12, 1e4))
        find.endLr = *v;
    if (auto v = args.integer("steps", 5, 100000))
        find.steps = static_cast<int>(*v);
    TrainSpec spec = trainSpecFromArgs(args, TrainSpec::defaults());
    args.rejectUnused("lr-find");
    find.validate();
    const Dataset data = loadDatasetOrDemo(path, options);
    defaultSplit(args, data, spec);
    const Split split = makeSplit(data, spec.split);
    Model model(spec.model, data.users.size(), data.items.size(), spec.seed);
    const auto r = findLearningRate(model, data, split, spec, find, [](double lr, double loss) {
        emit({{"lr", lr}, {"loss", loss}});
    });
    emit({{"done", true},
          {"suggested_lr", r.suggestedLr},
          {"min_loss_lr", r.minLossLr},
          {"steepest_lr", r.steepestLr},
          {"diverged", r.diverged},
          {"steps", r.lrs.size()}});
    return 0;
}

} // namespace factorscope::cli

namespace factorscope::cli {

int cmdGenerate(const std::vector<std::string>& argv) {
    if (wantsHelp(argv)) {
        std::cout << "factorscope-cli generate --out DIR [--users N] [--movies N] [--ratings N] [--seed N]\n"
                     "Writes a synthetic data set with planted genre tastes (the demo generator at any\n"
                     "scale) as MovieLens CSV: DIR/ratings.csv and DIR/movies.csv. MovieLens-25M shape:\n"
                     "--users 162541 --movies 59047 --ratings 25000095.\n";
        return 0;
    }
    Args args(argv, {});
    const std::string out = args.required("out");
    DemoSpec spec;
    if (auto v = args.integer("users", 2, 100000000))
        spec.users = static_cast<int>(*v);
    if (auto v = args.integer("movies", 2, 100000000))
        spec.movies = static_cast<int>(*v);
    if (auto v = args.integer("ratings", 1, 2000000000))
        spec.ratings = static_cast<int>(*v);
    if (auto v = args.integer("seed", 0, (1LL << 62)))
        spec.seed = static_cast<uint64_t>(*v);
    args.rejectUnused("generate");
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    if (ec)
        throw IoError(out + ": cannot create the folder (" + ec.message() + ")");
    const auto start = std::chrono::steady_clock::now();
    const Dataset d = generateDemo(spec);
    writeMovieLensCsv(d, out);
    emit({{"out", out},
          {"ratings", d.ratings.size()},
          {"users", d.users.size()},
          {"movies", d.items.size()},
          {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()}});
    return 0;
}

} // namespace factorscope::cli
