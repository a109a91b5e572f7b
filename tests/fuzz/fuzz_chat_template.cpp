// SPDX-License-Identifier: MIT
// libFuzzer target: chat-template detection from a model folder's tokenizer_config.json and
// config.json (the input, split at "\n====\n"). Detection answers or refuses with a ModelError.
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
        const alignscope::ChatTemplate t = alignscope::detectChatTemplate(fuzz::workDir());
        const std::string p = alignscope::formatChatPrompt(t, "How do I bake bread?", {}, true);
        if (!fuzz::validUtf8(p))
            __builtin_trap();
    } catch (const alignscope::ModelError &) {
    } catch (const alignscope::DataError &) {
    }
    return 0;
}
