#pragma once
// What the fuzz targets share: the input as a file in a folder of this process's own (some
// readers open paths), and the rule that only the project's typed errors may leave a reader.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unistd.h>

namespace factorscope::fuzz {

// A folder for this process, made once (on /dev/shm when it exists: no disk writes per input).
inline const std::string& scratch() {
    static const std::string dir = [] {
        std::string t = (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") + std::string("/factorscope-fuzz-XXXXXX");
        if (!mkdtemp(t.data()))
            std::abort();
        return t;
    }();
    return dir;
}

inline std::string writeInput(const std::string& name, std::string_view bytes) {
    const std::string path = scratch() + "/" + name;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f)
        std::abort();
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
    return path;
}

inline std::string_view asText(const uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

} // namespace factorscope::fuzz
