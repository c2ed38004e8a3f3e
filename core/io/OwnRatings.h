#pragma once
// Your own ratings, kept in a file of their own beside a data set (its files are never
// modified) and included in it when you ask: the next training learns you like any user.
#include "core/data/Dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace factorscope {

struct IncludedRatings {
    std::size_t added = 0;
    std::size_t skippedUnknownItems = 0; // ratings of movies the data set does not have
    std::vector<int64_t> users;          // the original ids added, ascending
};

// Appends the ratings of `path` (CSV user,item,rating with original ids, as the You page and
// `fold-in` write them) to `data`: its users must be new to the data set; ratings of movies it
// does not know are skipped and counted. The users' encoding is rebuilt so ids stay ascending;
// a predefined split's files do not name the new ratings, so they train (Split.cpp). Adds a
// line to data.report.warnings and clears the fingerprint (the data differ now). Throws
// IoError for a missing file, DataError naming FILE:LINE for a malformed line, a rating off the
// scale, a pair twice or a user the data set already has, and for a clicks-only data set.
IncludedRatings includeOwnRatings(Dataset& data, const std::string& path);

} // namespace factorscope
