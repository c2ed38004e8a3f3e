#pragma once
// Recommendations judged as recommendations: each user's top K among the items they did not
// rate in training, and the ranking metrics of those lists against the held-out ratings.
// Definitions (docs/METRICS.md), as Microsoft Recommenders' python_evaluation defines them:
// every held-out item of a user is relevant (or, with relevantAt, those rated at least that);
// users without a relevant held-out item are skipped; per user, with `hits` the relevant
// items in the top K:
//   precision@K = hits / K,  recall@K = hits / |relevant|,  hit rate = share of users with a hit,
//   nDCG@K = DCG / IDCG with DCG = sum over ranks r of rel_r / log2(r + 1) (binary gains) and
//            IDCG the DCG of min(K, |relevant|) hits at the top,
//   AP@K = (sum over ranks r that hit of hits-within-r / r) / min(|relevant|, K);
// each averaged over the users (MAP for AP). Coverage is the share of the catalogue that some
// user is recommended; popularity the mean training-rating count of what is recommended.
#include "core/analysis/Recommend.h"
#include "core/data/Split.h"

#include <cstdint>
#include <limits>
#include <vector>

namespace factorscope {

struct RankingOptions {
    int k = 10;
    double relevantAt = -std::numeric_limits<double>::infinity(); // held-out ratings >= this count
    int64_t maxUsers = 0; // > 0: rank a fixed sample of this many of the users (drawn from sampleSeed)
    uint64_t sampleSeed = 42;
    // Throws SpecError naming "k" when K is not from 1 to the number of items.
    void validate(std::size_t items) const;
};

struct UserRanking {
    double precision = 0, recall = 0, ndcg = 0, averagePrecision = 0;
    bool hit = false;
};

// One user's ranked list (best first) against the user's relevant items.
UserRanking scoreRanking(const std::vector<int32_t>& ranked, const std::vector<int32_t>& relevant, int k);

struct RankingResult {
    int k = 0;
    int64_t users = 0; // users with a relevant held-out item: those averaged over
    double precision = 0, recall = 0, ndcg = 0, map = 0, hitRate = 0;
    double coverage = 0;       // distinct items recommended / items in the catalogue
    double meanPopularity = 0; // mean training ratings of the recommended items
};

// Each user's k highest-scored items among those they did not rate in `trainRows`, best
// first; equal scores keep the lower item index first. Scored in blocks of users x all items.
std::vector<std::vector<Scored>> topK(const Model& model, const Dataset& data, const std::vector<int64_t>& trainRows,
                                      const std::vector<int32_t>& users, int k);

// The ranking metrics of topK(split.train) against split.validation (or `heldOut`'s rows).
RankingResult rankingMetrics(const Model& model, const Dataset& data, const std::vector<int64_t>& trainRows,
                             const std::vector<int64_t>& heldOut, const RankingOptions& options);

} // namespace factorscope
