#include "core/data/DatasetWriter.h"

#include "core/common/Error.h"

#include <charconv>
#include <cstdio>
#include <memory>

namespace fs {

namespace {

struct File {
    std::FILE* f;
    std::string path;
    File(const std::string& p) : f(std::fopen(p.c_str(), "wb")), path(p) {
        if (!f)
            throw IoError(p + ": cannot write here (check the folder exists and is writable)");
        std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
    }
    ~File() {
        if (f)
            std::fclose(f);
    }
    void close() {
        const bool ok = std::fflush(f) == 0 && !std::ferror(f);
        std::fclose(f);
        f = nullptr;
        if (!ok)
            throw IoError(path + ": writing failed (disk full?)");
    }
};

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
    File ratings(dir + "/ratings.csv");
    std::fputs("userId,movieId,rating,timestamp\n", ratings.f);
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
        std::fwrite(buf, 1, static_cast<std::size_t>(p - buf), ratings.f);
    }
    ratings.close();
    File movies(dir + "/movies.csv");
    std::fputs("movieId,title,genres\n", movies.f);
    for (const Movie& m : d.catalogue.movies()) {
        std::string genres;
        for (std::size_t g = 0; g < d.catalogue.genreNames().size(); ++g)
            if (m.genres & (uint64_t{1} << g))
                genres += (genres.empty() ? "" : "|") + d.catalogue.genreNames()[g];
        const std::string line = std::to_string(m.id) + "," + quoteCsv(m.title) + "," +
                                 quoteCsv(genres.empty() ? "(no genres listed)" : genres) + "\n";
        std::fputs(line.c_str(), movies.f);
    }
    movies.close();
}

} // namespace fs
