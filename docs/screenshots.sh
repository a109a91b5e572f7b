#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Takes every screenshot of docs/images/ in one state: the bundled demo-chat model with SNIP and ActSVD
# sets for its safety and utility data, a set-difference sweep and a probing of its heads, all computed
# here into a temporary store (about a minute), then one 1600x1000 shot per view under Xvfb, and the
# first launch (main-window.png: a fresh data folder, the demo's scores computed at once).
#   docs/screenshots.sh [build dir, default build/release]
# A high-DPI screen is checked with QT_SCALE_FACTOR=2 on a 3200x2000 screen: docs/images/hidpi-layer-map.png.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build="${1:-build/release}"
CLI="$build/app/cli/alignscope-cli"
export ALIGNSCOPE_BIN="$build/app/gui/alignscope"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
D=resources/datasets
STORE="$work/demo-chat.h5"
run() { "$CLI" -q "$@" >/dev/null; }
for method in snip actsvd; do
  run score --method $method --data $D/safety_full.csv --store "$STORE"
  run score --method $method --data $D/utility.csv --store "$STORE"
done
run sweep --store "$STORE" --name setdiff --safety-set snip-safety_full-oneshot-n128-s0 \
  --utility-set snip-utility-oneshot-n128-s0 --p 0.05,0.1,0.2 --q 0.02,0.05,0.1,0.2 \
  --prompts $D/harmful_eval.txt --limit 100 --utility $D/utility_mc.jsonl --compliance-prefix "Sure, here is"
run sweep --store "$STORE" --name projection --safety-basis actsvd-safety_full-oneshot-n128-s0 \
  --utility-basis actsvd-utility-oneshot-n128-s0 --ru 112,128 --rs 64,96,120 --prompts $D/harmful_eval.txt \
  --limit 100 --utility $D/utility_mc.jsonl --judge keyword,prefix --prefix "Sure, here is" --coherence
run probe --out "$work/probing.json"

# one workspace per shot: view, edit, layer-map quantity (docs/ARCHITECTURE.md: workspace files)
workspace() {  # name view edit layer_map [tradeoff_x] [overlap]
  cat > "$work/$1.alignscope.json" <<JSON
{"format": "alignscope-workspace", "version": 1, "store": "$STORE", "p": 0.2, "q": 0.1, "s": 0.05,
 "ru": 112, "rs": 120, "score_pair": 0, "view": $2, "edit": $3, "layer_map": $4,
 "asr_setting": "vanilla", "tradeoff_x": "${5:-sparsity}", "overlap": "${6:-jaccard}",
 "probing": "$work/probing.json", "ablate_heads": 4}
JSON
  echo "$work/$1.alignscope.json"
}
shot() { local out=$1; shift; SHOT_DELAY="${SHOT_DELAY:-9}" docs/screenshot.sh "docs/images/$out" "$@" >/dev/null
         echo "docs/images/$out"; }
SHOT_DELAY=30 shot main-window.png  # first launch: a fresh data folder, the demo's scores computed at once
shot layer-map-store.png      --workspace "$(workspace map 0 0 0)"
shot layer-map-mean-score.png --workspace "$(workspace mean 0 0 2)"
shot layer-map-projection.png --workspace "$(workspace proj 0 3 0)"
shot overlap-store.png        --workspace "$(workspace overlap 1 0 0)"
shot overlap-subspace.png     --workspace "$(workspace overlap-r 1 0 0 sparsity subspace)"
SHOT_DELAY=25 shot tradeoff-store.png --workspace "$(workspace tradeoff 2 0 0)"
SHOT_DELAY=25 shot tradeoff-utility.png --workspace "$(workspace tradeoff-u 2 0 0 utility)"
SHOT_DELAY=25 shot generations-view.png --workspace "$(workspace gen 3 0 0)"
shot matrix-view.png          --workspace "$(workspace matrix 0 0 0)" --matrix 2,5
shot heads-view.png           --workspace "$(workspace heads 5 0 0)"
QT_SCALE_FACTOR=2 SHOT_SCREEN=3200x2000 shot hidpi-layer-map.png --workspace "$(workspace hidpi 0 0 0)"
