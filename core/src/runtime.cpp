// SPDX-License-Identifier: MIT
#include "alignscope/runtime.h"

#include "alignscope/jobs.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <malloc.h>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace alignscope {

int configureThreads(int threads)
{
    const int hw = std::max(1u, std::thread::hardware_concurrency());
    const int n = threads > 0 ? threads : hw;
    at::set_num_threads(n);
    return at::get_num_threads();
}

void keepFreedMemory()
{
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

void returnFreedMemory()
{
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024);
}

RuntimeInfo runtimeInfo()
{
    RuntimeInfo info;
    info.threads = at::get_num_threads();
    info.hardwareThreads = std::max(1u, std::thread::hardware_concurrency());
    info.cudaAvailable = at::hasCUDA();
    info.cudaDevices = info.cudaAvailable ? int(at::detail::getCUDAHooks().getNumGPUs()) : 0;
#if AT_PARALLEL_OPENMP
    info.parallelBackend = "OpenMP";
#elif AT_PARALLEL_NATIVE
    info.parallelBackend = "native";
#else
    info.parallelBackend = "TBB";
#endif
    return info;
}

MatmulProbe probeMatmul(int n, int repeats, JobContext *ctx)
{
    if (n <= 0 || repeats <= 0)
        throw std::invalid_argument("[probeMatmul] n and repeats must be positive");
    at::NoGradGuard noGrad;
    const auto gen = at::detail::createCPUGenerator(1234);
    const at::Tensor a = at::randn({n, n}, gen, at::kFloat);
    const at::Tensor b = at::randn({n, n}, gen, at::kFloat);
    at::Tensor c = at::mm(a, b);  // warm-up: thread pool, BLAS buffers
    MatmulProbe p;
    p.n = n;
    p.repeats = repeats;
    p.seconds = 1e300;
    for (int r = 0; r < repeats; ++r) {
        if (ctx) {
            ctx->checkCancelled();
            ctx->report(r, repeats, "matmul probe");
        }
        const auto t0 = std::chrono::steady_clock::now();
        at::mm_out(c, a, b);
        const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        p.seconds = std::min(p.seconds, dt);
    }
    if (ctx)
        ctx->report(repeats, repeats, "matmul probe");
    p.gflops = 2.0 * double(n) * n * n / p.seconds / 1e9;
    return p;
}

double probeCopyBandwidth(std::int64_t bytes, int repeats)
{
    const at::Tensor src = at::ones({std::max<std::int64_t>(1, bytes / 4)}, at::kFloat);
    at::Tensor dst = at::empty_like(src);
    dst.copy_(src);
    double best = 1e300;
    for (int r = 0; r < std::max(1, repeats); ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        dst.copy_(src);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    return double(src.nbytes()) / best;
}

} // namespace alignscope
