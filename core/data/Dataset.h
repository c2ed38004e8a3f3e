#pragma once
// A loaded data set: the encoded rating table, the id maps, the catalogue and what the load
// skipped or noticed. Value type; the GUI receives only its summary.
#include "core/data/Catalogue.h"
#include "core/data/IdMap.h"
#include "core/data/Ratings.h"

#include <string>
#include <vector>

namespace factorscope {

struct LoadOptions {
    bool lenient = false;  // skip malformed lines (counted and reported) instead of stopping
    double scaleMin = 0.5; // ratings outside [scaleMin, scaleMax] are errors
    double scaleMax = 5.0;
};

struct LoadReport {
    std::size_t skippedLines = 0;
    std::vector<std::string> firstProblems; // the first few skipped lines, "FILE:LINE: why"
    std::size_t duplicatesSkipped = 0;      // repeated (user, item) pairs dropped in lenient mode
    std::size_t itemsMissingFromCatalogue = 0;
    std::vector<std::string> warnings;
};

struct Dataset {
    std::string format; // movielens-100k, movielens-dat, movielens-csv, generic-csv, generic-tsv, demo
    std::string source; // the path it came from, or "demo"
    Ratings ratings;    // encoded: user/item are indices into `users`/`items`
    IdMap users;
    IdMap items;
    Catalogue catalogue;
    LoadReport report;
    double scaleMin = 0.5;
    double scaleMax = 5.0;
    std::vector<std::string> predefinedSplits; // e.g. ua, ub, u1..u5 for MovieLens 100K
    bool implicit = false;                     // user,item pairs only (each a positive, rating 1): BPR's data
    std::vector<int> demoGenreOfItem;          // demo data only: the planted genre per item index
    // Its fingerprint (Fingerprint.h) when already made, e.g. by the app's loader for the
    // summary; empty: fingerprintOf hashes the data (0.3 s at 25 M ratings).
    std::string fingerprint;
};

struct DatasetSummary {
    std::string format;
    std::string source;
    std::size_t ratings = 0;
    int32_t users = 0;
    int32_t items = 0; // distinct items that have ratings
    std::size_t catalogueItems = 0;
    bool implicit = false; // user,item pairs only
    float ratingMin = 0;
    float ratingMax = 0;
    double ratingMean = 0;
    double density = 0;                 // ratings / (users * items)
    std::vector<std::size_t> histogram; // counts per half-star bin from 0.5 to 5.0 (10 bins)
    std::vector<std::string> genres;
    std::vector<std::string> predefinedSplits;
    std::string fingerprint; // see Fingerprint.h: tells whether a recorded run used this data
    LoadReport report;
};

DatasetSummary summarize(const Dataset& data);

// Loads a folder, a .zip or a single ratings file; the dialect is detected from the names.
// Throws DataError naming the file and line.
Dataset loadDataset(const std::string& path, const LoadOptions& options = {});

// Loads `path`, or generates the demo data set when path is "demo".
Dataset loadDatasetOrDemo(const std::string& path, const LoadOptions& options = {});

} // namespace factorscope

namespace factorscope {
// The rows of `data` listed in files of its source (ua.base, ua.test): the predefined splits of
// MovieLens 100K, one list per file. Throws DataError when a file is missing or does not match.
std::vector<std::vector<int64_t>> rowsInFiles(const Dataset& data, const std::vector<std::string>& fileNames);
} // namespace factorscope
