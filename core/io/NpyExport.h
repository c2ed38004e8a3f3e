#pragma once
// A model's tables as NumPy .npy files (format version 1.0: a little-endian float32 or int64
// array in C order), so a notebook reads them with numpy.load: user_factors.npy and
// item_factors.npy (rows in the order of user_ids.npy and item_ids.npy, the data set's original
// ids), and user_bias.npy and item_bias.npy where the model has biases.
#include "core/data/IdMap.h"
#include "core/model/Model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace factorscope {

// Writes one array whole or not at all (AtomicFile). `shape`'s product must be the values'
// count. Throws IoError naming the file.
void writeNpy(const std::string& path, const std::vector<float>& values, const std::vector<int64_t>& shape);
void writeNpy(const std::string& path, const std::vector<int64_t>& values, const std::vector<int64_t>& shape);

// The model's tables into DIR (created), with the ids of `users` and `items` (the model's
// encoding). Returns the file names written, in the order above. Throws IoError.
std::vector<std::string> writeNpyTables(const std::string& dir, const Model& model, const IdMap& users,
                                        const IdMap& items);

} // namespace factorscope
