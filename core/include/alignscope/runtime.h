// SPDX-License-Identifier: MIT
// Process-wide compute settings of the engine (threads, devices) and a quick check of the
// machine's matrix-product speed, which exposes a slow reference BLAS at once.
#pragma once
#include <cstdint>
#include <string>

namespace alignscope {

class JobContext;

/** Sets libtorch's intra-op thread count; `threads <= 0` means all hardware threads. Returns the count set. */
int configureThreads(int threads);

/**
 * Makes the C allocator keep freed memory instead of returning large blocks to the kernel at once:
 * training allocates the same large temporaries every step, and re-faulting their pages cost a
 * quarter of the step time (docs/BENCHMARKS.md). Call once at program start.
 */
void keepFreedMemory();
/** The C allocator's defaults again: large blocks go back to the kernel when freed. A streamed job (one layer
 *  at a time) needs this, or each freed layer would stay with the process under a memory limit. */
void returnFreedMemory();

struct RuntimeInfo {
    int threads = 1;          ///< libtorch intra-op threads in use
    int hardwareThreads = 1;  ///< std::thread::hardware_concurrency()
    bool cudaAvailable = false;
    int cudaDevices = 0;
    std::string parallelBackend;  ///< e.g. "OpenMP"
};

RuntimeInfo runtimeInfo();

/** Result of a dense fp32 n×n×n matrix product timed on the CPU. */
struct MatmulProbe {
    int n = 0;
    int repeats = 0;
    double seconds = 0;  ///< best time of one product
    double gflops = 0;   ///< 2n³ / seconds / 1e9
};

/** Times `repeats` fp32 products of n×n matrices (after one warm-up) and keeps the best. */
MatmulProbe probeMatmul(int n, int repeats, JobContext *ctx = nullptr);

/** Best-of-`repeats` bytes per second of copying a `bytes`-sized buffer (bytes read). */
double probeCopyBandwidth(std::int64_t bytes = std::int64_t(256) << 20, int repeats = 3);

/** Below this many GFLOP/s per thread a 1024³ fp32 product suggests a reference (unoptimised) BLAS. */
constexpr double kSlowBlasGflopsPerThread = 15.0;

} // namespace alignscope
