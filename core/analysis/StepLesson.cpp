#include "core/analysis/StepLesson.h"

#include "core/common/Error.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace factorscope {

namespace {

constexpr std::size_t kRmseSample = 20000;

const StepMove* findMove(const std::vector<StepMove>& moves, int32_t id) {
    for (const StepMove& m : moves)
        if (m.id == id)
            return &m;
    return nullptr;
}

// Sums each id's gradients over the batch and applies them: `params` moves by -lr * sum.
std::vector<StepMove> applyMoves(const std::vector<RatingStep>& batch, bool users, std::vector<StepParams>& params,
                                 double lr) {
    std::map<int32_t, StepMove> moves;
    for (const RatingStep& r : batch) {
        const int32_t id = users ? r.user : r.item;
        StepMove& m = moves[id];
        m.id = id;
        m.before = params[static_cast<std::size_t>(id)];
        ++m.ratings;
        const StepParams& g = users ? r.userGradient : r.itemGradient;
        for (std::size_t k = 0; k < 3; ++k)
            m.gradient[k] += g[k];
    }
    std::vector<StepMove> out;
    for (auto& [id, m] : moves) {
        for (std::size_t k = 0; k < 3; ++k)
            m.after[k] = m.before[k] - lr * m.gradient[k];
        params[static_cast<std::size_t>(id)] = m.after;
        out.push_back(m);
    }
    return out;
}

} // namespace

const StepMove* StepResult::userMove(int32_t user) const { return findMove(users, user); }
const StepMove* StepResult::itemMove(int32_t item) const { return findMove(items, item); }

StepLesson::StepLesson(std::shared_ptr<const Dataset> data, const StepSettings& settings)
    : m_data(std::move(data)), m_settings(settings), m_rng(settings.seed) {
    if (!m_data || m_data->ratings.size() == 0)
        throw SpecError("the data set has no ratings to learn from");
    if (settings.batch < 1)
        throw SpecError("batch", "must be at least 1");
    setLearningRate(settings.lr);
    const Ratings& r = m_data->ratings;
    m_rating = r.rating;
    m_mean = std::accumulate(m_rating.begin(), m_rating.end(), 0.0) / static_cast<double>(m_rating.size());
    std::normal_distribution<double> normal(0.0, settings.initSpread);
    m_user.resize(static_cast<std::size_t>(m_data->users.size()));
    m_item.resize(static_cast<std::size_t>(m_data->items.size()));
    for (auto* table : {&m_user, &m_item})
        for (StepParams& p : *table)
            p = {normal(m_rng), normal(m_rng), 0.0};
    m_order.resize(r.size());
    std::iota(m_order.begin(), m_order.end(), int64_t{0});
    std::shuffle(m_order.begin(), m_order.end(), m_rng);
    m_sample.assign(m_order.begin(), m_order.begin() + static_cast<std::ptrdiff_t>(std::min(kRmseSample, r.size())));
    // The movies each user rated, for topK.
    m_ratedOffsets.assign(m_user.size() + 1, 0);
    for (int32_t u : r.user)
        ++m_ratedOffsets[static_cast<std::size_t>(u) + 1];
    std::partial_sum(m_ratedOffsets.begin(), m_ratedOffsets.end(), m_ratedOffsets.begin());
    m_rated.resize(r.size());
    std::vector<int64_t> fill(m_ratedOffsets.begin(), m_ratedOffsets.end() - 1);
    for (std::size_t k = 0; k < r.size(); ++k)
        m_rated[static_cast<std::size_t>(fill[static_cast<std::size_t>(r.user[k])]++)] = r.item[k];
    for (std::size_t u = 0; u < m_user.size(); ++u)
        std::sort(m_rated.begin() + m_ratedOffsets[u], m_rated.begin() + m_ratedOffsets[u + 1]);
}

void StepLesson::setLearningRate(double lr) {
    if (!(lr > 0) || !std::isfinite(lr))
        throw SpecError("lr", "must be a positive number");
    m_settings.lr = lr;
}

double StepLesson::passes() const { return double(m_stepped) / double(m_rating.size()); }

void StepLesson::follow(int64_t row) {
    if (row < 0 || static_cast<std::size_t>(row) >= m_rating.size())
        throw SpecError("rating", "row " + std::to_string(row) + " is not in the data set");
    m_followed = row;
}

void StepLesson::setRating(int64_t row, double rating) {
    if (row < 0 || static_cast<std::size_t>(row) >= m_rating.size())
        throw SpecError("rating", "row " + std::to_string(row) + " is not in the data set");
    if (!(rating >= m_data->scaleMin && rating <= m_data->scaleMax))
        throw SpecError("rating", "must be from " + std::to_string(m_data->scaleMin).substr(0, 3) + " to " +
                                      std::to_string(m_data->scaleMax).substr(0, 3));
    m_rating[static_cast<std::size_t>(row)] = static_cast<float>(rating);
}

double StepLesson::predict(int32_t u, int32_t i) const {
    const StepParams &a = user(u), &b = item(i);
    return m_mean + a[2] + b[2] + a[0] * b[0] + a[1] * b[1];
}

StepResult StepLesson::step() {
    const Ratings& r = m_data->ratings;
    const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(m_settings.batch), m_order.size());
    std::vector<int64_t> rows;
    while (rows.size() < n) {
        if (m_cursor == m_order.size()) {
            std::shuffle(m_order.begin(), m_order.end(), m_rng);
            m_cursor = 0;
        }
        rows.push_back(m_order[m_cursor++]);
    }
    if (m_followed && std::find(rows.begin(), rows.end(), *m_followed) == rows.end())
        rows.back() = *m_followed;
    StepResult result;
    for (int64_t row : rows) {
        RatingStep s;
        s.row = row;
        s.user = r.user[static_cast<std::size_t>(row)];
        s.item = r.item[static_cast<std::size_t>(row)];
        s.rating = m_rating[static_cast<std::size_t>(row)];
        s.userBefore = user(s.user);
        s.itemBefore = item(s.item);
        s.prediction = predict(s.user, s.item);
        s.error = s.prediction - s.rating;
        s.userGradient = {s.error * s.itemBefore[0], s.error * s.itemBefore[1], s.error};
        s.itemGradient = {s.error * s.userBefore[0], s.error * s.userBefore[1], s.error};
        result.loss += 0.5 * s.error * s.error;
        result.ratings.push_back(s);
    }
    result.users = applyMoves(result.ratings, true, m_user, m_settings.lr);
    result.items = applyMoves(result.ratings, false, m_item, m_settings.lr);
    ++m_steps;
    m_stepped += static_cast<int64_t>(n);
    return result;
}

std::vector<int32_t> StepLesson::topK(int32_t u, int k) const {
    if (u < 0 || static_cast<std::size_t>(u) >= m_user.size())
        throw SpecError("user", "index out of range");
    const auto first = m_rated.begin() + m_ratedOffsets[static_cast<std::size_t>(u)];
    const auto last = m_rated.begin() + m_ratedOffsets[static_cast<std::size_t>(u) + 1];
    std::vector<std::pair<double, int32_t>> scored;
    for (int32_t i = 0; i < static_cast<int32_t>(m_item.size()); ++i)
        if (!std::binary_search(first, last, i))
            scored.emplace_back(predict(u, i), i);
    const auto keep = std::min<std::size_t>(scored.size(), static_cast<std::size_t>(std::max(0, k)));
    std::partial_sort(
        scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(keep), scored.end(),
        [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    std::vector<int32_t> out;
    for (std::size_t j = 0; j < keep; ++j)
        out.push_back(scored[j].second);
    return out;
}

double StepLesson::rmse() const {
    const Ratings& r = m_data->ratings;
    double sum = 0;
    for (int64_t row : m_sample) {
        const auto k = static_cast<std::size_t>(row);
        const double e = predict(r.user[k], r.item[k]) - m_rating[k];
        sum += e * e;
    }
    return std::sqrt(sum / static_cast<double>(m_sample.size()));
}

} // namespace factorscope
