#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Takes a screenshot of the real AlignScope window under Xvfb (1600x1000), e.g.
#   docs/screenshot.sh docs/images/main-window.png [alignscope arguments...]
# Needs xvfb and imagemagick (installers/setup-deps.sh installs both). Uses a throw-away
# settings folder so the shot never depends on (or changes) your own settings.
set -euo pipefail
out="$1"; shift
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${ALIGNSCOPE_BIN:-$root/build/release/app/gui/alignscope}"
cfg="$(mktemp -d)"
trap 'rm -rf "$cfg"' EXIT
XDG_CONFIG_HOME="$cfg" xvfb-run -a -s "-screen 0 1600x1000x24" bash -c '
  "$0" --quit-after 8000 "${@:2}" &
  sleep "${SHOT_DELAY:-5}"
  import -window root "$1"
  wait' "$bin" "$out" "$@"
echo "screenshot: $out"
