#include "core/io/ProjectorExport.h"

#include "core/common/AtomicFile.h"
#include "core/common/Error.h"

#include <cmath>
#include <filesystem>
#include <sstream>

namespace factorscope {

namespace {
// Titles may hold tabs or newlines only by accident; TSV cells must not.
std::string cell(std::string s) {
    for (char& c : s)
        if (c == '\t' || c == '\n' || c == '\r')
            c = ' ';
    return s;
}

std::string csvQuoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}
} // namespace

void writeProjectorExport(const std::string& dir, const Matrix& v, const Dataset& d,
                          const std::vector<int64_t>& ratingsPerItem, int components) {
    if (static_cast<int64_t>(d.items.size()) != v.rows)
        throw SpecError("export", "the embeddings and the data set have different numbers of movies");
    std::vector<int64_t> counts = ratingsPerItem;
    counts.resize(static_cast<std::size_t>(v.rows), 0);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::ostringstream vectors, metadata, projection;
    metadata << "id\ttitle\tgenres\tratings\n";
    for (int64_t r = 0; r < v.rows; ++r) {
        for (int64_t f = 0; f < v.cols; ++f)
            vectors << (f ? "\t" : "") << v.at(r, f);
        vectors << '\n';
        const int64_t id = d.items.original(static_cast<int32_t>(r));
        std::string genres;
        for (const auto& g : d.catalogue.genresOf(id))
            genres += (genres.empty() ? "" : "|") + g;
        metadata << id << '\t' << cell(d.catalogue.titleOf(id)) << '\t' << cell(genres) << '\t'
                 << counts[static_cast<std::size_t>(r)] << '\n';
    }
    const int C = std::min<int>(components, static_cast<int>(v.cols));
    const Projection p = pca(v, C, mostRated(counts, 1000), mostRated(counts, 0));
    projection << "id,title";
    for (int k = 1; k <= C; ++k)
        projection << ",pc" << k;
    projection << '\n';
    for (std::size_t r = 0; r < p.items.size(); ++r) {
        const int64_t id = d.items.original(p.items[r]);
        projection << id << ',' << csvQuoted(d.catalogue.titleOf(id));
        for (int k = 0; k < C; ++k)
            projection << ',' << p.coords.at(static_cast<int64_t>(r), k);
        projection << '\n';
    }
    // All three made before any is replaced; each replaced whole.
    AtomicFile files[] = {{dir + "/vectors.tsv", "the export"},
                          {dir + "/metadata.tsv", "the export"},
                          {dir + "/projection.csv", "the export"}};
    files[0].write(vectors.str());
    files[1].write(metadata.str());
    files[2].write(projection.str());
    for (auto& f : files)
        f.commit();
}

void writeMapCsv(const std::string& path, const std::vector<int64_t>& ids, const std::vector<std::string>& titles,
                 const Matrix& coords) {
    if (coords.cols != 2 || coords.rows != static_cast<int64_t>(ids.size()) || ids.size() != titles.size())
        throw IoError(path + ": the map's ids, titles and coordinates do not match");
    std::ostringstream csv;
    csv.precision(7);
    csv << "id,title,x,y\n";
    for (std::size_t r = 0; r < ids.size(); ++r)
        csv << ids[r] << ',' << csvQuoted(titles[r]) << ',' << coords.at(static_cast<int64_t>(r), 0) << ','
            << coords.at(static_cast<int64_t>(r), 1) << '\n';
    AtomicFile f(path, "the map's coordinates");
    f.write(csv.str());
    f.commit();
}

void writeComparisonCsv(const std::string& path, const ModelComparison& c, const std::vector<std::string>& titleOfA) {
    std::ostringstream csv;
    csv.precision(6);
    csv << "id,title,moved,jaccard\n";
    for (std::size_t i = 0; i < c.ids.size(); ++i) {
        const auto row = static_cast<std::size_t>(c.rowsA[i]);
        csv << c.ids[i] << ',' << csvQuoted(row < titleOfA.size() ? titleOfA[row] : std::string()) << ',';
        if (c.aligned())
            csv << c.moved[i];
        csv << ',';
        if (!std::isnan(c.jaccard[i]))
            csv << c.jaccard[i];
        csv << '\n';
    }
    AtomicFile f(path, "the comparison");
    f.write(csv.str());
    f.commit();
}

} // namespace factorscope
