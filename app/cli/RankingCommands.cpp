// evaluate and recommend: a checkpoint judged on a split, and the top-K lists it would show.
// Both rank with core's topK, so evaluate --k scores exactly the lists recommend writes.
#include "app/cli/Commands.h"

#include "app/cli/JsonOut.h"
#include "app/cli/SpecArgs.h"
#include "core/analysis/Ranking.h"
#include "core/common/AtomicFile.h"
#include "core/common/Error.h"
#include "core/data/TextParse.h"
#include "core/train/Checkpoint.h"
#include "core/train/SpecJson.h"

#include <cmath>
#include <cstdio>
#include <iostream>

namespace factorscope::cli {

namespace {

// A checkpoint, the data set it was trained on and a split of it (default: its own).
struct CheckpointOnData {
    LoadedCheckpoint ckpt;
    Dataset data;
    SplitSpec splitSpec;
    Split split;
};

// Reads --checkpoint, --data (with the loader's flags) and --split; call before rejectUnused,
// then open().
class CheckpointArgs {
public:
    explicit CheckpointArgs(Args& args)
        : m_file(args.required("checkpoint")), m_path(args.required("data")), m_options(loadOptionsFromArgs(args)),
          m_split(args.text("split")) {}

    CheckpointOnData open() const {
        CheckpointOnData c{loadCheckpoint(m_file), {}, {}, {}};
        c.splitSpec = c.ckpt.info.spec.split;
        if (m_split) {
            c.splitSpec = SplitSpec::parse(*m_split);
            c.splitSpec.seed = c.ckpt.info.spec.split.seed;
        }
        c.data = loadDatasetOrDemo(m_path, m_options);
        if (!(c.ckpt.info.users == c.data.users) || !(c.ckpt.info.items == c.data.items))
            throw DataError(m_path + ": not the data set the checkpoint was trained on (its users or items differ)");
        c.split = makeSplit(c.data, c.splitSpec);
        return c;
    }

private:
    std::string m_file, m_path;
    LoadOptions m_options;
    std::optional<std::string> m_split;
};

int checkedK(long long k, std::size_t items) {
    RankingOptions o;
    o.k = static_cast<int>(std::min<long long>(k, 1LL << 30));
    try {
        o.validate(items);
    } catch (const SpecError& e) {
        throw UsageError("--" + std::string(e.what()));
    }
    return o.k;
}

// The encoded users --users names (original ids, comma-separated), or every user with a
// training rating.
std::vector<int32_t> usersToRank(const std::optional<std::string>& ids, const Dataset& data, const Split& split) {
    std::vector<int32_t> users;
    if (ids) {
        std::size_t at = 0;
        while (at <= ids->size()) {
            const std::size_t comma = std::min(ids->find(',', at), ids->size());
            const std::string one = ids->substr(at, comma - at);
            const auto id = text::toInt(one);
            if (!id)
                throw UsageError("--users: \"" + one + "\" is not a user id (give ids separated by commas)");
            const auto u = data.users.index(*id);
            if (!u)
                throw UsageError("--users: user " + one + " is not in the data set (" +
                                 std::to_string(data.users.size()) + " users)");
            users.push_back(*u);
            at = comma + 1;
        }
        return users;
    }
    std::vector<char> trained(data.users.size(), 0);
    for (int64_t r : split.train)
        trained[static_cast<std::size_t>(data.ratings.user[static_cast<std::size_t>(r)])] = 1;
    for (int32_t u = 0; u < data.users.size(); ++u)
        if (trained[static_cast<std::size_t>(u)])
            users.push_back(u);
    return users;
}

} // namespace

int cmdEvaluate(const std::vector<std::string>& argv) {
    if (wantsHelp(argv)) {
        std::cout << "factorscope-cli evaluate --checkpoint FILE --data PATH|demo [--split SPEC] [--lenient]\n"
                     "                         [--k K [--relevant-at X]]\n"
                     "RMSE and MAE of a checkpoint on the validation part of a split (default: the\n"
                     "split it was trained with), beside the mean-rating baseline (null for rankers\n"
                     "whose scores are not ratings: BPR, popularity, random, ease).\n"
                     "--k K adds the ranking metrics of each user's top K among the movies they did\n"
                     "not rate in training: precision_at_k, recall_at_k, ndcg_at_k, map_at_k,\n"
                     "hit_rate_at_k, catalogue_coverage and mean_popularity (docs/METRICS.md). Every\n"
                     "held-out rating is relevant, or with --relevant-at X those of at least X.\n";
        return 0;
    }
    Args args(argv, {"lenient"});
    const CheckpointArgs source(args);
    const auto k = args.integer("k", 1, 1LL << 30);
    RankingOptions ranking;
    if (auto at = args.real("relevant-at", -1e9, 1e9)) {
        if (!k)
            throw UsageError("--relevant-at: only with --k");
        ranking.relevantAt = *at;
    }
    args.rejectUnused("evaluate");
    const CheckpointOnData c = source.open();
    const EvalResult r = evaluate(*c.ckpt.model, c.data, c.split.validation);
    // A ranker's scores (BPR, popularity, ease) are not ratings: no rating error for them.
    const bool ratings = !c.ckpt.info.spec.ranksOnly();
    const double none = std::nan("");
    nlohmann::json out = {
        {"split", c.splitSpec.toString()},
        {"ratings", r.count},
        {"rmse", number(ratings ? r.rmse : none)},
        {"mae", number(ratings ? r.mae : none)},
        {"baseline_rmse", number(ratings ? baselineRmse(c.data, c.split.train, c.split.validation) : none)}};
    if (k) {
        ranking.k = checkedK(*k, c.data.items.size());
        const RankingResult m = rankingMetrics(*c.ckpt.model, c.data, c.split.train, c.split.validation, ranking);
        out.update({{"k", m.k},
                    {"users_ranked", m.users},
                    {"precision_at_k", number(m.precision)},
                    {"recall_at_k", number(m.recall)},
                    {"ndcg_at_k", number(m.ndcg)},
                    {"map_at_k", number(m.map)},
                    {"hit_rate_at_k", number(m.hitRate)},
                    {"catalogue_coverage", number(m.coverage)},
                    {"mean_popularity", number(m.meanPopularity)}});
    }
    emit(out);
    return 0;
}

int cmdRecommend(const std::vector<std::string>& argv) {
    if (wantsHelp(argv)) {
        std::cout << "factorscope-cli recommend --checkpoint FILE --data PATH|demo --out FILE [--split SPEC]\n"
                     "                          [--k K] [--users ID,ID,...] [--lenient]\n"
                     "Writes each user's top K (default 10) among the movies they did not rate in the\n"
                     "training part of the split (default: the checkpoint's) as CSV: user,item,rank,score\n"
                     "with the data's own ids and rank 1 the best. Every user with a training rating, or\n"
                     "those --users names. evaluate --k scores exactly these lists.\n";
        return 0;
    }
    Args args(argv, {"lenient"});
    const CheckpointArgs source(args);
    const std::string out = args.required("out");
    const long long k = args.integer("k", 1, 1LL << 30).value_or(10);
    const auto ids = args.text("users");
    args.rejectUnused("recommend");
    const CheckpointOnData c = source.open();
    const int kk = checkedK(k, c.data.items.size());
    const std::vector<int32_t> users = usersToRank(ids, c.data, c.split);
    const auto lists = topK(*c.ckpt.model, c.data, c.split.train, users, kk);
    AtomicFile file(out, "the recommendations");
    file.write("user,item,rank,score\n");
    int64_t rows = 0, empty = 0;
    char line[128];
    for (std::size_t j = 0; j < users.size(); ++j) {
        if (lists[j].empty()) {
            if (ids)
                throw UsageError("--users: user " + std::to_string(c.data.users.original(users[j])) +
                                 " rated every movie in training: nothing is left to recommend");
            ++empty;
        }
        for (std::size_t r = 0; r < lists[j].size(); ++r) {
            const int n = std::snprintf(
                line, sizeof line, "%lld,%lld,%zu,%.6g\n", static_cast<long long>(c.data.users.original(users[j])),
                static_cast<long long>(c.data.items.original(lists[j][r].item)), r + 1, lists[j][r].rating);
            file.write(std::string_view(line, static_cast<std::size_t>(n)));
            ++rows;
        }
    }
    file.commit();
    emit({{"out", out},
          {"split", c.splitSpec.toString()},
          {"k", kk},
          {"users", users.size() - static_cast<std::size_t>(empty)},
          {"users_with_nothing_to_rank", empty},
          {"rows", rows}});
    return 0;
}

} // namespace factorscope::cli
