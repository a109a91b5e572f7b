// SPDX-License-Identifier: MIT
#include "validators.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace alignscope::cli {

namespace {

std::string shortNumber(double v)
{
    std::ostringstream s;
    s.precision(6);
    s << v;
    return s.str();
}

/** The whole text as a finite double, or an error message. */
std::string parseFinite(const std::string &text, double &value)
{
    const char *begin = text.c_str();
    char *end = nullptr;
    errno = 0;
    value = std::strtod(begin, &end);
    if (text.empty() || end == begin || *end != '\0')
        return "\"" + text + "\" is not a number";
    if (!std::isfinite(value) || errno == ERANGE)
        return "\"" + text + "\": give a finite number";
    return {};
}

} // namespace

CLI::Validator numberIn(double lo, double hi, bool lowOpen)
{
    const std::string range = (lowOpen ? "(" : "[") + shortNumber(lo) + ", " + shortNumber(hi) + "]";
    return CLI::Validator(
        [lo, hi, lowOpen, range](std::string &text) -> std::string {
            double v = 0;
            if (std::string e = parseFinite(text, v); !e.empty())
                return e;
            if (v < lo || v > hi || (lowOpen && v == lo))
                return text + " is outside " + range;
            return {};
        },
        "NUMBER in " + range);
}

CLI::Validator positiveNumber()
{
    return CLI::Validator(
        [](std::string &text) -> std::string {
            double v = 0;
            if (std::string e = parseFinite(text, v); !e.empty())
                return e;
            return v > 0 ? std::string() : text + " is not > 0";
        },
        "NUMBER > 0");
}

CLI::Validator nonNegativeNumber()
{
    return CLI::Validator(
        [](std::string &text) -> std::string {
            double v = 0;
            if (std::string e = parseFinite(text, v); !e.empty())
                return e;
            return v >= 0 ? std::string() : text + " is negative";
        },
        "NUMBER >= 0");
}

CLI::Validator wholeNumber(long long min, long long max)
{
    const std::string what = max < (1LL << 62) ? "from " + std::to_string(min) + " to " + std::to_string(max)
                                               : ">= " + std::to_string(min);
    return CLI::Validator(
        [min, max, what](std::string &text) -> std::string {
            const char *begin = text.c_str();
            char *end = nullptr;
            errno = 0;
            const long long v = std::strtoll(begin, &end, 10);
            if (text.empty() || end == begin || *end != '\0' || errno == ERANGE)
                return "\"" + text + "\" is not a whole number";
            if (v < min || v > max)
                return text + " is not " + what;
            return {};
        },
        "INT " + what);
}

CLI::Validator unsignedNumber()
{
    return CLI::Validator(
        [](std::string &text) -> std::string {
            if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
                return "\"" + text + "\" is not a whole number >= 0";
            errno = 0;
            std::strtoull(text.c_str(), nullptr, 10);
            return errno == ERANGE ? text + " does not fit 64 bits" : std::string();
        },
        "INT >= 0");
}

CLI::Validator dtypeName(bool longNames, bool withAuto)
{
    return CLI::Validator(
        [longNames, withAuto](std::string &text) -> std::string {
            static const char *names[3][2] = {{"fp32", "float32"}, {"bf16", "bfloat16"}, {"fp16", "float16"}};
            if (withAuto && text == "auto")
                return {};
            for (const auto &n : names)
                if (text == n[0] || text == n[1]) {
                    text = n[longNames ? 1 : 0];
                    return {};
                }
            return "\"" + text + "\" is not a dtype (" + (withAuto ? "auto, " : "") +
                   "fp32|float32, bf16|bfloat16, fp16|float16)";
        },
        withAuto ? "auto|fp32|bf16|fp16" : "fp32|bf16|fp16");
}

} // namespace alignscope::cli
