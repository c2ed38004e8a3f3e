#include "core/analysis/Ranking.h"

#include "core/common/Error.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace factorscope {

namespace {

// Each user's items among `rows`, as a compressed list (offsets into `items`).
struct ItemsByUser {
    std::vector<int64_t> start;
    std::vector<int32_t> items;
    ItemsByUser(const Dataset& data, const std::vector<int64_t>& rows, double atLeast = -1e300) {
        const std::size_t users = data.users.size();
        start.assign(users + 1, 0);
        for (int64_t r : rows)
            if (data.ratings.rating[static_cast<std::size_t>(r)] >= atLeast)
                ++start[static_cast<std::size_t>(data.ratings.user[static_cast<std::size_t>(r)]) + 1];
        for (std::size_t u = 0; u < users; ++u)
            start[u + 1] += start[u];
        items.resize(static_cast<std::size_t>(start[users]));
        std::vector<int64_t> next(start.begin(), start.end() - 1);
        for (int64_t r : rows) {
            const auto row = static_cast<std::size_t>(r);
            if (data.ratings.rating[row] >= atLeast)
                items[static_cast<std::size_t>(next[static_cast<std::size_t>(data.ratings.user[row])]++)] =
                    data.ratings.item[row];
        }
    }
    std::vector<int32_t> of(int32_t user) const {
        const auto u = static_cast<std::size_t>(user);
        return {items.begin() + start[u], items.begin() + start[u + 1]};
    }
};

} // namespace

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

std::vector<std::vector<Scored>> topK(const Model& model, const Dataset& data, const std::vector<int64_t>& trainRows,
                                      const std::vector<int32_t>& users, int k) {
    RankingOptions{k}.validate(static_cast<std::size_t>(model.items()));
    const ItemsByUser seen(data, trainRows);
    const int32_t items = model.items();
    // About four million (user, item) pairs a block: a few tens of MB whatever the catalogue.
    const std::size_t block = std::max<std::size_t>(1, (std::size_t(1) << 22) / static_cast<std::size_t>(items));
    std::vector<std::vector<Scored>> out(users.size());
    std::vector<int32_t> us, is;
    std::vector<char> rated(static_cast<std::size_t>(items));
    for (std::size_t b = 0; b < users.size(); b += block) {
        const std::size_t e = std::min(users.size(), b + block);
        us.clear();
        is.clear();
        for (std::size_t j = b; j < e; ++j) {
            if (users[j] < 0 || users[j] >= model.users())
                throw SpecError("users", "user index " + std::to_string(users[j]) + " is not in the model");
            for (int32_t i = 0; i < items; ++i) {
                us.push_back(users[j]);
                is.push_back(i);
            }
        }
        const std::vector<float> scores = model.predict(us, is);
        for (std::size_t j = b; j < e; ++j) {
            std::fill(rated.begin(), rated.end(), 0);
            for (int32_t i : seen.of(users[j]))
                rated[static_cast<std::size_t>(i)] = 1;
            std::vector<Scored> list;
            list.reserve(static_cast<std::size_t>(items));
            const float* s = scores.data() + (j - b) * static_cast<std::size_t>(items);
            for (int32_t i = 0; i < items; ++i)
                if (!rated[static_cast<std::size_t>(i)])
                    list.push_back({i, s[i]});
            const auto keep = std::min<std::size_t>(list.size(), static_cast<std::size_t>(k));
            std::partial_sort(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(keep), list.end(),
                              [](const Scored& a, const Scored& c) {
                                  return a.rating != c.rating ? a.rating > c.rating : a.item < c.item;
                              });
            list.resize(keep);
            out[j] = std::move(list);
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
