// SPDX-License-Identifier: MIT
// libFuzzer target: a head-probing JSON file (alignscope-cli probe --out). Read or refused with a
// DataError; what is read round-trips through probingJson unchanged.
#include "alignscope/calibration.h"
#include "alignscope/heads.h"
#include "fuzz_common.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string file = fuzz::writeFile("probing.json", data, size);
    try {
        const alignscope::HeadProbing p = alignscope::readProbingJson(file);
        const std::string again = alignscope::probingJson(p);
        const std::string second = fuzz::writeFile("probing-again.json", again.data(), again.size());
        if (alignscope::probingJson(alignscope::readProbingJson(second)) != again)
            __builtin_trap();
    } catch (const alignscope::DataError &) {
    }
    return 0;
}
