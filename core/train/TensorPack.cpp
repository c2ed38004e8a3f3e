#include "core/train/TensorPack.h"

#include "core/common/Error.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace factorscope {

namespace {

constexpr int kMaxDims = 8;

template <class T> void put(std::string& out, T v) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    out.append(b, sizeof(T));
}

int typeCode(torch::ScalarType t) {
    switch (t) {
    case torch::kFloat:
        return 0;
    case torch::kDouble:
        return 1;
    case torch::kLong:
        return 2;
    case torch::kInt:
        return 3;
    default:
        throw CheckpointError(std::string("a tensor of type ") + c10::toString(t) + " cannot be stored");
    }
}

class Reader {
public:
    Reader(std::string_view bytes, const std::string& what) : m_bytes(bytes), m_what(what) {}
    template <class T> T get(const char* field) {
        T v;
        std::memcpy(&v, take(sizeof(T), field), sizeof(T));
        return v;
    }
    const char* take(std::size_t n, const char* field) {
        if (n > m_bytes.size() - m_pos)
            fail(std::string("it ends inside ") + field);
        const char* p = m_bytes.data() + m_pos;
        m_pos += n;
        return p;
    }
    bool done() const { return m_pos == m_bytes.size(); }
    std::size_t left() const { return m_bytes.size() - m_pos; }
    [[noreturn]] void fail(const std::string& why) const { throw CheckpointError(m_what + " are damaged: " + why); }

private:
    std::string_view m_bytes;
    std::string m_what;
    std::size_t m_pos = 0;
};

} // namespace

std::string packTensors(const NamedTensors& tensors) {
    std::string out;
    put<uint32_t>(out, static_cast<uint32_t>(tensors.size()));
    for (const auto& [name, tensor] : tensors) {
        const torch::Tensor t = tensor.detach().to(torch::kCPU).contiguous();
        put<uint32_t>(out, static_cast<uint32_t>(name.size()));
        out += name;
        put<uint8_t>(out, static_cast<uint8_t>(typeCode(t.scalar_type())));
        put<uint8_t>(out, static_cast<uint8_t>(t.dim()));
        for (int64_t d = 0; d < t.dim(); ++d)
            put<int64_t>(out, t.size(d));
        if (t.numel() > 0) // an empty tensor may have no storage at all
            out.append(static_cast<const char*>(t.data_ptr()), t.numel() * t.element_size());
    }
    return out;
}

NamedTensors unpackTensors(std::string_view bytes, const std::string& what) {
    Reader r(bytes, what);
    const auto count = r.get<uint32_t>("the tensor count");
    NamedTensors out;
    for (uint32_t k = 0; k < count; ++k) {
        const auto nameLength = r.get<uint32_t>("a tensor's name length");
        std::string name(r.take(nameLength, "a tensor's name"), nameLength);
        const auto type = r.get<uint8_t>("a tensor's type");
        if (type > 3)
            r.fail("tensor \"" + name.substr(0, 40) + "\" has the unknown type " + std::to_string(type));
        constexpr torch::ScalarType kTypes[] = {torch::kFloat, torch::kDouble, torch::kLong, torch::kInt};
        const torch::ScalarType scalar = kTypes[type];
        const auto dims = r.get<uint8_t>("a tensor's dimension count");
        if (dims > kMaxDims)
            r.fail("tensor \"" + name.substr(0, 40) + "\" has " + std::to_string(dims) + " dimensions");
        std::vector<int64_t> sizes(dims);
        uint64_t elements = 1;
        const uint64_t elementBytes = type == 0 || type == 3 ? 4 : 8;
        for (auto& s : sizes) {
            s = r.get<int64_t>("a tensor's sizes");
            if (s < 0)
                r.fail("tensor \"" + name.substr(0, 40) + "\" has the negative size " + std::to_string(s));
        }
        // A zero size anywhere makes the tensor empty, whatever the other sizes say; otherwise the
        // product must fit in the bytes that are left (checked before each multiplication).
        if (std::find(sizes.begin(), sizes.end(), 0) != sizes.end())
            elements = 0;
        for (const int64_t s : sizes) {
            if (elements > 0 && elements > r.left() / elementBytes / static_cast<uint64_t>(s))
                r.fail("tensor \"" + name.substr(0, 40) + "\" is larger than the bytes that are left");
            elements *= static_cast<uint64_t>(s);
        }
        const char* data = r.take(elements * elementBytes, "a tensor's elements");
        torch::Tensor t = torch::empty(sizes, torch::TensorOptions().dtype(scalar));
        if (elements > 0) // an empty tensor has no storage to copy into
            std::memcpy(t.data_ptr(), data, elements * elementBytes);
        out.emplace_back(std::move(name), std::move(t));
    }
    if (!r.done())
        r.fail("there are bytes after the last tensor");
    return out;
}

NamedTensors weightsOf(const torch::nn::Module& net) {
    NamedTensors out;
    for (const auto& p : net.named_parameters(true))
        out.emplace_back(p.key(), p.value().detach().to(torch::kCPU));
    for (const auto& b : net.named_buffers(true))
        out.emplace_back(b.key(), b.value().detach().to(torch::kCPU));
    return out;
}

void loadWeights(RecommenderImpl& net, const NamedTensors& weights) {
    bool resizable = false; // the parameters keep their shapes; a fitted model's buffers may not
    std::map<std::string, const torch::Tensor*> byName;
    for (const auto& [name, t] : weights)
        if (!byName.emplace(name, &t).second)
            throw CheckpointError("the model weights are damaged: \"" + name.substr(0, 40) + "\" appears twice");
    std::size_t used = 0;
    torch::NoGradGuard noGrad;
    auto restore = [&](const std::string& name, torch::Tensor& target) {
        const auto it = byName.find(name);
        if (it == byName.end())
            throw CheckpointError("the model weights lack \"" + name + "\"");
        const torch::Tensor& t = *it->second;
        if (resizable && t.scalar_type() == target.scalar_type() && t.dim() == target.dim()) {
            target.set_(t.clone().to(target.device()));
            ++used;
            return;
        }
        if (t.scalar_type() != target.scalar_type() || t.sizes() != target.sizes())
            throw CheckpointError("the model weights' \"" + name + "\" has another type or shape than the model's");
        target.copy_(t);
        ++used;
    };
    for (auto& p : net.named_parameters(true))
        restore(p.key(), p.value());
    resizable = net.tablesFollowTheData();
    for (auto& b : net.named_buffers(true))
        restore(b.key(), b.value());
    if (used != weights.size())
        throw CheckpointError("the model weights hold tensors this model does not have");
    net.checkLoaded();
}

} // namespace factorscope
