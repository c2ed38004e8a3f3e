#pragma once
// Whether this machine has the memory a piece of work needs, asked before allocating it, so a
// data set too big for the machine fails with the sizes named instead of an out-of-memory kill.
#include <cstdint>
#include <string>

namespace factorscope {

// /proc/meminfo's MemAvailable, in bytes; 0 when it cannot be read.
uint64_t availableMemory();

// Throws DataError when `needBytes` exceeds `availableBytes` (0: unknown, no check), naming both:
// "<what> needs about 3.1 GB of memory; 1.2 GB is available ...".
void requireMemory(uint64_t needBytes, uint64_t availableBytes, const std::string& what);

// "812 KB", "3.1 GB": sizes in messages.
std::string formatBytes(uint64_t bytes);

} // namespace factorscope
