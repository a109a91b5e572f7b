// SPDX-License-Identifier: MIT
// The public Model: a LlamaModel plus what a front end needs around it (special ids, dtypes).
#include "alignscope/model.h"

#include "alignscope/jobs.h"
#include "data/json_file.h"
#include "model/generate.h"
#include "model/impl.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace alignscope {

namespace {


std::vector<std::int64_t> idList(const nlohmann::json &v)
{
    std::vector<std::int64_t> ids;
    if (v.is_number_integer())
        ids.push_back(v.get<std::int64_t>());
    else if (v.is_array())
        for (const auto &e : v)
            if (e.is_number_integer())
                ids.push_back(e.get<std::int64_t>());
    return ids;
}

at::ScalarType scalarTypeOf(const std::string &name)
{
    if (name == "float32")
        return at::kFloat;
    if (name == "bfloat16")
        return at::kBFloat16;
    if (name == "float16")
        return at::kHalf;
    throw ModelError("[dtype] unknown compute dtype \"" + name + "\"; use float32, bfloat16 or float16");
}

} // namespace

std::string resolveComputeDtype(const std::string &requested, const std::string &stored, const std::string &device)
{
    if (requested != "auto") {
        scalarTypeOf(requested);  // validates
        return requested;
    }
    // On the CPU always float32: Debian's libtorch multiplies bf16/fp16 matrices ~30x slower than fp32
    // on CPUs without AVX-512 BF16 (measured 4.9 vs 158 GFLOP/s, docs/BENCHMARKS.md).
    if (device.rfind("cuda", 0) != 0)
        return "float32";
    if (stored == "BF16")
        return "bfloat16";
    if (stored == "F16")
        return "float16";
    return "float32";
}

at::Device parseDevice(const std::string &name)
{
    if (name == "cpu")
        return at::kCPU;
    if (name == "cuda" || name.rfind("cuda:", 0) == 0) {
        if (!at::hasCUDA())
            throw ModelError("[device] \"" + name + "\" requested, but this libtorch has no CUDA device");
        return name == "cuda" ? at::Device(at::kCUDA, 0) : at::Device(name);
    }
    throw ModelError("[device] unknown device \"" + name + "\"; use cpu, cuda or cuda:N");
}

Model::Model(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Model::~Model() = default;

std::unique_ptr<Model> Model::load(const std::string &dir, const LoadOptions &options)
{
    auto impl = std::make_unique<Impl>();
    const ModelInfo info = inspectModel(dir);
    impl->dtypeName = resolveComputeDtype(options.dtype, info.storedDtype, options.device);
    impl->deviceName = options.device;
    impl->llama = LlamaModel::load(dir, {scalarTypeOf(impl->dtypeName), parseDevice(options.device)}, options.streamLayers);

    const auto cfg = readJsonObjectFile(std::filesystem::path(dir) / "config.json");
    const auto gen = readJsonObjectFile(std::filesystem::path(dir) / "generation_config.json");
    impl->eos = idList(gen.value("eos_token_id", nlohmann::json()));
    if (impl->eos.empty())
        impl->eos = idList(cfg.value("eos_token_id", nlohmann::json()));
    auto bos = idList(gen.value("bos_token_id", nlohmann::json()));
    if (bos.empty())
        bos = idList(cfg.value("bos_token_id", nlohmann::json()));
    impl->bos = bos.empty() ? -1 : bos.front();
    auto pad = idList(gen.value("pad_token_id", nlohmann::json()));
    impl->pad = !pad.empty() ? pad.front() : !impl->eos.empty() ? impl->eos.front() : 0;
    return std::unique_ptr<Model>(new Model(std::move(impl)));
}

const ModelInfo &Model::info() const { return m_impl->llama->info(); }
std::string Model::computeDtype() const { return m_impl->dtypeName; }
std::string Model::device() const { return m_impl->deviceName; }
const std::vector<std::int64_t> &Model::eosIds() const { return m_impl->eos; }
std::int64_t Model::bosId() const { return m_impl->bos; }

std::vector<Generation> Model::generate(const std::vector<std::vector<std::int64_t>> &prompts,
                                        const GenerationSettings &s, JobContext *ctx, const EarlyStop &stopEarly)
{
    const std::int64_t vocab = config().vocabSize;
    for (size_t i = 0; i < prompts.size(); ++i) {
        if (prompts[i].empty())
            throw std::invalid_argument("[generate] prompt " + std::to_string(i) + " is empty");
        for (auto id : prompts[i])
            if (id < 0 || id >= vocab)
                throw std::invalid_argument("[generate] token id " + std::to_string(id) + " of prompt " +
                                            std::to_string(i) + " is outside the vocabulary (0…" +
                                            std::to_string(vocab - 1) + ")");
    }
    GenerateRequest req;
    req.prompts = prompts;
    req.eosIds = m_impl->eos;
    req.padId = m_impl->pad;
    req.sampling = {s.maxNewTokens, s.temperature, s.topP, s.topK, s.seed};
    req.stopEarly = stopEarly;
    const GenerateResult r = alignscope::generate(*m_impl->llama, req, ctx);
    std::vector<Generation> out(prompts.size());
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = {r.tokens[i], r.hitEos[i], r.stoppedEarly[i]};
    return out;
}

MemoryEstimate estimateMemory(const ModelConfig &c, const JobShape &j)
{
    MemoryEstimate m;
    m.weights = std::uint64_t(c.totalParameters()) * std::uint64_t(j.dtypeBytes);
    const std::uint64_t B = std::uint64_t(j.batch), T = std::uint64_t(j.promptTokens);
    const std::uint64_t S = T + (j.weightGradients ? 0 : std::uint64_t(j.newTokens));
    m.kvCache = j.weightGradients ? 0
                                  : 2ull * std::uint64_t(c.numLayers) * B * std::uint64_t(c.numKvHeads) * S *
                                        std::uint64_t(c.headDim) * std::uint64_t(j.dtypeBytes);
    // one layer's working set at prefill: hidden states, q/k/v, MLP activations, and the fp32 attention scores
    const std::uint64_t perToken = 6ull * std::uint64_t(c.hiddenSize) + 3ull * std::uint64_t(c.intermediateSize);
    const std::uint64_t scores = 2ull * B * std::uint64_t(c.numHeads) * T * S * 4ull;
    m.activations = B * T * perToken * std::uint64_t(j.dtypeBytes) + scores + B * std::uint64_t(c.vocabSize) * 4ull;
    if (j.weightGradients) {
        // backward keeps every layer's activations, plus a gradient and an fp32 accumulator per scored weight
        m.activations = m.activations * std::uint64_t(c.numLayers) + B * T * std::uint64_t(c.vocabSize) * 8ull;
        m.gradients = std::uint64_t(c.decoderLinearParameters()) * (std::uint64_t(j.dtypeBytes) + 4ull);
    }
    return m;
}

double estimateFlops(const ModelConfig &c, const JobShape &j)
{
    const double linear = 2.0 * double(c.decoderLinearParameters() + c.vocabSize * c.hiddenSize);
    const double T = double(j.promptTokens), N = j.weightGradients ? 0.0 : double(j.newTokens);
    const double tokens = double(j.batch) * (T + N);
    // attention: q·k and p·v over the context seen so far (~ (T+N)² / 2 per sequence)
    const double attention = 4.0 * double(c.numLayers) * double(c.numHeads * c.headDim) * double(j.batch) *
                             (T + N) * (T + N) / 2.0;
    const double forward = linear * tokens + attention;
    return j.weightGradients ? 3.0 * forward : forward;
}

double estimateSeconds(const ModelConfig &c, const JobShape &j, const MachineSpeed &speed)
{
    if (speed.flops <= 0 || speed.bytesPerSecond <= 0)
        return -1;
    constexpr double prefillEfficiency = 0.6, decodeEfficiency = 0.8;  // measured, docs/BENCHMARKS.md
    JobShape prefill = j;
    prefill.newTokens = 0;
    const double prefillFlops = estimateFlops(c, prefill);
    double seconds = prefillFlops / (speed.flops * prefillEfficiency);
    if (!j.weightGradients && j.newTokens > 0) {
        const double weightBytes = double(c.totalParameters()) * j.dtypeBytes;
        const double stepFlops = (estimateFlops(c, j) - prefillFlops) / double(j.newTokens);
        const double perStep = std::max(weightBytes / (speed.bytesPerSecond * decodeEfficiency),
                                        stepFlops / (speed.flops * prefillEfficiency));
        seconds += perStep * double(j.newTokens);
    }
    return seconds;
}

namespace {

/** A number read from a cgroup file, or 0 when absent or "max". */
std::uint64_t cgroupNumber(const std::string &path)
{
    std::ifstream in(path);
    std::string v;
    if (!(in >> v) || v.empty() || v == "max" || v.find_first_not_of("0123456789") != std::string::npos)
        return 0;
    return std::stoull(v);
}

/**
 * What this process's memory cgroup still allows (limit − usage, page cache counted as free since the kernel
 * reclaims it), or 0 without a limit: a Slurm job with --mem, a container. cgroup v2 and v1 (memory controller).
 */
std::uint64_t cgroupAvailable()
{
    std::ifstream self("/proc/self/cgroup");
    std::uint64_t best = 0;
    for (std::string line; std::getline(self, line);) {
        const size_t a = line.find(':'), b = line.find(':', a + 1);
        if (a == std::string::npos || b == std::string::npos)
            continue;
        const std::string controllers = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
        // v2: one hierarchy (no controller named); v1: the memory controller's
        const bool v2 = controllers.empty();
        if (!v2 && ("," + controllers + ",").find(",memory,") == std::string::npos)
            continue;
        const std::string dir = (v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory") + path;
        const std::uint64_t limit = cgroupNumber(dir + (v2 ? "/memory.max" : "/memory.limit_in_bytes"));
        const std::uint64_t usage = cgroupNumber(dir + (v2 ? "/memory.current" : "/memory.usage_in_bytes"));
        std::uint64_t cache = 0;
        std::ifstream st(dir + "/memory.stat");
        for (std::string k; st >> k;) {
            std::uint64_t v = 0;
            st >> v;
            if (k == (v2 ? "file" : "total_cache"))
                cache = v;
        }
        if (limit == 0 || limit >= (1ull << 60))  // v1 writes "no limit" as a huge number
            continue;
        const std::uint64_t used = usage > cache ? usage - cache : 0;
        const std::uint64_t free = limit > used ? limit - used : 0;
        best = best == 0 ? free : std::min(best, free);
    }
    return best;
}

} // namespace

std::uint64_t availableMemory()
{
    std::ifstream in("/proc/meminfo");
    std::string key;
    std::uint64_t kb = 0, available = 0;
    std::string unit;
    while (in >> key >> kb >> unit)
        if (key == "MemAvailable:") {
            available = kb * 1024ull;
            break;
        }
    const std::uint64_t cgroup = cgroupAvailable();
    return cgroup > 0 && (available == 0 || cgroup < available) ? cgroup : available;
}

std::string formatBytes(std::uint64_t b)
{
    const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = double(b);
    int u = 0;
    while (v >= 1024.0 && u < 4) {
        v /= 1024.0;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

} // namespace alignscope
