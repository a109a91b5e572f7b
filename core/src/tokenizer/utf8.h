// SPDX-License-Identifier: MIT
// Private: UTF-8 helpers and GPT-2's byte ↔ unicode table.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace alignscope::utf8 {

/** Splits valid UTF-8 into code points, each as its UTF-8 bytes. */
std::vector<std::string> characters(const std::string &s);
/** Appends code point `cp` as UTF-8. */
void append(std::string &out, char32_t cp);
/** GPT-2's reversible map from each byte to a printable code point (as UTF-8). */
const std::array<std::string, 256> &byteToUnicode();
/** Inverse of byteToUnicode for one UTF-8 character; -1 if not in the table. */
int unicodeToByte(const std::string &ch);

} // namespace alignscope::utf8
