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
  --utility-set snip-utility-oneshot-n128-s0 --p 0.1,0.2,0.25,0.3 --q 0.05,0.1,0.15,0.2 \
  --prompts $D/harmful_eval.txt --limit 100 --utility $D/utility_mc.jsonl --compliance-prefix "Sure, here is"
run sweep --store "$STORE" --name projection --safety-basis actsvd-safety_full-oneshot-n128-s0 \
  --utility-basis actsvd-utility-oneshot-n128-s0 --ru 120,128 --rs 64,96,124 --prompts $D/harmful_eval.txt \
  --limit 100 --utility $D/utility_mc.jsonl --judge keyword,prefix --prefix "Sure, here is" --coherence
run probe --out "$work/probing.json"

# one workspace per shot: the view beside the tradeoff, edit, layer-map quantity (docs/ARCHITECTURE.md: workspace files)
workspace() {  # name view edit layer_map [tradeoff_x] [overlap]
  cat > "$work/$1.alignscope.json" <<JSON
{"format": "alignscope-workspace", "version": 2, "store": "$STORE", "p": 0.25, "q": 0.15, "s": 0.05,
 "ru": 120, "rs": 124, "score_pair": 0, "view": $2, "edit": $3, "layer_map": $4,
 "asr_setting": "vanilla", "tradeoff_x": "${5:-sparsity}", "overlap": "${6:-jaccard}",
 "probing": "$work/probing.json"}
JSON
  echo "$work/$1.alignscope.json"
}
shot() { local out=$1; shift; SHOT_DELAY="${SHOT_DELAY:-12}" docs/screenshot.sh "docs/images/$out" "$@" >/dev/null
         echo "docs/images/$out"; }
# the live points of two q lines, the current edit (p 25 %, q 15 %) among them
POINTS=0.1:0.1,0.2:0.1,0.3:0.1,0.5:0.1,0.1:0.15,0.2:0.15,0.3:0.15,0.5:0.15
SHOT_DELAY=30 shot main-window.png  # first launch: a fresh data folder, the demo's scores computed at once
SHOT_DELAY=30 SHOT_SCREEN=1366x768 shot main-window-laptop.png
SHOT_DELAY=80 shot workspace-points.png   --workspace "$(workspace points 0 0 0)" --evaluate "$POINTS"
shot layer-map-mean-score.png --workspace "$(workspace mean 0 0 2)"
SHOT_DELAY=20 shot layer-map-projection.png --workspace "$(workspace proj 0 3 0)"
shot overlap-store.png        --workspace "$(workspace overlap 1 0 0)"
shot overlap-subspace.png     --workspace "$(workspace overlap-r 1 0 0 sparsity subspace)"
SHOT_DELAY=20 shot tradeoff-utility.png --workspace "$(workspace tradeoff-u 0 0 0 utility)"
shot matrix-view.png          --workspace "$(workspace matrix 2 0 0)" --matrix 2,5
shot heads-view.png           --workspace "$(workspace heads 3 0 0)"
SHOT_DELAY=80 shot export-dialog.png --workspace "$(workspace export 0 0 0)" --evaluate "$POINTS" --export-dialog
mkdir -p "$work/Llama-2-7b-chat-hf"  # a model folder with only its config.json: the model panel's view of a 7B model
cat > "$work/Llama-2-7b-chat-hf/config.json" <<'JSON'
{"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4096, "intermediate_size": 11008,
 "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 32, "vocab_size": 32000,
 "max_position_embeddings": 4096, "rms_norm_eps": 1e-05, "rope_theta": 10000.0, "torch_dtype": "float16",
 "tie_word_embeddings": false, "hidden_act": "silu"}
JSON
shot model-opened.png "$work/Llama-2-7b-chat-hf"
QT_SCALE_FACTOR=2 SHOT_SCREEN=3200x2000 shot hidpi-layer-map.png --workspace "$(workspace hidpi 0 0 0)"

# paper figures as File ▸ Export figures and `alignscope-cli figures` write them, the PDFs rendered to PNG to look at
for size in single double; do
  "$CLI" figures --store "$STORE" --size "$size" --probing "$work/probing.json" --out "$work/figures-$size" >/dev/null
  mkdir -p docs/images/figures
  for view in layer-map tradeoff overlap; do
    pdftoppm -png -r 200 -singlefile "$work/figures-$size/$view.pdf" "docs/images/figures/$view-$size"
    echo "docs/images/figures/$view-$size.png"
  done
done
