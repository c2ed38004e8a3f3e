#pragma once
// Writes a data set in MovieLens' CSV dialect (ratings.csv, movies.csv with RFC-4180 quoting),
// which every MovieLens reader of Factorscope loads back. Used for synthetic data at any scale.
#include "core/data/Dataset.h"

#include <string>

namespace factorscope {

// Writes DIR/ratings.csv and DIR/movies.csv (the folder must exist). Throws IoError.
void writeMovieLensCsv(const Dataset& data, const std::string& dir);

} // namespace factorscope
