#include "core/data/Catalogue.h"

#include <cctype>

namespace factorscope {

int Catalogue::genreIndex(const std::string& name) {
    for (std::size_t g = 0; g < m_genreNames.size(); ++g)
        if (m_genreNames[g] == name)
            return static_cast<int>(g);
    if (m_genreNames.size() >= 64)
        return -1;
    m_genreNames.push_back(name);
    return static_cast<int>(m_genreNames.size() - 1);
}

bool Catalogue::add(Movie movie) {
    if (m_byId.count(movie.id))
        return false;
    m_byId.emplace(movie.id, m_movies.size());
    m_movies.push_back(std::move(movie));
    return true;
}

const Movie* Catalogue::find(int64_t id) const {
    auto it = m_byId.find(id);
    return it == m_byId.end() ? nullptr : &m_movies[it->second];
}

int Catalogue::yearFromTitle(const std::string& title) {
    // Trailing "(1995)", possibly followed by spaces.
    std::size_t end = title.find_last_not_of(' ');
    if (end == std::string::npos || end < 5 || title[end] != ')' || title[end - 5] != '(')
        return 0;
    int year = 0;
    for (std::size_t i = end - 4; i < end; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(title[i])))
            return 0;
        year = year * 10 + (title[i] - '0');
    }
    return year;
}

std::string Catalogue::titleOf(int64_t id) const {
    if (const Movie* m = find(id))
        return m->title;
    return "Movie " + std::to_string(id);
}

std::vector<std::string> Catalogue::genresOf(int64_t id) const {
    std::vector<std::string> out;
    if (const Movie* m = find(id))
        for (std::size_t g = 0; g < m_genreNames.size(); ++g)
            if (m->genres & (uint64_t{1} << g))
                out.push_back(m_genreNames[g]);
    return out;
}

} // namespace factorscope
