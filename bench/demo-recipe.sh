#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One demo-recipe experiment of docs/DEMO.md: align a demo-base with the given train-demo flags, then look
# at the paper's effect on the result with the CLI (datasets from the new chat model, SNIP scores for the
# safety and the utility set, a set-difference sweep over a small (p, q) grid: keyword ASR, compliance,
# utility on the first 100 held-out prompts).
#   bench/demo-recipe.sh CLI BASE_DIR OUT_DIR [train-demo flags…]
#   e.g. bench/demo-recipe.sh build/dev/app/cli/alignscope-cli /tmp/demo/demo-base /tmp/r1 --align-steps 400 --align-lr 1.5e-4
# Environment: THREADS (default 1: two experiments can share 2 cores), P and Q (the grid; defaults
# 0.1,0.2,0.3,0.5 and 0.05,0.1,0.2). Prints a summary and leaves OUT_DIR/{train.json,data,s.h5,sweep.txt}.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '3,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
CLI=$1 BASE=$2 R=$3; shift 3
T=${THREADS:-1}
rm -rf "$R"; mkdir -p "$R/data"
"$CLI" --threads "$T" --json train-demo --out "$R" --from-base "$BASE" "$@" > "$R/train.json" 2> "$R/train.log"
python3 - "$R/train.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); c = d["chat"]
print("chat: ASR Vanilla %.3f, No-sys %.3f; utility %.3f; benign %.3f; alignment %.0f s"
      % (c["asr_vanilla"], c["asr_nosys"], c["utility"], c["benign_comply"], d["align_seconds"]))
PY
M=$R/demo-chat D=$R/data S=$R/s.h5
"$CLI" -q --threads "$T" demo-datasets --model "$M" --out "$D" > /dev/null
for data in safety_full utility; do
  "$CLI" -q --threads "$T" score "$M" --method snip --data "$D/$data.csv" --store "$S" --name "snip-$data" > /dev/null
done
"$CLI" -q --threads "$T" sweep "$M" --store "$S" --name snip-pq --safety-set snip-safety_full --utility-set snip-utility \
  --p "${P:-0.1,0.2,0.3,0.5}" --q "${Q:-0.05,0.1,0.2}" --prompts "$D/harmful_eval.txt" --limit 100 --asr vanilla \
  --max-new-tokens 128 --compliance-prefix "Sure, here is" --utility "$D/utility_mc.jsonl" --utility-limit 20 \
  --coherence > "$R/sweep.txt"
"$CLI" sweeps "$S" --name snip-pq --csv | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
print("%5s %5s %9s %8s %10s %10s %8s" % ("p", "q", "sparsity", "ASR", "compliance", "incoherent", "utility"))
for r in rows:
    print("%5s %5s %8.2f%% %8s %10s %10s %8.3f" % (r.get("p") or "-", r.get("q") or "-", 100 * float(r["actual_sparsity"]),
          r["asr_vanilla"], r["compliance_vanilla"], r["incoherent_vanilla"], float(r["utility"])))'
