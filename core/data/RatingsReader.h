#pragma once
// Parses rating lines of any dialect into original ids, then encodes them. Internal to
// core/data; loadDataset() is the public entry point.
#include "core/data/Dataset.h"

#include <string>
#include <string_view>

namespace factorscope::detail {

struct RawRatings {
    std::vector<int64_t> user;
    std::vector<int64_t> item;
    std::vector<float> rating;
    std::vector<int64_t> timestamp;
};

struct RatingsLayout {
    std::string separator = "\t"; // "\t", ",", "::", ";"
    bool header = false;          // first line names the columns
    bool timestampRequired = false;
    bool implicit = false; // user,item lines only (clicks, plays): each a positive, rating 1
};

// Strict mode throws DataError on the first bad line; lenient mode counts and skips it.
class ProblemSink {
public:
    ProblemSink(const LoadOptions& options, LoadReport& report) : m_options(options), m_report(report) {}
    void problem(const std::string& where, std::size_t line, const std::string& what);
    bool lenient() const { return m_options.lenient; }

private:
    const LoadOptions& m_options;
    LoadReport& m_report;
};

RawRatings parseRatings(std::string_view data, const std::string& name, const RatingsLayout& layout,
                        const LoadOptions& options, LoadReport& report);

// Encodes ids (ascending original id -> index), checks for duplicate (user, item) pairs
// (an error naming both lines, or skipped and counted when lenient).
void encodeRatings(RawRatings raw, const std::string& name, std::string_view data, const RatingsLayout& layout,
                   const LoadOptions& options, Dataset& out);

// Guesses the separator and header of a generic ratings file from its first line.
RatingsLayout sniffLayout(std::string_view data, std::string_view name);

} // namespace factorscope::detail
