#pragma once
// The movies nearest to one movie in embedding space.
#include "core/model/Model.h"

#include <vector>

namespace factorscope {

enum class Metric { Cosine, Euclidean };

struct Neighbour {
    int32_t item = 0;
    double score = 0; // cosine similarity (higher is nearer) or Euclidean distance (lower is nearer)
};

// The k nearest rows of `factors` to row `item`, nearest first; `candidates` limits the
// search (all rows when empty). Throws SpecError for an index out of range.
std::vector<Neighbour> nearest(const Matrix& factors, int32_t item, int k, Metric metric = Metric::Cosine,
                               const std::vector<int32_t>& candidates = {});

// The length (L2 norm) of each row of `factors`: an embedding's length, which a dot product grows with.
std::vector<float> rowNorms(const Matrix& factors);

} // namespace factorscope
