#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's test command: installs what is missing, builds, and runs every test.
#   installers/run-tests.sh [preset]        (default preset: release)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
start=$(date +%s)
bash installers/build.sh "$preset"
# real tokenizer files and Hugging Face's JavaScript tokenizers for the parity test (best effort)
bash installers/fetch-test-tokenizers.sh
ctest --preset "$preset"
echo "run-tests: build + tests took $(( $(date +%s) - start )) s"
