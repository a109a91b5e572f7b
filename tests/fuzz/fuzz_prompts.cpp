// SPDX-License-Identifier: MIT
// libFuzzer target: the prompt readers: harmful prompts (text, CSV with goal/Behavior, JSON/JSONL),
// their targets for the prefix judge (a second file after "\n====\n"), and the instructions of the
// head probe. The first byte picks the extensions. Refusals are DataErrors.
#include "alignscope/asr.h"
#include "alignscope/calibration.h"
#include "alignscope/heads.h"
#include "alignscope/judges.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    static const char *const ext[] = {".txt", ".csv", ".json", ".jsonl"};
    const auto [first, second] = fuzz::splitInput(data + 1, size - 1);
    const std::string prompts = fuzz::writeFile(std::string("prompts") + ext[data[0] % 4], first.data(), first.size());
    const std::string targets =
        fuzz::writeFile(std::string("targets") + ext[(data[0] / 4) % 4], second.data(), second.size());
    std::size_t n = 0;
    try {
        const auto goals = alignscope::readHarmfulPrompts(prompts, {}, (data[0] & 0x10) ? 3 : 0);
        for (const auto &g : goals)
            if (!fuzz::validUtf8(g))
                __builtin_trap();
        n = goals.size();
    } catch (const alignscope::DataError &) {
    }
    try {
        const auto t = alignscope::readPromptTargets(prompts, (data[0] & 0x20) ? targets : std::string(), {},
                                                     (data[0] & 0x10) ? 3 : 0);
        if (n && t.size() != n)
            __builtin_trap();
    } catch (const alignscope::DataError &) {
    }
    try {
        for (const auto &i : alignscope::readInstructions(prompts))
            if (!fuzz::validUtf8(i))
                __builtin_trap();
    } catch (const alignscope::DataError &) {
    }
    return 0;
}
