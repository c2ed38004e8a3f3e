#include "core/analysis/CoRatings.h"

namespace factorscope {

std::shared_ptr<const CoRatings> coRatingsOf(const Dataset& data) {
    RatingTriples t;
    t.user = data.ratings.user;
    t.item = data.ratings.item;
    t.rating = data.ratings.rating;
    auto c = std::make_shared<CoRatings>();
    c->byItem = groupRatings(t, data.items.size(), true);
    c->byUser = groupRatings(t, data.users.size(), false);
    if (t.size() > 0) {
        c->baseline = fitBaseline(t, data.users.size(), data.items.size(), ModelSpec::defaultsFor(ModelKind::Baseline));
        const BaselineFit& b = c->baseline;
        c->itemResiduals = baselineResiduals(c->byItem, b.itemBias, b.userBias, b.mean);
        c->userResiduals = baselineResiduals(c->byUser, b.userBias, b.itemBias, b.mean);
    }
    return c;
}

std::vector<SimilarRow> similarMovies(const CoRatings& c, int32_t item, const ModelSpec& spec, int n) {
    if (c.byItem.index.empty())
        return {};
    const bool residuals = spec.similarity == Similarity::PearsonBaseline;
    return similarRowsOf(c.byItem, c.byUser, residuals ? c.itemResiduals : c.byItem.value,
                         residuals ? c.userResiduals : c.byUser.value, item, spec, n);
}

ModelSpec coRatingMeasure() {
    ModelSpec s = ModelSpec::defaultsFor(ModelKind::Knn);
    s.knnOn = KnnOn::Items;
    s.similarity = Similarity::PearsonBaseline;
    return s;
}

} // namespace factorscope
