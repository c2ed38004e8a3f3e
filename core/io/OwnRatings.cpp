#include "core/io/OwnRatings.h"

#include "core/common/Error.h"
#include "core/io/IdRowsFile.h"

#include <algorithm>
#include <set>

namespace factorscope {

namespace {

std::string at(const std::string& path, const IdRow& r) { return path + ":" + std::to_string(r.line) + ": "; }

// The ids of the file's users, checked new to the data set.
std::vector<int64_t> newUsers(const Dataset& data, const std::vector<IdRow>& rows, const std::string& path) {
    std::set<int64_t> ids;
    std::set<std::pair<int64_t, int64_t>> pairs;
    for (const IdRow& r : rows) {
        if (ids.insert(r.user).second && data.users.index(r.user))
            throw DataError(at(path, r) + "user " + std::to_string(r.user) +
                            " is already in the data set; your own ratings need a user id of their own");
        if (!pairs.insert({r.user, r.item}).second)
            throw DataError(at(path, r) + "user " + std::to_string(r.user) + " rated movie " + std::to_string(r.item) +
                            " twice");
    }
    return {ids.begin(), ids.end()};
}

} // namespace

IncludedRatings includeOwnRatings(Dataset& data, const std::string& path) {
    if (data.implicit)
        throw DataError(path + ": this data set holds clicks, not ratings, so ratings cannot be added to it");
    const std::vector<IdRow> rows = readIdRows(path, true, data.scaleMin, data.scaleMax);
    IncludedRatings out;
    out.users = newUsers(data, rows, path);
    // The users' encoding with the new ids in their ascending places; old indices remapped.
    std::vector<int64_t> all = data.users.originals();
    all.insert(all.end(), out.users.begin(), out.users.end());
    std::sort(all.begin(), all.end());
    IdMap users = IdMap::fromSorted(all);
    std::vector<int32_t> remap(static_cast<std::size_t>(data.users.size()));
    for (int32_t u = 0; u < data.users.size(); ++u)
        remap[static_cast<std::size_t>(u)] = *users.index(data.users.original(u));
    Ratings& r = data.ratings;
    for (int32_t& u : r.user)
        u = remap[static_cast<std::size_t>(u)];
    const int64_t now = r.timestamp.empty() ? 0 : *std::max_element(r.timestamp.begin(), r.timestamp.end());
    for (const IdRow& row : rows) {
        const auto item = data.items.index(row.item);
        if (!item) {
            ++out.skippedUnknownItems;
            continue;
        }
        r.user.push_back(*users.index(row.user));
        r.item.push_back(*item);
        r.rating.push_back(static_cast<float>(row.rating));
        r.timestamp.push_back(now);
        ++out.added;
    }
    data.users = std::move(users);
    data.fingerprint.clear();
    std::string note = "included your " + std::to_string(out.added) + " rating(s) from " + path;
    if (out.skippedUnknownItems > 0)
        note += " (" + std::to_string(out.skippedUnknownItems) + " of movies this data set lacks skipped)";
    data.report.warnings.push_back(note);
    return out;
}

} // namespace factorscope
