#pragma once
// How many threads training uses when the spec leaves it open (threads = 0): the one place
// that decides it. Measured on a 2-core machine, unloaded and beside a process that keeps one
// core busy, with OpenBLAS's OpenMP build (docs/PERFORMANCE.md has the tables):
// - LibTorch (general path): one thread was faster than two for every model at MovieLens 100K
//   size (the default MLP 525 k against 175 k ratings/s, the embedding net 24 k against 21 k);
//   two threads' OpenMP workers spin-wait between the small parallel regions of a step.
// - Fused path: one thread was faster at 1M-shaped sets (6.2 M against 5.3 M ratings/s); at 5M
//   and 25M the two-thread split gains 17-21 % unloaded, but with a busy core it fell to an
//   eighth of one thread's speed (5M: 0.47 M against 4.1 M). One thread never loses; the spare
//   core shuffles the next epoch's order where the tables fit the caches.
// An explicit thread count is always obeyed.
#include "core/train/TrainSpec.h"

#include <algorithm>
#include <thread>

namespace factorscope {

inline int availableCores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

// LibTorch's intra-op threads for training, evaluation and the LR finder.
inline int torchThreadsFor(const TrainSpec& spec) {
#if defined(__SANITIZE_THREAD__)
    // LibTorch's intra-op pool is Debian's libgomp, which ThreadSanitizer cannot see into: every
    // parallel tensor kernel would be reported as a race. Under TSan it runs inline; the
    // project's own threads (the fused path's pair, the shuffle ahead, the jobs) still run.
    (void)spec;
    return 1;
#else
    return spec.threads > 0 ? spec.threads : 1;
#endif
}

// The fused path's training threads: 1, or 2 when asked for (it splits the work by side).
inline int fusedThreadsFor(const TrainSpec& spec) { return std::min(2, spec.threads > 0 ? spec.threads : 1); }

// Whether a helper thread may use a spare core beside the fused path's one (the shuffle of the
// next epoch's order): only when the count was left open and a second core exists.
inline bool helperMayUseSpareCore(const TrainSpec& spec) { return spec.threads == 0 && availableCores() > 1; }

} // namespace factorscope
