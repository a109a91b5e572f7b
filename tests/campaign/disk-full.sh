#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The disk-full campaign of docs/DEVELOPING.md (needs root: it mounts small tmpfs file systems).
# For every size of file system from MIN to MAX KiB (step STEP), a sequential Wanda job on the demo model
# runs on a store there until the disk is full; the file system is then enlarged and the job rerun. Every
# failure must say "no space left" or "free space", leave the store as it was, and the rerun must commit
# scores bitwise equal to an uninterrupted run's.
#   tests/campaign/disk-full.sh BUILD_DIR [MIN MAX STEP]
set -euo pipefail
build="${1:?usage: disk-full.sh BUILD_DIR [MIN_KIB MAX_KIB STEP_KIB]}"
min="${2:-1300}" max="${3:-6000}" step="${4:-150}"
cli="$(realpath "$build")/app/cli/alignscope-cli"
res="$(cd "$(dirname "$0")/../../resources" && pwd)"
work=$(mktemp -d) && mnt="$work/mnt" && mkdir -p "$mnt"
trap 'umount "$mnt" 2>/dev/null || true; rm -rf "$work"' EXIT
job=(score --method wanda --mode sequential --sparsity 0.3 --nsamples 100 --data "$res/datasets/safety_short.csv")
"$cli" score --method wanda --mode sequential --sparsity 0.3 --data "$res/datasets/utility.csv" --store "$work/base.h5" >/dev/null 2>&1
cp "$work/base.h5" "$work/ref.h5"
"$cli" "${job[@]}" --store "$work/ref.h5" >/dev/null 2>&1
runs=0 failures=0 bad=0 commits=0
for ((kib = min; kib <= max; kib += step)); do
  mount -t tmpfs -o size=${kib}k tmpfs "$mnt"
  cp "$work/base.h5" "$mnt/s.h5" 2>/dev/null || { umount "$mnt"; continue; }
  before=$(sha256sum <"$mnt/s.h5")
  runs=$((runs + 1))
  if ! "$cli" "${job[@]}" --store "$mnt/s.h5" >"$work/out" 2>&1; then
    failures=$((failures + 1))
    grep -qE "no space left|free space" "$work/out" || { echo "size ${kib}k: unclear error: $(tail -1 "$work/out")"; bad=$((bad + 1)); }
    grep -q "writing the store" "$work/out" && commits=$((commits + 1))  # it failed in (or just before) the commit
    [[ -n ${VERBOSE:-} ]] && echo "size ${kib}k: $(tail -1 "$work/out")"
    [[ $(sha256sum <"$mnt/s.h5") == "$before" ]] || { echo "size ${kib}k: the store changed"; bad=$((bad + 1)); }
    ls "$mnt" | grep -q "\.tmp-" && { echo "size ${kib}k: a copy was left behind"; bad=$((bad + 1)); }
    mount -o remount,size=64m "$mnt"
    "$cli" "${job[@]}" --store "$mnt/s.h5" >"$work/out" 2>&1 || { echo "size ${kib}k: rerun failed: $(tail -1 "$work/out")"; bad=$((bad + 1)); }
  fi
  /usr/bin/python3 - "$mnt/s.h5" "$work/ref.h5" <<'EOF' || { echo "size ${kib}k: scores differ from the reference"; bad=$((bad + 1)); }
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
diff = []
a.visititems(lambda n, o: diff.append(n) if isinstance(o, h5py.Dataset) and not np.array_equal(o[()], b[n][()]) else None)
sys.exit(1 if diff else 0)
EOF
  ls "$mnt" | grep -qvE "^s\.h5$" && { echo "size ${kib}k: leftovers: $(ls "$mnt" | tr '\n' ' ')"; bad=$((bad + 1)); }
  umount "$mnt"
done
echo "disk-full: $runs runs, $failures ran out of space ($commits of them while writing the store), $bad problems"
((bad == 0))
