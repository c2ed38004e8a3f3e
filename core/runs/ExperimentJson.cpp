#include "core/runs/ExperimentJson.h"

#include "core/train/SpecJson.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace factorscope {

using nlohmann::json;

json toJson(const CvResult& r) {
    json folds = json::array();
    for (const auto& f : r.folds) {
        json fold = {{"fold", f.name},          {"rmse", number(f.rmse)}, {"mae", number(f.mae)},
                     {"train", f.trainRatings}, {"test", f.testRatings},  {"seconds", f.seconds}};
        if (r.rankK > 0)
            fold.update({{"ndcg_at_k", number(f.ndcg)},
                         {"precision_at_k", number(f.precision)},
                         {"recall_at_k", number(f.recall)}});
        folds.push_back(fold);
    }
    json out = {{"scheme", r.scheme},
                {"folds", folds},
                {"mean_rmse", number(r.meanRmse)},
                {"std_rmse", number(r.stdRmse)},
                {"mean_mae", number(r.meanMae)},
                {"std_mae", number(r.stdMae)},
                {"seconds", r.seconds},
                {"stopped", r.stopped}};
    if (r.rankK > 0)
        out.update({{"k", r.rankK},
                    {"mean_ndcg_at_k", number(r.meanNdcg)},
                    {"std_ndcg_at_k", number(r.stdNdcg)},
                    {"mean_precision_at_k", number(r.meanPrecision)},
                    {"mean_recall_at_k", number(r.meanRecall)}});
    return out;
}

json toJson(const GridPoint& p) {
    json settings = json::object();
    for (const auto& [name, value] : p.settings)
        settings[name] = value;
    json j = {{"settings", settings},
              {"rmse", number(p.rmse)},
              {"mae", number(p.mae)},
              {"seconds", p.seconds},
              {"spec", toJson(p.spec)}};
    if (p.bestEpoch > 0)
        j["best_epoch"] = p.bestEpoch;
    if (std::isfinite(p.ndcg))
        j["ndcg_at_k"] = p.ndcg;
    if (p.stdRmse > 0)
        j["std_rmse"] = number(p.stdRmse);
    if (!p.error.empty())
        j["error"] = p.error;
    return j;
}

json toJson(const GridResult& r) {
    json points = json::array();
    for (const auto& p : r.points)
        points.push_back(toJson(p));
    return {{"points", points}, {"stopped", r.stopped}, {"seconds", r.seconds}};
}

json toJson(const RunRecord& r) {
    json j = {{"id", r.id},
              {"kind", r.kind},
              {"status", r.status},
              {"origin", r.origin},
              {"started_at", r.startedAt},
              {"seconds", number(r.seconds)},
              {"dataset", r.datasetSource},
              {"dataset_fingerprint", r.datasetFingerprint},
              {"split", r.split},
              {"seed", r.seed},
              {"version", r.version},
              {"best_epoch", r.bestEpoch},
              {"best_val_rmse", number(r.bestValRmse)},
              {"best_val_ndcg", number(r.bestValNdcg)},
              {"final_val_rmse", number(r.finalValRmse)},
              {"final_val_mae", number(r.finalValMae)},
              {"test_rmse", number(r.testRmse)},
              {"checkpoint", r.checkpointPath},
              {"message", r.message}};
    j["spec"] = json::parse(r.specJson, nullptr, false);
    if (!r.resultJson.empty())
        j["result"] = json::parse(r.resultJson, nullptr, false);
    if (!r.epochs.empty()) {
        json epochs = json::array();
        for (const auto& e : r.epochs)
            epochs.push_back(toJson(e));
        j["epochs"] = epochs;
    }
    return j;
}

namespace {

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string csvNumber(double v) {
    if (!std::isfinite(v))
        return "";
    std::ostringstream os;
    os.precision(10);
    os << v;
    return os.str();
}

} // namespace

std::string runsToCsv(const std::vector<RunRecord>& runs) {
    std::string out =
        "id,kind,status,origin,started_at,seconds,dataset,dataset_fingerprint,split,seed,version,"
        "best_epoch,best_val_rmse,best_val_ndcg,final_val_rmse,final_val_mae,test_rmse,checkpoint,message,"
        "spec\n";
    for (const auto& r : runs) {
        const std::vector<std::string> fields = {std::to_string(r.id),
                                                 r.kind,
                                                 r.status,
                                                 r.origin,
                                                 r.startedAt,
                                                 csvNumber(r.seconds),
                                                 r.datasetSource,
                                                 r.datasetFingerprint,
                                                 r.split,
                                                 std::to_string(r.seed),
                                                 r.version,
                                                 std::to_string(r.bestEpoch),
                                                 csvNumber(r.bestValRmse),
                                                 csvNumber(r.bestValNdcg),
                                                 csvNumber(r.finalValRmse),
                                                 csvNumber(r.finalValMae),
                                                 csvNumber(r.testRmse),
                                                 r.checkpointPath,
                                                 r.message,
                                                 r.specJson};
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i > 0)
                out += ',';
            out += csvField(fields[i]);
        }
        out += "\n";
    }
    return out;
}

} // namespace factorscope

namespace factorscope {

namespace {

void flatten(const nlohmann::json& j, const std::string& prefix, std::map<std::string, std::string>& out) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it)
            flatten(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
    } else {
        out[prefix] = j.is_string() ? j.get<std::string>() : j.dump();
    }
}

} // namespace

std::vector<SpecDifference> specDifferences(const std::vector<std::string>& specJsons) {
    std::vector<std::map<std::string, std::string>> flat(specJsons.size());
    std::set<std::string> fields;
    for (std::size_t i = 0; i < specJsons.size(); ++i) {
        flatten(nlohmann::json::parse(specJsons[i], nullptr, false), "", flat[i]);
        for (const auto& [k, v] : flat[i])
            fields.insert(k);
    }
    std::vector<SpecDifference> out;
    for (const auto& field : fields) {
        SpecDifference d{field, {}};
        for (auto& f : flat)
            d.values.push_back(f.count(field) ? f[field] : "—");
        if (std::adjacent_find(d.values.begin(), d.values.end(), std::not_equal_to<>()) != d.values.end())
            out.push_back(std::move(d));
    }
    return out;
}

} // namespace factorscope
