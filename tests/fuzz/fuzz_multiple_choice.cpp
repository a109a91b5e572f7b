// SPDX-License-Identifier: MIT
// libFuzzer target: the utility tasks' readers: the generic multiple-choice JSONL and every dataset's
// own format (boolq, rte, arc, openbookqa, hellaswag, winogrande). The first byte picks the task and
// the limit. A document read has at least two choices and a gold index among them.
#include "alignscope/calibration.h"
#include "alignscope/utility.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    static const char *const tasks[] = {"generic", "boolq", "rte", "arc_easy", "openbookqa", "hellaswag", "winogrande"};
    const std::string file = fuzz::writeFile("task.jsonl", data + 1, size - 1);
    const int limit = (data[0] & 0x80) ? 2 : 0;
    try {
        const auto docs = alignscope::readTaskFile(tasks[(data[0] & 0x7f) % 7], file, limit);
        for (const auto &d : docs) {
            if (d.choices.size() < 2 || d.gold < 0 || std::size_t(d.gold) >= d.choices.size())
                __builtin_trap();
            if (!d.contexts.empty() && d.contexts.size() != d.choices.size())
                __builtin_trap();
            if (!fuzz::validUtf8(d.context) || !fuzz::validUtf8(d.task))
                __builtin_trap();
            for (const auto &c : d.choices)
                if (!fuzz::validUtf8(c))
                    __builtin_trap();
        }
    } catch (const alignscope::DataError &) {
    }
    return 0;
}
