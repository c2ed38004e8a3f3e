#include "app/cli/Args.h"

#include "core/data/TextParse.h"

#include <cmath>
#include <cstdio>

namespace factorscope::cli {

bool wantsHelp(const std::vector<std::string>& argv) {
    for (const auto& a : argv)
        if (a == "--help" || a == "-h")
            return true;
    return false;
}

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& switches) {
    for (std::size_t k = 0; k < argv.size(); ++k) {
        const std::string& a = argv[k];
        if (a.size() < 3 || a.rfind("--", 0) != 0)
            throw UsageError("unexpected argument \"" + a + "\" (flags start with --)");
        std::string name = a.substr(2), value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        } else if (switches.count(name)) {
            value = "1";
        } else {
            if (k + 1 >= argv.size())
                throw UsageError("--" + name + ": needs a value");
            value = argv[++k];
        }
        if (switches.count(name))
            m_switches.insert(name);
        if (m_values.count(name))
            throw UsageError("--" + name + ": given twice");
        m_values[name] = value;
    }
}

bool Args::has(const std::string& name) { return m_values.count(name) > 0; }

bool Args::flag(const std::string& name) {
    m_used.insert(name);
    return m_values.count(name) > 0;
}

std::optional<std::string> Args::text(const std::string& name) {
    m_used.insert(name);
    auto it = m_values.find(name);
    if (it == m_values.end())
        return std::nullopt;
    return it->second;
}

std::string Args::required(const std::string& name) {
    auto v = text(name);
    if (!v || v->empty())
        throw UsageError("--" + name + " is required");
    return *v;
}

std::optional<long long> Args::integer(const std::string& name, long long min, long long max) {
    auto v = text(name);
    if (!v)
        return std::nullopt;
    auto n = text::toInt(*v);
    if (!n)
        throw UsageError("--" + name + ": expected a whole number, got \"" + *v + "\"");
    if (*n < min || *n > max)
        throw UsageError("--" + name + ": must be from " + std::to_string(min) + " to " + std::to_string(max) +
                         ", got " + *v);
    return *n;
}

std::optional<double> Args::real(const std::string& name, double min, double max) {
    auto v = text(name);
    if (!v)
        return std::nullopt;
    auto n = text::toDouble(*v);
    if (!n || !std::isfinite(*n))
        throw UsageError("--" + name + ": expected a number, got \"" + *v + "\"");
    if (*n < min || *n > max) {
        char buf[128];
        std::snprintf(buf, sizeof buf, ": must be from %g to %g, got ", min, max);
        throw UsageError("--" + name + buf + *v);
    }
    return *n;
}

template <class T> std::optional<std::vector<T>> Args::list(const std::string& name, T min, T max, const char* what) {
    auto v = text(name);
    if (!v)
        return std::nullopt;
    std::vector<std::string_view> parts;
    text::split(*v, ",", parts);
    std::vector<T> out;
    for (auto p : parts) {
        auto n = text::toDouble(p);
        const bool whole = !std::is_integral_v<T> || (n && text::toInt(p).has_value());
        if (!n || !whole || !(*n >= static_cast<double>(min) && *n <= static_cast<double>(max))) {
            char buf[160];
            std::snprintf(buf, sizeof buf, ": expected comma-separated %s from %g to %g, got \"", what,
                          static_cast<double>(min), static_cast<double>(max));
            throw UsageError("--" + name + buf + *v + "\"");
        }
        out.push_back(static_cast<T>(*n));
    }
    return out;
}

std::optional<std::vector<int>> Args::integers(const std::string& name, int min, int max) {
    return list<int>(name, min, max, "whole numbers");
}

std::optional<std::vector<double>> Args::reals(const std::string& name, double min, double max) {
    return list<double>(name, min, max, "numbers");
}

void Args::rejectUnused(const std::string& command) const {
    for (const auto& [name, value] : m_values)
        if (!m_used.count(name))
            throw UsageError("--" + name + ": not a flag of \"" + command + "\" (see factorscope-cli " + command +
                             " --help)");
}

} // namespace factorscope::cli
