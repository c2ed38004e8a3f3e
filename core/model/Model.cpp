#include "core/model/Model.h"

#include "core/common/Error.h"
#include "core/model/AutoRec.h"
#include "core/model/Classic.h"
#include "core/model/ModelImpl.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace factorscope {

Model::Model(const ModelSpec& spec, int32_t users, int32_t items, uint64_t seed) : m_impl(std::make_unique<Impl>()) {
    if (users < 1 || items < 1)
        throw SpecError("model", "needs at least one user and one item");
    m_impl->spec = spec;
    m_impl->users = users;
    m_impl->items = items;
    torch::manual_seed(seed);
    m_impl->net = makeRecommender(spec, users, items);
}

Model::~Model() = default;
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;

const ModelSpec& Model::spec() const { return m_impl->spec; }
int32_t Model::users() const { return m_impl->users; }
int32_t Model::items() const { return m_impl->items; }

int64_t Model::parameterCount() const {
    int64_t n = 0;
    for (const auto& p : m_impl->net->parameters())
        n += p.numel();
    return n;
}

std::vector<std::string> availableDevices() {
    std::vector<std::string> out = {"cpu"};
    if (torch::cuda::is_available())
        out.push_back("cuda");
    return out;
}

torch::Device parseDevice(const std::string& device) {
    if (device == "cpu")
        return torch::kCPU;
    if (device == "cuda" || device.rfind("cuda:", 0) == 0) {
        if (!torch::cuda::is_available())
            throw DeviceError("device " + device +
                              ": this LibTorch has no CUDA or sees no GPU; use --device cpu, or build "
                              "against the CUDA LibTorch (-DCMAKE_PREFIX_PATH=/path/to/libtorch)");
        try {
            return torch::Device(device);
        } catch (const c10::Error&) {
            throw DeviceError("device " + device + ": not a valid CUDA device name (use cuda or cuda:0)");
        }
    }
    throw DeviceError("device " + device + ": unknown (use cpu or cuda)");
}

void checkDevice(const std::string& device) { (void)parseDevice(device); }

void Model::to(const std::string& device) {
    m_impl->device = parseDevice(device);
    m_impl->net->to(m_impl->device);
}

std::string Model::device() const { return m_impl->device.str(); }

std::vector<float> Model::predict(const std::vector<int32_t>& users, const std::vector<int32_t>& items) const {
    if (users.size() != items.size())
        throw SpecError("predict", "as many users as items are needed");
    for (std::size_t k = 0; k < users.size(); ++k)
        if (users[k] < 0 || users[k] >= m_impl->users || items[k] < 0 || items[k] >= m_impl->items)
            throw SpecError("predict", "user or item index out of range");
    std::vector<float> out(users.size());
    if (users.empty())
        return out;
    torch::NoGradGuard noGrad;
    const bool wasTraining = m_impl->net->is_training();
    m_impl->net->eval();
    const int64_t n = static_cast<int64_t>(users.size());
    const int64_t chunk = 1 << 16;
    for (int64_t s = 0; s < n; s += chunk) {
        const int64_t e = std::min(n, s + chunk);
        auto u = torch::from_blob(const_cast<int32_t*>(users.data()) + s, {e - s}, torch::kInt32)
                     .to(m_impl->device, torch::kLong);
        auto i = torch::from_blob(const_cast<int32_t*>(items.data()) + s, {e - s}, torch::kInt32)
                     .to(m_impl->device, torch::kLong);
        auto p = m_impl->net->forward(u, i).to(torch::kCPU, torch::kFloat).contiguous();
        std::memcpy(out.data() + s, p.data_ptr<float>(), sizeof(float) * static_cast<std::size_t>(e - s));
    }
    if (wasTraining)
        m_impl->net->train();
    return out;
}

bool Model::rankScores(const std::vector<int32_t>& users, float* out) const {
    const int32_t items = m_impl->items;
    for (int32_t u : users)
        if (u < 0 || u >= m_impl->users)
            throw SpecError("predict", "user index out of range");
    if (users.empty())
        return true;
    torch::NoGradGuard noGrad;
    const auto n = static_cast<int64_t>(users.size());
    const auto idx =
        torch::from_blob(const_cast<int32_t*>(users.data()), {n}, torch::kInt32).to(m_impl->device, torch::kLong);
    auto target = torch::from_blob(out, {n, items}, torch::kFloat);
    // Written straight into `out` on the CPU: no copy of a block that may be tens of MB.
    auto scores = m_impl->device.is_cpu() ? target : torch::empty({n, items}, target.options().device(m_impl->device));
    const auto finish = [&] {
        if (!m_impl->device.is_cpu())
            target.copy_(scores);
    };
    if (const auto* dot = dynamic_cast<const DotModelImpl*>(m_impl->net.get())) {
        const auto u = dot->user->weight.index_select(0, idx);
        if (dot->userBias)
            torch::addmm_out(scores, dot->itemBias->weight.t(), u, dot->item->weight.t())
                .add_(dot->userBias->weight.index_select(0, idx));
        else
            torch::matmul_out(scores, u, dot->item->weight.t());
        finish();
        return true;
    }
    if (m_impl->net->predictEveryItem(idx, scores)) { // svdpp, autorec, baseline: one product or one sum
        finish();
        return false;
    }
    std::vector<int32_t> us, is;
    us.reserve(users.size() * static_cast<std::size_t>(items));
    is.reserve(us.capacity());
    for (int32_t u : users)
        for (int32_t i = 0; i < items; ++i) {
            us.push_back(u);
            is.push_back(i);
        }
    const std::vector<float> p = predict(us, is);
    std::copy(p.begin(), p.end(), out);
    return false;
}

double Model::outputOf(double raw) const {
    const ModelSpec& s = m_impl->spec;
    if (!s.useYRange || !dynamic_cast<const DotModelImpl*>(m_impl->net.get()))
        return raw;
    return s.yMin + (s.yMax - s.yMin) / (1.0 + std::exp(-raw));
}

std::vector<float> Model::predictAll(const std::vector<int32_t>& users) const {
    std::vector<float> out(users.size() * static_cast<std::size_t>(m_impl->items));
    if (rankScores(users, out.data()))
        for (float& v : out)
            v = static_cast<float>(outputOf(v));
    return out;
}

static Matrix toMatrix(const torch::Tensor& t) {
    auto c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
    Matrix m;
    m.rows = c.size(0);
    m.cols = c.size(1);
    m.values.assign(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    return m;
}

Matrix Model::itemFactors() const { return toMatrix(m_impl->net->itemFactors()); }
Matrix Model::userFactors() const { return toMatrix(m_impl->net->userFactors()); }

static std::vector<float> rowOf(const torch::Tensor& table, int32_t row) {
    if (row < 0 || row >= table.size(0))
        throw SpecError("factor row " + std::to_string(row) + " is out of range (0 to " +
                        std::to_string(table.size(0) - 1) + ")");
    return toMatrix(table.index({row}).unsqueeze(0)).values;
}

std::vector<float> Model::itemFactor(int32_t item) const { return rowOf(m_impl->net->itemFactors(), item); }
std::vector<float> Model::userFactor(int32_t user) const { return rowOf(m_impl->net->userFactors(), user); }

static std::vector<float> biasesOf(const RecommenderImpl& net, bool users) {
    if (const auto* dot = dynamic_cast<const DotModelImpl*>(&net))
        return dot->userBias ? toMatrix(users ? dot->userBias->weight : dot->itemBias->weight).values
                             : std::vector<float>();
    if (const auto* b = dynamic_cast<const BaselineModelImpl*>(&net))
        return toMatrix((users ? b->userBias : b->itemBias).unsqueeze(1)).values;
    if (const auto* k = dynamic_cast<const KnnModelImpl*>(&net))
        return toMatrix((users ? k->userBias : k->itemBias).unsqueeze(1)).values;
    if (const auto* v = dynamic_cast<const SvdppModelImpl*>(&net))
        return toMatrix((users ? v->userBias : v->itemBias).unsqueeze(1)).values;
    if (const auto* a = dynamic_cast<const AutoRecModelImpl*>(&net); a && users)
        return toMatrix(a->decoderBias.unsqueeze(1)).values;
    return {};
}

double Model::ratingMean() const {
    const RecommenderImpl* net = m_impl->net.get();
    torch::Tensor scale;
    if (const auto* b = dynamic_cast<const BaselineModelImpl*>(net))
        scale = b->scale;
    else if (const auto* k = dynamic_cast<const KnnModelImpl*>(net))
        scale = k->scale;
    else if (const auto* v = dynamic_cast<const SvdppModelImpl*>(net))
        scale = v->scale;
    else if (const auto* a = dynamic_cast<const AutoRecModelImpl*>(net))
        scale = a->scale;
    return scale.defined() ? scale[0].item<double>() : std::nan("");
}

KnnExplanation Model::explainByNeighbours(int32_t user, int32_t item) const {
    const auto* knn = dynamic_cast<const KnnModelImpl*>(m_impl->net.get());
    if (!knn)
        throw SpecError("explain", toString(m_impl->spec.kind) + " has no neighbours that vote");
    if (user < 0 || user >= m_impl->users || item < 0 || item >= m_impl->items)
        throw SpecError("explain", "user or item index out of range");
    std::vector<torch::Tensor> keep;
    const KnnView v = knn->view(keep);
    const bool onItems = m_impl->spec.knnOn == KnnOn::Items;
    return explainKnn(v, m_impl->spec, onItems ? item : user, onItems ? user : item);
}

std::vector<float> Model::userBiases() const { return biasesOf(*m_impl->net, true); }
std::vector<float> Model::itemBiases() const { return biasesOf(*m_impl->net, false); }

std::shared_ptr<Model::Snapshot> Model::snapshot() const {
    torch::NoGradGuard noGrad;
    auto s = std::make_shared<Snapshot>();
    for (const auto& p : m_impl->net->parameters())
        s->tensors.push_back(p.detach().clone());
    for (const auto& b : m_impl->net->buffers())
        s->tensors.push_back(b.detach().clone());
    return s;
}

void Model::restore(const Snapshot& s) {
    torch::NoGradGuard noGrad;
    std::size_t k = 0;
    for (auto& p : m_impl->net->parameters())
        p.copy_(s.tensors.at(k++));
    for (auto& b : m_impl->net->buffers())
        b.copy_(s.tensors.at(k++));
}

} // namespace factorscope
