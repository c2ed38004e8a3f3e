#pragma once
// I-AutoRec (Sedhain, Menon, Sanner and Xie, "AutoRec: Autoencoders Meet Collaborative
// Filtering", WWW 2015): each movie's column of training ratings (one entry per user, empty where
// the user did not rate it) is encoded into `factors` sigmoid units and decoded back into one
// rating per user; the objective counts the observed ratings only (core/train/AutorecStep.cpp).
// The movie's code is its factor vector, the decoder's row of a user theirs: a prediction is
// decoder[u] . code[i] + offset[u], clipped to the training ratings' range. Internal to core.
#include "core/model/Modules.h"
#include "core/model/Neighbourhood.h"

namespace factorscope {

struct AutoRecModelImpl : RecommenderImpl {
    AutoRecModelImpl(const ModelSpec& spec, int64_t users, int64_t items);
    torch::Tensor forward(const torch::Tensor& users, const torch::Tensor& items) override;
    torch::Tensor itemFactors() const override { return code; }
    torch::Tensor userFactors() const override { return decoder; }
    bool predictEveryItem(const torch::Tensor& users, torch::Tensor& out) const override;
    bool tablesFollowTheData() const override { return true; }
    void checkLoaded() const override;

    // Sets the training ratings by movie and the scale. A model that has seen none yet starts
    // its offsets at the mean, so a user with no training rating is predicted the mean.
    void setRated(const SparseRows& byItem, double mean, float low, float high);
    // The training ratings of `items` (int64, on the model's device) as bags: for each entry its
    // user, rating and bag (the position of its movie in `items`), and where each bag starts.
    struct Bags {
        torch::Tensor users, ratings, bag, starts;
    };
    Bags bagsOf(const torch::Tensor& items) const;
    // The codes of those movies, with gradients to the encoder: sigmoid(sum over the bag of
    // r_ui encoder[u] + encoderBias).
    torch::Tensor encode(const Bags& bags) const;
    // `code` for every movie from the current encoder, after an epoch or a load.
    void refreshCodes();

    ModelSpec spec;
    torch::Tensor encoder, encoderBias, decoder, decoderBias; // trained: [users, f], [f], [users, f], [users]
    torch::Tensor raterOffsets, raters, raterRatings;         // the training ratings, by movie
    torch::Tensor code;                                       // [items, f], from the encoder
    torch::Tensor scale;                                      // the mean, the lowest and the highest training rating
};

} // namespace factorscope
