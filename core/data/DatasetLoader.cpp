// Detects the MovieLens dialect of a folder, .zip or file and loads it.
#include "core/common/Error.h"
#include "core/common/Memory.h"
#include "core/data/DemoData.h"
#include "core/data/Fingerprint.h"
#include "core/data/RatingsReader.h"
#include "core/data/Source.h"
#include "core/data/TextParse.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace factorscope {

using detail::ProblemSink;

namespace {

// u.genre: "Action|1" lines give the names of u.item's 19 flag columns.
std::vector<std::string> readGenres100k(Source& src) {
    auto entry = src.find("u.genre");
    if (!entry)
        return {"unknown",     "Action", "Adventure", "Animation", "Children's", "Comedy",  "Crime",
                "Documentary", "Drama",  "Fantasy",   "Film-Noir", "Horror",     "Musical", "Mystery",
                "Romance",     "Sci-Fi", "Thriller",  "War",       "Western"};
    std::vector<std::pair<int64_t, std::string>> named;
    const std::string name = src.displayName(*entry);
    text::LineReader lines(src.read(*entry), name);
    std::string_view line;
    std::vector<std::string_view> f;
    while (lines.next(line)) {
        if (text::trim(line).empty())
            continue;
        text::split(line, "|", f);
        auto idx = f.size() == 2 ? text::toInt(f[1]) : std::nullopt;
        if (!idx || *idx < 0 || *idx >= 64)
            throw DataError(src.displayName(*entry) + ":" + std::to_string(lines.lineNumber()) +
                            ": expected \"name|index\" with an index from 0 to 63");
        named.emplace_back(*idx, text::toUtf8(f[0]));
    }
    std::sort(named.begin(), named.end());
    std::vector<std::string> names;
    for (auto& [i, n] : named)
        names.push_back(n);
    return names;
}

void readItem100k(Source& src, const std::string& entry, ProblemSink& sink, Catalogue& cat) {
    cat.setGenreNames(readGenres100k(src));
    const std::size_t nGenres = cat.genreNames().size();
    const std::string name = src.displayName(entry);
    text::LineReader lines(src.read(entry), name);
    std::string_view line;
    std::vector<std::string_view> f;
    while (lines.next(line)) {
        if (text::trim(line).empty())
            continue;
        text::split(line, "|", f);
        if (f.size() != 5 + nGenres) {
            sink.problem(name, lines.lineNumber(),
                         "expected " + std::to_string(5 + nGenres) +
                             " '|'-separated fields (id, title, date, video date, URL, " + std::to_string(nGenres) +
                             " genre flags), found " + std::to_string(f.size()));
            continue;
        }
        auto id = text::toInt(f[0]);
        if (!id) {
            sink.problem(name, lines.lineNumber(), "movie id \"" + text::excerpt(f[0], 20) + "\" is not an integer");
            continue;
        }
        Movie m;
        m.id = *id;
        m.title = text::toUtf8(f[1]); // u.item is Latin-1
        m.year = Catalogue::yearFromTitle(m.title);
        for (std::size_t g = 0; g < nGenres; ++g)
            if (text::trim(f[5 + g]) == "1")
                m.genres |= uint64_t{1} << g;
        if (!cat.add(std::move(m)))
            sink.problem(name, lines.lineNumber(), "movie id " + std::to_string(*id) + " appears twice");
    }
}

// movies.dat ("1::Toy Story (1995)::Animation|Comedy") and movies.csv (quoted titles).
void readMovies(Source& src, const std::string& entry, bool csv, ProblemSink& sink, Catalogue& cat) {
    const std::string name = src.displayName(entry);
    text::LineReader lines(src.read(entry), name);
    std::string_view line;
    std::vector<std::string> q;
    std::vector<std::string_view> f;
    bool first = true;
    while (lines.next(line)) {
        if (first && csv) { // header "movieId,title,genres"
            first = false;
            continue;
        }
        first = false;
        if (text::trim(line).empty())
            continue;
        std::string idField, title, genres;
        if (csv) {
            if (!text::splitCsv(line, ',', q)) {
                sink.problem(name, lines.lineNumber(), "unterminated quote in \"" + text::excerpt(line) + "\"");
                continue;
            }
            if (q.size() != 3) {
                sink.problem(name, lines.lineNumber(),
                             "expected 3 comma-separated fields (movieId, title, genres), found " +
                                 std::to_string(q.size()) + " (quote titles that contain commas)");
                continue;
            }
            idField = q[0];
            title = q[1];
            genres = q[2];
        } else {
            text::split(line, "::", f);
            if (f.size() != 3) {
                sink.problem(name, lines.lineNumber(),
                             "expected 3 '::'-separated fields (MovieID, Title, Genres), found " +
                                 std::to_string(f.size()));
                continue;
            }
            idField = f[0];
            title = f[1];
            genres = f[2];
        }
        auto id = text::toInt(idField);
        if (!id) {
            sink.problem(name, lines.lineNumber(), "movie id \"" + text::excerpt(idField, 20) + "\" is not an integer");
            continue;
        }
        Movie m;
        m.id = *id;
        m.title = text::toUtf8(text::trim(title));
        m.year = Catalogue::yearFromTitle(m.title);
        std::vector<std::string_view> gs;
        text::split(genres, "|", gs);
        for (auto g : gs) {
            g = text::trim(g);
            if (g.empty() || g == "(no genres listed)")
                continue;
            int bit = cat.genreIndex(std::string(g));
            if (bit >= 0)
                m.genres |= uint64_t{1} << bit;
        }
        if (!cat.add(std::move(m)))
            sink.problem(name, lines.lineNumber(), "movie id " + std::to_string(*id) + " appears twice");
    }
}

void checkCatalogueCoverage(Dataset& d) {
    if (d.catalogue.empty())
        return;
    std::size_t missing = 0;
    int64_t example = 0;
    for (int64_t id : d.items.originals())
        if (!d.catalogue.find(id)) {
            if (!missing)
                example = id;
            ++missing;
        }
    d.report.itemsMissingFromCatalogue = missing;
    if (missing)
        d.report.warnings.push_back(std::to_string(missing) +
                                    " rated items are missing from the catalogue (e.g. item " +
                                    std::to_string(example) + "); they are shown as \"Movie <id>\"");
}

std::string describeEntries(const Source& src) {
    std::string list;
    auto entries = src.entries();
    for (std::size_t i = 0; i < entries.size() && i < 8; ++i)
        list += (i ? ", " : "") + entries[i];
    if (entries.size() > 8)
        list += ", ...";
    return list.empty() ? "nothing" : list;
}

} // namespace

Dataset loadDataset(const std::string& path, const LoadOptions& options) {
    if (options.scaleMin >= options.scaleMax)
        throw SpecError("rating scale", "the minimum must be below the maximum");
    Source src = Source::open(path);
    Dataset d;
    d.source = path;
    d.scaleMin = options.scaleMin;
    d.scaleMax = options.scaleMax;
    ProblemSink sink(options, d.report);

    detail::RatingsLayout layout;
    std::string entry;
    if (src.isSingleFile()) {
        entry = src.entries().front();
        std::string_view data = src.read(entry);
        layout = detail::sniffLayout(data, src.displayName(entry));
        d.format = layout.separator == "\t" ? "generic-tsv" : "generic-csv";
    } else if (auto e = src.find("u.data")) {
        entry = *e;
        d.format = "movielens-100k";
        layout.separator = "\t";
        layout.timestampRequired = true;
        if (auto item = src.find("u.item"))
            readItem100k(src, *item, sink, d.catalogue);
        for (const char* s : {"ua", "ub", "u1", "u2", "u3", "u4", "u5"})
            if (src.find(std::string(s) + ".base") && src.find(std::string(s) + ".test"))
                d.predefinedSplits.push_back(s);
    } else if (auto e = src.find("ratings.dat")) {
        entry = *e;
        d.format = "movielens-dat";
        layout.separator = "::";
        layout.timestampRequired = true;
        if (auto movies = src.find("movies.dat"))
            readMovies(src, *movies, false, sink, d.catalogue);
    } else if (auto e = src.find("ratings.csv")) {
        entry = *e;
        d.format = "movielens-csv";
        layout = detail::sniffLayout(src.read(entry), src.displayName(entry));
        if (auto movies = src.find("movies.csv"))
            readMovies(src, *movies, true, sink, d.catalogue);
    } else {
        throw DataError(path +
                        ": no ratings file found (looked for u.data, ratings.dat or "
                        "ratings.csv; found " +
                        describeEntries(src) + "). Open a MovieLens folder or .zip, or a user,item,rating CSV file");
    }
    const std::string name = src.displayName(entry);
    std::string_view data = src.read(entry);
    // Parsing holds the original ids and then the encoded table: about 1.75 bytes a byte of text.
    requireMemory(data.size() / 4 * 7, availableMemory(), "Loading " + name);
    detail::RawRatings raw = detail::parseRatings(data, name, layout, options, d.report);
    detail::encodeRatings(std::move(raw), name, data, layout, options, d);
    d.implicit = layout.implicit;
    checkCatalogueCoverage(d);
    return d;
}

Dataset loadDatasetOrDemo(const std::string& path, const LoadOptions& options) {
    if (path == "demo")
        return generateDemo(DemoSpec{});
    return loadDataset(path, options);
}

std::vector<std::vector<int64_t>> rowsInFiles(const Dataset& data, const std::vector<std::string>& fileNames) {
    Source src = Source::open(data.source);
    // One map from (user, item) to row serves every file.
    std::unordered_map<uint64_t, int64_t> rowOf;
    rowOf.reserve(data.ratings.size() * 2);
    for (std::size_t k = 0; k < data.ratings.size(); ++k)
        rowOf.emplace((static_cast<uint64_t>(data.ratings.user[k]) << 32) | static_cast<uint32_t>(data.ratings.item[k]),
                      static_cast<int64_t>(k));
    LoadOptions strict;
    strict.scaleMin = data.scaleMin;
    strict.scaleMax = data.scaleMax;
    detail::RatingsLayout layout;
    layout.separator = "\t";
    std::vector<std::vector<int64_t>> out;
    for (const std::string& fileName : fileNames) {
        auto entry = src.find(fileName);
        if (!entry)
            throw DataError(data.source + ": the split file " + fileName + " is missing");
        const std::string name = src.displayName(*entry);
        LoadReport ignored;
        const detail::RawRatings raw = detail::parseRatings(src.read(*entry), name, layout, strict, ignored);
        std::vector<int64_t>& rows = out.emplace_back();
        rows.reserve(raw.rating.size());
        for (std::size_t k = 0; k < raw.rating.size(); ++k) {
            auto u = data.users.index(raw.user[k]);
            auto i = data.items.index(raw.item[k]);
            auto it =
                (u && i) ? rowOf.find((static_cast<uint64_t>(*u) << 32) | static_cast<uint32_t>(*i)) : rowOf.end();
            if (it == rowOf.end())
                throw DataError(name + ": rating of item " + std::to_string(raw.item[k]) + " by user " +
                                std::to_string(raw.user[k]) +
                                " is not in the data set's ratings; the split files do not match u.data");
            rows.push_back(it->second);
        }
    }
    return out;
}

DatasetSummary summarize(const Dataset& d) {
    DatasetSummary s;
    s.format = d.format;
    s.source = d.source;
    s.ratings = d.ratings.size();
    s.fingerprint = fingerprintOf(d);
    s.users = d.users.size();
    s.items = d.items.size();
    s.catalogueItems = d.catalogue.size();
    s.implicit = d.implicit;
    s.histogram.assign(10, 0);
    if (!d.ratings.empty()) {
        auto [mn, mx] = std::minmax_element(d.ratings.rating.begin(), d.ratings.rating.end());
        s.ratingMin = *mn;
        s.ratingMax = *mx;
        double sum = 0;
        for (float r : d.ratings.rating) {
            sum += r;
            int bin = static_cast<int>(std::lround(r * 2.0)) - 1;
            s.histogram[std::clamp(bin, 0, 9)]++;
        }
        s.ratingMean = sum / static_cast<double>(d.ratings.size());
        s.density =
            static_cast<double>(d.ratings.size()) / (static_cast<double>(s.users) * static_cast<double>(s.items));
    }
    s.genres = d.catalogue.genreNames();
    s.predefinedSplits = d.predefinedSplits;
    s.report = d.report;
    return s;
}

} // namespace factorscope
