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
delay="${SHOT_DELAY:-5}"
XDG_CONFIG_HOME="$cfg" XDG_DATA_HOME="$cfg" xvfb-run -a -s "-screen 0 ${SHOT_SCREEN:-1600x1000}x24" bash -c '
  "$0" --quit-after $(( ('"$delay"' + 3) * 1000 )) "${@:2}" &
  sleep '"$delay"'

  import -window root "$1"
  wait' "$bin" "$out" "$@"
echo "screenshot: $out"
