#pragma once
// Bounding the work of a neighbourhood model's similarities. Comparing every row with every
// other row that rated one of its columns costs the sum over columns of raters x raters: about
// 10^7 pair sums for MovieLens 100K, but 7 x 10^11 for a user-based model of a 25M-shaped set,
// where a popular movie has hundreds of thousands of raters. Past a bound, each row meets a
// column's raters through a fixed random sample of them: the largest sample size (the cap) that
// keeps the work within the bound. Rows still meet every column they rated, so each keeps its
// own neighbour list; a pair's sums then run over the shared columns where the other row was
// sampled, and its support counts those. The price is accuracy: supports shrink with the cap
// (tests/core/tst_knnscale.cpp measures it against the exact fit).
#include "core/model/Neighbourhood.h"

#include <cstdint>
#include <vector>

namespace factorscope {

// The pair sums a fit with raters capped at `cap` per column does: sum over columns of
// raters x min(raters, cap); cap 0 means no cap.
int64_t pairSumsWithCap(const SparseRows& byCol, int32_t cap);

// The largest cap whose pair sums stay within `mostPairSums` (at least 1), or 0 when comparing
// every rater already does.
int32_t raterCap(const SparseRows& byCol, int64_t mostPairSums);

// byCol with each column's raters beyond `cap` left out: a sample of `cap` drawn with a seed of
// the column's own (the same on every run), kept in row order; value[k] is colValue's entry.
// Cap 0 keeps every rater.
SparseRows sampleRaters(const SparseRows& byCol, const std::vector<float>& colValue, int32_t cap);

} // namespace factorscope
