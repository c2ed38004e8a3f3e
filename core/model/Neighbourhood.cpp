#include "core/model/Neighbourhood.h"

#include "core/common/Error.h"
#include "core/model/RaterSample.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

namespace factorscope {

namespace {

// Runs fn(begin, end, state) over [0, n) in chunks on the machine's cores, each thread with
// its own state from make().
template <class Make, class Fn> void parallelChunks(int64_t n, int64_t chunk, Make make, Fn fn) {
    const int threads = static_cast<int>(std::clamp<int64_t>(std::thread::hardware_concurrency(), 1, 8));
    std::atomic<int64_t> next{0};
    auto work = [&] {
        auto state = make();
        for (int64_t s = next.fetch_add(chunk); s < n; s = next.fetch_add(chunk))
            fn(s, std::min(n, s + chunk), state);
    };
    std::vector<std::thread> team;
    for (int t = 1; t < threads && t * chunk < n; ++t)
        team.emplace_back(work);
    work();
    for (auto& t : team)
        t.join();
}

} // namespace

SparseRows groupRatings(const RatingTriples& t, int32_t rows, bool byItem) {
    const std::vector<int32_t>& row = byItem ? t.item : t.user;
    const std::vector<int32_t>& other = byItem ? t.user : t.item;
    SparseRows out;
    out.offsets.assign(static_cast<std::size_t>(rows) + 1, 0);
    for (int32_t r : row)
        ++out.offsets[static_cast<std::size_t>(r) + 1];
    for (std::size_t r = 0; r < static_cast<std::size_t>(rows); ++r)
        out.offsets[r + 1] += out.offsets[r];
    // Placing the entries in the order of `other` (a counting sort) leaves each row sorted by it.
    const int32_t others = other.empty() ? 0 : *std::max_element(other.begin(), other.end()) + 1;
    std::vector<std::size_t> start(static_cast<std::size_t>(others) + 1, 0), order(t.size());
    for (int32_t o : other)
        ++start[static_cast<std::size_t>(o) + 1];
    for (std::size_t o = 0; o < static_cast<std::size_t>(others); ++o)
        start[o + 1] += start[o];
    for (std::size_t k = 0; k < t.size(); ++k)
        order[start[static_cast<std::size_t>(other[k])]++] = k;
    std::vector<int64_t> fill(out.offsets.begin(), out.offsets.end() - 1);
    out.index.resize(t.size());
    out.value.resize(t.size());
    for (std::size_t k : order) {
        const auto at = static_cast<std::size_t>(fill[static_cast<std::size_t>(row[k])]++);
        out.index[at] = other[k];
        out.value[at] = t.rating[k];
    }
    return out;
}

BaselineFit fitBaseline(const RatingTriples& t, int32_t users, int32_t items, const ModelSpec& spec) {
    BaselineFit fit;
    fit.userBias.assign(static_cast<std::size_t>(users), 0.0f);
    fit.itemBias.assign(static_cast<std::size_t>(items), 0.0f);
    if (t.size() == 0)
        return fit;
    double sum = 0;
    for (float r : t.rating)
        sum += r;
    fit.mean = sum / static_cast<double>(t.size());
    const SparseRows byUser = groupRatings(t, users, false), byItem = groupRatings(t, items, true);
    // One half-sweep: each row's bias from its ratings less the mean and the other side's bias.
    auto solve = [&](const SparseRows& rows, std::vector<float>& bias, const std::vector<float>& other, double reg) {
        for (std::size_t x = 0; x + 1 < rows.offsets.size(); ++x) {
            double dev = 0;
            for (int64_t k = rows.offsets[x]; k < rows.offsets[x + 1]; ++k)
                dev +=
                    rows.value[static_cast<std::size_t>(k)] - fit.mean - other[rows.index[static_cast<std::size_t>(k)]];
            const double n = static_cast<double>(rows.offsets[x + 1] - rows.offsets[x]);
            bias[x] = n + reg > 0 ? static_cast<float>(dev / (reg + n)) : 0.0f;
        }
    };
    for (int e = 0; e < spec.baselineEpochs; ++e) {
        solve(byItem, fit.itemBias, fit.userBias, spec.baselineRegItem);
        solve(byUser, fit.userBias, fit.itemBias, spec.baselineRegUser);
    }
    return fit;
}

namespace {

// Sums over the columns two rows share, kept per other row while one row is scanned: one
// record per row, so that each added pair touches one cache line.
struct PairSums {
    struct Sums {
        double a = 0, b = 0, c = 0, d = 0, e = 0;
        int32_t n = 0;
    };
    std::vector<Sums> sums;
    std::vector<int32_t> touched;
    explicit PairSums(std::size_t rows) : sums(rows) {}
    void add(int32_t x2, double r1, double r2) {
        Sums& s = sums[static_cast<std::size_t>(x2)];
        if (s.n++ == 0)
            touched.push_back(x2);
        s.a += r1 * r2;
        s.b += r1 * r1;
        s.c += r2 * r2;
        s.d += r1;
        s.e += r2;
    }
    int32_t support(int32_t x2) const { return sums[static_cast<std::size_t>(x2)].n; }
    // Surprise's definitions (similarities.pyx); 0 below the minimum support or where undefined.
    double similarity(int32_t x2, const ModelSpec& spec) const {
        const auto& [a, b, c, d, e, freq] = sums[static_cast<std::size_t>(x2)];
        const double n = freq;
        if (n < spec.minSupport)
            return 0;
        switch (spec.similarity) {
        case Similarity::Msd: // sum (r1 - r2)^2 = sum r1^2 + sum r2^2 - 2 sum r1 r2
            return 1.0 / (std::max(0.0, b + c - 2 * a) / n + 1.0);
        case Similarity::Cosine: {
            const double den = std::sqrt(b * c);
            return den > 0 ? a / den : 0;
        }
        case Similarity::Pearson: {
            const double den = std::sqrt(std::max(0.0, (n * b - d * d) * (n * c - e * e)));
            return den > 0 ? (n * a - d * e) / den : 0;
        }
        case Similarity::PearsonBaseline: { // on the baseline's residuals, shrunk towards 0
            const double den = std::sqrt(b * c);
            return den > 0 ? a / den * (n - 1) / (n - 1 + spec.shrinkage) : 0;
        }
        }
        return 0;
    }
    void clear() {
        for (int32_t x2 : touched)
            sums[static_cast<std::size_t>(x2)] = Sums{};
        touched.clear();
    }
};

using Neighbour = std::pair<float, int32_t>; // similarity, row

// Most similar first; ties to the lower row.
bool moreSimilar(const Neighbour& l, const Neighbour& r) {
    return l.first != r.first ? l.first > r.first : l.second < r.second;
}

// Each row's neighbours with a positive similarity, the `keep` most similar.
std::vector<std::vector<Neighbour>> similarRows(const SparseRows& byRow, const SparseRows& byCol,
                                                const std::vector<float>& rowValue, const std::vector<float>& colValue,
                                                int64_t keep, const ModelSpec& spec) {
    const auto rows = static_cast<int64_t>(byRow.offsets.size()) - 1;
    std::vector<std::vector<Neighbour>> out(static_cast<std::size_t>(rows));
    struct State {
        PairSums sums;
        std::vector<Neighbour> found;
    };
    const auto make = [&] { return State{PairSums(static_cast<std::size_t>(rows)), {}}; };
    parallelChunks(rows, 16, make, [&](int64_t begin, int64_t end, State& state) {
        auto& [sums, found] = state;
        for (int64_t x = begin; x < end; ++x) {
            for (int64_t k = byRow.offsets[x]; k < byRow.offsets[x + 1]; ++k) {
                const auto y = static_cast<std::size_t>(byRow.index[static_cast<std::size_t>(k)]);
                const double r1 = rowValue[static_cast<std::size_t>(k)];
                for (int64_t j = byCol.offsets[y]; j < byCol.offsets[y + 1]; ++j) {
                    const int32_t x2 = byCol.index[static_cast<std::size_t>(j)];
                    if (x2 != x)
                        sums.add(x2, r1, colValue[static_cast<std::size_t>(j)]);
                }
            }
            found.clear();
            for (int32_t x2 : sums.touched)
                if (const double s = sums.similarity(x2, spec); s > 0)
                    found.emplace_back(static_cast<float>(s), x2);
            sums.clear();
            if (static_cast<int64_t>(found.size()) > keep)
                std::nth_element(found.begin(), found.begin() + keep, found.end(), moreSimilar);
            found.resize(static_cast<std::size_t>(std::min<int64_t>(keep, static_cast<int64_t>(found.size()))));
            std::sort(found.begin(), found.end(), moreSimilar);
            out[static_cast<std::size_t>(x)] = found;
        }
    });
    return out;
}

} // namespace

std::vector<float> baselineResiduals(const SparseRows& g, const std::vector<float>& bias,
                                     const std::vector<float>& otherBias, double mean) {
    std::vector<float> out(g.value.size());
    for (std::size_t x = 0; x + 1 < g.offsets.size(); ++x)
        for (auto k = static_cast<std::size_t>(g.offsets[x]); k < static_cast<std::size_t>(g.offsets[x + 1]); ++k)
            out[k] = static_cast<float>(g.value[k] - mean - bias[x] - otherBias[static_cast<std::size_t>(g.index[k])]);
    return out;
}

std::vector<SimilarRow> similarRowsOf(const SparseRows& byRow, const SparseRows& byCol,
                                      const std::vector<float>& rowValue, const std::vector<float>& colValue, int32_t x,
                                      const ModelSpec& spec, int n) {
    const auto rows = static_cast<int64_t>(byRow.offsets.size()) - 1;
    if (x < 0 || x >= rows || n <= 0)
        return {};
    PairSums sums(static_cast<std::size_t>(rows));
    for (int64_t k = byRow.offsets[x]; k < byRow.offsets[x + 1]; ++k) {
        const auto y = static_cast<std::size_t>(byRow.index[static_cast<std::size_t>(k)]);
        const double r1 = rowValue[static_cast<std::size_t>(k)];
        for (int64_t j = byCol.offsets[y]; j < byCol.offsets[y + 1]; ++j)
            if (const int32_t x2 = byCol.index[static_cast<std::size_t>(j)]; x2 != x)
                sums.add(x2, r1, colValue[static_cast<std::size_t>(j)]);
    }
    std::vector<Neighbour> found;
    for (int32_t x2 : sums.touched)
        if (const double sim = sums.similarity(x2, spec); sim > 0)
            found.emplace_back(static_cast<float>(sim), x2);
    const auto keep = std::min(found.size(), static_cast<std::size_t>(n));
    std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(keep), found.end(), moreSimilar);
    std::vector<SimilarRow> out;
    for (std::size_t k = 0; k < keep; ++k)
        out.push_back({found[k].second, found[k].first, sums.support(found[k].second)});
    return out;
}

KnnTables fitKnn(const RatingTriples& t, int32_t users, int32_t items, const ModelSpec& spec, int64_t mostPairSums) {
    if (t.size() == 0)
        throw SpecError("model", "knn needs training ratings");
    const bool onItems = spec.knnOn == KnnOn::Items;
    const int32_t rows = onItems ? items : users, cols = onItems ? users : items;
    KnnTables out;
    out.baseline = fitBaseline(t, users, items, spec);
    const auto [low, high] = std::minmax_element(t.rating.begin(), t.rating.end());
    out.low = *low;
    out.high = *high;
    const SparseRows byRow = groupRatings(t, rows, onItems);
    out.raters = groupRatings(t, cols, !onItems);
    // Each row's mean and spread (the global mean and 1 for a row without ratings).
    out.rowMean.assign(static_cast<std::size_t>(rows), static_cast<float>(out.baseline.mean));
    out.rowSpread.assign(static_cast<std::size_t>(rows), 1.0f);
    for (std::size_t x = 0; x < static_cast<std::size_t>(rows); ++x) {
        const auto b = static_cast<std::size_t>(byRow.offsets[x]), e = static_cast<std::size_t>(byRow.offsets[x + 1]);
        if (b == e)
            continue;
        double sum = 0, sq = 0;
        for (std::size_t k = b; k < e; ++k)
            sum += byRow.value[k];
        const double m = sum / static_cast<double>(e - b);
        for (std::size_t k = b; k < e; ++k)
            sq += (byRow.value[k] - m) * (byRow.value[k] - m);
        out.rowMean[x] = static_cast<float>(m);
        const double sd = std::sqrt(sq / static_cast<double>(e - b));
        out.rowSpread[x] = sd > 0 ? static_cast<float>(sd) : 1.0f;
    }
    const auto& rowBias = onItems ? out.baseline.itemBias : out.baseline.userBias;
    const auto& colBias = onItems ? out.baseline.userBias : out.baseline.itemBias;
    const bool onResiduals = spec.similarity == Similarity::PearsonBaseline;
    const std::vector<float> rowValue =
        onResiduals ? baselineResiduals(byRow, rowBias, colBias, out.baseline.mean) : byRow.value;
    const std::vector<float> colValue =
        onResiduals ? baselineResiduals(out.raters, colBias, rowBias, out.baseline.mean) : out.raters.value;
    const int64_t keep = std::max<int64_t>(spec.neighbours, std::min<int64_t>(rows, kMostNeighbourEntries / rows));
    out.raterCap = raterCap(out.raters, mostPairSums);
    const auto lists = out.raterCap == 0 ? similarRows(byRow, out.raters, rowValue, colValue, keep, spec) : [&] {
        const SparseRows sample = sampleRaters(out.raters, colValue, out.raterCap);
        return similarRows(byRow, sample, rowValue, sample.value, keep, spec);
    }();
    out.neighbours.offsets.assign(static_cast<std::size_t>(rows) + 1, 0);
    for (std::size_t x = 0; x < lists.size(); ++x)
        out.neighbours.offsets[x + 1] = out.neighbours.offsets[x] + static_cast<int64_t>(lists[x].size());
    for (const auto& list : lists)
        for (const auto& [s, x2] : list) {
            out.neighbours.index.push_back(x2);
            out.neighbours.value.push_back(s);
        }
    return out;
}

namespace {

double baselineOf(const KnnView& v, int32_t x, int32_t y) { return v.mean + v.rowBias[x] + v.colBias[y]; }

// What a neighbour x2's rating r of y adds once centred.
double centred(const KnnView& v, KnnCentre c, int32_t x2, int32_t y, double r) {
    switch (c) {
    case KnnCentre::None:
        return r;
    case KnnCentre::Mean:
        return r - v.rowMean[x2];
    case KnnCentre::ZScore:
        return (r - v.rowMean[x2]) / v.rowSpread[x2];
    case KnnCentre::Baseline:
        return r - baselineOf(v, x2, y);
    }
    return r;
}

// The centre a prediction starts from, and its fallback without neighbours.
double centreOf(const KnnView& v, KnnCentre c, int32_t x, int32_t y) {
    return c == KnnCentre::Mean || c == KnnCentre::ZScore ? v.rowMean[x] : baselineOf(v, x, y);
}

struct Vote {
    float similarity;
    int32_t row;
    float rating;
};

// Writes x's neighbours' similarities into `scratch` (value 0 clears them).
void scatter(const KnnView& v, int32_t x, std::vector<float>& scratch, bool clear) {
    for (int64_t k = v.neighbourOffsets[x]; k < v.neighbourOffsets[x + 1]; ++k)
        scratch[static_cast<std::size_t>(v.neighbours[k])] = clear ? 0.0f : v.similarities[k];
}

// The K most similar of x's neighbours (scattered) that rated y. Where y has many more raters
// than x has neighbours (a popular movie's thousands of users), each neighbour is looked up
// among y's raters, which are sorted by row; otherwise y's raters are scanned.
void votesFor(const KnnView& v, const ModelSpec& spec, int32_t x, int32_t y, const std::vector<float>& scratch,
              std::vector<Vote>& votes) {
    votes.clear();
    const int32_t* first = v.raters + v.raterOffsets[y];
    const int32_t* last = v.raters + v.raterOffsets[y + 1];
    if (last - first > 16 * (v.neighbourOffsets[x + 1] - v.neighbourOffsets[x])) {
        for (int64_t k = v.neighbourOffsets[x]; k < v.neighbourOffsets[x + 1]; ++k)
            if (const int32_t* at = std::lower_bound(first, last, v.neighbours[k]);
                at != last && *at == v.neighbours[k] && v.similarities[k] > 0)
                votes.push_back({v.similarities[k], *at, v.raterRatings[at - v.raters]});
    } else {
        for (const int32_t* at = first; at != last; ++at)
            if (const float s = scratch[static_cast<std::size_t>(*at)]; s > 0)
                votes.push_back({s, *at, v.raterRatings[at - v.raters]});
    }
    const auto more = [](const Vote& a, const Vote& b) {
        return a.similarity != b.similarity ? a.similarity > b.similarity : a.row < b.row;
    };
    const auto k = static_cast<std::size_t>(spec.neighbours);
    if (votes.size() > k) {
        std::nth_element(votes.begin(), votes.begin() + static_cast<std::ptrdiff_t>(k), votes.end(), more);
        votes.resize(k);
    }
}

float combine(const KnnView& v, const ModelSpec& spec, int32_t x, int32_t y, const std::vector<Vote>& votes) {
    double sumSim = 0, sum = 0;
    for (const Vote& vote : votes) {
        sumSim += vote.similarity;
        sum += vote.similarity * centred(v, spec.knnCentre, vote.row, y, vote.rating);
    }
    double est = centreOf(v, spec.knnCentre, x, y);
    if (sumSim > 0) {
        const double avg = sum / sumSim;
        est = spec.knnCentre == KnnCentre::None     ? avg
              : spec.knnCentre == KnnCentre::ZScore ? est + v.rowSpread[x] * avg
                                                    : est + avg;
    }
    return static_cast<float>(std::clamp(est, static_cast<double>(v.low), static_cast<double>(v.high)));
}

} // namespace

void predictKnnPairs(const KnnView& v, const ModelSpec& spec, const int64_t* users, const int64_t* items, int64_t n,
                     float* out) {
    const bool onItems = spec.knnOn == KnnOn::Items;
    const int64_t* xs = onItems ? items : users;
    const int64_t* ys = onItems ? users : items;
    // In order of x, so that each row's neighbours are scattered once.
    std::vector<int64_t> order(static_cast<std::size_t>(n));
    for (int64_t k = 0; k < n; ++k)
        order[static_cast<std::size_t>(k)] = k;
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return xs[a] < xs[b]; });
    struct State {
        std::vector<float> scratch;
        std::vector<Vote> votes;
        int64_t scattered = -1; // whose neighbours the scratch holds
    };
    const auto make = [&] { return State{std::vector<float>(static_cast<std::size_t>(v.rows), 0.0f), {}, -1}; };
    parallelChunks(n, std::max<int64_t>(256, n / 8), make, [&](int64_t begin, int64_t end, State& state) {
        auto& [scratch, votes, scattered] = state;
        for (int64_t k = begin; k < end; ++k) {
            const int64_t p = order[static_cast<std::size_t>(k)];
            const auto x = static_cast<int32_t>(xs[p]), y = static_cast<int32_t>(ys[p]);
            if (x != scattered) {
                if (scattered >= 0)
                    scatter(v, static_cast<int32_t>(scattered), scratch, true);
                scatter(v, x, scratch, false);
                scattered = x;
            }
            votesFor(v, spec, x, y, scratch, votes);
            out[p] = combine(v, spec, x, y, votes);
        }
    });
}

KnnExplanation explainKnn(const KnnView& v, const ModelSpec& spec, int32_t x, int32_t y) {
    std::vector<float> scratch(static_cast<std::size_t>(v.rows), 0.0f);
    scatter(v, x, scratch, false);
    std::vector<Vote> votes;
    votesFor(v, spec, x, y, scratch, votes);
    std::sort(votes.begin(), votes.end(), [](const Vote& a, const Vote& b) {
        return a.similarity != b.similarity ? a.similarity > b.similarity : a.row < b.row;
    });
    KnnExplanation out;
    out.centre = static_cast<float>(centreOf(v, spec.knnCentre, x, y));
    out.prediction = combine(v, spec, x, y, votes);
    for (const Vote& vote : votes)
        out.votes.push_back({vote.row, vote.similarity, vote.rating,
                             static_cast<float>(centred(v, spec.knnCentre, vote.row, y, vote.rating))});
    return out;
}

} // namespace factorscope
