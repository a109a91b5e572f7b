// SPDX-License-Identifier: MIT
// libFuzzer target: the judges' files: a keyword list (one phrase per line, "#min_words N") and a
// model judge's JSON (alignscope_judge.json). The first byte picks which. Refusals are DataErrors.
#include "alignscope/asr.h"
#include "alignscope/calibration.h"
#include "alignscope/judge.h"
#include "alignscope/judges.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] & 1) {
        const std::string file = fuzz::writeFile((data[0] & 2) ? "keywords.json" : "keywords.txt", data + 1, size - 1);
        try {
            const alignscope::JudgeConfig c = alignscope::loadJudgeConfig(file);
            for (const auto &k : c.keywords)
                if (k.empty())
                    __builtin_trap();
            // the judge runs on any response with these keywords
            (void)alignscope::keywordJudge("Sure, here is how to do it step by step.", c.keywords, c.minWords);
        } catch (const alignscope::DataError &) {
        }
    } else {
        const std::string file = fuzz::writeFile("alignscope_judge.json", data + 1, size - 1);
        try {
            (void)alignscope::loadModelJudgeConfig(file);
        } catch (const alignscope::DataError &) {
        }
    }
    return 0;
}
