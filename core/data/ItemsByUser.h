#pragma once
// Each user's items among some of a data set's rows (a split's training part, its held-out
// ratings, the positives), as one compressed list: items[start[u] .. start[u + 1]) are user
// u's, sorted ascending, so membership is a binary search and a walk in item order meets them
// in turn. Ranking excludes what a user rated with it, BPR's sampler avoids positives with it.
#include "core/data/Dataset.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace factorscope {

struct ItemsByUser {
    std::vector<int64_t> start; // users + 1 offsets into items
    std::vector<int32_t> items;

    // The rows rated at least `atLeast`.
    ItemsByUser(const Dataset& data, const std::vector<int64_t>& rows,
                double atLeast = -std::numeric_limits<double>::infinity()) {
        const std::size_t users = data.users.size();
        start.assign(users + 1, 0);
        const auto kept = [&](std::size_t row) { return data.ratings.rating[row] >= atLeast; };
        for (int64_t r : rows)
            if (kept(static_cast<std::size_t>(r)))
                ++start[static_cast<std::size_t>(data.ratings.user[static_cast<std::size_t>(r)]) + 1];
        for (std::size_t u = 0; u < users; ++u)
            start[u + 1] += start[u];
        items.resize(static_cast<std::size_t>(start[users]));
        std::vector<int64_t> next(start.begin(), start.end() - 1);
        for (int64_t r : rows) {
            const auto row = static_cast<std::size_t>(r);
            if (kept(row))
                items[static_cast<std::size_t>(next[static_cast<std::size_t>(data.ratings.user[row])]++)] =
                    data.ratings.item[row];
        }
        for (std::size_t u = 0; u < users; ++u)
            std::sort(items.begin() + start[u], items.begin() + start[u + 1]);
    }
    const int32_t* begin(int32_t user) const { return items.data() + start[static_cast<std::size_t>(user)]; }
    const int32_t* end(int32_t user) const { return items.data() + start[static_cast<std::size_t>(user) + 1]; }
    std::vector<int32_t> of(int32_t user) const { return {begin(user), end(user)}; }
    bool contains(int32_t user, int32_t item) const { return std::binary_search(begin(user), end(user), item); }
};

} // namespace factorscope
