#include "core/model/AutoRec.h"
#include "core/model/ModelImpl.h"
#include "core/train/Optimizers.h"
#include "core/train/StepPath.h"

#include <algorithm>
#include <random>

namespace factorscope {

AutorecStep::AutorecStep(Model& model, torch::optim::Optimizer& optimizer, const TrainSpec& spec, const Dataset& data,
                         const std::vector<int64_t>& rows)
    : m_net(dynamic_cast<AutoRecModelImpl&>(*model.impl().net)), m_optimizer(optimizer), m_kind(spec.optimizer.kind),
      m_lambda(spec.model.autorecLambda), m_moviesPerBatch(std::max(1, spec.batchSize)), m_seed(spec.seed) {
    const TrainingRatings r = trainingRatings(data, rows);
    const SparseRows byItem = groupRatings(r.triples, static_cast<int32_t>(m_net.code.size(0)), true);
    m_net.setRated(byItem, r.mean, r.low, r.high);
    for (std::size_t i = 0; i + 1 < byItem.offsets.size(); ++i)
        if (byItem.offsets[i + 1] > byItem.offsets[i])
            m_movies.push_back(static_cast<int64_t>(i));
    m_net.refreshCodes();
}

// The batch's predictions at its observed entries, with gradients. Where the batch's movies x
// users block is dense enough (a 64th observed or more: MovieLens 100K's 6 % is), it is built
// and both layers are two matrix products, the observed cells read out of the decoded block;
// else the encoder reads bags and the decoder is read at the observed users only, which never
// builds the block (MovieLens 25M's 0.3 %) but gathers a row of `factors` per rating.
torch::Tensor AutorecStep::predictObserved(const AutoRecModelImpl::Bags& bags, int64_t movies) const {
    const int64_t users = m_net.encoder.size(0), observed = bags.users.size(0);
    if (movies * users <= 64 * observed) {
        const auto cells = bags.bag * users + bags.users;
        const auto x = torch::zeros({movies * users}, bags.ratings.options()).index_put_({cells}, bags.ratings);
        const auto codes = torch::sigmoid(torch::addmm(m_net.encoderBias, x.view({movies, users}), m_net.encoder));
        return torch::addmm(m_net.decoderBias, codes, m_net.decoder.t()).view(-1).index_select(0, cells);
    }
    const auto codes = m_net.encode(bags);
    return (m_net.decoder.index_select(0, bags.users) * codes.index_select(0, bags.bag)).sum(1) +
           m_net.decoderBias.index_select(0, bags.users);
}

double AutorecStep::step(const Dataset&, const int64_t*, int64_t, double lr, std::optional<double> momentum) {
    setLearningRate(m_optimizer, lr);
    if (momentum)
        setMomentum(m_optimizer, m_kind, *momentum);
    std::vector<int64_t> order = m_movies;
    std::mt19937_64 shuffle(m_seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(++m_epoch));
    std::shuffle(order.begin(), order.end(), shuffle);
    const auto device = m_net.encoder.device();
    const double movies = static_cast<double>(std::max<std::size_t>(1, order.size()));
    double sse = 0;
    int64_t seen = 0;
    for (std::size_t a = 0; a < order.size(); a += static_cast<std::size_t>(m_moviesPerBatch)) {
        const std::size_t b = std::min(order.size(), a + static_cast<std::size_t>(m_moviesPerBatch));
        const auto ids = torch::from_blob(order.data() + a, {static_cast<int64_t>(b - a)}, torch::kLong).to(device);
        const AutoRecModelImpl::Bags bags = m_net.bagsOf(ids);
        m_optimizer.zero_grad();
        const auto pred = predictObserved(bags, static_cast<int64_t>(b - a));
        const auto batchSse = (pred - bags.ratings).pow(2).sum();
        const double share = static_cast<double>(b - a) / movies;
        const auto penalty = (m_net.encoder.pow(2).sum() + m_net.decoder.pow(2).sum()) * (0.5 * m_lambda * share);
        (batchSse + penalty).backward();
        m_optimizer.step();
        sse += batchSse.item<double>();
        seen += bags.ratings.size(0);
    }
    return seen ? sse / static_cast<double>(seen) : 0.0;
}

void AutorecStep::endEpoch() { m_net.refreshCodes(); }

} // namespace factorscope
