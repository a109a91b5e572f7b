// SPDX-License-Identifier: MIT
#include "tokenizer/utf8.h"

#include "alignscope/tokenizer.h"

#include <map>

namespace alignscope {

namespace {

/** Length of the well-formed sequence starting at s[i] (Unicode Table 3-7), or 0 if ill-formed. */
size_t validLength(const std::string &s, size_t i, size_t *maximalSubpart)
{
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    *maximalSubpart = 1;
    if (c < 0x80)
        return 1;
    int n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 1;
    else if (c == 0xE0)
        n = 2, lo = 0xA0;
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        n = 2;
    else if (c == 0xED)
        n = 2, hi = 0x9F;
    else if (c == 0xF0)
        n = 3, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3)
        n = 3;
    else if (c == 0xF4)
        n = 3, hi = 0x8F;
    else
        return 0;
    for (int k = 1; k <= n; ++k) {
        if (i + size_t(k) >= s.size())
            return 0;
        const unsigned char d = b(i + size_t(k));
        const unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
        if (d < l || d > h)
            return 0;
        *maximalSubpart = size_t(k) + 1;
    }
    return size_t(n) + 1;
}

} // namespace

std::string sanitizeUtf8(const std::string &s)
{
    std::string out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
        size_t sub = 1;
        const size_t n = validLength(s, i, &sub);
        if (n > 0) {
            out.append(s, i, n);
            i += n;
        } else {
            out += "\xEF\xBF\xBD";  // U+FFFD for the maximal subpart
            i += std::max<size_t>(1, sub);
        }
    }
    return out;
}

namespace utf8 {

std::vector<std::string> characters(const std::string &s)
{
    std::vector<std::string> chars;
    size_t i = 0;
    while (i < s.size()) {
        size_t sub = 1;
        size_t n = validLength(s, i, &sub);
        if (n == 0)
            n = 1;  // callers sanitise first; keep going on stray bytes anyway
        chars.push_back(s.substr(i, n));
        i += n;
    }
    return chars;
}

void append(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

const std::array<std::string, 256> &byteToUnicode()
{
    static const std::array<std::string, 256> table = [] {
        std::array<std::string, 256> t;
        int extra = 0;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
            append(t[size_t(b)], printable ? char32_t(b) : char32_t(256 + extra++));
        }
        return t;
    }();
    return table;
}

int unicodeToByte(const std::string &ch)
{
    static const std::map<std::string, int> inverse = [] {
        std::map<std::string, int> m;
        for (int b = 0; b < 256; ++b)
            m[byteToUnicode()[size_t(b)]] = b;
        return m;
    }();
    auto it = inverse.find(ch);
    return it == inverse.end() ? -1 : it->second;
}

} // namespace utf8
} // namespace alignscope
