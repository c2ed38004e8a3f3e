#pragma once
// One function per fuzz target (FuzzTargets.cpp has what each reads). Each returns 0.
#include <cstddef>
#include <cstdint>

namespace factorscope::fuzz {

int ratings(const uint8_t* data, std::size_t size);
int catalogue(const uint8_t* data, std::size_t size);
int sniffer(const uint8_t* data, std::size_t size);
int zip(const uint8_t* data, std::size_t size);
int checkpoint(const uint8_t* data, std::size_t size);
int specjson(const uint8_t* data, std::size_t size);
int cliargs(const uint8_t* data, std::size_t size);
int idrows(const uint8_t* data, std::size_t size);

} // namespace factorscope::fuzz
