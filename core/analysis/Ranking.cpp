#include "core/analysis/Ranking.h"

#include "core/common/Error.h"
#include "core/common/Random.h"
#include "core/data/ItemsByUser.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <thread>

namespace factorscope {

void RankingOptions::validate(std::size_t items) const {
    if (k < 1 || static_cast<std::size_t>(k) > items)
        throw SpecError("k", "must be from 1 to the number of items (" + std::to_string(items) + "), got " +
                                 std::to_string(k));
}

UserRanking scoreRanking(const std::vector<int32_t>& ranked, const std::vector<int32_t>& relevant, int k) {
    UserRanking r;
    if (relevant.empty() || k < 1)
        return r;
    const std::set<int32_t> wanted(relevant.begin(), relevant.end());
    const std::size_t n = std::min<std::size_t>(ranked.size(), static_cast<std::size_t>(k));
    int hits = 0;
    double dcg = 0, precisions = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (wanted.count(ranked[i])) {
            ++hits;
            dcg += 1.0 / std::log2(static_cast<double>(i) + 2.0);
            precisions += static_cast<double>(hits) / static_cast<double>(i + 1);
        }
    const std::size_t ideal = std::min<std::size_t>(wanted.size(), static_cast<std::size_t>(k));
    double idcg = 0;
    for (std::size_t i = 0; i < ideal; ++i)
        idcg += 1.0 / std::log2(static_cast<double>(i) + 2.0);
    r.precision = static_cast<double>(hits) / k;
    r.recall = static_cast<double>(hits) / static_cast<double>(wanted.size());
    r.ndcg = dcg / idcg;
    r.averagePrecision = precisions / static_cast<double>(ideal);
    r.hit = hits > 0;
    return r;
}

namespace {

// The k best of one user's row of scores, skipping `rated` (ascending), best first; equal
// scores keep the lower item first and NaN ranks last. A heap of the k best so far: most
// items fall below its worst and cost one comparison.
std::vector<Scored> bestOf(const float* scores, int32_t items, const int32_t* rated, const int32_t* ratedEnd, int k) {
    const auto worse = [](const Scored& a, const Scored& b) {
        return a.rating != b.rating ? a.rating > b.rating : a.item < b.item;
    }; // a heap ordered by it keeps the worst on top
    std::vector<Scored> heap;
    heap.reserve(static_cast<std::size_t>(k));
    for (int32_t i = 0; i < items; ++i) {
        if (rated != ratedEnd && *rated == i) {
            ++rated;
            continue;
        }
        float v = scores[i];
        if (std::isnan(v))
            v = -std::numeric_limits<float>::infinity();
        if (heap.size() < static_cast<std::size_t>(k)) {
            heap.push_back({i, v});
            std::push_heap(heap.begin(), heap.end(), worse);
        } else if (v > heap.front().rating) { // items come in order: an equal score never wins
            std::pop_heap(heap.begin(), heap.end(), worse);
            heap.back() = {i, v};
            std::push_heap(heap.begin(), heap.end(), worse);
        }
    }
    std::sort_heap(heap.begin(), heap.end(), worse);
    for (Scored& s : heap) // the score as the model gives it (NaN stays NaN)
        s.rating = scores[s.item];
    return heap;
}

// Ranking's threads, decided here: one per core, up to two (a block's selection is bound by
// memory; two cores are what this was measured on).
int rankingThreads() { return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 2u)); }

} // namespace

std::vector<std::vector<Scored>> topK(const Model& model, const Dataset& data, const std::vector<int64_t>& trainRows,
                                      const std::vector<int32_t>& users, int k) {
    RankingOptions{k}.validate(static_cast<std::size_t>(model.items()));
    for (int32_t u : users)
        if (u < 0 || u >= model.users())
            throw SpecError("users", "user index " + std::to_string(u) + " is not in the model");
    const ItemsByUser seen(data, trainRows);
    const int32_t items = model.items();
    // About eight million scores a block: 32 MB whatever the catalogue, written in place.
    const std::size_t block = std::max<std::size_t>(1, (std::size_t(1) << 23) / static_cast<std::size_t>(items));
    std::vector<float> scores(std::min(block, users.size()) * static_cast<std::size_t>(items));
    std::vector<std::vector<Scored>> out(users.size());
    const int threads = rankingThreads();
    for (std::size_t b = 0; b < users.size(); b += block) {
        const std::size_t e = std::min(users.size(), b + block);
        const bool raw = model.rankScores(
            {users.begin() + static_cast<std::ptrdiff_t>(b), users.begin() + static_cast<std::ptrdiff_t>(e)},
            scores.data());
        const auto select = [&](std::size_t from, std::size_t to) {
            for (std::size_t j = from; j < to; ++j) {
                out[j] = bestOf(scores.data() + (j - b) * static_cast<std::size_t>(items), items, seen.begin(users[j]),
                                seen.end(users[j]), k);
                if (raw) // the y-range is monotone: only the kept scores need it
                    for (Scored& s : out[j])
                        s.rating = model.outputOf(s.rating);
            }
        };
        // The users of a block split between the cores (a thread each is worth its start only
        // for a few thousand items or more).
        if (threads > 1 && (e - b) * static_cast<std::size_t>(items) >= (std::size_t(1) << 20)) {
            const std::size_t mid = b + (e - b) / 2;
            std::thread other(select, mid, e);
            select(b, mid);
            other.join();
        } else {
            select(b, e);
        }
    }
    return out;
}

RankingResult rankingMetrics(const Model& model, const Dataset& data, const std::vector<int64_t>& trainRows,
                             const std::vector<int64_t>& heldOut, const RankingOptions& options) {
    options.validate(static_cast<std::size_t>(model.items()));
    const ItemsByUser relevant(data, heldOut, options.relevantAt);
    std::vector<int32_t> users;
    for (int32_t u = 0; u < static_cast<int32_t>(data.users.size()); ++u)
        if (relevant.start[static_cast<std::size_t>(u) + 1] > relevant.start[static_cast<std::size_t>(u)])
            users.push_back(u);
    if (options.maxUsers > 0 && static_cast<int64_t>(users.size()) > options.maxUsers) {
        Rng rng(options.sampleSeed);
        rng.shuffle(users.begin(), users.end());
        users.resize(static_cast<std::size_t>(options.maxUsers));
        std::sort(users.begin(), users.end());
    }
    RankingResult r;
    r.k = options.k;
    r.users = static_cast<int64_t>(users.size());
    if (users.empty())
        throw SpecError("split", "no user has a relevant held-out rating to rank against");
    std::vector<int64_t> popularity(data.items.size(), 0);
    for (int64_t row : trainRows)
        ++popularity[static_cast<std::size_t>(data.ratings.item[static_cast<std::size_t>(row)])];
    const auto lists = topK(model, data, trainRows, users, options.k);
    std::vector<char> recommended(data.items.size(), 0);
    double popular = 0;
    int64_t shown = 0;
    for (std::size_t j = 0; j < users.size(); ++j) {
        std::vector<int32_t> ranked;
        for (const Scored& s : lists[j]) {
            ranked.push_back(s.item);
            recommended[static_cast<std::size_t>(s.item)] = 1;
            popular += static_cast<double>(popularity[static_cast<std::size_t>(s.item)]);
            ++shown;
        }
        const UserRanking u = scoreRanking(ranked, relevant.of(users[j]), options.k);
        r.precision += u.precision;
        r.recall += u.recall;
        r.ndcg += u.ndcg;
        r.map += u.averagePrecision;
        r.hitRate += u.hit ? 1.0 : 0.0;
    }
    const double n = static_cast<double>(users.size());
    r.precision /= n;
    r.recall /= n;
    r.ndcg /= n;
    r.map /= n;
    r.hitRate /= n;
    r.coverage = static_cast<double>(std::count(recommended.begin(), recommended.end(), 1)) /
                 static_cast<double>(data.items.size());
    r.meanPopularity = shown ? popular / static_cast<double>(shown) : 0.0;
    return r;
}

} // namespace factorscope
