// SPDX-License-Identifier: MIT
// Private: small string helpers shared by the data readers.
#pragma once
#include <string>

namespace alignscope {

inline bool endsWith(const std::string &s, const std::string &suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace alignscope
