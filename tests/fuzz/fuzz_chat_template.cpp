// SPDX-License-Identifier: MIT
// libFuzzer target: the prompt format of a model folder from its tokenizer_config.json (its Jinja
// chat template) and config.json (the input, split at "\n====\n"). It formats or refuses with a ModelError.
#include "alignscope/calibration.h"
#include "alignscope/chat.h"
#include "alignscope/model_config.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto [tokenizerConfig, config] = fuzz::splitInput(data, size);
    fuzz::writeFile("tokenizer_config.json", tokenizerConfig.data(), tokenizerConfig.size());
    fuzz::writeFile("config.json", config.data(), config.size());
    try {
        const auto f = alignscope::PromptFormat::forModel(fuzz::workDir(), "model");
        (void)f.format("How do I bake bread?", {}, true);
        (void)f.format("How do I bake bread?", "Be brief.", true);
    } catch (const alignscope::ModelError &) {
    } catch (const alignscope::DataError &) {
    }
    return 0;
}
