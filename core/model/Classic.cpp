#include "core/model/Classic.h"

#include "core/model/TableBuffers.h"

#include "core/common/Error.h"

#include <cmath>
#include <cstring>

namespace factorscope {

BaselineModelImpl::BaselineModelImpl(const ModelSpec& s, int64_t users, int64_t items) : spec(s) {
    userBias = register_parameter("user_bias", torch::zeros({users}), false);
    itemBias = register_parameter("item_bias", torch::zeros({items}), false);
    scale = register_buffer("scale", scaleOf(0, 0, 0));
}

torch::Tensor BaselineModelImpl::forward(const torch::Tensor& users, const torch::Tensor& items) {
    const auto s = scale.to(torch::kCPU);
    const float* v = s.data_ptr<float>();
    return (userBias.index_select(0, users) + itemBias.index_select(0, items) + v[0]).clamp(v[1], v[2]);
}

// The user's bias and the mean added to every item's bias, clipped.
bool BaselineModelImpl::predictEveryItem(const torch::Tensor& users, torch::Tensor& out) const {
    const auto s = scale.to(torch::kCPU);
    const float* v = s.data_ptr<float>();
    torch::add_out(out, itemBias.unsqueeze(0), userBias.index_select(0, users).unsqueeze(1))
        .add_(v[0])
        .clamp_(v[1], v[2]);
    return true;
}

void BaselineModelImpl::setFit(const BaselineFit& fit, float low, float high) {
    torch::NoGradGuard noGrad;
    userBias.copy_(tensorOf(fit.userBias, torch::kFloat));
    itemBias.copy_(tensorOf(fit.itemBias, torch::kFloat));
    scale.copy_(scaleOf(fit.mean, low, high));
}

KnnModelImpl::KnnModelImpl(const ModelSpec& s, int64_t u, int64_t i) : spec(s), users(u), items(i) {
    const bool onItems = s.knnOn == KnnOn::Items;
    const int64_t rows = onItems ? items : users, cols = onItems ? users : items;
    const auto longs = torch::TensorOptions().dtype(torch::kLong);
    const auto ints = torch::TensorOptions().dtype(torch::kInt);
    raterOffsets = register_buffer("rater_offsets", torch::zeros({cols + 1}, longs));
    raters = register_buffer("raters", torch::zeros({0}, ints));
    raterRatings = register_buffer("rater_ratings", torch::zeros({0}));
    neighbourOffsets = register_buffer("neighbour_offsets", torch::zeros({rows + 1}, longs));
    neighbours = register_buffer("neighbours", torch::zeros({0}, ints));
    similarities = register_buffer("similarities", torch::zeros({0}));
    rowMean = register_buffer("row_mean", torch::zeros({rows}));
    rowSpread = register_buffer("row_spread", torch::ones({rows}));
    userBias = register_buffer("user_bias", torch::zeros({users}));
    itemBias = register_buffer("item_bias", torch::zeros({items}));
    scale = register_buffer("scale", scaleOf(0, 0, 0));
}

void KnnModelImpl::setTables(const KnnTables& t) {
    refill(raterOffsets, tensorOf(t.raters.offsets, torch::kLong));
    refill(raters, tensorOf(t.raters.index, torch::kInt));
    refill(raterRatings, tensorOf(t.raters.value, torch::kFloat));
    refill(neighbourOffsets, tensorOf(t.neighbours.offsets, torch::kLong));
    refill(neighbours, tensorOf(t.neighbours.index, torch::kInt));
    refill(similarities, tensorOf(t.neighbours.value, torch::kFloat));
    refill(rowMean, tensorOf(t.rowMean, torch::kFloat));
    refill(rowSpread, tensorOf(t.rowSpread, torch::kFloat));
    refill(userBias, tensorOf(t.baseline.userBias, torch::kFloat));
    refill(itemBias, tensorOf(t.baseline.itemBias, torch::kFloat));
    refill(scale, scaleOf(t.baseline.mean, t.low, t.high));
}

KnnView KnnModelImpl::view(std::vector<torch::Tensor>& keep) const {
    const auto cpu = [&](const torch::Tensor& t) {
        keep.push_back(t.to(torch::kCPU).contiguous());
        return keep.back().data_ptr();
    };
    const bool onItems = spec.knnOn == KnnOn::Items;
    KnnView v;
    v.rows = static_cast<int32_t>(rowMean.size(0));
    v.cols = static_cast<int32_t>(raterOffsets.size(0) - 1);
    v.raterOffsets = static_cast<const int64_t*>(cpu(raterOffsets));
    v.raters = static_cast<const int32_t*>(cpu(raters));
    v.raterRatings = static_cast<const float*>(cpu(raterRatings));
    v.neighbourOffsets = static_cast<const int64_t*>(cpu(neighbourOffsets));
    v.neighbours = static_cast<const int32_t*>(cpu(neighbours));
    v.similarities = static_cast<const float*>(cpu(similarities));
    v.rowMean = static_cast<const float*>(cpu(rowMean));
    v.rowSpread = static_cast<const float*>(cpu(rowSpread));
    v.rowBias = static_cast<const float*>(cpu(onItems ? itemBias : userBias));
    v.colBias = static_cast<const float*>(cpu(onItems ? userBias : itemBias));
    const auto* s = static_cast<const float*>(cpu(scale));
    v.mean = s[0];
    v.low = s[1];
    v.high = s[2];
    return v;
}

torch::Tensor KnnModelImpl::forward(const torch::Tensor& u, const torch::Tensor& i) {
    std::vector<torch::Tensor> keep;
    const KnnView v = view(keep);
    const auto us = u.to(torch::kCPU, torch::kLong).contiguous(), is = i.to(torch::kCPU, torch::kLong).contiguous();
    auto out = torch::empty({us.size(0)}, torch::kFloat);
    predictKnnPairs(v, spec, us.data_ptr<int64_t>(), is.data_ptr<int64_t>(), us.size(0), out.data_ptr<float>());
    return out.to(u.device());
}

void KnnModelImpl::checkLoaded() const {
    const bool onItems = spec.knnOn == KnnOn::Items;
    const int64_t rows = onItems ? items : users, cols = onItems ? users : items;
    checkRows(raterOffsets, raters, raterRatings, cols, rows, "neighbourhood ratings");
    checkRows(neighbourOffsets, neighbours, similarities, rows, rows, "neighbour lists");
    const auto sized = [](const torch::Tensor& t, int64_t n) { return t.dim() == 1 && t.size(0) == n; };
    if (!sized(rowMean, rows) || !sized(rowSpread, rows) || !sized(userBias, users) || !sized(itemBias, items) ||
        !sized(scale, 3))
        throw CheckpointError("the neighbourhood model's means or biases have the wrong sizes");
    if (!(rowSpread > 0).all().item<bool>())
        throw CheckpointError("the neighbourhood model's spreads must be above 0");
    for (const auto& t : {rowMean, rowSpread, userBias, itemBias, scale})
        if (!torch::isfinite(t).all().item<bool>())
            throw CheckpointError("the neighbourhood model's means or biases hold a value that is not finite");
}

SvdppModelImpl::SvdppModelImpl(const ModelSpec& s, int64_t users, int64_t items) : spec(s) {
    const auto table = [&](const char* name, int64_t rows) {
        auto t = torch::empty({rows, s.factors});
        initTable(t, s);
        return register_parameter(name, t);
    };
    user = table("user", users);
    item = table("item", items);
    implicit = table("implicit", items);
    userBias = register_parameter("user_bias", torch::zeros({users}));
    itemBias = register_parameter("item_bias", torch::zeros({items}));
    ratedOffsets = register_buffer("rated_offsets", torch::zeros({users + 1}, torch::kLong));
    rated = register_buffer("rated", torch::zeros({0}, torch::kInt));
    userImplicit = register_buffer("user_implicit", torch::zeros({users, s.factors}));
    scale = register_buffer("scale", scaleOf(0, 0, 0));
}

torch::Tensor SvdppModelImpl::forward(const torch::Tensor& users, const torch::Tensor& items) {
    const auto s = scale.to(torch::kCPU);
    const float* v = s.data_ptr<float>();
    const auto pu = user.index_select(0, users) + userImplicit.index_select(0, users);
    const auto dot = (pu * item.index_select(0, items)).sum(1);
    return (dot + userBias.index_select(0, users) + itemBias.index_select(0, items) + v[0]).clamp(v[1], v[2]);
}

// One product of the users' whole vectors with the item table, plus the biases and the mean,
// clipped (the clip is not a y-range: these are predictions).
bool SvdppModelImpl::predictEveryItem(const torch::Tensor& users, torch::Tensor& out) const {
    const auto u = user.index_select(0, users) + userImplicit.index_select(0, users);
    const auto s = scale.to(torch::kCPU);
    const float* v = s.data_ptr<float>();
    torch::addmm_out(out, itemBias.unsqueeze(0), u, item.t())
        .add_(userBias.index_select(0, users).unsqueeze(1))
        .add_(v[0])
        .clamp_(v[1], v[2]);
    return true;
}

void SvdppModelImpl::setRated(const SparseRows& byUser, double mean, float low, float high) {
    refill(ratedOffsets, tensorOf(byUser.offsets, torch::kLong));
    refill(rated, tensorOf(byUser.index, torch::kInt));
    refill(scale, scaleOf(mean, low, high));
}

void SvdppModelImpl::refreshImplicit() {
    torch::NoGradGuard noGrad;
    const auto y = implicit.contiguous();
    const float* yp = y.data_ptr<float>();
    const int64_t* off = ratedOffsets.data_ptr<int64_t>();
    const int32_t* r = rated.data_ptr<int32_t>();
    const int64_t f = spec.factors;
    auto z = torch::zeros_like(userImplicit);
    float* zp = z.data_ptr<float>();
    for (int64_t u = 0; u + 1 < ratedOffsets.size(0); ++u) {
        const int64_t n = off[u + 1] - off[u];
        if (n == 0)
            continue;
        float* zu = zp + u * f;
        for (int64_t k = off[u]; k < off[u + 1]; ++k)
            for (int64_t c = 0; c < f; ++c)
                zu[c] += yp[r[k] * f + c];
        const float s = 1.0f / std::sqrt(static_cast<float>(n));
        for (int64_t c = 0; c < f; ++c)
            zu[c] *= s;
    }
    userImplicit.copy_(z);
}

void SvdppModelImpl::checkLoaded() const {
    checkRows(ratedOffsets, rated, torch::Tensor(), user.size(0), item.size(0), "rated movies");
    if (userImplicit.sizes() != user.sizes() || scale.dim() != 1 || scale.size(0) != 3)
        throw CheckpointError("the model's implicit user vectors or scale have the wrong sizes");
    for (const auto& t : {user, item, implicit, userBias, itemBias, userImplicit, scale})
        if (!torch::isfinite(t).all().item<bool>())
            throw CheckpointError("the model's weights hold a value that is not finite");
}

} // namespace factorscope
