#pragma once
// JSON forms of the engine's value types: checkpoints store them, the CLI prints them.
#include "core/data/Dataset.h"
#include "core/train/TrainSpec.h"

#include "core/common/Error.h"

#include <nlohmann/json.hpp>

#include <limits>
#include <string>
#include <type_traits>
#include <vector>

namespace factorscope {

nlohmann::json toJson(const ModelSpec& s);
nlohmann::json toJson(const TrainSpec& s);
nlohmann::json toJson(const EpochStats& s);
nlohmann::json toJson(const DatasetSummary& s);

// Throw CheckpointError naming the missing or mistyped field.
ModelSpec modelSpecFromJson(const nlohmann::json& j);
TrainSpec trainSpecFromJson(const nlohmann::json& j);
EpochStats epochStatsFromJson(const nlohmann::json& j);

// A JSON number as the integer type T, else CheckpointError naming `what`. nlohmann's own
// get<int>() of 7.5e24, or of -1 into an unsigned type, is undefined behaviour (a fuzz finding).
template <class T> T checkedInteger(const nlohmann::json& v, const std::string& what) {
    static_assert(std::is_integral_v<T>);
    bool ok = false;
    T out{};
    if (v.is_number_unsigned()) {
        const auto u = v.get<uint64_t>();
        ok = u <= static_cast<uint64_t>(std::numeric_limits<T>::max());
        out = static_cast<T>(u);
    } else if (v.is_number_integer()) {
        const auto i = v.get<int64_t>();
        if constexpr (std::is_signed_v<T>)
            ok = i >= static_cast<int64_t>(std::numeric_limits<T>::min()) &&
                 i <= static_cast<int64_t>(std::numeric_limits<T>::max());
        else
            ok = i >= 0 && static_cast<uint64_t>(i) <= static_cast<uint64_t>(std::numeric_limits<T>::max());
        out = static_cast<T>(i);
    }
    if (!ok)
        throw CheckpointError(what + " must be a whole number that fits, got " + v.dump().substr(0, 40));
    return out;
}
template <class T> std::vector<T> checkedIntegers(const nlohmann::json& v, const std::string& what) {
    if (!v.is_array())
        throw CheckpointError(what + " must be a list of whole numbers");
    std::vector<T> out;
    out.reserve(v.size());
    for (const auto& e : v)
        out.push_back(checkedInteger<T>(e, what));
    return out;
}

// NaN and infinity have no JSON form: they become null.
nlohmann::json number(double v);

} // namespace factorscope
