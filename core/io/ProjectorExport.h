#pragma once
// Embeddings for TensorBoard's Projector (vectors.tsv; metadata.tsv with a header row) and
// the projected coordinates as CSV. Shared by the CLI's export and the desktop app.
#include "core/analysis/Pca.h"
#include "core/data/Dataset.h"

#include <string>

namespace factorscope {

// Writes DIR/vectors.tsv, DIR/metadata.tsv and DIR/projection.csv (the first `components`
// principal components of every movie, fitted on the 1,000 most rated). `data` gives titles,
// genres and original ids; `ratingsPerItem` the counts. Creates DIR. Throws IoError.
void writeProjectorExport(const std::string& dir, const Matrix& itemFactors, const Dataset& data,
                          const std::vector<int64_t>& ratingsPerItem, int components);

} // namespace factorscope
