// SPDX-License-Identifier: MIT
// Private: object paths inside a store (docs/STORE_FORMAT.md).
#pragma once
#include "alignscope/matrices.h"

#include <cstdio>
#include <string>

namespace alignscope::layout {

inline std::string setGroup(const std::string &name) { return "/sets/" + name; }

inline std::string layerName(int l)
{
    char buf[32];  // "layer_" + any int
    std::snprintf(buf, sizeof buf, "layer_%03d", l);
    return buf;
}

/** Scores of a matrix; a basis adds "_eigenvalues" and "_eigenvectors". */
inline std::string matrixPath(const std::string &set, int l, Matrix m)
{
    return setGroup(set) + "/" + layerName(l) + "/" + std::string(matrixName(m));
}

inline std::string summaryGroup(const std::string &safety, const std::string &utility)
{
    return "/summaries/" + safety + "__vs__" + utility;
}

} // namespace alignscope::layout
