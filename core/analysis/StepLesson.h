#pragma once
// One step at a time: a dot-product model with biases and two factors per user and movie,
// trained by plain mini-batch gradient descent on a data set's ratings, one batch per call, so
// that a student can follow every number. For a rating r of user u and movie i:
//     prediction p = mu + b_u + b_i + u . v      (mu: the mean rating, fixed)
//     error      e = p - r,   loss = 1/2 e^2     (summed over the batch)
//     gradients    dL/du = e v,  dL/dv = e u,  dL/db_u = dL/db_i = e
// and each parameter moves by -lr times the sum of its gradients over the batch's ratings,
// all taken at the parameters the step started from. No weight decay and no momentum, so the
// update is exactly what the numbers say. Two factors put the movies on a map as they are.
// The lesson keeps its own copy of the ratings: editing one never touches the data set.
#include "core/data/Dataset.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <vector>

namespace factorscope {

struct StepSettings {
    double lr = 0.05;
    int batch = 32;
    double initSpread = 0.1; // factors start normal(0, initSpread); biases at 0
    uint64_t seed = 1;
};

// A user's or a movie's parameters: its two factors, then its bias.
using StepParams = std::array<double, 3>;

// One rating's part in a step, at the parameters the step started from.
struct RatingStep {
    int64_t row = 0; // into the data set's ratings
    int32_t user = 0, item = 0;
    double rating = 0;
    StepParams userBefore{}, itemBefore{};
    double prediction = 0, error = 0;
    StepParams userGradient{}, itemGradient{}; // this rating's part: (e v, e), (e u, e)
};

// A user or movie the step moved: the sum of its ratings' gradients and where it ended.
struct StepMove {
    int32_t id = 0;
    int ratings = 0; // of the batch's ratings, how many are this user's (movie's)
    StepParams before{}, gradient{}, after{};
};

struct StepResult {
    std::vector<RatingStep> ratings; // the batch, in the order drawn
    std::vector<StepMove> users, items;
    double loss = 0; // 1/2 sum e^2 over the batch, before the step
    const StepMove* userMove(int32_t user) const;
    const StepMove* itemMove(int32_t item) const;
};

class StepLesson {
public:
    // Throws SpecError for an empty data set, a batch < 1 or a learning rate <= 0.
    StepLesson(std::shared_ptr<const Dataset> data, const StepSettings& settings);

    // One batch: the next ratings of a shuffled pass (reshuffled after each pass), with the
    // followed rating in place of the last when it is not among them.
    StepResult step();
    int64_t steps() const { return m_steps; }
    double passes() const; // epochs so far: ratings stepped / ratings

    void follow(int64_t row); // throws SpecError out of range
    std::optional<int64_t> followed() const { return m_followed; }
    // The lesson's copy only; throws SpecError for a row out of range or a rating off the scale.
    void setRating(int64_t row, double rating);
    double ratingOf(int64_t row) const { return m_rating[static_cast<std::size_t>(row)]; }
    void setLearningRate(double lr); // from the next step; throws SpecError for lr <= 0

    const Dataset& data() const { return *m_data; }
    double mean() const { return m_mean; }
    const StepParams& user(int32_t u) const { return m_user[static_cast<std::size_t>(u)]; }
    const StepParams& item(int32_t i) const { return m_item[static_cast<std::size_t>(i)]; }
    double predict(int32_t user, int32_t item) const;
    // The user's k highest predictions among the movies they have not rated, best first.
    std::vector<int32_t> topK(int32_t user, int k) const;
    // Root mean squared error over up to 20,000 ratings (the same ones each time).
    double rmse() const;

private:
    std::shared_ptr<const Dataset> m_data;
    StepSettings m_settings;
    std::vector<float> m_rating;
    std::vector<StepParams> m_user, m_item;
    double m_mean = 0;
    std::vector<int64_t> m_order, m_sample;
    std::vector<int64_t> m_ratedOffsets; // per user: the movies they rated, sorted
    std::vector<int32_t> m_rated;
    std::size_t m_cursor = 0;
    int64_t m_steps = 0, m_stepped = 0;
    std::optional<int64_t> m_followed;
    std::mt19937_64 m_rng;
};

} // namespace factorscope
