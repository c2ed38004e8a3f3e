#include "core/data/DatasetWriter.h"

#include "core/common/AtomicFile.h"

#include <charconv>
#include <string_view>

namespace factorscope {

namespace {

std::string quoteCsv(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
}

} // namespace

void writeMovieLensCsv(const Dataset& d, const std::string& dir) {
    AtomicFile ratings(dir + "/ratings.csv", "the ratings");
    ratings.write("userId,movieId,rating,timestamp\n");
    char buf[96];
    for (std::size_t k = 0; k < d.ratings.size(); ++k) {
        char* p = buf;
        p = std::to_chars(p, buf + sizeof buf, d.users.original(d.ratings.user[k])).ptr;
        *p++ = ',';
        p = std::to_chars(p, buf + sizeof buf, d.items.original(d.ratings.item[k])).ptr;
        *p++ = ',';
        p = std::to_chars(p, buf + sizeof buf, d.ratings.rating[k], std::chars_format::fixed, 1).ptr;
        *p++ = ',';
        p = std::to_chars(p, buf + sizeof buf, d.ratings.timestamp[k]).ptr;
        *p++ = '\n';
        ratings.write(std::string_view(buf, static_cast<std::size_t>(p - buf)));
    }
    AtomicFile movies(dir + "/movies.csv", "the movies");
    movies.write("movieId,title,genres\n");
    for (const Movie& m : d.catalogue.movies()) {
        std::string genres;
        for (std::size_t g = 0; g < d.catalogue.genreNames().size(); ++g)
            if (m.genres & (uint64_t{1} << g))
                genres += (genres.empty() ? "" : "|") + d.catalogue.genreNames()[g];
        const std::string line = std::to_string(m.id) + "," + quoteCsv(m.title) + "," +
                                 quoteCsv(genres.empty() ? "(no genres listed)" : genres) + "\n";
        movies.write(line);
    }
    // Both written before either replaces an earlier pair: a failure leaves the old pair whole.
    ratings.commit();
    movies.commit();
}

} // namespace factorscope
