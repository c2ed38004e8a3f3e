#include "core/common/Memory.h"

#include "core/common/Error.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace factorscope {

uint64_t availableMemory() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    uint64_t kb = 0;
    std::string unit;
    while (in >> key >> kb) {
        std::getline(in, unit);
        if (key == "MemAvailable:")
            return kb * 1024;
    }
    return 0;
}

std::string formatBytes(uint64_t bytes) {
    const char* units[] = {"bytes", "KB", "MB", "GB", "TB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    char buf[32];
    if (u == 0)
        std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(bytes));
    else
        std::snprintf(buf, sizeof buf, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    return buf;
}

void requireMemory(uint64_t needBytes, uint64_t availableBytes, const std::string& what) {
    if (availableBytes == 0 || needBytes <= availableBytes)
        return;
    throw DataError(what + " needs about " + formatBytes(needBytes) + " of memory; " + formatBytes(availableBytes) +
                    " is available. Close other programs, or use a smaller data set");
}

} // namespace factorscope
