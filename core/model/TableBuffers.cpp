#include "core/model/TableBuffers.h"

#include "core/common/Error.h"

#include <string>

namespace factorscope {

torch::Tensor scaleOf(double mean, float low, float high) {
    return tensorOf(std::vector<float>{static_cast<float>(mean), low, high}, torch::kFloat);
}

void refill(torch::Tensor& buffer, const torch::Tensor& value) {
    torch::NoGradGuard noGrad;
    buffer.set_(value.to(buffer.device()));
}

void checkRows(const torch::Tensor& offsets, const torch::Tensor& index, const torch::Tensor& value, int64_t rows,
               int64_t bound, const char* what) {
    const auto fail = [&](const std::string& why) {
        throw CheckpointError(std::string("the model's ") + what + " " + why);
    };
    if (offsets.dim() != 1 || offsets.size(0) != rows + 1 || index.dim() != 1 ||
        (value.defined() && (value.dim() != 1 || index.size(0) != value.size(0))))
        fail("have inconsistent sizes");
    const auto o = offsets.to(torch::kCPU).contiguous();
    const int64_t* p = o.data_ptr<int64_t>();
    if (p[0] != 0 || p[rows] != index.size(0))
        fail("do not span their entries");
    for (int64_t r = 0; r < rows; ++r)
        if (p[r + 1] < p[r])
            fail("have offsets that fall");
    const auto ix = index.to(torch::kCPU).contiguous();
    const int32_t* q = ix.data_ptr<int32_t>();
    for (int64_t k = 0; k < ix.size(0); ++k)
        if (q[k] < 0 || q[k] >= bound)
            fail("name a row out of range");
    if (value.defined() && !torch::isfinite(value).all().item<bool>())
        fail("hold a value that is not finite");
}

} // namespace factorscope
