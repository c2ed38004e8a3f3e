// predict and fold-in: a checkpoint's predictions for given users, and new users added to it.
#include "app/cli/Args.h"
#include "app/cli/Commands.h"
#include "app/cli/JsonOut.h"
#include "core/common/Error.h"
#include "core/io/IdRowsFile.h"
#include "core/model/FoldIn.h"
#include "core/train/Checkpoint.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>

namespace factorscope::cli {

using nlohmann::json;

namespace {

// One JSON line per pair of the file, in its order; pairs the checkpoint cannot score say why.
void predictPairs(const LoadedCheckpoint& ckpt, const std::string& file) {
    const std::vector<IdRow> rows = readIdRows(file, false);
    std::vector<int32_t> users, items;
    std::vector<std::string> problems(rows.size());
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const auto u = ckpt.info.users.index(rows[k].user);
        const auto i = ckpt.info.items.index(rows[k].item);
        if (!u)
            problems[k] = "the checkpoint does not know this user (fold it in first: factorscope-cli fold-in)";
        else if (!i)
            problems[k] = "the checkpoint does not know this item";
        else {
            users.push_back(*u);
            items.push_back(*i);
        }
    }
    const std::vector<float> predictions = ckpt.model->predict(users, items);
    std::size_t next = 0;
    for (std::size_t k = 0; k < rows.size(); ++k) {
        json line = {{"user", rows[k].user}, {"item", rows[k].item}};
        if (problems[k].empty())
            line["prediction"] = predictions[next++];
        else {
            line["prediction"] = nullptr;
            line["error"] = problems[k];
        }
        emit(line);
    }
}

struct NewUsers {
    std::vector<int64_t> ids; // ascending
    std::vector<FoldInUser> ratings;
    std::size_t used = 0;
    std::size_t unknownItems = 0;      // ratings skipped: items the checkpoint does not know
    std::vector<int64_t> skippedUsers; // every rating of theirs was skipped
};

NewUsers groupNewUsers(const CheckpointInfo& info, const std::vector<IdRow>& rows, const std::string& file) {
    std::map<int64_t, std::map<int32_t, const IdRow*>> byUser;
    for (const IdRow& row : rows) {
        if (info.users.index(row.user))
            throw DataError(file + ":" + std::to_string(row.line) + ": user " + std::to_string(row.user) +
                            " is already in the checkpoint; fold in users it does not know (predict and recommend "
                            "serve the ones it knows)");
        auto& mine = byUser[row.user]; // listed even when none of their movies is known
        const auto item = info.items.index(row.item);
        if (!item)
            continue;
        if (auto seen = mine.find(*item); seen != mine.end())
            throw DataError(file + ":" + std::to_string(row.line) + ": user " + std::to_string(row.user) +
                            " rates item " + std::to_string(row.item) + " again (first on line " +
                            std::to_string(seen->second->line) + "); keep one rating per pair");
        mine.emplace(*item, &row);
    }
    NewUsers out;
    for (const auto& [user, rated] : byUser) {
        if (rated.empty()) {
            out.skippedUsers.push_back(user);
            continue;
        }
        FoldInUser u;
        for (const auto& [item, row] : rated) {
            u.items.push_back(item);
            u.ratings.push_back(static_cast<float>(row->rating));
        }
        out.used += rated.size();
        out.ids.push_back(user);
        out.ratings.push_back(std::move(u));
    }
    out.unknownItems = rows.size() - out.used;
    return out;
}

// The merged user order: ascending ids, as every IdMap keeps them; a source row per id.
std::vector<int32_t> mergedOrder(const IdMap& old, const std::vector<int64_t>& added, std::vector<int64_t>& ids) {
    std::vector<std::pair<int64_t, int32_t>> all;
    for (int32_t k = 0; k < old.size(); ++k)
        all.emplace_back(old.original(k), k);
    for (std::size_t k = 0; k < added.size(); ++k)
        all.emplace_back(added[k], old.size() + static_cast<int32_t>(k));
    std::sort(all.begin(), all.end());
    std::vector<int32_t> sources;
    ids.clear();
    for (const auto& [id, source] : all) {
        ids.push_back(id);
        sources.push_back(source);
    }
    return sources;
}

} // namespace

int cmdPredict(const std::vector<std::string>& argv) {
    if (wantsHelp(argv)) {
        std::cout << "factorscope-cli predict --checkpoint FILE (--user ID --item ID | --pairs FILE)\n"
                     "Predicted ratings for original (MovieLens) user and item ids: one pair, or every pair of\n"
                     "a CSV file of user,item lines (a header line is allowed). One JSON line per pair with\n"
                     "user, item and prediction; a pair the checkpoint cannot score has prediction null and\n"
                     "an error saying why.\n";
        return 0;
    }
    Args args(argv, {});
    const std::string file = args.required("checkpoint");
    const auto pairs = args.text("pairs");
    const auto user = args.integer("user", INT64_MIN, INT64_MAX);
    const auto item = args.integer("item", INT64_MIN, INT64_MAX);
    if (pairs && (user || item))
        throw UsageError("--pairs replaces --user and --item; give one or the other");
    if (!pairs && (!user || !item))
        throw UsageError("--user and --item are required (or --pairs FILE)");
    args.rejectUnused("predict");
    LoadedCheckpoint ckpt = loadCheckpoint(file);
    if (pairs) {
        predictPairs(ckpt, *pairs);
        return 0;
    }
    auto u = ckpt.info.users.index(*user);
    auto i = ckpt.info.items.index(*item);
    if (!u)
        throw UsageError("--user " + std::to_string(*user) + ": this user is not in the checkpoint's data (" +
                         std::to_string(ckpt.info.users.size()) + " users)");
    if (!i)
        throw UsageError("--item " + std::to_string(*item) + ": this item is not in the checkpoint's data (" +
                         std::to_string(ckpt.info.items.size()) + " items)");
    const float p = ckpt.model->predict({*u}, {*i}).front();
    emit({{"user", *user}, {"item", *item}, {"title", ckpt.info.itemTitles[*i]}, {"prediction", p}});
    return 0;
}

int cmdFoldIn(const std::vector<std::string>& argv) {
    if (wantsHelp(argv)) {
        std::cout << "factorscope-cli fold-in --checkpoint IN --ratings FILE --save OUT [--l2 X] [--steps N]\n"
                     "Adds new users to a trained model without retraining it: the movies' side stays as it\n"
                     "is, and each new user's vector (and bias) is fitted to their ratings alone. FILE is CSV\n"
                     "user,item,rating with original ids, users the checkpoint does not know, any number of\n"
                     "them; ratings of movies the checkpoint does not know are skipped and counted. OUT is\n"
                     "the checkpoint with those users added (the optimiser starts afresh if you train on).\n"
                     "--l2: the penalty on a new user's parameters (default 0.05); --steps: gradient steps\n"
                     "for models without an exact solution (default 200). dot, dotbias, linear, mlp, neumf.\n";
        return 0;
    }
    Args args(argv, {});
    const std::string in = args.required("checkpoint");
    const std::string ratingsFile = args.required("ratings");
    const std::string out = args.required("save");
    FoldInOptions options;
    if (auto v = args.real("l2", 0, 1e6))
        options.l2 = *v;
    if (auto v = args.integer("steps", 1, 100000))
        options.steps = static_cast<int>(*v);
    args.rejectUnused("fold-in");
    const auto start = std::chrono::steady_clock::now();
    LoadedCheckpoint ckpt = loadCheckpoint(in);
    if (auto why = whyCannotFoldIn(ckpt.info.spec.model))
        throw SpecError("--checkpoint", in + ": " + *why);
    const auto rows = readIdRows(ratingsFile, true, ckpt.info.scaleMin, ckpt.info.scaleMax);
    const NewUsers added = groupNewUsers(ckpt.info, rows, ratingsFile);
    if (added.ids.empty())
        throw DataError(ratingsFile + ": none of its " + std::to_string(rows.size()) +
                        " ratings is of a movie the checkpoint knows; nothing to fold in");
    const Model fitted = foldInUsers(*ckpt.model, added.ratings, options);
    std::vector<int64_t> ids;
    const std::vector<int32_t> sources = mergedOrder(ckpt.info.users, added.ids, ids);
    Model merged = mergeUsers(*ckpt.model, fitted, sources);
    CheckpointInfo info = ckpt.info;
    info.users = IdMap::fromSorted(std::move(ids));
    Trainer trainer(merged, info.spec);
    trainer.setHistory(info.history);
    saveCheckpoint(out, trainer, info);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    emit({{"out", out},
          {"users_added", added.ids.size()},
          {"ratings_used", added.used},
          {"ratings_skipped_unknown_items", added.unknownItems},
          {"users_skipped", added.skippedUsers},
          {"users", info.users.size()},
          {"seconds", seconds}});
    return 0;
}

} // namespace factorscope::cli
