#include "core/train/SpecJson.h"

#include "core/common/Error.h"
#include "core/train/SpecFields.h"

#include <cmath>

namespace factorscope {

using nlohmann::json;

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

namespace {

template <class T> T get(const json& j, const char* key) {
    if (!j.is_object() || !j.contains(key))
        throw CheckpointError(std::string("missing field \"") + key + "\"");
    try {
        if constexpr (std::is_floating_point_v<T>) {
            if (j.at(key).is_null())
                return std::nan("");
        }
        const std::string what = std::string("field \"") + key + "\"";
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
            return checkedInteger<T>(j.at(key), what);
        else if constexpr (std::is_same_v<T, std::vector<int>>)
            return checkedIntegers<int>(j.at(key), what);
        else
            return j.at(key).get<T>();
    } catch (const json::exception&) {
        throw CheckpointError(std::string("field \"") + key + "\" has the wrong type");
    }
}

template <class E> E getEnum(const json& j, const char* key, std::optional<E> (*parse)(const std::string&)) {
    const auto name = get<std::string>(j, key);
    auto v = parse(name);
    if (!v)
        throw CheckpointError(std::string("field \"") + key + "\": unknown value \"" + name + "\"");
    return *v;
}

} // namespace

// The spec's JSON is written and read through its field table (SpecFields.h): a field's
// section and key(s) there are its place in the file.
namespace {

const json& sectionOf(const json& j, const char* section) {
    if (!*section)
        return j;
    if (!j.is_object() || !j.contains(section))
        throw CheckpointError(std::string("missing field \"") + section + "\"");
    return j.at(section);
}

json valueToJson(const SpecField& f, const FieldValue& v) {
    if (f.type == FieldType::Integers) {
        json a = json::array();
        for (double x : std::get<std::vector<double>>(v))
            a.push_back(static_cast<long long>(x));
        return a;
    }
    return std::visit([](const auto& x) { return json(x); }, v);
}

void writeField(json& out, const SpecField& f, const TrainSpec& spec) {
    const FieldValue v = f.get(spec);
    if (f.type == FieldType::Pair || f.type == FieldType::OptionalPair) {
        auto pair = std::get<std::vector<double>>(v);
        const bool on = pair.size() == 2;
        if (!on) // a range that is off keeps the default bounds in the file
            pair = {ModelSpec{}.yMin, ModelSpec{}.yMax};
        const int first = f.type == FieldType::OptionalPair ? 1 : 0;
        if (first)
            out[f.json[0]] = on;
        out[f.json[first]] = pair[0];
        out[f.json[first + 1]] = pair[1];
        return;
    }
    out[f.json[0]] = valueToJson(f, v);
}

FieldValue readField(const json& j, const SpecField& f) {
    switch (f.type) {
    case FieldType::Flag:
        return get<bool>(j, f.json[0]);
    case FieldType::Integer:
        return get<long long>(j, f.json[0]);
    case FieldType::Real:
        return get<double>(j, f.json[0]);
    case FieldType::Choice:
    case FieldType::Text:
        return get<std::string>(j, f.json[0]);
    case FieldType::Integers: {
        const auto v = get<std::vector<int>>(j, f.json[0]);
        return std::vector<double>(v.begin(), v.end());
    }
    case FieldType::Reals:
        return get<std::vector<double>>(j, f.json[0]);
    case FieldType::Pair:
        return std::vector<double>{get<double>(j, f.json[0]), get<double>(j, f.json[1])};
    case FieldType::OptionalPair:
        if (!get<bool>(j, f.json[0]))
            return std::vector<double>{};
        return std::vector<double>{get<double>(j, f.json[1]), get<double>(j, f.json[2])};
    }
    return false;
}

json sectionToJson(const TrainSpec& spec, const std::string& section) {
    json out = json::object();
    for (const auto& f : specFields())
        if (section == f.jsonSection)
            writeField(out, f, spec);
    return out;
}

void sectionFromJson(const json& j, const std::string& section, TrainSpec& spec) {
    for (const auto& f : specFields()) {
        if (section != f.jsonSection || (f.optionalInJson && j.is_object() && !j.contains(f.json[0])))
            continue;
        const FieldValue v = readField(j, f);
        try {
            f.set(spec, v);
        } catch (const SpecError& e) {
            const auto* text = std::get_if<std::string>(&v);
            throw CheckpointError(std::string("field \"") + f.json[0] + "\": " +
                                  (f.type == FieldType::Choice && text ? "unknown value \"" + *text + "\"" : e.what()));
        }
    }
}

} // namespace

json toJson(const ModelSpec& s) {
    TrainSpec spec;
    spec.model = s;
    return sectionToJson(spec, "model");
}

ModelSpec modelSpecFromJson(const json& j) {
    TrainSpec spec;
    sectionFromJson(j, "model", spec);
    return spec.model;
}

json toJson(const TrainSpec& s) {
    json j = sectionToJson(s, "");
    for (const char* section : {"model", "optimizer", "schedule"})
        j[section] = sectionToJson(s, section);
    return j;
}

TrainSpec trainSpecFromJson(const json& j) {
    TrainSpec s;
    sectionFromJson(j, "", s);
    for (const char* section : {"model", "optimizer", "schedule"})
        sectionFromJson(sectionOf(j, section), section, s);
    return s;
}

json toJson(const EpochStats& s) {
    return {{"epoch", s.epoch},
            {"train_loss", number(s.trainLoss)},
            {"val_loss", number(s.valLoss)},
            {"val_rmse", number(s.valRmse)},
            {"val_mae", number(s.valMae)},
            {"val_ndcg", number(s.valNdcg)},
            {"ranked_users", s.rankedUsers},
            {"lr", number(s.lr)},
            {"seconds", number(s.seconds)},
            {"ratings_per_second", number(s.ratingsPerSecond)},
            {"best", s.best}};
}

EpochStats epochStatsFromJson(const json& j) {
    EpochStats s;
    s.epoch = get<int>(j, "epoch");
    s.trainLoss = get<double>(j, "train_loss");
    s.valLoss = get<double>(j, "val_loss");
    s.valRmse = get<double>(j, "val_rmse");
    s.valMae = get<double>(j, "val_mae");
    if (j.contains("val_ndcg")) { // not in files before ranking was measured
        s.valNdcg = get<double>(j, "val_ndcg");
        s.rankedUsers = get<int64_t>(j, "ranked_users");
    }
    s.lr = get<double>(j, "lr");
    s.seconds = get<double>(j, "seconds");
    s.ratingsPerSecond = get<double>(j, "ratings_per_second");
    s.best = get<bool>(j, "best");
    return s;
}

json toJson(const DatasetSummary& s) {
    json j = {{"format", s.format},
              {"source", s.source},
              {"ratings", s.ratings},
              {"fingerprint", s.fingerprint},
              {"users", s.users},
              {"items", s.items},
              {"catalogue_items", s.catalogueItems},
              {"implicit", s.implicit},
              {"rating_min", s.ratingMin},
              {"rating_max", s.ratingMax},
              {"rating_mean", number(s.ratingMean)},
              {"density", number(s.density)},
              {"rating_histogram", s.histogram},
              {"genres", s.genres},
              {"predefined_splits", s.predefinedSplits},
              {"skipped_lines", s.report.skippedLines},
              {"duplicates_skipped", s.report.duplicatesSkipped},
              {"items_missing_from_catalogue", s.report.itemsMissingFromCatalogue}};
    if (!s.report.firstProblems.empty())
        j["first_problems"] = s.report.firstProblems;
    if (!s.report.warnings.empty())
        j["warnings"] = s.report.warnings;
    return j;
}

} // namespace factorscope
