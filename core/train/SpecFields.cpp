#include "core/train/SpecFields.h"

#include "core/common/Error.h"

#include <charconv>
#include <cmath>

namespace factorscope {

namespace {

std::string formatNumber(double v) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::vector<std::string> splitCommas(const std::string& text) {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : text) {
        if (c == ',') {
            parts.push_back(cur);
            cur.clear();
        } else if (c != ' ') {
            cur += c;
        }
    }
    if (!cur.empty() || !parts.empty())
        parts.push_back(cur);
    return parts;
}

bool toNumber(const std::string& text, double& v) {
    const char* end = text.data() + text.size();
    const auto r = std::from_chars(text.data(), end, v);
    return !text.empty() && r.ec == std::errc() && r.ptr == end && std::isfinite(v);
}

std::vector<double> numbers(const SpecField& f, const std::string& text, bool whole) {
    std::vector<double> out;
    for (const auto& part : splitCommas(text)) {
        double v = 0;
        if (!toNumber(part, v) || (whole && v != std::floor(v)))
            throw SpecError(f.name, std::string("expected ") + (whole ? "whole numbers" : "numbers") +
                                        " separated by commas, got \"" + text + "\"");
        out.push_back(v);
    }
    return out;
}

bool inRange(const SpecField& f, double v) {
    return (f.minOpen ? v > f.min : v >= f.min) && (f.maxOpen ? v < f.max : v <= f.max);
}

} // namespace

std::string toString(FieldGroup group) {
    switch (group) {
    case FieldGroup::Data:
        return "Data";
    case FieldGroup::Model:
        return "Model";
    case FieldGroup::Optimiser:
        return "Optimiser";
    case FieldGroup::Schedule:
        return "Learning-rate schedule";
    case FieldGroup::Training:
        return "Training";
    }
    return "";
}

const SpecField* findSpecField(const std::string& name) {
    for (const auto& f : specFields())
        if (name == f.name)
            return &f;
    return nullptr;
}

FieldValue parseFieldValue(const SpecField& f, const std::string& text) {
    switch (f.type) {
    case FieldType::Flag:
        if (text == "true" || text == "yes" || text == "on" || text == "1")
            return true;
        if (text == "false" || text == "no" || text == "off" || text == "0")
            return false;
        throw SpecError(f.name, "expected true or false, got \"" + text + "\"");
    case FieldType::Integer: {
        double v = 0;
        if (!toNumber(text, v) || v != std::floor(v) || std::abs(v) > 9e18)
            throw SpecError(f.name, "\"" + text + "\" is not a whole number");
        return static_cast<long long>(v);
    }
    case FieldType::Real: {
        double v = 0;
        if (!toNumber(text, v))
            throw SpecError(f.name, "\"" + text + "\" is not a number");
        return v;
    }
    case FieldType::Choice:
    case FieldType::Text:
        return text;
    case FieldType::Integers:
    case FieldType::Reals:
        return numbers(f, text, f.type == FieldType::Integers);
    case FieldType::OptionalPair:
        if (text == "none")
            return std::vector<double>{};
        [[fallthrough]];
    case FieldType::Pair: {
        auto v = numbers(f, text, false);
        if (v.size() != 2)
            throw SpecError(f.name, std::string("expected two numbers, A,B") +
                                        (f.type == FieldType::OptionalPair ? ", or none" : "") + ", got \"" + text +
                                        "\"");
        return v;
    }
    }
    return text;
}

std::string formatFieldValue(const SpecField& f, const FieldValue& value) {
    if (const auto* b = std::get_if<bool>(&value))
        return *b ? "true" : "false";
    if (const auto* i = std::get_if<long long>(&value))
        return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&value))
        return formatNumber(*d);
    if (const auto* s = std::get_if<std::string>(&value))
        return *s;
    const auto& list = std::get<std::vector<double>>(value);
    if (list.empty() && f.type == FieldType::OptionalPair)
        return "none";
    std::string out;
    for (std::size_t i = 0; i < list.size(); ++i)
        out.append(i ? "," : "").append(formatNumber(list[i]));
    return out;
}

void applyField(TrainSpec& spec, const SpecField& field, const std::string& text) {
    field.set(spec, parseFieldValue(field, text));
}

std::string describeRange(const SpecField& f) {
    if (f.type == FieldType::Integer && !f.minOpen && !f.maxOpen)
        return "from " + formatNumber(f.min) + " to " + formatNumber(f.max);
    return std::string("in ") + (f.minOpen ? "(" : "[") + formatNumber(f.min) + ", " + formatNumber(f.max) +
           (f.maxOpen ? ")" : "]");
}

void checkFieldRanges(const TrainSpec& spec) {
    for (const auto& f : specFields()) {
        if (f.type == FieldType::Flag || f.type == FieldType::Choice || f.type == FieldType::Text || !f.applies(spec))
            continue;
        const FieldValue v = f.get(spec);
        std::vector<double> values;
        if (const auto* i = std::get_if<long long>(&v))
            values = {static_cast<double>(*i)};
        else if (const auto* d = std::get_if<double>(&v))
            values = {*d};
        else
            values = std::get<std::vector<double>>(v);
        const bool one = f.type == FieldType::Integer || f.type == FieldType::Real;
        for (double x : values)
            if (!inRange(f, x))
                throw SpecError(f.name, std::string(one ? "must be " : "each must be ") + describeRange(f) + ", got " +
                                            formatNumber(x));
    }
}

} // namespace factorscope
