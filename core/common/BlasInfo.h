#pragma once
// Which BLAS the process loaded (LibTorch's dense layers run on it) and with how many threads.
// Debian lets the system pick libblas.so.3 among the installed builds: the reference BLAS is
// 10-30 times slower on the neural models' layers than OpenBLAS. No Qt, no LibTorch.
#include <string>

namespace factorscope {

struct BlasInfo {
    std::string name;      // "OpenBLAS", "BLIS", "reference BLAS" or "unknown"
    std::string version;   // as the library reports it, or ""
    std::string threading; // "OpenMP", "pthreads", "sequential" or ""
    std::string library;   // the file that implements it, links resolved
    int threads = 0;       // the BLAS's own thread count now, 0 when it does not say
    bool optimised = false;
};

BlasInfo loadedBlas();

// One sentence for people: "OpenBLAS 0.3.21 (OpenMP, 1 thread)".
std::string describe(const BlasInfo& blas);

// The command that installs the optimised BLAS, and a warning naming it, when the loaded one
// is the reference BLAS; "" otherwise.
inline constexpr const char* kBlasFixCommand = "sudo apt-get install libopenblas0-openmp";
std::string blasWarning(const BlasInfo& blas);

} // namespace factorscope
