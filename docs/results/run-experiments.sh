#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Reproduces docs/RESULTS.md: the paper's experiments on the bundled demo-chat model, with the
# bundled datasets, into one store (build/results/demo-chat.h5) and CSV tables (docs/results/*.csv).
#   docs/results/run-experiments.sh [path/to/alignscope-cli]
# About an hour on 2 cores (demo v2, 8 layers). Every step is resumable: rerunning skips what the store already has.
set -euo pipefail
cd "$(dirname "$0")/../.."
CLI="${1:-build/release/app/cli/alignscope-cli}"
D=resources/datasets
OUT=build/results
STORE=$OUT/demo-chat.h5
CSV=docs/results
mkdir -p "$OUT" "$CSV"
run() { echo "+ alignscope-cli $*" >&2; "$CLI" -q "$@"; }

# 1. attribution: SNIP and Wanda scores, ActSVD bases, for the safety and the utility set
for method in snip wanda actsvd; do
  run score --method "$method" --data $D/safety_full.csv --store "$STORE" >/dev/null
  run score --method "$method" --data $D/utility.csv --store "$STORE" >/dev/null
done
run score --method actsvd --mode sequential --data $D/safety_full.csv --orthogonal-utility $D/utility.csv \
  --ru 64 --rs 120 --store "$STORE" >/dev/null
run sets "$STORE" > "$CSV/sets.txt"

S_SNIP=snip-safety_full-oneshot-n128-s0;  U_SNIP=snip-utility-oneshot-n128-s0
S_WANDA=wanda-safety_full-oneshot-n128-s0; U_WANDA=wanda-utility-oneshot-n128-s0
S_SVD=actsvd-safety_full-oneshot-n128-s0;  U_SVD=actsvd-utility-oneshot-n128-s0
MEASURE=(--prompts $D/harmful_eval.txt --limit 100 --utility $D/utility_mc.jsonl --compliance-prefix "Sure, here is")
ALL_ASR=(--asr vanilla,nosys,suffix,decoding)
sweep() { local name=$1; shift; run sweep --store "$STORE" --name "$name" "$@" "${MEASURE[@]}" >/dev/null;
          run sweeps "$STORE" --name "$name" --csv > "$CSV/$name.csv"; }

# 2. top-down pruning by the safety scores alone (the paper's "prune the top safety-critical weights")
SP=0.001,0.002,0.005,0.01,0.02,0.05,0.1
sweep topdown-snip  --scores $S_SNIP  --top-down --sparsity $SP
sweep topdown-wanda --scores $S_WANDA --top-down --sparsity $SP
# 3. bottom-up pruning by the utility scores (ordinary pruning: does safety survive?)
BU=0.1,0.2,0.3,0.4,0.5,0.6,0.7
sweep bottomup-snip  --scores $U_SNIP  --sparsity $BU
sweep bottomup-wanda --scores $U_WANDA --sparsity $BU
# 4. set difference over a (p, q) grid, the four ASRs; and the control the claim needs: at the same points, as
#    many weights per matrix drawn at random (three seeds)
P_GRID=0.05,0.1,0.2,0.25,0.3
Q_GRID=0.02,0.05,0.1,0.15,0.2
sweep setdiff-snip  --safety-set $S_SNIP  --utility-set $U_SNIP  --p $P_GRID --q $Q_GRID "${ALL_ASR[@]}"
sweep setdiff-wanda --safety-set $S_WANDA --utility-set $U_WANDA --p $P_GRID --q $Q_GRID
for seed in 0 1 2; do
  sweep setdiff-snip-random$seed --safety-set $S_SNIP --utility-set $U_SNIP --p 0.2,0.25,0.3 --q 0.1,0.15,0.2 \
    --random-control $seed --no-baseline
done
# 5. ActSVD: remove the top-r safety ranks; and the same number of top utility ranks for contrast
sweep actsvd-safety  --basis $S_SVD --rank 1,2,4,8,16,32
sweep actsvd-utility --basis $U_SVD --rank 1,2,4,8,16,32
# 6. orthogonal projection (one-shot bases): remove m − r_s safety directions outside the top m − r_u
#    utility directions (the code's meaning; m = 128)
sweep orthogonal-oneshot --safety-basis $S_SVD --utility-basis $U_SVD --ru 32,64,96,112,120 --rs 124,120,112,96 \
  "${ALL_ASR[@]}"
#    and the sequential projection of main_low_rank_diff.py at one (r_u, r_s), for comparison with the
#    one-shot point (64, 120) above
sweep orthogonal-sequential --safety-basis actsvd-safety_full-sequential-n128-s0-ortho-ru64-rs120 \
  --utility-basis actsvd-utility-sequential-n128-s0-ortho-ru64-rs120 --ru 64 --rs 120 "${ALL_ASR[@]}"
# 7. overlap: Jaccard index (p = 0.05) and subspace similarity (r = 8 and 32)
run overlap --store "$STORE" --safety $S_SNIP --utility $U_SNIP --p 0.05 --json > "$CSV/overlap-snip.json"
run overlap --store "$STORE" --safety $S_WANDA --utility $U_WANDA --p 0.05 --json > "$CSV/overlap-wanda.json"
run overlap --store "$STORE" --safety-basis $S_SVD --utility-basis $U_SVD --rs 8 --ru 8 --json > "$CSV/subspace-r8.json"
run overlap --store "$STORE" --safety-basis $S_SVD --utility-basis $U_SVD --rs 32 --ru 32 --json > "$CSV/subspace-r32.json"
# 8. the fine-tuning attack with frozen safety-critical weights (set difference p = 0.2, q = fraction)
run finetune-attack --demos $D/harmful_demos.jsonl --n 10,50,100 --prompts $D/harmful_eval.txt --limit 100 \
  --store "$STORE" --safety-set $S_SNIP --utility-set $U_SNIP --p 0.2 --fractions 0.05,0.1,0.2 --csv \
  > "$CSV/finetune-setdiff.csv"
run finetune-attack --demos $D/harmful_demos.jsonl --n 10,50,100 --prompts $D/harmful_eval.txt --limit 100 \
  --store "$STORE" --scores $S_SNIP --top-down --fractions 0.01,0.05,0.1 --csv > "$CSV/finetune-topdown.csv"
echo "done: $STORE, tables in $CSV" >&2
