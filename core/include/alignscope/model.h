// SPDX-License-Identifier: MIT
// A Hugging Face model folder as a whole: config.json plus safetensors weights (one file or
// shards with model.safetensors.index.json), checked against each other without reading weights.
#pragma once
#include "alignscope/model_config.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace alignscope {

struct ModelInfo {
    std::string dir;
    ModelConfig config;
    std::vector<std::string> weightFiles;  ///< absolute paths, in shard order
    std::uint64_t weightBytes = 0;         ///< size of the weight files
    std::int64_t storedParameters = 0;     ///< elements of the tensors the model uses
    std::string storedDtype;               ///< "F32", "BF16", "F16", or "mixed"
};

/**
 * Reads config.json and every safetensors header and checks them against each other: every tensor
 * the architecture needs is present with the shape config.json implies, nothing unexpected is there.
 * No weight data is read. Throws ModelError naming the file and the problem.
 */
ModelInfo inspectModel(const std::string &dir);

class JobContext;

struct LoadOptions {
    std::string device = "cpu";  ///< "cpu", "cuda" or "cuda:N" (when libtorch has CUDA)
    std::string dtype = "auto";  ///< compute dtype: "auto", "float32", "bfloat16", "float16"
    /// Decoder layers stay in the (memory-mapped) weight files until a layer-major job brings one in: only
    /// Wanda and ActSVD scoring can run this way (a model larger than memory); everything else needs false.
    bool streamLayers = false;
};

/**
 * The compute dtype "auto" resolves to: float32 on the CPU (bf16/fp16 products are far slower there),
 * the stored dtype on CUDA.
 */
std::string resolveComputeDtype(const std::string &requested, const std::string &storedDtype, const std::string &device);

struct GenerationSettings {
    std::int64_t maxNewTokens = 256;
    double temperature = 0.0;  ///< 0 = greedy
    double topP = 1.0;
    std::int64_t topK = 0;     ///< 0 = off
    std::uint64_t seed = 0;    ///< sequence i of a call samples from its own stream, seeded by (seed, i): reproducible, and independent of the batch it shares
};

struct Generation {
    std::vector<std::int64_t> ids;  ///< generated ids only (a final EOS included)
    bool hitEos = false;
    bool stoppedEarly = false;
};

/** Ends sequence `index` as soon as it returns true (called after every generated token). */
using EarlyStop = std::function<bool(std::size_t index, const std::vector<std::int64_t> &generated)>;

/** A loaded model. The public face of the runtime: plain types only. */
class Model {
public:
    /** Loads a model folder (validated as by inspectModel). Throws ModelError. */
    static std::unique_ptr<Model> load(const std::string &dir, const LoadOptions &options = {});
    ~Model();

    const ModelInfo &info() const;
    const ModelConfig &config() const { return info().config; }
    std::string computeDtype() const;
    std::string device() const;
    /** End-of-sequence ids (generation_config.json, else config.json). */
    const std::vector<std::int64_t> &eosIds() const;
    std::int64_t bosId() const;  ///< -1 when the model declares none

    /** Generates for a batch of tokenized prompts (left-padded together, one KV cache). */
    std::vector<Generation> generate(const std::vector<std::vector<std::int64_t>> &prompts,
                                     const GenerationSettings &settings, JobContext *ctx = nullptr,
                                     const EarlyStop &stopEarly = {});

    class Impl;
    Impl &impl() { return *m_impl; }

private:
    explicit Model(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/** Peak memory of a job, by part, in bytes. */
struct MemoryEstimate {
    std::uint64_t weights = 0;
    std::uint64_t activations = 0;
    std::uint64_t kvCache = 0;
    std::uint64_t gradients = 0;
    std::uint64_t total() const { return weights + activations + kvCache + gradients; }
};

/** Shape of a job for estimates. */
struct JobShape {
    std::int64_t batch = 1;
    std::int64_t promptTokens = 256;
    std::int64_t newTokens = 256;       ///< generation only
    bool weightGradients = false;       ///< SNIP-style: gradients of all 7·L decoder matrices
    int dtypeBytes = 4;                 ///< compute dtype size
};

/** Peak memory of generating (or, with weightGradients, of one forward+backward) with `shape`. */
MemoryEstimate estimateMemory(const ModelConfig &config, const JobShape &shape);
/** FLOPs of the job (2 per multiply-add of the linear layers and attention). */
double estimateFlops(const ModelConfig &config, const JobShape &shape);
/** What the machine does per second, measured (runtime.h probes). */
struct MachineSpeed {
    double flops = 0;          ///< dense fp32 matrix product, FLOP/s
    double bytesPerSecond = 0; ///< memory copy, bytes read per second
};

/**
 * Seconds the job should take: its FLOPs at the measured matrix-product rate, plus, when generating,
 * one read of all weights per decode step at the measured bandwidth (whichever bound is larger per
 * phase). The runtime reaches about 60 % (prefill) and 80 % (decode) of these rates on a 1B model
 * (docs/BENCHMARKS.md), which the estimate includes.
 */
double estimateSeconds(const ModelConfig &config, const JobShape &shape, const MachineSpeed &speed);

/** Bytes of memory available to a new job (MemAvailable, or less where this process's memory cgroup — a Slurm
 *  job's --mem, a container — allows less), or 0 if unknown. */
std::uint64_t availableMemory();
/** "1.5 GiB", "320 MiB", … */
std::string formatBytes(std::uint64_t bytes);

} // namespace alignscope
