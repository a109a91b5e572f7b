#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's main command: installs what is missing, builds, and starts the main job.
# With a display: the GUI. Without one: the headless CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash installers/build.sh release
bin=build/release/app
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  echo "quickstart: starting the GUI ($bin/gui/alignscope)"
  exec "$bin/gui/alignscope" "$@"
fi
echo "quickstart: no display found, running headless."
echo "quickstart: this version has no model runtime, demo model or scoring yet, so there is no analysis"
echo "            to run and no figures to write. It checks the compute environment instead:"
"$bin/cli/alignscope-cli" doctor
