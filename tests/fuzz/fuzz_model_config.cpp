// SPDX-License-Identifier: MIT
// libFuzzer target: config.json. A config is read or refused with a ModelError; one that is read
// describes a model whose matrices have positive shapes (what the loader and the store rely on).
#include "alignscope/model_config.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    try {
        const auto c = alignscope::parseModelConfig(std::string(reinterpret_cast<const char *>(data), size), "config.json");
        if (c.numLayers <= 0 || c.hiddenSize <= 0 || c.intermediateSize <= 0 || c.numHeads <= 0 || c.numKvHeads <= 0 ||
            c.headDim <= 0 || c.vocabSize <= 0)
            __builtin_trap();
        for (int m = 0; m < 7; ++m) {
            const auto s = c.matrixShape(m);
            if (s.first <= 0 || s.second <= 0)
                __builtin_trap();
        }
        (void)c.totalParameters();
    } catch (const alignscope::ModelError &) {
    }
    return 0;
}
