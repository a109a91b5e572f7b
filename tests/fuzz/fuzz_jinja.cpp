// SPDX-License-Identifier: MIT
// libFuzzer target: the Jinja interpreter on arbitrary template source (a model folder's chat template
// is untrusted input), rendered with a short conversation. It renders or refuses with a TemplateError,
// within bounded time and memory (the interpreter limits nesting, steps, output and sizes).
#include "alignscope/jinja.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace alignscope::jinja;
    const std::string source(reinterpret_cast<const char *>(data), size);
    try {
        const Template t(source);
        Array messages = {Value::object({{"role", Value("system")}, {"content", Value("Be brief.")}}),
                          Value::object({{"role", Value("user")}, {"content", Value("How do I bake bread? 日本")}})};
        (void)t.render({{"messages", Value::array(messages)},
                                          {"add_generation_prompt", Value(true)},
                                          {"tools", Value::none()},
                                          {"bos_token", Value("<s>")},
                                          {"eos_token", Value("</s>")}},
                                         0);
    } catch (const TemplateError &) {
    }
    return 0;
}
