#include "core/analysis/Recommend.h"

#include "core/analysis/Ranking.h"
#include "core/common/Error.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace factorscope {

std::vector<Scored> recommend(const Model& model, const Dataset& data, int32_t user, int n, const RowsByUser* byUser) {
    if (user < 0 || user >= model.users())
        throw SpecError("recommend", "user index out of range");
    if (n <= 0)
        return {};
    // The ranking's own top K (the same candidates and tie-breaking as evaluate and recommend),
    // over the user's ratings in `data`.
    std::vector<int64_t> rows;
    for (int32_t r : rowsOfUser(data, user, byUser))
        rows.push_back(r);
    return topK(model, data, rows, {user}, std::min(n, model.items())).front();
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

namespace {

// One part per factor: the user's value times the movie's.
void addFactorProducts(const Model& model, int32_t user, int32_t item, Explanation& e) {
    const std::vector<float> u = model.userFactor(user), v = model.itemFactor(item);
    for (std::size_t f = 0; f < u.size(); ++f) {
        e.factors.push_back(static_cast<double>(u[f]) * v[f]);
        e.raw += e.factors.back();
    }
}

void addBiases(const Model& model, int32_t user, int32_t item, Explanation& e) {
    const auto ub = model.userBiases(), ib = model.itemBiases();
    if (ub.empty())
        return;
    e.biases = true;
    e.userBias = ub[static_cast<std::size_t>(user)];
    e.itemBias = ib.empty() ? 0.0 : ib[static_cast<std::size_t>(item)];
    e.itemBiasPart = !ib.empty();
    e.raw += e.userBias + e.itemBias;
}

// Baseline and SVD++: the mean, the biases and (SVD++) the factor products, clipped.
Explanation explainWithMean(const Model& model, int32_t user, int32_t item, Explanation& e) {
    e.decomposes = true;
    e.hasMean = true;
    e.mean = model.ratingMean();
    e.raw = e.mean;
    addBiases(model, user, item, e);
    if (model.spec().kind == ModelKind::SvdPP) {
        addFactorProducts(model, user, item, e);
    }
    e.note = model.spec().kind == ModelKind::SvdPP
                 ? "The mean, the biases and the products of the user's vector (their own factors plus those of "
                   "the movies they rated) with the movie's add up to the rating, kept within the rating scale."
                 : "The mean rating, the user's bias and the movie's bias add up to the rating, kept within the "
                   "rating scale.";
    return e;
}

// AutoRec: one product per hidden unit of the user's decoder row with the movie's code, and the
// user's offset, clipped.
Explanation explainAutoRec(const Model& model, int32_t user, int32_t item, Explanation& e) {
    e.decomposes = true;
    addFactorProducts(model, user, item, e);
    addBiases(model, user, item, e);
    e.note = "Every rating the movie has (one input per user) is squeezed into " + std::to_string(e.factors.size()) +
             " hidden units, its code; the user's decoder weights times the code, each unit a part, plus the user's "
             "offset give the rating, kept within the rating scale.";
    return e;
}

// kNN: the neighbours that voted, each with its share of the weighted average.
Explanation explainKnnPrediction(const Model& model, int32_t user, int32_t item, Explanation& e) {
    const KnnExplanation k = model.explainByNeighbours(user, item);
    const ModelSpec& s = model.spec();
    e.votes = k.votes;
    e.centre = k.centre;
    e.votersAreUsers = s.knnOn == KnnOn::Users;
    const std::string who = e.votersAreUsers ? "users who rated this movie" : "movies this user rated";
    if (k.votes.empty()) {
        e.note =
            "No similar " + who + ": the prediction falls back to " +
            (s.knnCentre == KnnCentre::Mean || s.knnCentre == KnnCentre::ZScore ? "the mean rating." : "the baseline.");
        return e;
    }
    static const char* const kLess[] = {"", " less their mean,", " as z-scores (less their mean, over their spread),",
                                        " less their baseline,"};
    char centre[32];
    std::snprintf(centre, sizeof centre, "%.2f", k.centre);
    e.note = "The " + std::to_string(k.votes.size()) + " most similar " + who + " (" + toString(s.similarity) +
             ") vote: their ratings" + kLess[static_cast<int>(s.knnCentre)] + " averaged by similarity" +
             (s.knnCentre == KnnCentre::None ? std::string(".") : std::string(" and added to ") + centre + ".");
    return e;
}

} // namespace

Explanation explain(const Model& model, int32_t user, int32_t item) {
    if (user < 0 || user >= model.users() || item < 0 || item >= model.items())
        throw SpecError("explain", "user or item index out of range");
    Explanation e;
    const ModelSpec& s = model.spec();
    e.prediction = model.predict({user}, {item}).front();
    if (s.kind == ModelKind::Knn)
        return explainKnnPrediction(model, user, item, e);
    if (s.kind == ModelKind::Baseline || s.kind == ModelKind::SvdPP)
        return explainWithMean(model, user, item, e);
    if (s.kind == ModelKind::AutoRec)
        return explainAutoRec(model, user, item, e);
    if (!s.decomposes()) {
        e.note = "The " + toString(s.kind) +
                 " model combines the embeddings non-linearly, so its prediction does not split into parts.";
        return e;
    }
    e.decomposes = true;
    addFactorProducts(model, user, item, e);
    addBiases(model, user, item, e);
    e.sigmoid = s.useYRange;
    e.yMin = s.yMin;
    e.yMax = s.yMax;
    e.note = e.sigmoid ? "The parts add up to a score; a sigmoid maps the score into the rating range."
                       : "The parts add up to the predicted rating.";
    return e;
}

} // namespace factorscope
