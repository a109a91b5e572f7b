// SPDX-License-Identifier: MIT
// The cost of a score job before it runs (store.h: estimateScoreJob).
#include "alignscope/calibration.h"
#include "alignscope/model.h"
#include "alignscope/store.h"
#include "alignscope/tokenizer.h"

#include <algorithm>

namespace alignscope {

ScoreEstimate estimateScoreJob(const ScoreJob &job, const MachineSpeed &speed)
{
    const ModelInfo info = inspectModel(job.modelDir);
    const ModelConfig &c = info.config;
    const ScoreSettings &s = job.settings;
    auto tok = Tokenizer::load(job.modelDir);
    const std::string dtype = resolveComputeDtype(job.computeDtype, info.storedDtype, job.device);
    const int bytes = dtype == "float32" ? 4 : dtype == "float64" ? 8 : 2;
    ScoreEstimate e;
    std::vector<std::string> files = {job.dataFile};
    if (!job.utilityDataFile.empty())
        files.push_back(job.utilityDataFile);
    const double L = double(c.numLayers);
    for (const std::string &file : files) {
        const CalibrationSet set = readCalibrationSet(file);
        const auto rows = selectCalibrationRows(std::int64_t(set.rows.size()), s.nsamples, s.seed);
        std::int64_t setTokens = 0;
        for (const CalibrationExample &x : tokenizeCalibration(*tok, set, rows, s.maxLength, c.maxPositionEmbeddings)) {
            const std::int64_t T = std::int64_t(x.ids.size());
            JobShape shape;
            shape.promptTokens = T;
            shape.newTokens = 0;
            shape.dtypeBytes = bytes;
            const double forward = estimateFlops(c, shape);
            if (s.method == ScoreMethod::Snip)
                e.flops += s.mode == ScoreMode::Sequential ? (1.5 * L + 1.5) * forward : 3.0 * forward;
            else
                e.flops += forward;
            e.longest = std::max(e.longest, T);
            setTokens += T;
            ++e.examples;
        }
        e.tokens += setTokens;
        if (s.method == ScoreMethod::ActSvd)  // XᵀX of every matrix's input, then W XᵀX Wᵀ and its eigendecomposition
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                const auto [dOut, dIn] = c.matrixShape(m);
                const double o = double(dOut), i = double(dIn);
                e.flops += L * (2.0 * double(setTokens) * i * i + 2.0 * o * i * i + 2.0 * o * o * i + 9.0 * o * o * o);
            }
    }
    JobShape peak;
    peak.promptTokens = std::max<std::int64_t>(1, e.longest);
    peak.newTokens = 0;
    peak.dtypeBytes = bytes;
    peak.weightGradients = s.method == ScoreMethod::Snip;
    const MemoryEstimate m = estimateMemory(c, peak);
    // beside the weights: the activations (and SNIP's gradients); the layer-by-layer stream of Wanda and ActSVD
    // keeps every example's hidden states; ActSVD one layer's XᵀX (4 distinct inputs) and one W XᵀX Wᵀ, fp64
    std::uint64_t working = m.activations + m.gradients;
    if (s.method != ScoreMethod::Snip)
        working += std::uint64_t(e.tokens) * std::uint64_t(c.hiddenSize) * std::uint64_t(bytes);
    if (s.method == ScoreMethod::ActSvd) {
        std::uint64_t largest = 0;
        for (int k = 0; k < kMatricesPerLayer; ++k) {
            const auto [dOut, dIn] = c.matrixShape(k);
            working += k == 1 || k == 2 || k == 5 ? 0 : std::uint64_t(dIn * dIn) * 4u;
            largest = std::max<std::uint64_t>(largest, std::uint64_t(dOut * dOut) * 8u * 2u);
        }
        working += largest;
    }
    e.memoryBytes = m.weights + working;
    // streamed (Wanda, ActSVD but the sequential orthogonal projection): the embedding (and an untied lm_head)
    // stay, one layer comes in at a time (converted to the compute dtype) beside its scores
    std::uint64_t layerBytes = 0;
    for (int k = 0; k < kMatricesPerLayer; ++k)
        layerBytes += std::uint64_t(c.matrixShape(k).first * c.matrixShape(k).second) * std::uint64_t(bytes);
    const std::uint64_t embedBytes =
        std::uint64_t(c.vocabSize * c.hiddenSize) * std::uint64_t(bytes) * (c.tieWordEmbeddings ? 1u : 2u);
    if (s.method != ScoreMethod::Snip && !s.orthogonal)
        e.streamingBytes = embedBytes + 2 * layerBytes + working;
    e.weightFileBytes = info.weightBytes;
    if (speed.flops > 0)
        e.seconds = e.flops / (speed.flops * 0.6);  // the prefill efficiency of estimateSeconds
    return e;
}

} // namespace alignscope
