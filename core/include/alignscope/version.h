// SPDX-License-Identifier: MIT
#pragma once
#include <string>

namespace alignscope {

/** Versions of the program and of the engine's libraries, as compiled and as running. */
struct VersionInfo {
    std::string program;   ///< AlignScope's version, e.g. "0.1.0"
    std::string libtorch;  ///< libtorch version from its headers, e.g. "1.13.0"
    std::string hdf5;      ///< HDF5 library version at run time, e.g. "1.10.8"
    bool cuda = false;     ///< libtorch was built with CUDA and a device is usable
};

/** Collects the versions; cheap (no device is initialised beyond a CUDA availability query). */
VersionInfo versionInfo();

} // namespace alignscope
