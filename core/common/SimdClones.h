#pragma once
// FS_SIMD_CLONES before a hot function's declaration builds it three times on x86-64 with GCC:
// for the baseline ISA the package targets, for x86-64-v3 (AVX2, FMA) and for x86-64-v4
// (AVX-512), picked once at load time by what the CPU has. Elsewhere it is empty.
// Not under ThreadSanitizer: the clones' resolvers run before its runtime starts.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define FS_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define FS_SIMD_CLONES
#endif

// FS_INLINE: a kernel the cloned hot functions call. A plain inline function is built for the
// baseline ISA and may stay a call from the other clones; forced inline, it becomes part of
// whichever clone calls it.
#if defined(__GNUC__)
#define FS_INLINE inline __attribute__((always_inline))
#else
#define FS_INLINE inline
#endif
