#include "core/model/Modules.h"

#include "core/common/Error.h"
#include "core/model/AutoRec.h"
#include "core/model/Classic.h"
#include "core/model/Dropout.h"

namespace factorscope {

torch::Tensor applyYRange(const torch::Tensor& x, const ModelSpec& spec) {
    if (!spec.useYRange)
        return x;
    return torch::sigmoid(x) * (spec.yMax - spec.yMin) + spec.yMin;
}

void initTable(torch::Tensor& w, const ModelSpec& spec) {
    torch::NoGradGuard noGrad;
    switch (spec.init) {
    case InitKind::Default:
        w.normal_(); // LibTorch's own for embeddings: N(0, 1)
        break;
    case InitKind::Normal:
        w.normal_(0.0, spec.initStd);
        break;
    case InitKind::TruncNormal:
        w.normal_().fmod_(2.0).mul_(spec.initStd);
        break;
    case InitKind::Uniform:
        w.uniform_(spec.initLow, spec.initHigh);
        break;
    }
}

void initEmbedding(torch::nn::Embedding& e, const ModelSpec& spec) {
    if (spec.init != InitKind::Default) // LibTorch has initialised it from N(0, 1)
        initTable(e->weight, spec);
}

static torch::nn::Embedding embedding(torch::nn::Module& owner, const char* name, int64_t rows, int64_t dim,
                                      const ModelSpec& spec) {
    torch::nn::Embedding e = owner.register_module(name, torch::nn::Embedding(rows, dim));
    initEmbedding(e, spec);
    return e;
}

DotModelImpl::DotModelImpl(const ModelSpec& s, int64_t users, int64_t items) : spec(s) {
    user = embedding(*this, "user", users, s.factors, s);
    item = embedding(*this, "item", items, s.factors, s);
    if (s.kind == ModelKind::DotBias) {
        userBias = embedding(*this, "user_bias", users, 1, s);
        itemBias = embedding(*this, "item_bias", items, 1, s);
    }
}

torch::Tensor DotModelImpl::forward(const torch::Tensor& users, const torch::Tensor& items) {
    auto x = (user(users) * item(items)).sum(1);
    if (userBias)
        x = x + userBias(users).squeeze(1) + itemBias(items).squeeze(1);
    return applyYRange(x, spec);
}

LinearModelImpl::LinearModelImpl(const ModelSpec& s, int64_t users, int64_t items) : spec(s) {
    user = embedding(*this, "user", users, s.factors, s);
    item = embedding(*this, "item", items, s.factors, s);
    out = register_module("out", torch::nn::Linear(s.factors, 1));
}

torch::Tensor LinearModelImpl::forward(const torch::Tensor& users, const torch::Tensor& items) {
    auto x = out(user(users) * item(items)).squeeze(1);
    if (spec.linearRelu)
        x = torch::relu(x);
    return applyYRange(x, spec);
}

torch::nn::Sequential makeTower(int64_t in, const ModelSpec& spec) {
    torch::nn::Sequential seq;
    for (std::size_t k = 0; k < spec.hidden.size(); ++k) {
        seq->push_back(torch::nn::Linear(in, spec.hidden[k]));
        seq->push_back(torch::nn::ReLU());
        seq->push_back(MaskedDropout(spec.dropouts[k]));
        in = spec.hidden[k];
    }
    return seq;
}

MlpModelImpl::MlpModelImpl(const ModelSpec& s, int64_t users, int64_t items) : spec(s) {
    user = embedding(*this, "user", users, s.factors, s);
    item = embedding(*this, "item", items, s.factors, s);
    embeddingDropout = register_module("embedding_dropout", MaskedDropout(s.embeddingDropout));
    tower = register_module("tower", makeTower(2 * s.factors, s));
    out = register_module("out", torch::nn::Linear(s.hidden.back(), 1));
}

torch::Tensor MlpModelImpl::forward(const torch::Tensor& users, const torch::Tensor& items) {
    auto x = embeddingDropout(torch::cat({user(users), item(items)}, 1));
    return applyYRange(out(tower->forward(x)).squeeze(1), spec);
}

NeuMFModelImpl::NeuMFModelImpl(const ModelSpec& s, int64_t users, int64_t items) : spec(s) {
    gmfUser = embedding(*this, "gmf_user", users, s.factors, s);
    gmfItem = embedding(*this, "gmf_item", items, s.factors, s);
    mlpUser = embedding(*this, "mlp_user", users, s.factors, s);
    mlpItem = embedding(*this, "mlp_item", items, s.factors, s);
    embeddingDropout = register_module("embedding_dropout", MaskedDropout(s.embeddingDropout));
    tower = register_module("tower", makeTower(2 * s.factors, s));
    out = register_module("out", torch::nn::Linear(s.factors + s.hidden.back(), 1));
}

torch::Tensor NeuMFModelImpl::forward(const torch::Tensor& users, const torch::Tensor& items) {
    auto gmf = gmfUser(users) * gmfItem(items);
    auto mlp = tower->forward(embeddingDropout(torch::cat({mlpUser(users), mlpItem(items)}, 1)));
    return applyYRange(out(torch::cat({gmf, mlp}, 1)).squeeze(1), spec);
}

// The closed-form rankers are dot products of two tables the fit fills (ClosedForm.h):
// popularity a one-column table (users 1, items their count), random the seed's normal
// vectors, ease the users' rows of the training matrix and the item-item weights.
static std::shared_ptr<RecommenderImpl> closedFormRecommender(const ModelSpec& spec, int64_t users, int64_t items) {
    ModelSpec tables = spec;
    tables.useYRange = false;
    if (spec.kind == ModelKind::Popularity)
        tables.factors = 1;
    if (spec.kind == ModelKind::Ease) {
        constexpr int64_t kMostItems = 8192, kMostCells = int64_t(1) << 26; // 256 MB a table
        if (items > kMostItems || users * items > kMostCells)
            throw SpecError("model", "ease keeps an items x items and a users x items table: at most " +
                                         std::to_string(kMostItems) + " items and " + std::to_string(kMostCells) +
                                         " user-item cells (this data set has " + std::to_string(items) + " items, " +
                                         std::to_string(users) + " users)");
        tables.factors = static_cast<int>(items);
        tables.init = InitKind::Default;
    }
    auto net = std::make_shared<DotModelImpl>(tables, users, items);
    if (spec.kind != ModelKind::Random) {
        torch::NoGradGuard noGrad;
        net->user->weight.zero_();
        net->item->weight.zero_();
    }
    return net;
}

std::shared_ptr<RecommenderImpl> makeRecommender(const ModelSpec& spec, int64_t users, int64_t items) {
    spec.validate();
    switch (spec.kind) {
    case ModelKind::Dot:
    case ModelKind::DotBias:
        return std::make_shared<DotModelImpl>(spec, users, items);
    case ModelKind::Linear:
        return std::make_shared<LinearModelImpl>(spec, users, items);
    case ModelKind::Mlp:
        return std::make_shared<MlpModelImpl>(spec, users, items);
    case ModelKind::NeuMF:
        return std::make_shared<NeuMFModelImpl>(spec, users, items);
    case ModelKind::Popularity:
    case ModelKind::Random:
    case ModelKind::Ease:
        return closedFormRecommender(spec, users, items);
    case ModelKind::Baseline:
        return std::make_shared<BaselineModelImpl>(spec, users, items);
    case ModelKind::Knn:
        return std::make_shared<KnnModelImpl>(spec, users, items);
    case ModelKind::SvdPP:
        return std::make_shared<SvdppModelImpl>(spec, users, items);
    case ModelKind::AutoRec:
        return std::make_shared<AutoRecModelImpl>(spec, users, items);
    }
    return nullptr;
}

} // namespace factorscope
