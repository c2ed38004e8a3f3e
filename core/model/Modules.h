#pragma once
// The torch::nn modules behind each ModelKind. Internal to core: includes LibTorch, so no
// header that the UI or moc reads may include it.
#include "core/model/Dropout.h"
#include "core/model/ModelSpec.h"

#include <torch/torch.h>

namespace factorscope {

// Common interface: predict ratings for index tensors of users and items (int64, shape [B]).
struct RecommenderImpl : torch::nn::Module {
    virtual torch::Tensor forward(const torch::Tensor& users, const torch::Tensor& items) = 0;
    // The tables a map of the model shows: [items, factors] and [users, factors].
    virtual torch::Tensor itemFactors() const = 0;
    virtual torch::Tensor userFactors() const = 0;
    // Whether the buffers' shapes come from the data a fit saw (a checkpoint may then resize
    // them), and the check that loaded ones are consistent (throws CheckpointError).
    virtual bool tablesFollowTheData() const { return false; }
    virtual void checkLoaded() const {}
    // The predictions of `users` (int64) for every item into `out` [users, items] where the
    // model has a whole-table form (returns false where it has none: each pair is scored).
    virtual bool predictEveryItem(const torch::Tensor& /*users*/, torch::Tensor& /*out*/) const { return false; }
};

// A ratings head shared by the models: optional sigmoid into [yMin, yMax].
torch::Tensor applyYRange(const torch::Tensor& x, const ModelSpec& spec);
void initEmbedding(torch::nn::Embedding& e, const ModelSpec& spec);
void initTable(torch::Tensor& table, const ModelSpec& spec); // as the spec's init says

struct DotModelImpl : RecommenderImpl {
    DotModelImpl(const ModelSpec& spec, int64_t users, int64_t items);
    torch::Tensor forward(const torch::Tensor& users, const torch::Tensor& items) override;
    torch::Tensor itemFactors() const override { return item->weight; }
    torch::Tensor userFactors() const override { return user->weight; }

    ModelSpec spec;
    torch::nn::Embedding user{nullptr}, item{nullptr};
    torch::nn::Embedding userBias{nullptr}, itemBias{nullptr}; // dotbias only
};

struct LinearModelImpl : RecommenderImpl {
    LinearModelImpl(const ModelSpec& spec, int64_t users, int64_t items);
    torch::Tensor forward(const torch::Tensor& users, const torch::Tensor& items) override;
    torch::Tensor itemFactors() const override { return item->weight; }
    torch::Tensor userFactors() const override { return user->weight; }

    ModelSpec spec;
    torch::nn::Embedding user{nullptr}, item{nullptr};
    torch::nn::Linear out{nullptr};
};

// Hidden layers with ReLU and dropout, shared by mlp and neumf.
torch::nn::Sequential makeTower(int64_t in, const ModelSpec& spec);

struct MlpModelImpl : RecommenderImpl {
    MlpModelImpl(const ModelSpec& spec, int64_t users, int64_t items);
    torch::Tensor forward(const torch::Tensor& users, const torch::Tensor& items) override;
    torch::Tensor itemFactors() const override { return item->weight; }
    torch::Tensor userFactors() const override { return user->weight; }

    ModelSpec spec;
    torch::nn::Embedding user{nullptr}, item{nullptr};
    MaskedDropout embeddingDropout{nullptr};
    torch::nn::Sequential tower{nullptr};
    torch::nn::Linear out{nullptr};
};

struct NeuMFModelImpl : RecommenderImpl {
    NeuMFModelImpl(const ModelSpec& spec, int64_t users, int64_t items);
    torch::Tensor forward(const torch::Tensor& users, const torch::Tensor& items) override;
    // The GMF tower's tables are the ones whose products make the prediction.
    torch::Tensor itemFactors() const override { return gmfItem->weight; }
    torch::Tensor userFactors() const override { return gmfUser->weight; }

    ModelSpec spec;
    torch::nn::Embedding gmfUser{nullptr}, gmfItem{nullptr}, mlpUser{nullptr}, mlpItem{nullptr};
    MaskedDropout embeddingDropout{nullptr};
    torch::nn::Sequential tower{nullptr};
    torch::nn::Linear out{nullptr};
};

std::shared_ptr<RecommenderImpl> makeRecommender(const ModelSpec& spec, int64_t users, int64_t items);

} // namespace factorscope
