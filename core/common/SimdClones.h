#pragma once
// FS_SIMD_CLONES before a hot function's declaration builds it twice on x86-64 with GCC: for the
// baseline ISA the package targets and for x86-64-v3 (AVX2, FMA), picked once at load time by
// what the CPU has. Elsewhere it is empty.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define FS_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define FS_SIMD_CLONES
#endif
