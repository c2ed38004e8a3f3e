#pragma once
// Views of the rating table itself: who rated what among the most active users and most
// rated movies (a crosstab), and how ratings spread over users and movies.
#include "core/data/Dataset.h"

#include <string>
#include <vector>

namespace factorscope {

struct Crosstab {
    std::vector<int32_t> users; // the most active users, most active first
    std::vector<int32_t> items; // the most rated movies, most rated first
    std::vector<float> values;  // users x items, row-major; NaN where the user did not rate it
    float at(std::size_t u, std::size_t i) const { return values[u * items.size() + i]; }
};

Crosstab crosstab(const Dataset& data, int users = 15, int items = 15);

struct CountHistogram {
    std::vector<std::string> labels; // "1", "2-5", ..., "501+"
    std::vector<int64_t> counts;     // how many users (or movies) fall in each bin
};

// Counts of ratings per half star: bins 0.5, 1.0, ..., 5.5 (values rounded to the nearest half
// star, the ends clamped); non-finite values are left out. For the predictions page.
constexpr int kHalfStarBins = 11;
std::vector<double> halfStarHistogram(const std::vector<float>& values);

// How many ratings each encoded item has.
std::vector<int64_t> ratingCountPerItem(const Dataset& data);

// Per encoded item: its rating count, its primary genre (the planted one on demo data, else the
// catalogue's first genre, "unknown" passed over when it has others; -1 when none) and its
// mean rating (0 when it has no ratings).
struct ItemFacts {
    std::vector<int64_t> counts;
    std::vector<int> primaryGenre;
    std::vector<double> meanRating;
    std::vector<int32_t> byCount; // the items, most rated first (ties by index)
};
ItemFacts itemFacts(const Dataset& data);

CountHistogram ratingsPerUser(const Dataset& data);
CountHistogram ratingsPerItem(const Dataset& data);

// The rating rows of each user, grouped (a counting sort of the row numbers): a user's ratings
// without a pass over all of them. 4 bytes a rating.
struct RowsByUser {
    std::vector<int64_t> start; // users + 1 offsets into rows
    std::vector<int32_t> rows;
    std::vector<int32_t> of(int32_t user) const;
};
RowsByUser rowsByUser(const Dataset& data);
// The rows of `user`: from the index when given, else by a pass over every rating.
std::vector<int32_t> rowsOfUser(const Dataset& data, int32_t user, const RowsByUser* index = nullptr);

// What the app's views show of a data set, made once where it loads (a worker thread): each
// is a pass over every rating, half a second together at 25 M ratings.
struct DataDigest {
    ItemFacts items;
    Crosstab crosstab;
    CountHistogram perUser, perItem;
    RowsByUser byUser;
};
DataDigest digest(const Dataset& data);

} // namespace factorscope
