#include "core/common/BlasInfo.h"

#include <dlfcn.h>
#include <link.h>

#include <filesystem>

namespace factorscope {

namespace {

template <typename F> F symbol(const char* name) { return reinterpret_cast<F>(dlsym(RTLD_DEFAULT, name)); }

std::string canonical(const std::string& file) {
    std::error_code ec;
    const auto real = std::filesystem::canonical(file, ec);
    return ec ? file : real.string();
}

// The file that defines a symbol: the implementation, which need not be the libblas.so.3 the
// alternatives point at (another library may have loaded another build's libopenblas.so.0).
std::string fileDefining(void* address) {
    Dl_info info{};
    return address && dladdr(address, &info) && info.dli_fname ? canonical(info.dli_fname) : "";
}

// The loaded object whose name holds "libblas.so" (LibTorch links libblas.so.3).
std::string loadedBlasFile() {
    std::string found;
    dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* out) {
            const std::string name = info->dlpi_name ? info->dlpi_name : "";
            if (name.find("libblas.so") == std::string::npos)
                return 0;
            *static_cast<std::string*>(out) = name;
            return 1;
        },
        &found);
    return canonical(found);
}

} // namespace

BlasInfo loadedBlas() {
    BlasInfo b;
    b.library = loadedBlasFile();
    if (auto config = symbol<char* (*)()>("openblas_get_config")) {
        b.name = "OpenBLAS";
        b.optimised = true;
        b.library = fileDefining(reinterpret_cast<void*>(config));
        const std::string c = config(); // "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64"
        const auto space = c.find(' ');
        if (space != std::string::npos)
            b.version = c.substr(space + 1, c.find(' ', space + 1) - space - 1);
        if (auto parallel = symbol<int (*)()>("openblas_get_parallel")) {
            const int p = parallel();
            b.threading = p == 2 ? "OpenMP" : p == 1 ? "pthreads" : "sequential";
        }
        if (auto threads = symbol<int (*)()>("openblas_get_num_threads"))
            b.threads = threads();
    } else if (auto version = symbol<const char* (*)()>("bli_info_get_version_str")) {
        b.name = "BLIS";
        b.optimised = true;
        b.library = fileDefining(reinterpret_cast<void*>(version));
        b.version = version();
        if (auto threads = symbol<long (*)()>("bli_thread_get_num_threads"))
            b.threads = static_cast<int>(threads());
    } else if (b.library.find("/blas/libblas.so") != std::string::npos) {
        b.name = "reference BLAS";
        b.threading = "sequential";
        b.threads = 1;
    } else {
        b.name = "unknown";
    }
    return b;
}

std::string describe(const BlasInfo& b) {
    std::string s = b.name;
    if (!b.version.empty())
        s += " " + b.version;
    std::string detail = b.threading;
    if (b.threads > 0)
        detail += (detail.empty() ? "" : ", ") + std::to_string(b.threads) + (b.threads == 1 ? " thread" : " threads");
    if (!detail.empty())
        s += " (" + detail + ")";
    return s;
}

std::string blasWarning(const BlasInfo& b) {
    if (b.name != "reference BLAS")
        return "";
    return "The neural models run on Debian's reference BLAS, 10 to 30 times slower than an optimised one. "
           "Install OpenBLAS with: " +
           std::string(kBlasFixCommand);
}

} // namespace factorscope
