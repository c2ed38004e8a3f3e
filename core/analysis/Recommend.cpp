#include "core/analysis/Recommend.h"

#include "core/common/Error.h"

#include <algorithm>
#include <numeric>

namespace factorscope {

std::vector<Scored> recommend(const Model& model, const Dataset& data, int32_t user, int n, const RowsByUser* byUser) {
    if (user < 0 || user >= model.users())
        throw SpecError("recommend", "user index out of range");
    std::vector<char> seen(static_cast<std::size_t>(model.items()), 0);
    for (int32_t r : rowsOfUser(data, user, byUser))
        seen[static_cast<std::size_t>(data.ratings.item[static_cast<std::size_t>(r)])] = 1;
    std::vector<int32_t> items, users;
    for (int32_t i = 0; i < model.items(); ++i)
        if (!seen[static_cast<std::size_t>(i)])
            items.push_back(i);
    users.assign(items.size(), user);
    const std::vector<float> p = model.predict(users, items);
    std::vector<Scored> out(items.size());
    for (std::size_t k = 0; k < items.size(); ++k)
        out[k] = {items[k], p[k]};
    const std::size_t keep = std::min<std::size_t>(out.size(), static_cast<std::size_t>(std::max(0, n)));
    std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(keep), out.end(),
                      [](const Scored& a, const Scored& b) { return a.rating > b.rating; });
    out.resize(keep);
    return out;
}

std::vector<Scored> ratedBy(const Dataset& data, int32_t user, int n, const RowsByUser* byUser) {
    std::vector<Scored> out;
    for (int32_t row : rowsOfUser(data, user, byUser)) {
        const auto r = static_cast<std::size_t>(row);
        out.push_back({data.ratings.item[r], data.ratings.rating[r]});
    }
    std::stable_sort(out.begin(), out.end(), [](const Scored& a, const Scored& b) { return a.rating > b.rating; });
    if (n >= 0 && out.size() > static_cast<std::size_t>(n))
        out.resize(static_cast<std::size_t>(n));
    return out;
}

Explanation explain(const Model& model, int32_t user, int32_t item) {
    if (user < 0 || user >= model.users() || item < 0 || item >= model.items())
        throw SpecError("explain", "user or item index out of range");
    Explanation e;
    const ModelSpec& s = model.spec();
    e.prediction = model.predict({user}, {item}).front();
    if (!s.decomposes()) {
        e.note = "The " + toString(s.kind) +
                 " model combines the embeddings non-linearly, so its prediction does not split into parts.";
        return e;
    }
    e.decomposes = true;
    const std::vector<float> u = model.userFactor(user), v = model.itemFactor(item);
    for (std::size_t f = 0; f < u.size(); ++f) {
        e.factors.push_back(static_cast<double>(u[f]) * v[f]);
        e.raw += e.factors.back();
    }
    const auto ub = model.userBiases(), ib = model.itemBiases();
    if (!ub.empty()) {
        e.userBias = ub[static_cast<std::size_t>(user)];
        e.itemBias = ib[static_cast<std::size_t>(item)];
        e.raw += e.userBias + e.itemBias;
    }
    e.sigmoid = s.useYRange;
    e.yMin = s.yMin;
    e.yMax = s.yMax;
    e.note = e.sigmoid ? "The parts add up to a score; a sigmoid maps the score into the rating range."
                       : "The parts add up to the predicted rating.";
    return e;
}

} // namespace factorscope
