#include "core/model/AutoRec.h"

#include "core/common/Error.h"
#include "core/model/TableBuffers.h"

#include <algorithm>
#include <cmath>

namespace factorscope {

namespace {
// LibTorch's Linear init (uniform within 1/sqrt(fan-in)) under `default`, else the spec's.
torch::Tensor layerTable(std::vector<int64_t> shape, int64_t fanIn, const ModelSpec& spec) {
    auto t = torch::empty(shape);
    if (spec.init == InitKind::Default) {
        const double bound = 1.0 / std::sqrt(static_cast<double>(std::max<int64_t>(1, fanIn)));
        torch::NoGradGuard noGrad;
        t.uniform_(-bound, bound);
    } else {
        initTable(t, spec);
    }
    return t;
}
} // namespace

AutoRecModelImpl::AutoRecModelImpl(const ModelSpec& s, int64_t users, int64_t items) : spec(s) {
    const int64_t f = s.factors;
    // The encoder reads a movie's ratings by every user (fan-in: users), the decoder its code.
    encoder = register_parameter("encoder", layerTable({users, f}, users, s));
    encoderBias = register_parameter("encoder_bias", layerTable({f}, users, s));
    decoder = register_parameter("decoder", layerTable({users, f}, f, s));
    decoderBias = register_parameter("decoder_bias", torch::zeros({users}));
    raterOffsets = register_buffer("rater_offsets", torch::zeros({items + 1}, torch::kLong));
    raters = register_buffer("raters", torch::zeros({0}, torch::kInt));
    raterRatings = register_buffer("rater_ratings", torch::zeros({0}));
    code = register_buffer("code", torch::zeros({items, f}));
    scale = register_buffer("scale", scaleOf(0, 0, 0));
    refreshCodes();
}

torch::Tensor AutoRecModelImpl::forward(const torch::Tensor& users, const torch::Tensor& items) {
    const auto s = scale.to(torch::kCPU);
    const float* v = s.data_ptr<float>();
    if (!decoder.is_cpu() || (decoder.requires_grad() && torch::GradMode::is_enabled())) {
        const auto dot = (decoder.index_select(0, users) * code.index_select(0, items)).sum(1);
        return (dot + decoderBias.index_select(0, users)).clamp(v[1], v[2]);
    }
    // On the CPU without gradients, pair by pair: gathering a row per pair into two tables
    // would write (and fault in) 2 x pairs x factors floats first.
    const auto us = users.to(torch::kLong).contiguous(), is = items.to(torch::kLong).contiguous();
    const auto d = decoder.contiguous(), c = code.contiguous(), bias = decoderBias.contiguous();
    const int64_t n = us.size(0), f = d.size(1), nu = d.size(0), ni = c.size(0);
    const int64_t *pu = us.data_ptr<int64_t>(), *pi = is.data_ptr<int64_t>();
    const float *pd = d.data_ptr<float>(), *pc = c.data_ptr<float>(), *pb = bias.data_ptr<float>();
    auto out = torch::empty({n});
    float* o = out.data_ptr<float>();
    for (int64_t k = 0; k < n; ++k) {
        if (pu[k] < 0 || pu[k] >= nu || pi[k] < 0 || pi[k] >= ni)
            throw SpecError("predict", "user or item index out of range");
        const float *du = pd + pu[k] * f, *ci = pc + pi[k] * f;
        float dot = 0;
        for (int64_t j = 0; j < f; ++j)
            dot += du[j] * ci[j];
        o[k] = std::clamp(dot + pb[pu[k]], v[1], v[2]);
    }
    return out;
}

bool AutoRecModelImpl::predictEveryItem(const torch::Tensor& users, torch::Tensor& out) const {
    const auto s = scale.to(torch::kCPU);
    const float* v = s.data_ptr<float>();
    torch::addmm_out(out, decoderBias.index_select(0, users).unsqueeze(1), decoder.index_select(0, users), code.t())
        .clamp_(v[1], v[2]);
    return true;
}

void AutoRecModelImpl::setRated(const SparseRows& byItem, double mean, float low, float high) {
    torch::NoGradGuard noGrad;
    if (raters.size(0) == 0)
        decoderBias.fill_(mean);
    refill(raterOffsets, tensorOf(byItem.offsets, torch::kLong));
    refill(raters, tensorOf(byItem.index, torch::kInt));
    refill(raterRatings, tensorOf(byItem.value, torch::kFloat));
    refill(scale, scaleOf(mean, low, high));
}

AutoRecModelImpl::Bags AutoRecModelImpl::bagsOf(const torch::Tensor& items) const {
    const auto first = raterOffsets.index_select(0, items);
    const auto counts = raterOffsets.index_select(0, items + 1) - first;
    Bags b;
    b.starts = counts.cumsum(0) - counts;
    const int64_t total = counts.sum().item<int64_t>();
    // Entry k of bag j sits at first[j] + (k - starts[j]) in the by-movie table.
    auto entries = torch::arange(total, counts.options());
    entries += torch::repeat_interleave(first - b.starts, counts, 0, total);
    b.users = raters.index_select(0, entries).to(torch::kLong);
    b.ratings = raterRatings.index_select(0, entries);
    b.bag = torch::repeat_interleave(torch::arange(items.size(0), counts.options()), counts, 0, total);
    return b;
}

torch::Tensor AutoRecModelImpl::encode(const Bags& b) const {
    const auto sums =
        std::get<0>(torch::embedding_bag(encoder, b.users, b.starts, false, /*mode=sum*/ 0, false, b.ratings));
    return torch::sigmoid(sums + encoderBias);
}

void AutoRecModelImpl::refreshCodes() {
    torch::NoGradGuard noGrad;
    const int64_t items = code.size(0);
    constexpr int64_t kChunk = 4096;
    for (int64_t a = 0; a < items; a += kChunk) {
        const auto ids = torch::arange(a, std::min(items, a + kChunk), raterOffsets.options());
        code.slice(0, a, a + ids.size(0)).copy_(encode(bagsOf(ids)));
    }
}

void AutoRecModelImpl::checkLoaded() const {
    const int64_t users = encoder.size(0), items = code.size(0);
    checkRows(raterOffsets, raters, raterRatings, items, users, "ratings by movie");
    if (decoder.sizes() != encoder.sizes() || encoderBias.dim() != 1 || encoderBias.size(0) != encoder.size(1) ||
        decoderBias.dim() != 1 || decoderBias.size(0) != users || code.dim() != 2 || code.size(1) != encoder.size(1) ||
        scale.dim() != 1 || scale.size(0) != 3)
        throw CheckpointError("the autoencoder's layers, codes or scale have the wrong sizes");
    for (const auto& t : {encoder, encoderBias, decoder, decoderBias, code, scale})
        if (!torch::isfinite(t).all().item<bool>())
            throw CheckpointError("the autoencoder's weights hold a value that is not finite");
}

} // namespace factorscope
