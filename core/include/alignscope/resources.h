// SPDX-License-Identifier: MIT
// Where the bundled demo models and datasets are: $ALIGNSCOPE_DATA_DIR, else the installed data
// folder (<prefix>/share/alignscope), else the source tree's resources/ (a build that was not installed).
#pragma once
#include <string>

namespace alignscope {

/** The folder holding models/ and datasets/, or an empty string if none exists. */
std::string resourcesDir();
/** The bundled aligned demo model (resources/models/demo-chat), or an empty string. */
std::string defaultModelDir();

} // namespace alignscope
