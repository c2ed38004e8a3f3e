#include "core/train/ClosedForm.h"

#include "core/model/Classic.h"
#include "core/model/ModelImpl.h"

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <algorithm>

namespace factorscope {

namespace {

// The tables are filled on the CPU, then copied to the model's device.
void fitPopularity(DotModelImpl& net, const Dataset& data, const std::vector<int64_t>& positives) {
    net.user->weight.fill_(1.0f);
    auto table = torch::zeros(net.item->weight.sizes(), torch::kFloat);
    auto counts = table.accessor<float, 2>();
    for (int64_t r : positives)
        counts[data.ratings.item[static_cast<std::size_t>(r)]][0] += 1;
    net.item->weight.copy_(table);
}

void fitEase(DotModelImpl& net, const Dataset& data, const std::vector<int64_t>& positives, double lambda) {
    auto x = torch::zeros(net.user->weight.sizes(), torch::kFloat); // users x items: the positives
    auto xs = x.accessor<float, 2>();
    for (int64_t r : positives) {
        const auto row = static_cast<std::size_t>(r);
        xs[data.ratings.user[row]][data.ratings.item[row]] = 1;
    }
    const int64_t items = x.size(1);
    // The Gram matrix: counts of co-rated pairs, exact in float below 2^24 users.
    const torch::Tensor gram = torch::matmul(x.t(), x).to(torch::kDouble).contiguous();
    Eigen::MatrixXd g = Eigen::Map<const Eigen::MatrixXd>(gram.data_ptr<double>(), items, items);
    g.diagonal().array() += lambda;
    // Positive definite for lambda > 0 (and for lambda 0 when every item has a positive).
    const Eigen::MatrixXd p = g.llt().solve(Eigen::MatrixXd::Identity(items, items));
    auto table = torch::empty({items, items}, torch::kFloat);
    auto b = table.accessor<float, 2>(); // row j: column j of B
    for (int64_t j = 0; j < items; ++j)
        for (int64_t i = 0; i < items; ++i)
            b[j][i] = i == j ? 0.0f : static_cast<float>(-p(i, j) / p(j, j));
    net.user->weight.copy_(x);
    net.item->weight.copy_(table);
}

RatingTriples triplesOf(const Dataset& data, const std::vector<int64_t>& rows) {
    RatingTriples t;
    t.user.reserve(rows.size());
    t.item.reserve(rows.size());
    t.rating.reserve(rows.size());
    for (int64_t r : rows) {
        const auto row = static_cast<std::size_t>(r);
        t.user.push_back(data.ratings.user[row]);
        t.item.push_back(data.ratings.item[row]);
        t.rating.push_back(data.ratings.rating[row]);
    }
    return t;
}

// The classic predictors, fitted to every training rating.
void fitClassic(Model& model, const Dataset& data, const std::vector<int64_t>& rows) {
    const RatingTriples t = triplesOf(data, rows);
    const ModelSpec& spec = model.spec();
    if (spec.kind == ModelKind::Knn) {
        dynamic_cast<KnnModelImpl&>(*model.impl().net).setTables(fitKnn(t, model.users(), model.items(), spec));
        return;
    }
    const auto [low, high] = std::minmax_element(t.rating.begin(), t.rating.end());
    dynamic_cast<BaselineModelImpl&>(*model.impl().net)
        .setFit(fitBaseline(t, model.users(), model.items(), spec), t.size() ? *low : 0.0f, t.size() ? *high : 0.0f);
}

} // namespace

void fitClosedForm(Model& model, const Dataset& data, const std::vector<int64_t>& positives) {
    torch::NoGradGuard noGrad;
    if (model.spec().classic())
        return fitClassic(model, data, positives);
    auto& net = dynamic_cast<DotModelImpl&>(*model.impl().net);
    switch (model.spec().kind) {
    case ModelKind::Popularity:
        fitPopularity(net, data, positives);
        break;
    case ModelKind::Ease:
        fitEase(net, data, positives, model.spec().easeLambda);
        break;
    default: // random: the tables are the scores
        break;
    }
}

} // namespace factorscope
