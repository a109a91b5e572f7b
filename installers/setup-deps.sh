#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs every Debian 12 package that building, testing and running AlignScope need.
# Idempotent: packages already present are skipped; uses sudo when not root.
#   installers/setup-deps.sh            build + run + test dependencies
#   installers/setup-deps.sh --dry-run  only print what would be installed
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config dpkg-dev file
  # engine: libtorch (CPU) + a fast BLAS for it, HDF5, JSON, CLI parsing, SentencePiece
  libtorch-dev libopenblas0-openmp libhdf5-dev nlohmann-json3-dev libcli11-dev libsentencepiece-dev libpcre2-dev libicu-dev
  # GUI: Qt 6 Widgets/PrintSupport/Test/Concurrent/Svg, Linguist tools, QCustomPlot
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev libgl-dev
  libqcustomplot-dev libqcustomplot2.1-qt6
  # headless running and looking at the GUI; fonts for offscreen rendering
  xvfb xauth x11-apps imagemagick poppler-utils fonts-dejavu-core
  # store checks from Python (tests read a store written by the CLI with h5py)
  python3-h5py python3-numpy
  # the Jinja oracle for chat templates (tst_core_jinja renders with python3-jinja2)
  python3-jinja2
  # a one-node Slurm cluster on loopback for tst_cli_slurm (its own daemons and key; the system's stay unused)
  slurm-wlm munge
)

dry=0
[[ "${1:-}" == "--dry-run" ]] && dry=1

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "setup-deps: installing ${#missing[@]} missing package(s): ${missing[*]}"
((dry)) && exit 0

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup-deps: not root and no sudo; install as root: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup-deps: done"
