#pragma once
// Embeddings for TensorBoard's Projector (vectors.tsv; metadata.tsv with a header row) and
// the projected coordinates as CSV. Shared by the CLI's export and the desktop app.
#include "core/analysis/ModelCompare.h"
#include "core/analysis/Pca.h"
#include "core/data/Dataset.h"

#include <string>

namespace factorscope {

// Writes DIR/vectors.tsv, DIR/metadata.tsv and DIR/projection.csv (the first `components`
// principal components of every movie, fitted on the 1,000 most rated). `data` gives titles,
// genres and original ids; `ratingsPerItem` the counts. Creates DIR. Throws IoError.
void writeProjectorExport(const std::string& dir, const Matrix& itemFactors, const Dataset& data,
                          const std::vector<int64_t>& ratingsPerItem, int components);

// A map's coordinates as CSV: a header line `id,title,x,y`, then one line per row of `coords`
// (n x 2) with the original id and the title (quoted). Written whole or not at all; throws
// IoError naming the file.
void writeMapCsv(const std::string& path, const std::vector<int64_t>& ids, const std::vector<std::string>& titles,
                 const Matrix& coords);

// A comparison of two models (ModelCompare.h) as CSV: `id,title,moved,jaccard`, one line per
// shared movie (moved empty where the models were not aligned). `titleOfA`: titles by A's
// encoded index. Throws IoError naming the file.
void writeComparisonCsv(const std::string& path, const ModelComparison& c, const std::vector<std::string>& titleOfA);

} // namespace factorscope
