// SPDX-License-Identifier: MIT
// libFuzzer target: tokenizer.json parsing, then encoding and decoding with whatever parsed. Only
// ModelError / std::invalid_argument may escape the tokenizer, never a crash or a hang.
#include "tokenizer/backend.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    try {
        alignscope::BackendResult r = alignscope::parseTokenizerJson(text, "fuzz/tokenizer.json");
        std::vector<std::int64_t> ids;
        r.backend->encodeSegment("Hello world, 123 \xF0\x9F\x98\x80!", true, ids);
        r.backend->encodeSegment(alignscope::sanitizeUtf8(text.substr(0, 64)), false, ids);
        r.backend->decodeIds(ids);
    } catch (const alignscope::ModelError &) {
    } catch (const std::invalid_argument &) {
    } catch (const std::out_of_range &) {
    }
    return 0;
}
