#include "core/model/FoldIn.h"

#include "core/common/Error.h"
#include "core/model/ModelImpl.h"

#include <Eigen/Dense>

#include <cmath>

namespace factorscope {

namespace {

// The tables with one row per user: "user", "user_bias", "gmf_user", "mlp_user" (Modules.cpp).
bool isUserTable(const std::string& name) { return name.find("user") != std::string::npos; }

// Every parameter and buffer by name.
std::vector<std::pair<std::string, torch::Tensor>> tensorsOf(const RecommenderImpl& net) {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto& p : net.named_parameters(true))
        out.emplace_back(p.key(), p.value());
    for (const auto& b : net.named_buffers(true))
        out.emplace_back(b.key(), b.value());
    return out;
}

// The item side and the network: every tensor but the user tables, copied from `from`.
void copyShared(const RecommenderImpl& from, RecommenderImpl& to) {
    torch::NoGradGuard noGrad;
    const auto source = tensorsOf(from);
    const auto target = tensorsOf(to);
    if (source.size() != target.size())
        throw SpecError("fold-in", "the two models have different layouts");
    for (std::size_t k = 0; k < target.size(); ++k) {
        if (source[k].first != target[k].first || source[k].second.sizes().size() != target[k].second.sizes().size())
            throw SpecError("fold-in", "the two models have different layouts");
        if (!isUserTable(target[k].first)) {
            if (source[k].second.sizes() != target[k].second.sizes())
                throw SpecError("fold-in", "the two models differ in " + target[k].first);
            target[k].second.copy_(source[k].second);
        }
    }
}

std::vector<torch::Tensor> userTables(const RecommenderImpl& net) {
    std::vector<torch::Tensor> out;
    for (const auto& [name, t] : tensorsOf(net))
        if (isUserTable(name))
            out.push_back(t);
    return out;
}

bool solvesExactly(const ModelSpec& spec) { return spec.decomposes() && !spec.useYRange; }

// Dot and dotbias without a y-range: prediction = p . q_i (+ b_u + b_i), linear in (p, b_u).
void solveRidge(Model& small, const std::vector<FoldInUser>& added, double l2) {
    torch::NoGradGuard noGrad;
    auto& net = dynamic_cast<DotModelImpl&>(*small.impl().net);
    const torch::Tensor q = net.item->weight.detach().to(torch::kCPU).contiguous();
    const bool bias = static_cast<bool>(net.userBias);
    const torch::Tensor bi = bias ? net.itemBias->weight.detach().to(torch::kCPU).contiguous() : torch::Tensor();
    const int64_t f = q.size(1), dim = f + (bias ? 1 : 0);
    torch::Tensor p = torch::zeros({static_cast<int64_t>(added.size()), f});
    torch::Tensor bu = torch::zeros({static_cast<int64_t>(added.size()), 1});
    for (std::size_t u = 0; u < added.size(); ++u) {
        const auto& user = added[u];
        const double n = static_cast<double>(user.items.size());
        Eigen::MatrixXd a = Eigen::MatrixXd::Identity(dim, dim) * l2;
        Eigen::VectorXd b = Eigen::VectorXd::Zero(dim);
        Eigen::VectorXd x(dim);
        for (std::size_t k = 0; k < user.items.size(); ++k) {
            const float* row = q.data_ptr<float>() + user.items[k] * f;
            for (int64_t c = 0; c < f; ++c)
                x[c] = row[c];
            double target = user.ratings[k];
            if (bias) {
                x[f] = 1.0;
                target -= bi.data_ptr<float>()[user.items[k]];
            }
            a.noalias() += x * x.transpose() / n;
            b += x * (target / n);
        }
        const Eigen::VectorXd theta = a.ldlt().solve(b);
        for (int64_t c = 0; c < f; ++c)
            p[static_cast<int64_t>(u)][c] = theta[c];
        if (bias)
            bu[static_cast<int64_t>(u)][0] = theta[f];
    }
    net.user->weight.copy_(p.to(net.user->weight.device()));
    if (bias)
        net.userBias->weight.copy_(bu.to(net.userBias->weight.device()));
}

// Everything else: Adam on the user tables alone, the network in evaluation mode (no dropout).
void descend(Model& small, const std::vector<FoldInUser>& added, const FoldInOptions& options) {
    RecommenderImpl& net = *small.impl().net;
    const torch::Device device = small.impl().device;
    std::vector<int64_t> users, items;
    std::vector<float> ratings, weights;
    for (std::size_t u = 0; u < added.size(); ++u)
        for (std::size_t k = 0; k < added[u].items.size(); ++k) {
            users.push_back(static_cast<int64_t>(u));
            items.push_back(added[u].items[k]);
            ratings.push_back(added[u].ratings[k]);
            weights.push_back(1.0f / static_cast<float>(added[u].items.size()));
        }
    const auto longs = torch::TensorOptions().dtype(torch::kLong);
    const auto n = static_cast<int64_t>(ratings.size());
    const torch::Tensor tu = torch::from_blob(users.data(), {n}, longs).to(device);
    const torch::Tensor ti = torch::from_blob(items.data(), {n}, longs).to(device);
    const torch::Tensor tr = torch::from_blob(ratings.data(), {n}).to(device);
    const torch::Tensor tw = torch::from_blob(weights.data(), {n}).to(device);

    const bool wasTraining = net.is_training();
    net.eval();
    for (auto& p : net.parameters())
        p.set_requires_grad(false);
    std::vector<torch::Tensor> tables = userTables(net);
    for (auto& t : tables)
        t.set_requires_grad(true);
    torch::optim::Adam adam(tables, torch::optim::AdamOptions(options.lr));
    for (int step = 0; step < options.steps; ++step) {
        adam.zero_grad();
        torch::Tensor loss = (tw * (net.forward(tu, ti) - tr).pow(2)).sum();
        for (const auto& t : tables)
            loss = loss + options.l2 * t.pow(2).sum();
        loss.backward();
        adam.step();
    }
    for (auto& p : net.parameters())
        p.set_requires_grad(true);
    net.train(wasTraining);
}

} // namespace

std::optional<std::string> whyCannotFoldIn(const ModelSpec& spec) {
    switch (spec.kind) {
    case ModelKind::Dot:
    case ModelKind::DotBias:
    case ModelKind::Linear:
    case ModelKind::Mlp:
    case ModelKind::NeuMF:
        return std::nullopt;
    default:
        return "a " + toString(spec.kind) +
               " model cannot take new users without retraining (its users are not separate learned "
               "vectors); fold in with dot, dotbias, linear, mlp or neumf, or retrain with the new ratings";
    }
}

Model foldInUsers(const Model& model, const std::vector<FoldInUser>& added, const FoldInOptions& options) {
    if (auto why = whyCannotFoldIn(model.spec()))
        throw SpecError("fold-in", *why);
    if (added.empty())
        throw SpecError("fold-in", "no users to fold in");
    for (std::size_t u = 0; u < added.size(); ++u) {
        const auto& user = added[u];
        if (user.items.empty() || user.items.size() != user.ratings.size())
            throw SpecError("fold-in", "new user " + std::to_string(u + 1) + " has no ratings to fit");
        for (std::size_t k = 0; k < user.items.size(); ++k)
            if (user.items[k] < 0 || user.items[k] >= model.items() || !std::isfinite(user.ratings[k]))
                throw SpecError("fold-in",
                                "new user " + std::to_string(u + 1) + ": an item index or rating is invalid");
    }
    Model small(model.spec(), static_cast<int32_t>(added.size()), model.items());
    small.to(model.device());
    RecommenderImpl& net = *small.impl().net;
    copyShared(*model.impl().net, net);
    {
        torch::NoGradGuard noGrad;
        const auto from = userTables(*model.impl().net);
        auto to = userTables(net);
        for (std::size_t k = 0; k < to.size(); ++k) // start from the mean trained user
            to[k].copy_(from[k].mean(0, true).expand_as(to[k]));
    }
    if (!options.fit)
        return small;
    if (options.exact && solvesExactly(model.spec()))
        solveRidge(small, added, options.l2);
    else
        descend(small, added, options);
    return small;
}

Model mergeUsers(const Model& model, const Model& added, const std::vector<int32_t>& sources) {
    if (model.spec().kind != added.spec().kind || model.items() != added.items())
        throw SpecError("fold-in", "the models to merge differ in kind or items");
    const int32_t total = model.users() + added.users();
    for (int32_t s : sources)
        if (s < 0 || s >= total)
            throw SpecError("fold-in", "a merged user's source row is out of range");
    Model out(model.spec(), static_cast<int32_t>(sources.size()), model.items());
    out.to(model.device());
    copyShared(*model.impl().net, *out.impl().net);
    torch::NoGradGuard noGrad;
    const auto a = userTables(*model.impl().net);
    const auto b = userTables(*added.impl().net);
    auto to = userTables(*out.impl().net);
    const torch::Tensor index =
        torch::from_blob(const_cast<int32_t*>(sources.data()), {static_cast<int64_t>(sources.size())}, torch::kInt)
            .to(torch::kLong)
            .to(model.impl().device);
    for (std::size_t k = 0; k < to.size(); ++k)
        to[k].copy_(torch::cat({a[k], b[k].to(a[k].device())}, 0).index_select(0, index));
    return out;
}

} // namespace factorscope
