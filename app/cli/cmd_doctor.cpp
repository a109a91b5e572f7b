// SPDX-License-Identifier: MIT
// `alignscope-cli doctor`: what the engine runs on, and whether the machine is fit for it.
#include "cli.h"
#include "validators.h"

#include "alignscope/runtime.h"
#include "alignscope/version.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <sstream>

namespace alignscope::cli {

void addDoctorCommand(CLI::App &app, Cli &cli)
{
    auto *cmd = app.add_subcommand("doctor", "Check the compute environment: versions, threads, devices, "
                                             "and the speed of a 1024x1024 fp32 matrix product (a slow one "
                                             "means a reference BLAS: install libopenblas0-openmp)");
    auto size = std::make_shared<int>(1024);
    cmd->add_option("--size", *size, "Matrix size n of the n x n x n product")->check(numberIn(16, 8192));
    cmd->callback([&cli, size] {
        cli.run = [&cli, size] {
            const VersionInfo v = versionInfo();
            const RuntimeInfo rt = runtimeInfo();
            JobContext ctx = cli.jobContext();
            const MatmulProbe p = probeMatmul(*size, 5, &ctx);
            const double perThread = p.gflops / std::max(1, rt.threads);
            const bool slow = *size >= 512 && perThread < kSlowBlasGflopsPerThread;

            nlohmann::json j = {
                {"version", v.program}, {"libtorch", v.libtorch}, {"hdf5", v.hdf5},
                {"threads", rt.threads}, {"hardware_threads", rt.hardwareThreads},
                {"parallel_backend", rt.parallelBackend},
                {"cuda_available", rt.cudaAvailable}, {"cuda_devices", rt.cudaDevices},
                {"matmul", {{"n", p.n}, {"seconds", p.seconds}, {"gflops", p.gflops}}},
                {"slow_blas", slow}};
            std::ostringstream t;
            char line[160];
            t << "AlignScope " << v.program << "  (libtorch " << v.libtorch << ", HDF5 " << v.hdf5 << ")\n";
            t << "threads:  " << rt.threads << " of " << rt.hardwareThreads << " hardware threads ("
              << rt.parallelBackend << ")\n";
            t << "CUDA:     " << (rt.cudaAvailable ? std::to_string(rt.cudaDevices) + " device(s)" : "not available")
              << '\n';
            std::snprintf(line, sizeof line, "matmul:   %d^3 fp32 in %.4f s = %.1f GFLOP/s (%.1f per thread)\n", p.n,
                          p.seconds, p.gflops, perThread);
            t << line;
            if (slow)
                t << "WARNING:  matrix products are slow; libtorch is probably using the reference BLAS.\n"
                     "          Install libopenblas0-openmp (installers/setup-deps.sh does).\n";
            else
                t << "ok\n";
            cli.emit(j, t.str());
            return int(ExitOk);
        };
    });
}

} // namespace alignscope::cli
