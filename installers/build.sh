#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs missing Debian packages, then configures and builds one CMake preset (default: release).
#   installers/build.sh [preset]
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
bash installers/setup-deps.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
