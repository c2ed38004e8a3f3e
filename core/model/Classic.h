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
    bool predictEveryItem(const torch::Tensor& users, torch::Tensor& out) const override;
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

// SVD++ (Koren 2008): mean + bu + bi + q_i . (p_u + |N(u)|^-1/2 sum_{j in N(u)} y_j), N(u) the
// movies u rated in training, clipped to the training ratings' range. Trained by SvdppStep; the
// implicit part of each user's vector is kept up to date in `userImplicit` after each epoch.
struct SvdppModelImpl : RecommenderImpl {
    SvdppModelImpl(const ModelSpec& spec, int64_t users, int64_t items);
    torch::Tensor forward(const torch::Tensor& users, const torch::Tensor& items) override;
    torch::Tensor itemFactors() const override { return item; }
    // What a user's vector is in the dot product: its own factors and the implicit part.
    torch::Tensor userFactors() const override { return user + userImplicit; }
    bool predictEveryItem(const torch::Tensor& users, torch::Tensor& out) const override;
    bool tablesFollowTheData() const override { return true; }
    void checkLoaded() const override;
    // Sets N(u) and the scale from the training ratings (the biases and factors are trained).
    void setRated(const SparseRows& byUser, double mean, float low, float high);
    // userImplicit from the current y.
    void refreshImplicit();

    ModelSpec spec;
    torch::Tensor user, item, implicit, userBias, itemBias; // trained
    torch::Tensor ratedOffsets, rated;                      // N(u), by user
    torch::Tensor userImplicit;                             // |N(u)|^-1/2 sum y_j, per user
    torch::Tensor scale;                                    // the mean, the lowest and the highest training rating
};

} // namespace factorscope
