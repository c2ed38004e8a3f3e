#include "core/train/FusedTrainer.h"

#include "core/common/Error.h"
#include "core/common/SimdClones.h"
#include "core/data/Dataset.h"
#include "core/model/ModelImpl.h"
#include "core/train/FusedKernels.h"
#include "core/train/FusedSide.h"
#include "core/train/PairTeam.h"
#include "core/train/Threads.h"

#include <algorithm>
#include <cmath>

namespace factorscope {

bool fusedPathApplies(const TrainSpec& spec) {
    return (spec.model.kind == ModelKind::Dot || spec.model.kind == ModelKind::DotBias) && spec.device == "cpu";
}

bool takesFusedPath(const TrainSpec& spec) { return spec.engine != Engine::General && fusedPathApplies(spec); }

using fused::forRow;
using fused::kAhead;
using fused::prefetchRow;
using fused::prefetchUpdate;
using fused::Side;

FusedTrainer::FusedTrainer(Model& model, const TrainSpec& spec, Layout layout) {
    auto& net = dynamic_cast<DotModelImpl&>(*model.impl().net);
    const int64_t k = spec.model.factors;
    for (auto* t : {&net.user->weight, &net.item->weight})
        if (!t->is_contiguous() || t->scalar_type() != torch::kFloat || !t->device().is_cpu())
            throw std::logic_error("fused path: embeddings must be contiguous float tensors on the CPU");
    const bool biased = static_cast<bool>(net.userBias);
    // What the touched rows live in (weights, two blocks of state, at about k + 1 floats each):
    // past the caches, the sides split over two threads and the weights get a table of their own.
    m_tableBytes = static_cast<int64_t>(model.users() + model.items()) * (k + 1) * 4 * 3;
    const bool packed = layout == Layout::Auto ? m_tableBytes <= kCacheBytes : layout == Layout::Packed;
    m_sides[0] =
        std::make_unique<Side>(net.user->weight.data_ptr<float>(),
                               biased ? net.userBias->weight.data_ptr<float>() : nullptr, model.users(), k, 0, packed);
    m_sides[1] =
        std::make_unique<Side>(net.item->weight.data_ptr<float>(),
                               biased ? net.itemBias->weight.data_ptr<float>() : nullptr, model.items(), k, 1, packed);
    setSpec(spec);
}

void FusedTrainer::pullWeights() {
    for (auto& side : m_sides)
        side->pull();
}

void FusedTrainer::pushWeights() const {
    for (const auto& side : m_sides)
        side->push();
}

FusedTrainer::~FusedTrainer() = default;

namespace {

template <class T> torch::Tensor toTensor(const std::vector<T>& v, torch::ScalarType type) {
    return torch::from_blob(const_cast<T*>(v.data()), {static_cast<int64_t>(v.size())}, type).clone();
}

template <class T> void fromTensor(const torch::Tensor& t, std::vector<T>& out, std::size_t expected,
                                   torch::ScalarType type, const std::string& name) {
    if (t.scalar_type() != type || t.dim() != 1 || static_cast<std::size_t>(t.numel()) != expected)
        throw CheckpointError("the optimiser state \"" + name + "\" does not fit the model (" +
                              std::to_string(t.numel()) + " values, " + std::to_string(expected) + " expected)");
    const auto c = t.contiguous();
    out.assign(c.data_ptr<T>(), c.data_ptr<T>() + expected);
}

const char* const kTableState[] = {"s1", "s2", "log_decay_at", "updated_at"};

} // namespace

std::vector<std::string> FusedTrainer::stateNames() {
    std::vector<std::string> names = {"fused.step", "fused.log_decay", "fused.rates", "fused.rates_from"};
    for (int t = 0; t < 4; ++t)
        for (const char* part : kTableState)
            names.push_back("fused.t" + std::to_string(t) + "." + part);
    return names;
}

// Tables t0..t3 are the user and item factors, then the user and item biases; the row state a
// side's factors and bias share (decay sum, step of the last update) is written with its factors.
FusedTrainer::NamedTensors FusedTrainer::state() const {
    NamedTensors out = {{"fused.step", torch::tensor(m_step, torch::kLong)},
                        {"fused.log_decay", torch::tensor(m_logDecay, torch::kDouble)}};
    if (!m_ring.empty()) { // Adam/AdamW: the recent steps' rates, so a resumed run coasts exactly
        std::vector<double> rates;
        for (const StepRates& r : m_ring)
            rates.insert(rates.end(), {r.stepSize, r.beta1, r.decay, r.epsHat});
        out.emplace_back("fused.rates", toTensor(rates, torch::kDouble));
        out.emplace_back("fused.rates_from", torch::tensor(m_ringFrom, torch::kLong));
    }
    for (int t = 0; t < 4; ++t) {
        const Side& side = *m_sides[t % 2];
        const bool bias = t >= 2;
        if (bias && !side.modelB)
            continue;
        const std::string prefix = "fused.t" + std::to_string(t) + ".";
        for (int b = 0; b < side.blocks; ++b)
            out.emplace_back(prefix + kTableState[b], toTensor(side.stateTable(b, bias), torch::kFloat));
        if (bias)
            continue;
        if (!side.logDecayAt.empty())
            out.emplace_back(prefix + "log_decay_at", toTensor(side.logDecayAt, torch::kDouble));
        if (!side.updatedAt.empty())
            out.emplace_back(prefix + "updated_at", toTensor(side.updatedAt, torch::kLong));
    }
    return out;
}

void FusedTrainer::setState(const NamedTensors& state) {
    // The blocks of state per row each side needs: one for s1, two with s2.
    int blocks[2] = {0, 0};
    for (const auto& entry : state)
        for (int t = 0; t < 4; ++t)
            for (int b = 0; b < 2; ++b)
                if (entry.first == "fused.t" + std::to_string(t) + "." + kTableState[b])
                    blocks[t % 2] = std::max(blocks[t % 2], b + 1);
    for (int side = 0; side < 2; ++side)
        if (blocks[side] > 0)
            m_sides[side]->allocState(blocks[side]);
    int64_t ringFrom = -1;
    for (const auto& [name, value] : state) {
        if (name == "fused.step" || name == "fused.log_decay" || name == "fused.rates_from") {
            if (value.numel() != 1)
                throw CheckpointError("the optimiser state \"" + name + "\" is not a single number");
            if (name == "fused.step")
                m_step = value.item<int64_t>();
            else if (name == "fused.log_decay")
                m_logDecay = value.item<double>();
            else
                ringFrom = value.item<int64_t>();
            continue;
        }
        if (name == "fused.rates") {
            std::vector<double> rates;
            fromTensor(value, rates, (kCoastTable + 1) * 4, torch::kDouble, name);
            m_ring.resize(kCoastTable + 1);
            for (std::size_t i = 0; i < m_ring.size(); ++i)
                m_ring[i] = {rates[4 * i], rates[4 * i + 1], rates[4 * i + 2], rates[4 * i + 3]};
            continue;
        }
        const int t = name.size() > 9 && name.compare(0, 7, "fused.t") == 0 ? name[7] - '0' : -1;
        Side* side = t >= 0 && t < 4 ? m_sides[t % 2].get() : nullptr;
        const bool bias = t >= 2;
        if (!side || (bias && !side->modelB))
            throw CheckpointError("the optimiser state \"" + name + "\" does not fit the model");
        const std::string part = name.substr(9);
        const auto rows = static_cast<std::size_t>(side->rows);
        if (part == "s1" || part == "s2") {
            std::vector<float> table;
            fromTensor(value, table, rows * static_cast<std::size_t>(bias ? 1 : side->k), torch::kFloat, name);
            side->setStateTable(part == "s1" ? 0 : 1, bias, table);
        } else if (part == "log_decay_at") {
            std::vector<double> copy; // older checkpoints kept a copy per bias table: checked, not needed
            fromTensor(value, bias ? copy : side->logDecayAt, rows, torch::kDouble, name);
        } else if (part == "updated_at") {
            std::vector<int64_t> copy;
            fromTensor(value, bias ? copy : side->updatedAt, rows, torch::kLong, name);
        } else {
            throw CheckpointError("the optimiser state \"" + name + "\" is not one Factorscope writes");
        }
    }
    // Without the recent rates (older checkpoints) the steps before the restore are not known.
    if (ringFrom > m_step + 1 || (ringFrom >= 0 && ringFrom < 1))
        throw CheckpointError("the optimiser state \"fused.rates_from\" is past the step count");
    m_ringFrom = ringFrom >= 0 && m_ring.size() == kCoastTable + 1 ? ringFrom : m_step + 1;
}

void FusedTrainer::setSpec(const TrainSpec& spec) {
    // Another optimiser (or beta2): the recent steps' rates no longer describe the state.
    if (spec.optimizer.kind != m_spec.optimizer.kind || spec.optimizer.beta2 != m_spec.optimizer.beta2)
        m_ringFrom = m_step + 1;
    m_spec = spec;
    m_threads = fusedThreadsFor(spec);
    m_helperCore = helperMayUseSpareCore(spec);
}

bool FusedTrainer::splitsSides() const { return m_threads > 1; }

bool FusedTrainer::leavesCoreFree() const { return m_helperCore && !splitsSides() && m_tableBytes <= kCacheBytes; }

// One batch as the passes read it: the gathered ratings, the two tables' weights and the
// loss's constants. Its members are inlined into whichever SIMD clone calls them.
struct FusedTrainer::BatchView {
    const int64_t* rows;
    const int32_t* users;
    const int32_t* items;
    const float* targets;
    int32_t* bu;
    int32_t* bi;
    float* by;
    const float* uw;
    const float* iw;
    int64_t width, us, is, n;
    bool yRange;
    float lo, span, scale;

    // The batch's ratings sit at random places in the columns: gathered first, in a loop of
    // independent loads the CPU overlaps, so the passes below read them in order.
    FS_INLINE void gather(int64_t b) const {
        const int64_t r = rows[b];
        bu[b] = users[r];
        bi[b] = items[r];
        by[b] = targets[r];
    }
    // d loss / d raw score of one rating; adds its squared error.
    FS_INLINE float lossGradient(int64_t b, double& sumSq) const {
        const int32_t u = bu[b], i = bi[b];
        const float raw = fused::dot(uw + u * us, iw + i * is, width);
        float pred = raw, dpred = 1;
        if (yRange) {
            const float sg = 1.0f / (1.0f + std::exp(-raw));
            pred = lo + span * sg;
            dpred = span * sg * (1 - sg);
        }
        const float err = pred - by[b];
        sumSq += static_cast<double>(err) * err;
        return scale * err * dpred;
    }
};

FS_SIMD_CLONES double FusedTrainer::step(const Dataset& data, const int64_t* rows, int64_t n, double lr,
                                         double momentum) {
    torch::NoGradGuard noGrad;
    beginStep(lr, momentum);
    const ModelSpec& ms = m_spec.model;
    Side& U = *m_sides[0];
    Side& V = *m_sides[1];
    const auto nn = static_cast<std::size_t>(n);
    m_g.resize(nn);
    m_batchUsers.resize(nn);
    m_batchItems.resize(nn);
    m_batchTargets.resize(nn);
    // The records, in locals: the stores below cannot be taken to move them. A row's weights
    // block holds its factors, bias and constant 1 (FusedSide.h): the dot product over it is
    // the raw prediction with both biases.
    const BatchView bv{rows,
                       data.ratings.user.data(),
                       data.ratings.item.data(),
                       data.ratings.rating.data(),
                       m_batchUsers.data(),
                       m_batchItems.data(),
                       m_batchTargets.data(),
                       U.row(0),
                       V.row(0),
                       U.width,
                       U.stride(),
                       V.stride(),
                       n,
                       ms.useYRange,
                       static_cast<float>(ms.yMin),
                       static_cast<float>(ms.yMax - ms.yMin),
                       2.0f / static_cast<float>(n)}; // MSE over the batch
    U.beginBatch(n);
    V.beginBatch(n);
    double sse = 0;
    // Splitting by side makes each touched row move between the cores' caches every batch.
    // That costs more than it saves while the tables fit in cache (MovieLens 100K: 1 thread
    // ran 7.8 M ratings/s, 2 threads 4.4 M/s at batch 1024); once they do not (millions of
    // ratings), memory latency dominates and the second core pays (5 M ratings: +22 %).
    const bool parallel = splitsSides() && n >= 256;

    if (!parallel) {
        for (int64_t b = 0; b < n; ++b)
            bv.gather(b);
        // One pass: prediction, loss gradient and both sides' gradients per rating, reading
        // each pair of rows once. The weights change only in the update after the loop.
        for (int64_t b = 0; b < n; ++b) {
            if (b + kAhead < n) { // the rows are random: ask for those a few ratings ahead
                const int32_t u = bv.bu[b + kAhead], i = bv.bi[b + kAhead];
                prefetchRow(bv.uw + u * bv.us, bv.width);
                prefetchRow(bv.iw + i * bv.is, bv.width);
                __builtin_prefetch(U.markOf(u));
                __builtin_prefetch(V.markOf(i));
            }
            const int32_t u = bv.bu[b], i = bv.bi[b];
            const float* pu = bv.uw + u * bv.us;
            const float* qi = bv.iw + i * bv.is;
            const float g = bv.lossGradient(b, sse);
            uint32_t keepU = 0, keepI = 0;
            float* gu = U.touch(u, m_step, keepU);
            float* gi = V.touch(i, m_step, keepI);
            fused::accumulate(gu, g, qi, bv.width, keepU);
            fused::accumulate(gi, g, pu, bv.width, keepI);
        }
        updateSide(U, lr, momentum);
        updateSide(V, lr, momentum);
    } else {
        if (!m_team)
            m_team = std::make_unique<PairTeam>();
        double partial[2] = {0, 0};
        const PairTeam::Job job = [&](int tid, PairTeam& team) { stepSide(tid, team, bv, lr, momentum, partial[tid]); };
        m_team->run(job);
        sse = partial[0] + partial[1];
    }
    endStep(lr);
    return sse / static_cast<double>(n);
}

void FusedTrainer::beginStep(double lr, double momentum) {
    ++m_step;
    allocateState(momentum); // first: it may move the records
    prepareStep(lr, momentum);
}

void FusedTrainer::endStep(double lr) {
    if (m_spec.optimizer.kind == OptimizerKind::AdamW)
        m_logDecay += std::log1p(-lr * m_spec.optimizer.weightDecay);
}

// Thread `tid`'s part of a step split by side (0: users, 1: items), in three phases with a sync
// after each: half of the gather, half of the loss gradients, then its own side's gradients
// (reading both tables, writing its own) and the update of its own rows. The sync before the
// update keeps the other side's reads of phase 3 before any write. Cloned like step(), so
// both paths run the same instructions and round alike.
FS_SIMD_CLONES void FusedTrainer::stepSide(int tid, PairTeam& team, const BatchView& bv, double lr, double momentum,
                                           double& sse) {
    const int64_t n = bv.n, mid = n / 2, from = tid == 0 ? 0 : mid, to = tid == 0 ? mid : n;
    for (int64_t b = from; b < to; ++b)
        bv.gather(b);
    team.sync();    // the gradients read the other half's gathered ratings too
    double sum = 0; // a local sum: the two threads adding into one line would share it
    for (int64_t b = from; b < to; ++b)
        m_g[b] = bv.lossGradient(b, sum);
    sse = sum;
    team.sync();
    Side& own = *m_sides[tid];
    const Side& other = *m_sides[1 - tid];
    const int32_t* ownIdx = tid == 0 ? bv.bu : bv.bi;
    const int32_t* otherIdx = tid == 0 ? bv.bi : bv.bu;
    for (int64_t b = 0; b < n; ++b) {
        uint32_t keep = 0;
        float* g = own.touch(ownIdx[b], m_step, keep);
        fused::accumulate(g, m_g[b], other.row(otherIdx[b]), bv.width, keep);
    }
    team.sync();
    updateSide(own, lr, momentum);
}

namespace {

// SGD's momentum at a step: the schedule's, where it has one and the spec uses momentum.
float sgdMomentum(const OptimizerSpec& o, double scheduled) {
    return static_cast<float>(std::isfinite(scheduled) && o.momentum > 0 ? scheduled : o.momentum);
}

} // namespace

// Before a step's gradient pass (which holds pointers into the records): the state blocks the
// optimiser's update below uses. Plain SGD leaves any state there is alone; Adam's are made
// with its rates (prepareStep).
void FusedTrainer::allocateState(double momentum) {
    const OptimizerSpec& o = m_spec.optimizer;
    int blocks = 0;
    if (o.kind == OptimizerKind::Sgd)
        blocks = sgdMomentum(o, momentum) > 0 ? 1 : 0;
    else if (o.kind == OptimizerKind::Adagrad)
        blocks = 1;
    else if (o.kind == OptimizerKind::RmsProp)
        blocks = o.momentum > 0 ? 2 : 1;
    if (blocks > 0)
        for (auto& side : m_sides)
            side->allocState(blocks);
}

FS_SIMD_CLONES void FusedTrainer::updateSide(Side& side, double lrD, double momentumD) {
    const OptimizerSpec& o = m_spec.optimizer;
    const float lr = static_cast<float>(lrD);
    const float wd = static_cast<float>(o.weightDecay);
    const float eps = static_cast<float>(o.eps);
    const int64_t width = side.width;
    const int64_t touched = side.touchedCount();
    switch (o.kind) {
    case OptimizerKind::Sgd: {
        const float mu = sgdMomentum(o, momentumD);
        // One loop per variant: a test on mu or nesterov inside the loop kept it from vectorising.
        // The step is cg * g + cm * m: Nesterov's g + mu * m, or plain momentum's m.
        const float cg = o.nesterov ? 1.0f : 0.0f, cm = o.nesterov ? mu : 1.0f;
        if (mu > 0) {
            for (int64_t j = 0; j < touched; ++j) {
                prefetchUpdate(side, j);
                forRow(side, j, [&](float* w, const float* g, float* m, int64_t c) {
#pragma omp simd
                    for (int64_t f = 0; f < c; ++f) {
                        const float gf = g[f] + wd * w[f];
                        m[f] = mu * m[f] + gf;
                        w[f] -= lr * (cg * gf + cm * m[f]);
                    }
                });
            }
        } else {
            for (int64_t j = 0; j < touched; ++j) {
                prefetchUpdate(side, j);
                forRow(side, j, [&](float* w, const float* g, float*, int64_t c) {
#pragma omp simd
                    for (int64_t f = 0; f < c; ++f)
                        w[f] -= lr * (g[f] + wd * w[f]);
                });
            }
        }
        break;
    }
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW:
        updateAdam(side, lrD, momentumD);
        break;
    case OptimizerKind::Adagrad:
        for (int64_t j = 0; j < touched; ++j) {
            prefetchUpdate(side, j);
            forRow(side, j, [&](float* w, const float* g, float* s, int64_t c) {
#pragma omp simd
                for (int64_t f = 0; f < c; ++f) {
                    const float gf = g[f] + wd * w[f];
                    s[f] += gf * gf;
                    w[f] -= lr * gf / (std::sqrt(s[f]) + eps);
                }
            });
        }
        break;
    case OptimizerKind::RmsProp: {
        const float mu = static_cast<float>(o.momentum);
        const float alpha = 0.99f; // LibTorch's default smoothing constant
        for (int64_t j = 0; j < touched; ++j) {
            prefetchUpdate(side, j);
            forRow(side, j, [&](float* w, const float* g, float* s, int64_t c) {
                float* b = s + width; // the momentum buffer, when there is one
#pragma omp simd
                for (int64_t f = 0; f < c; ++f) {
                    const float gf = g[f] + wd * w[f];
                    s[f] = alpha * s[f] + (1 - alpha) * gf * gf;
                    const float step = gf / (std::sqrt(s[f]) + eps);
                    if (mu > 0) {
                        b[f] = mu * b[f] + step;
                        w[f] -= lr * b[f];
                    } else {
                        w[f] -= lr * step;
                    }
                }
            });
        }
        break;
    }
    }
}

} // namespace factorscope
