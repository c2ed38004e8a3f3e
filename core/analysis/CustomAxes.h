#pragma once
// A map on axes you choose, as TensorBoard's Embedding Projector offers: the x axis runs from
// one movie (or the mean of several: a search's matches) to another, and so may the y axis.
// Coordinates are projections of the centred embeddings on unit vectors: x along the x
// direction; y along the y direction with its x part removed (so the axes are perpendicular),
// or, with no y ends, along the first principal component of what x leaves.
#include "core/analysis/Pca.h"

#include <cstdint>
#include <vector>

namespace factorscope {

struct AxisEnds {
    std::vector<int32_t> from, to; // rows of the factors, averaged at each end
    bool empty() const { return from.empty() && to.empty(); }
};

// A Projection (Pca.h) of `rows` (all rows when empty) with two components; its
// explainedVarianceRatio is each axis' share of the rows' variance. `yCosine` (optional)
// receives the cosine between the y direction asked for and x, before the x part was removed.
// Throws SpecError when an end is empty, a row is out of range, or an axis' two ends coincide.
Projection customAxes(const Matrix& factors, const AxisEnds& x, const AxisEnds& y,
                      const std::vector<int32_t>& rows = {}, double* yCosine = nullptr);

} // namespace factorscope
