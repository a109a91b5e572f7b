// SPDX-License-Identifier: MIT
#include "cli.h"

#include <iostream>

int main(int argc, char **argv)
{
    return alignscope::cli::runCli(argc, argv, std::cout, std::cerr);
}
