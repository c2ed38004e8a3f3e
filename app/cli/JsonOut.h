#pragma once
// The CLI's output: one JSON object per line on stdout, flushed, so scripts can stream it.
#include <nlohmann/json.hpp>

#include <iostream>

namespace factorscope::cli {

inline void emit(const nlohmann::json& j) { std::cout << j.dump() << std::endl; }

} // namespace factorscope::cli
