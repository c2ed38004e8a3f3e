#pragma once
// How the rows of the spec's field table (SpecFields.h) are written: a field bound to a member
// of the spec, a choice among an enum's names, and the conditions rows share. Only the table's
// own files include this.
#include "core/train/SpecFields.h"

#include "core/common/Error.h"

#include <limits>
#include <type_traits>

namespace factorscope::fieldrows {

using G = FieldGroup;
using T = FieldType;

template <class V> FieldValue toValue(const V& v) {
    if constexpr (std::is_same_v<V, bool>)
        return v;
    else if constexpr (std::is_integral_v<V>)
        return static_cast<long long>(v);
    else if constexpr (std::is_floating_point_v<V>)
        return static_cast<double>(v);
    else if constexpr (std::is_same_v<V, std::string>)
        return v;
    else
        return std::vector<double>(v.begin(), v.end());
}

// A whole number outside what the member can hold becomes one of that type's limits, which the
// field's range check then refuses by name (a plain cast would wrap it into range, or be
// undefined for a double). Below an unsigned type it becomes the largest, since 0 may be valid.
template <class I> I clampedTo(double d) {
    constexpr double lo = static_cast<double>(std::numeric_limits<I>::lowest());
    constexpr double hi = static_cast<double>(std::numeric_limits<I>::max());
    if (!(d >= lo))
        return std::is_signed_v<I> ? std::numeric_limits<I>::lowest() : std::numeric_limits<I>::max();
    if (!(d < hi))
        return std::numeric_limits<I>::max();
    return static_cast<I>(d);
}

template <class V> V fromValue(const FieldValue& v) {
    if constexpr (std::is_same_v<V, bool>)
        return std::get<bool>(v);
    else if constexpr (std::is_integral_v<V>)
        return clampedTo<V>(static_cast<double>(std::get<long long>(v)));
    else if constexpr (std::is_floating_point_v<V>)
        return std::get<double>(v);
    else if constexpr (std::is_same_v<V, std::string>)
        return std::get<std::string>(v);
    else {
        using E = typename V::value_type;
        V out;
        for (double d : std::get<std::vector<double>>(v))
            out.push_back(std::is_integral_v<E> ? clampedTo<E>(d) : static_cast<E>(d));
        return out;
    }
}

template <class V> SpecField bind(SpecField f, V TrainSpec::*m) {
    f.get = [m](const TrainSpec& s) { return toValue(s.*m); };
    f.set = [m](TrainSpec& s, const FieldValue& v) { s.*m = fromValue<V>(v); };
    return f;
}

template <class P, class V> SpecField bind(SpecField f, P TrainSpec::*part, V P::*m) {
    f.get = [part, m](const TrainSpec& s) { return toValue(s.*part.*m); };
    f.set = [part, m](TrainSpec& s, const FieldValue& v) { s.*part.*m = fromValue<V>(v); };
    return f;
}

// A choice among an enum's values by their names; `reset`, when given, runs when the value
// changes (a new model or optimiser starts from its own defaults).
template <class E> SpecField choice(SpecField f, std::vector<E> values, std::function<E(const TrainSpec&)> get,
                                    std::function<void(TrainSpec&, E)> set) {
    for (E e : values)
        f.choices.push_back(toString(e));
    const std::string name = f.name;
    f.get = [get](const TrainSpec& s) { return FieldValue(toString(get(s))); };
    f.set = [values, set, name](TrainSpec& s, const FieldValue& v) {
        const auto& text = std::get<std::string>(v);
        for (E e : values)
            if (toString(e) == text)
                return set(s, e);
        std::string known;
        for (std::size_t i = 0; i < values.size(); ++i)
            known.append(i == 0 ? "" : i + 1 == values.size() ? " or " : ", ").append(toString(values[i]));
        throw SpecError(name, "unknown \"" + text + "\" (use " + known + ")");
    };
    return f;
}

inline bool always(const TrainSpec&) { return true; }
inline bool deep(const TrainSpec& s) { return s.model.hasHiddenLayers(); }
inline bool optimizerIs(const TrainSpec& s, std::initializer_list<OptimizerKind> kinds) {
    for (auto k : kinds)
        if (s.optimizer.kind == k)
            return true;
    return false;
}
inline bool scheduleIs(const TrainSpec& s, std::initializer_list<ScheduleKind> kinds) {
    for (auto k : kinds)
        if (s.schedule.kind == k)
            return true;
    return false;
}
inline bool oneCycle(const TrainSpec& s) { return scheduleIs(s, {ScheduleKind::OneCycle}); }

inline constexpr double kMaxSeed = 4611686018427387904.0; // 2^62

std::vector<SpecField> dataFields();
std::vector<SpecField> modelFields();
std::vector<SpecField> modelOutputFields();
std::vector<SpecField> classicFields(); // baseline and knn (SpecFieldTableClassic.cpp)
std::vector<SpecField> optimiserFields();
std::vector<SpecField> scheduleFields();
std::vector<SpecField> oneCycleFields();
std::vector<SpecField> trainingFields();
std::vector<SpecField> lossFields();

} // namespace factorscope::fieldrows
