#include "core/analysis/DataViews.h"

#include "core/analysis/Pca.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace factorscope {

namespace {

std::vector<int64_t> countsOf(const std::vector<int32_t>& ids, int32_t n) {
    std::vector<int64_t> c(static_cast<std::size_t>(n), 0);
    for (int32_t id : ids)
        ++c[static_cast<std::size_t>(id)];
    return c;
}

CountHistogram histogram(const std::vector<int64_t>& counts) {
    static const int64_t edges[] = {1, 2, 6, 11, 21, 51, 101, 201, 501};
    CountHistogram h;
    for (std::size_t b = 0; b < std::size(edges); ++b) {
        const int64_t lo = edges[b];
        if (b + 1 == std::size(edges))
            h.labels.push_back(std::to_string(lo) + "+");
        else if (edges[b + 1] - 1 == lo)
            h.labels.push_back(std::to_string(lo));
        else
            h.labels.push_back(std::to_string(lo) + "-" + std::to_string(edges[b + 1] - 1));
    }
    h.counts.assign(h.labels.size(), 0);
    for (int64_t c : counts) {
        if (c < 1)
            continue;
        std::size_t b = std::size(edges) - 1;
        while (c < edges[b])
            --b;
        ++h.counts[b];
    }
    return h;
}

} // namespace

Crosstab crosstab(const Dataset& d, int users, int items) {
    Crosstab t;
    t.users = mostRated(countsOf(d.ratings.user, d.users.size()), users);
    t.items = mostRated(countsOf(d.ratings.item, d.items.size()), items);
    t.values.assign(t.users.size() * t.items.size(), std::numeric_limits<float>::quiet_NaN());
    std::unordered_map<int32_t, std::size_t> row, col;
    for (std::size_t k = 0; k < t.users.size(); ++k)
        row[t.users[k]] = k;
    for (std::size_t k = 0; k < t.items.size(); ++k)
        col[t.items[k]] = k;
    for (std::size_t r = 0; r < d.ratings.size(); ++r) {
        auto ru = row.find(d.ratings.user[r]);
        if (ru == row.end())
            continue;
        auto ci = col.find(d.ratings.item[r]);
        if (ci != col.end())
            t.values[ru->second * t.items.size() + ci->second] = d.ratings.rating[r];
    }
    return t;
}

std::vector<int64_t> ratingCountPerItem(const Dataset& d) { return countsOf(d.ratings.item, d.items.size()); }

std::vector<double> halfStarHistogram(const std::vector<float>& values) {
    std::vector<double> h(kHalfStarBins, 0.0);
    for (float v : values) {
        if (!std::isfinite(v))
            continue;
        const int bin = static_cast<int>(std::lround(v * 2.0)) - 1;
        h[static_cast<std::size_t>(std::clamp(bin, 0, kHalfStarBins - 1))] += 1;
    }
    return h;
}

ItemFacts itemFacts(const Dataset& d) {
    ItemFacts f;
    f.counts = ratingCountPerItem(d);
    const auto n = f.counts.size();
    f.primaryGenre.assign(n, -1);
    const auto& genreNames = d.catalogue.genreNames();
    for (int32_t i = 0; i < d.items.size(); ++i) {
        const auto k = static_cast<std::size_t>(i);
        if (!d.demoGenreOfItem.empty()) {
            f.primaryGenre[k] = d.demoGenreOfItem[k];
        } else if (const Movie* m = d.catalogue.find(d.items.original(i))) {
            for (int g = 0; g < 64; ++g) // MovieLens 100K lists "unknown" first: skip it when others exist
                if ((m->genres >> g) & 1u) {
                    f.primaryGenre[k] = g;
                    if (static_cast<std::size_t>(g) >= genreNames.size() ||
                        genreNames[static_cast<std::size_t>(g)] != "unknown")
                        break;
                }
        }
    }
    f.meanRating.assign(n, 0.0);
    for (std::size_t r = 0; r < d.ratings.size(); ++r)
        f.meanRating[static_cast<std::size_t>(d.ratings.item[r])] += d.ratings.rating[r];
    for (std::size_t i = 0; i < n; ++i)
        f.meanRating[i] /= static_cast<double>(std::max<int64_t>(1, f.counts[i]));
    f.byCount = mostRated(f.counts, 0);
    return f;
}

RowsByUser rowsByUser(const Dataset& d) {
    RowsByUser r;
    r.start.assign(static_cast<std::size_t>(d.users.size()) + 1, 0);
    for (int32_t u : d.ratings.user)
        ++r.start[static_cast<std::size_t>(u) + 1];
    for (std::size_t k = 1; k < r.start.size(); ++k)
        r.start[k] += r.start[k - 1];
    r.rows.resize(d.ratings.size());
    std::vector<int64_t> next(r.start.begin(), r.start.end() - 1);
    for (std::size_t row = 0; row < d.ratings.size(); ++row)
        r.rows[static_cast<std::size_t>(next[static_cast<std::size_t>(d.ratings.user[row])]++)] =
            static_cast<int32_t>(row);
    return r;
}

std::vector<int32_t> RowsByUser::of(int32_t user) const {
    if (user < 0 || static_cast<std::size_t>(user) + 1 >= start.size())
        return {};
    return {rows.begin() + start[static_cast<std::size_t>(user)],
            rows.begin() + start[static_cast<std::size_t>(user) + 1]};
}

std::vector<int32_t> rowsOfUser(const Dataset& d, int32_t user, const RowsByUser* index) {
    if (index && index->rows.size() == d.ratings.size())
        return index->of(user);
    std::vector<int32_t> out;
    for (std::size_t r = 0; r < d.ratings.size(); ++r)
        if (d.ratings.user[r] == user)
            out.push_back(static_cast<int32_t>(r));
    return out;
}

DataDigest digest(const Dataset& d) {
    return {itemFacts(d), crosstab(d, 15, 15), ratingsPerUser(d), ratingsPerItem(d), rowsByUser(d)};
}

CountHistogram ratingsPerUser(const Dataset& d) { return histogram(countsOf(d.ratings.user, d.users.size())); }
CountHistogram ratingsPerItem(const Dataset& d) { return histogram(countsOf(d.ratings.item, d.items.size())); }

} // namespace factorscope
