#pragma once
// Command-line flags: "--name value" pairs and "--switch"es. Every getter validates and names
// the flag in its error; unused() lists flags the command did not ask for.
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace factorscope::cli {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Whether the command line asks for a command's help (--help or -h anywhere).
bool wantsHelp(const std::vector<std::string>& argv);

class Args {
public:
    // switches: flag names that take no value.
    Args(const std::vector<std::string>& argv, const std::set<std::string>& switches);

    bool has(const std::string& name);
    bool flag(const std::string& name); // a switch
    std::optional<std::string> text(const std::string& name);
    std::string required(const std::string& name);
    std::optional<long long> integer(const std::string& name, long long min, long long max);
    std::optional<double> real(const std::string& name, double min, double max);
    std::optional<std::vector<int>> integers(const std::string& name, int min, int max);
    std::optional<std::vector<double>> reals(const std::string& name, double min, double max);

    // Throws UsageError for the first flag nobody read.
    void rejectUnused(const std::string& command) const;

private:
    template <class T> std::optional<std::vector<T>> list(const std::string& name, T min, T max, const char* what);
    std::map<std::string, std::string> m_values;
    std::set<std::string> m_switches;
    std::set<std::string> m_used;
};

} // namespace factorscope::cli
