#include "core/io/NpyExport.h"

#include "core/common/AtomicFile.h"
#include "core/common/Error.h"

#include <bit>
#include <cstring>
#include <filesystem>

namespace factorscope {

namespace {

static_assert(std::endian::native == std::endian::little, "the .npy writer writes the machine's bytes as '<'");

// The magic string, version 1.0, the header's length, and a dict padded with spaces to a
// multiple of 64 bytes, ending in a newline (numpy's format.py).
std::string npyHeader(const char* descr, const std::vector<int64_t>& shape) {
    std::string dims;
    for (int64_t d : shape)
        dims += (dims.empty() ? "" : ", ") + std::to_string(d);
    if (shape.size() == 1)
        dims += ','; // a tuple of one: (n,)
    std::string dict = "{'descr': '" + std::string(descr) + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    const std::size_t unpadded = 10 + dict.size() + 1;
    dict.append((64 - unpadded % 64) % 64, ' ');
    dict += '\n';
    std::string out = "\x93NUMPY";
    out += '\x01';
    out += '\x00';
    out += static_cast<char>(dict.size() & 0xff);
    out += static_cast<char>((dict.size() >> 8) & 0xff);
    return out + dict;
}

template <class T> void writeArray(const std::string& path, const char* descr, const std::vector<T>& values,
                                   const std::vector<int64_t>& shape) {
    int64_t count = 1;
    for (int64_t d : shape)
        count *= d;
    if (count != static_cast<int64_t>(values.size()))
        throw IoError(path + ": " + std::to_string(values.size()) + " values do not fill the shape");
    AtomicFile f(path, "the NumPy export");
    f.write(npyHeader(descr, shape));
    f.write(std::string_view(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T)));
    f.commit();
}

} // namespace

void writeNpy(const std::string& path, const std::vector<float>& values, const std::vector<int64_t>& shape) {
    writeArray(path, "<f4", values, shape);
}

void writeNpy(const std::string& path, const std::vector<int64_t>& values, const std::vector<int64_t>& shape) {
    writeArray(path, "<i8", values, shape);
}

std::vector<std::string> writeNpyTables(const std::string& dir, const Model& model, const IdMap& users,
                                        const IdMap& items) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw IoError("cannot create the folder " + dir + ": " + ec.message());
    const auto at = [&](const char* name) { return (std::filesystem::path(dir) / name).string(); };
    std::vector<std::string> written;
    const auto table = [&](const char* name, const Matrix& m) {
        writeNpy(at(name), m.values, {m.rows, m.cols});
        written.push_back(name);
    };
    const auto vector = [&](const char* name, const auto& v) {
        writeNpy(at(name), v, {static_cast<int64_t>(v.size())});
        written.push_back(name);
    };
    table("user_factors.npy", model.userFactors());
    table("item_factors.npy", model.itemFactors());
    vector("user_ids.npy", users.originals());
    vector("item_ids.npy", items.originals());
    if (const std::vector<float> b = model.userBiases(); !b.empty())
        vector("user_bias.npy", b);
    if (const std::vector<float> b = model.itemBiases(); !b.empty())
        vector("item_bias.npy", b);
    return written;
}

} // namespace factorscope
