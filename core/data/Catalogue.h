#pragma once
// Titles, years and genres of the movies, keyed by original movie id.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace factorscope {

struct Movie {
    int64_t id = 0;
    std::string title;   // UTF-8, as in the file ("Toy Story (1995)")
    int year = 0;        // 0 when the title carries none
    uint64_t genres = 0; // bit g set: the movie has genreNames()[g]
};

class Catalogue {
public:
    void setGenreNames(std::vector<std::string> names) { m_genreNames = std::move(names); }
    // Returns the genre's bit index, adding the name when it is new (at most 64 genres).
    int genreIndex(const std::string& name);
    const std::vector<std::string>& genreNames() const { return m_genreNames; }

    // Adds a movie; returns false when the id is already present.
    bool add(Movie movie);
    const Movie* find(int64_t id) const;
    std::size_t size() const { return m_movies.size(); }
    bool empty() const { return m_movies.empty(); }
    const std::vector<Movie>& movies() const { return m_movies; }

    // "Toy Story (1995)" -> 1995; 0 when there is no trailing year.
    static int yearFromTitle(const std::string& title);
    // The title, or "Movie 123" when the id is not in the catalogue.
    std::string titleOf(int64_t id) const;
    std::vector<std::string> genresOf(int64_t id) const;

private:
    std::vector<Movie> m_movies;
    std::unordered_map<int64_t, std::size_t> m_byId;
    std::vector<std::string> m_genreNames;
};

} // namespace factorscope
