// SPDX-License-Identifier: MIT
// libFuzzer target: the safetensors header parser must reject any input with a ModelError, never
// crash, hang or allocate without bound. Build and run with tests/fuzz/run-fuzzers.sh.
#include "alignscope/safetensors.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    try {
        const auto h = alignscope::parseSafetensorsHeader(data, size, size, "fuzz.safetensors");
        // a header that passes must describe data inside the file
        for (const auto &t : h.tensors)
            if (h.dataStart + t.end > size || t.begin > t.end)
                __builtin_trap();
    } catch (const alignscope::ModelError &) {
    }
    return 0;
}
