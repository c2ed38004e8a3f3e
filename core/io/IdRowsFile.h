#pragma once
// Small CSV files of original ids that commands take as input: "user,item,rating" (ratings to
// fold in) and "user,item" (pairs to predict). A header line is allowed (a first line whose
// first field is not a number); fields may be separated by commas, tabs or semicolons.
#include <cstdint>
#include <string>
#include <vector>

namespace factorscope {

struct IdRow {
    int64_t user = 0;
    int64_t item = 0;
    double rating = 0;    // 0 where the file has no ratings
    std::size_t line = 0; // where it stands in the file, for messages
};

// Throws IoError when the file cannot be read, DataError naming the file and line for a
// malformed line or (withRatings) a rating outside [scaleMin, scaleMax] or not finite.
std::vector<IdRow> readIdRows(const std::string& path, bool withRatings, double scaleMin = 0, double scaleMax = 0);

} // namespace factorscope
