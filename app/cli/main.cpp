// SPDX-License-Identifier: MIT
#include "cli.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>

int main(int argc, char **argv)
{
    const int rc = alignscope::cli::runCli(argc, argv, std::cout, std::cerr);
    // Every file is closed when runCli returns. Leaving without running the static destructors of
    // libtorch and the ~280 libraries it pulls in saves about 0.1 s per call (docs/BENCHMARKS.md).
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    std::_Exit(rc);
}
