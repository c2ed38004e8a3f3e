#pragma once
// The classic rating predictors, without LibTorch: the baseline (global mean + user bias + item
// bias) and the neighbourhood (kNN) model, as Surprise defines them (Hug 2020; Koren 2010,
// "Factor in the neighbors"). The model modules (Classic.h) keep their tables in tensors for
// checkpoints and call these on raw views of them.
//
// Naming follows Surprise: a kNN model's "rows" x are what the neighbours are (users for a
// user-based model, items for an item-based one) and its "columns" y the other side. To predict
// x's rating of y, the model takes the K rows most similar to x among those that rated y, with a
// similarity above 0, and averages their ratings of y weighted by the similarity, after centring
// them (on nothing, each row's mean, its mean and spread, or the baseline). With no such
// neighbour it falls back to the centre itself (the baseline where the centre is none).
#include "core/model/ModelSpec.h"

#include <cstdint>
#include <vector>

namespace factorscope {

// Training ratings in a compact form: encoded users, items and the ratings.
struct RatingTriples {
    std::vector<int32_t> user, item;
    std::vector<float> rating;
    std::size_t size() const { return rating.size(); }
};

struct BaselineFit {
    double mean = 0;
    std::vector<float> userBias, itemBias;
};

// Alternating least squares of r - mean = bu + bi, items then users each sweep, each bias shrunk
// by its own regulariser: bi = sum(r - mean - bu) / (regItem + n_i), and so for bu.
BaselineFit fitBaseline(const RatingTriples& t, int32_t users, int32_t items, const ModelSpec& spec);

// A sparse matrix by rows: row x's entries are [offsets[x], offsets[x + 1]).
struct SparseRows {
    std::vector<int64_t> offsets;
    std::vector<int32_t> index;
    std::vector<float> value;
};
// The ratings grouped by `byItem` ? item : user, each row's entries sorted by the other side.
SparseRows groupRatings(const RatingTriples& t, int32_t rows, bool byItem);

// Read-only views of a fitted kNN model's tables (the module's tensors).
struct KnnView {
    int32_t rows = 0, cols = 0;
    const int64_t* raterOffsets = nullptr; // per column y: the rows that rated it and their ratings
    const int32_t* raters = nullptr;
    const float* raterRatings = nullptr;
    const int64_t* neighbourOffsets = nullptr; // per row x: its neighbours, most similar first
    const int32_t* neighbours = nullptr;
    const float* similarities = nullptr;
    const float* rowMean = nullptr;   // each row's mean rating (the global mean for a row without)
    const float* rowSpread = nullptr; // each row's standard deviation (1 where it is 0)
    const float* rowBias = nullptr;   // the baseline's biases of the rows and of the columns
    const float* colBias = nullptr;
    double mean = 0;
    float low = 0, high = 0; // predictions are clipped to the training ratings' range
};

// Row x's most similar rows by spec's similarity (and minimum support, and shrinkage) over the
// columns they share, as fitKnn measures them: at most n with a positive similarity, most
// similar first, each with its support (the columns shared). byRow/byCol: the same ratings by
// row and by column; rowValue/colValue: the values the similarity reads, entry by entry (the
// ratings, or for pearson-baseline the baseline's residuals).
struct SimilarRow {
    int32_t row = 0;
    float similarity = 0;
    int32_t support = 0;
};
std::vector<SimilarRow> similarRowsOf(const SparseRows& byRow, const SparseRows& byCol,
                                      const std::vector<float>& rowValue, const std::vector<float>& colValue, int32_t x,
                                      const ModelSpec& spec, int n);

// The baseline's residual r - mean - bias[x] - otherBias[y] of each entry of a grouping.
std::vector<float> baselineResiduals(const SparseRows& g, const std::vector<float>& bias,
                                     const std::vector<float>& otherBias, double mean);

// What a fit produces; its vectors become the module's tensors.
struct KnnTables {
    SparseRows raters;     // by column
    SparseRows neighbours; // by row: similarities, most similar first
    std::vector<float> rowMean, rowSpread;
    BaselineFit baseline;
    float low = 0, high = 0;
    int32_t raterCap = 0; // the raters compared per column, 0 where every one was (RaterSample.h)
};

// The most rows' neighbours kept: every positive similarity while rows x rows fits in this many
// entries, else the most similar (at least `neighbours`) of each row.
constexpr int64_t kMostNeighbourEntries = int64_t(1) << 25;

// The most pair sums a fit's similarities do (a minute or so on two cores); past it, each
// column's raters are compared with a sample of them (RaterSample.h).
constexpr int64_t kMostPairSums = int64_t(1) << 33;

// Fits the similarities (threads over rows) and the centres. Throws SpecError naming the field
// when the data cannot support the settings.
KnnTables fitKnn(const RatingTriples& t, int32_t users, int32_t items, const ModelSpec& spec,
                 int64_t mostPairSums = kMostPairSums);

// Predictions for (user, item) pairs, on the machine's cores for long lists.
void predictKnnPairs(const KnnView& v, const ModelSpec& spec, const int64_t* users, const int64_t* items, int64_t n,
                     float* out);

// One neighbour's part in a prediction, for explanations.
struct NeighbourVote {
    int32_t neighbour = 0; // a row: a user or an item, as the model's orientation has it
    float similarity = 0;
    float rating = 0;  // its rating of the column
    float centred = 0; // what it adds, before weighting: the rating less its centre
};
struct KnnExplanation {
    float centre = 0; // what the votes are added to (the baseline where the centre is none)
    float prediction = 0;
    std::vector<NeighbourVote> votes; // most similar first
};
// x's rating of y explained: rows and columns as the model's orientation has them.
KnnExplanation explainKnn(const KnnView& v, const ModelSpec& spec, int32_t x, int32_t y);

} // namespace factorscope
