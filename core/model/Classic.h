#pragma once
// The torch modules of the classic rating predictors (Neighbourhood.h has their arithmetic):
// their fitted tables live in buffers, so that checkpoints, snapshots and devices treat them as
// they treat any model's weights. Internal to core: includes LibTorch.
#include "core/model/Modules.h"
#include "core/model/Neighbourhood.h"

namespace factorscope {

// global mean + user bias + item bias, clipped to the training ratings' range.
struct BaselineModelImpl : RecommenderImpl {
    BaselineModelImpl(const ModelSpec& spec, int64_t users, int64_t items);
    torch::Tensor forward(const torch::Tensor& users, const torch::Tensor& items) override;
    // One-column tables: the biases are all this model knows of a user or a movie.
    torch::Tensor itemFactors() const override { return itemBias.unsqueeze(1); }
    torch::Tensor userFactors() const override { return userBias.unsqueeze(1); }
    void setFit(const BaselineFit& fit, float low, float high);

    ModelSpec spec;
    torch::Tensor userBias, itemBias;
    torch::Tensor scale; // the mean, the lowest and the highest training rating
};

struct KnnModelImpl : RecommenderImpl {
    KnnModelImpl(const ModelSpec& spec, int64_t users, int64_t items);
    torch::Tensor forward(const torch::Tensor& users, const torch::Tensor& items) override;
    // The baseline's biases: a neighbourhood model has no factors.
    torch::Tensor itemFactors() const override { return itemBias.unsqueeze(1); }
    torch::Tensor userFactors() const override { return userBias.unsqueeze(1); }
    bool tablesFollowTheData() const override { return true; }
    void checkLoaded() const override;
    void setTables(const KnnTables& t);
    // A view of the tables on the CPU; `keep` holds the copies where the model is elsewhere.
    KnnView view(std::vector<torch::Tensor>& keep) const;

    ModelSpec spec;
    int64_t users = 0, items = 0;
    torch::Tensor raterOffsets, raters, raterRatings;
    torch::Tensor neighbourOffsets, neighbours, similarities;
    torch::Tensor rowMean, rowSpread, userBias, itemBias;
    torch::Tensor scale; // the mean, the lowest and the highest training rating
};

} // namespace factorscope
