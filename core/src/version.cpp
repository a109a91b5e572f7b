// SPDX-License-Identifier: MIT
#include "alignscope/version.h"

#include <H5public.h>
#include <torch/version.h>
#include <ATen/Context.h>

namespace alignscope {

VersionInfo versionInfo()
{
    VersionInfo v;
    v.program = ALIGNSCOPE_VERSION;
    v.libtorch = TORCH_VERSION;
    unsigned maj = 0, min = 0, rel = 0;
    if (H5get_libversion(&maj, &min, &rel) >= 0)
        v.hdf5 = std::to_string(maj) + "." + std::to_string(min) + "." + std::to_string(rel);
    else
        v.hdf5 = "unknown";
    v.cuda = at::hasCUDA();
    return v;
}

} // namespace alignscope
