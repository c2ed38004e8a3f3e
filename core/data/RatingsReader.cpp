#include "core/data/RatingsReader.h"

#include "core/common/Error.h"
#include "core/data/TextParse.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace factorscope::detail {

void ProblemSink::problem(const std::string& where, std::size_t line, const std::string& what) {
    std::string msg = where + ":" + std::to_string(line) + ": " + what;
    if (!m_options.lenient)
        throw DataError(msg + " (fix the line, or load with lenient parsing to skip bad lines)");
    ++m_report.skippedLines;
    if (m_report.firstProblems.size() < 5)
        m_report.firstProblems.push_back(msg);
}

static const char* separatorName(const std::string& sep) {
    if (sep == "\t")
        return "tab";
    if (sep == ",")
        return "comma";
    if (sep == "::")
        return "'::'";
    if (sep == ";")
        return "semicolon";
    return "separator";
}

RawRatings parseRatings(std::string_view data, const std::string& name, const RatingsLayout& layout,
                        const LoadOptions& options, LoadReport& report) {
    ProblemSink sink(options, report);
    RawRatings raw;
    // A MovieLens line is 20-30 bytes; reserving avoids regrowth on 25 M rows.
    const std::size_t guess = data.size() / 20 + 16;
    raw.user.reserve(guess);
    raw.item.reserve(guess);
    raw.rating.reserve(guess);
    raw.timestamp.reserve(guess);

    text::LineReader lines(data, name);
    std::string_view line;
    std::vector<std::string_view> f;
    f.reserve(8);
    std::vector<std::string> quoted;
    std::vector<std::string_view> quotedViews;
    bool first = true;
    while (lines.next(line)) {
        const std::size_t ln = lines.lineNumber();
        if (first && layout.header) {
            first = false;
            continue;
        }
        first = false;
        if (text::trim(line).empty())
            continue;
        const std::vector<std::string_view>* fields = &f;
        if (layout.separator.size() == 1 && line.find('"') != std::string_view::npos) {
            if (!text::splitCsv(line, layout.separator[0], quoted)) {
                sink.problem(name, ln, "unterminated quote in \"" + text::excerpt(line) + "\"");
                continue;
            }
            quotedViews.assign(quoted.begin(), quoted.end());
            fields = &quotedViews;
        } else {
            text::split(line, layout.separator, f);
        }
        const auto& v = *fields;
        const std::size_t want = layout.timestampRequired ? 4 : 3;
        if (layout.implicit && v.size() != 2) {
            sink.problem(name, ln,
                         std::string("expected 2 ") + separatorName(layout.separator) +
                             "-separated fields (user, item), as on the first line, found " + std::to_string(v.size()));
            continue;
        }
        if (!layout.implicit && (v.size() < want || v.size() > 4)) {
            sink.problem(name, ln,
                         "expected " + std::string(layout.timestampRequired ? "4" : "3 or 4") + " " +
                             separatorName(layout.separator) + "-separated fields (user, item, rating" +
                             (layout.timestampRequired ? ", timestamp" : "[, timestamp]") + "), found " +
                             std::to_string(v.size()));
            continue;
        }
        auto u = text::toInt(v[0]);
        auto i = text::toInt(v[1]);
        auto r = layout.implicit ? std::optional<double>(1.0) : text::toDouble(v[2]);
        if (!u) {
            sink.problem(name, ln, "user id \"" + text::excerpt(v[0], 20) + "\" is not an integer");
            continue;
        }
        if (!i) {
            sink.problem(name, ln, "item id \"" + text::excerpt(v[1], 20) + "\" is not an integer");
            continue;
        }
        if (!r || !std::isfinite(*r)) {
            sink.problem(name, ln, "rating \"" + text::excerpt(v[2], 20) + "\" is not a number");
            continue;
        }
        if (!layout.implicit && (*r < options.scaleMin - 1e-9 || *r > options.scaleMax + 1e-9)) {
            char buf[160];
            std::snprintf(buf, sizeof buf, "rating %g is outside the scale %g to %g", *r, options.scaleMin,
                          options.scaleMax);
            sink.problem(name, ln, buf);
            continue;
        }
        int64_t ts = 0;
        if (v.size() == 4) {
            auto t = text::toInt(v[3]);
            if (!t) {
                // Some exports write timestamps as decimals; accept those, refuse words.
                auto td = text::toDouble(v[3]);
                if (!td) {
                    sink.problem(name, ln, "timestamp \"" + text::excerpt(v[3], 20) + "\" is not a number");
                    continue;
                }
                if (!std::isfinite(*td) || std::fabs(*td) >= 9.2e18) { // beyond 64-bit seconds
                    sink.problem(name, ln, "timestamp \"" + text::excerpt(v[3], 20) + "\" is out of range");
                    continue;
                }
                t = static_cast<int64_t>(*td);
            }
            ts = *t;
        }
        raw.user.push_back(*u);
        raw.item.push_back(*i);
        raw.rating.push_back(static_cast<float>(*r));
        raw.timestamp.push_back(ts);
    }
    if (raw.rating.empty())
        throw DataError(name + ": no ratings found" +
                        (report.skippedLines ? " (all " + std::to_string(report.skippedLines) + " lines were malformed)"
                                             : " (the file is empty)"));
    return raw;
}

// Original id -> index. MovieLens ids are small non-negative integers, so a dense table is
// both faster and smaller than a hash map; fall back to hashing for sparse or negative ids.
class Encoder {
public:
    explicit Encoder(const std::vector<int64_t>& ids) {
        int64_t lo = 0, hi = 0;
        if (!ids.empty()) {
            auto [mn, mx] = std::minmax_element(ids.begin(), ids.end());
            lo = *mn;
            hi = *mx;
        }
        m_dense = lo >= 0 && hi < int64_t{64} * 1024 * 1024 && hi < static_cast<int64_t>(ids.size()) * 64 + 1024;
        std::vector<int64_t> distinct;
        if (m_dense) {
            std::vector<uint8_t> seen(static_cast<std::size_t>(hi) + 1, 0);
            for (int64_t id : ids)
                seen[id] = 1;
            for (int64_t id = 0; id <= hi; ++id)
                if (seen[id])
                    distinct.push_back(id);
            m_table.assign(static_cast<std::size_t>(hi) + 1, -1);
            for (std::size_t k = 0; k < distinct.size(); ++k)
                m_table[distinct[k]] = static_cast<int32_t>(k);
            map = IdMap::fromSorted(std::move(distinct));
        } else {
            map = IdMap::fromIds(ids);
        }
    }
    int32_t operator()(int64_t id) const { return m_dense ? m_table[id] : *map.index(id); }
    IdMap map;

private:
    bool m_dense = false;
    std::vector<int32_t> m_table;
};

// The line number of data row `row` (0-based), found again by rescanning: only on the error
// path, so the table need not carry line numbers.
static std::size_t lineOfRow(std::string_view data, const RatingsLayout& layout, std::size_t row) {
    text::LineReader lines(data);
    std::string_view line;
    std::size_t seen = 0;
    bool first = true;
    while (lines.next(line)) {
        if (first && layout.header) {
            first = false;
            continue;
        }
        first = false;
        if (text::trim(line).empty())
            continue;
        if (seen++ == row)
            return lines.lineNumber();
    }
    return 0;
}

void encodeRatings(RawRatings raw, const std::string& name, std::string_view data, const RatingsLayout& layout,
                   const LoadOptions& options, Dataset& out) {
    Encoder users(raw.user);
    Encoder items(raw.item);
    const std::size_t n = raw.rating.size();
    Ratings r;
    r.user.resize(n);
    r.item.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
        r.user[k] = users(raw.user[k]);
        r.item[k] = items(raw.item[k]);
    }
    r.rating = std::move(raw.rating);
    r.timestamp = std::move(raw.timestamp);
    // The 64-bit original ids are done with: free them before the duplicate check (25 M
    // ratings: 400 MB), so loading peaks well under the 2 GB budget.
    std::vector<int64_t>().swap(raw.user);
    std::vector<int64_t>().swap(raw.item);

    // Duplicate (user, item) pairs: sort the packed keys; only on a hit look for the rows.
    auto packed = [&r](std::size_t k) {
        return (static_cast<uint64_t>(r.user[k]) << 32) | static_cast<uint32_t>(r.item[k]);
    };
    bool hasDuplicates = false;
    {
        std::vector<uint64_t> keys(n);
        for (std::size_t k = 0; k < n; ++k)
            keys[k] = packed(k);
        std::sort(keys.begin(), keys.end());
        hasDuplicates = std::adjacent_find(keys.begin(), keys.end()) != keys.end();
    }
    if (hasDuplicates) {
        std::unordered_map<uint64_t, std::size_t> firstRow;
        firstRow.reserve(n);
        std::vector<int64_t> keep;
        keep.reserve(n);
        for (std::size_t k = 0; k < n; ++k) {
            auto [it, inserted] = firstRow.emplace(packed(k), k);
            if (inserted) {
                keep.push_back(static_cast<int64_t>(k));
                continue;
            }
            if (!options.lenient) {
                const std::size_t a = lineOfRow(data, layout, it->second);
                const std::size_t b = lineOfRow(data, layout, k);
                throw DataError(name + ":" + std::to_string(b) + ": duplicate rating of item " +
                                std::to_string(items.map.original(r.item[k])) + " by user " +
                                std::to_string(users.map.original(r.user[k])) + " (first rated on line " +
                                std::to_string(a) + "); remove one, or load with lenient parsing to keep the first");
            }
            ++out.report.duplicatesSkipped;
        }
        r = r.subset(keep);
    }
    out.ratings = std::move(r);
    out.users = std::move(users.map);
    out.items = std::move(items.map);
}

RatingsLayout sniffLayout(std::string_view data, std::string_view name) {
    RatingsLayout layout;
    text::LineReader lines(data, name);
    std::string_view first;
    lines.next(first);
    if (first.find('\t') != std::string_view::npos)
        layout.separator = "\t";
    else if (first.find("::") != std::string_view::npos)
        layout.separator = "::";
    else if (first.find(';') != std::string_view::npos && first.find(',') == std::string_view::npos)
        layout.separator = ";";
    else
        layout.separator = ",";
    std::vector<std::string_view> f;
    text::split(first, layout.separator, f);
    // A header is a first line whose first field is not a number ("userId", "user").
    layout.header = !f.empty() && !text::toDouble(f[0]).has_value();
    // Two columns (user, item): implicit feedback, every line a positive.
    layout.implicit = f.size() == 2;
    return layout;
}

} // namespace factorscope::detail
