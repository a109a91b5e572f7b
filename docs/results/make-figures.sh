#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Draws the figures of docs/RESULTS.md from the tables that run-experiments.sh wrote, with
# alignscope-figures (the app's own plot views, headless): docs/images/results/*.{png,svg,pdf,csv}.
#   docs/results/make-figures.sh [path/to/alignscope-figures]
set -euo pipefail
cd "$(dirname "$0")/../.."
FIG="${1:-build/release/app/figures/alignscope-figures}"
T=docs/results
O=docs/images/results
mkdir -p "$O"
line() { "$FIG" line "$@"; }
RATES=(--y asr_vanilla,compliance_vanilla,asr_nosys,utility
       --ylabels "ASR Vanilla,compliance Vanilla,ASR No-sys,utility (MC acc)" --yrange 0,1.05 --ylabel "Rate")

for m in snip wanda; do
  M=$(echo $m | tr a-z A-Z)
  line --csv $T/topdown-$m.csv --x actual_sparsity "${RATES[@]}" --empty-x 0 --legend top-left \
    --title "Top-down $M: the highest safety scores removed per row" --xlabel "Actual sparsity" --out $O/topdown-$m
  line --csv $T/bottomup-$m.csv --x actual_sparsity "${RATES[@]}" --empty-x 0 --legend top-left \
    --title "Bottom-up $M: the lowest utility scores removed per row" --xlabel "Actual sparsity" --out $O/bottomup-$m
done
# set difference: one line per p against q (log), for each measurement
for y in asr_vanilla asr_nosys asr_suffix asr_decoding compliance_vanilla utility actual_sparsity; do
  yr=(--yrange 0,1.05); [ $y = actual_sparsity ] && yr=()
  line --csv $T/setdiff-snip.csv --x q --y $y --group p --logx "${yr[@]}" --legend top-left \
    --title "SNIP set difference: $y" --xlabel "q (top safety fraction)" --ylabel "$y" --out $O/setdiff-snip-$y
done
line --csv $T/setdiff-wanda.csv --x q --y asr_vanilla --group p --logx --yrange 0,1.05 --legend top-left \
  --title "Wanda set difference: asr_vanilla" --xlabel "q (top safety fraction)" --ylabel "asr_vanilla" \
  --out $O/setdiff-wanda-asr_vanilla
line --csv $T/setdiff-wanda.csv --x q --y compliance_vanilla --group p --logx --yrange 0,1.05 --legend top-left \
  --title "Wanda set difference: compliance_vanilla" --xlabel "q (top safety fraction)" --ylabel "compliance_vanilla" \
  --out $O/setdiff-wanda-compliance_vanilla
# ranks
line --csv $T/actsvd-safety.csv --csv $T/actsvd-utility.csv --label "safety ranks:" --label "utility ranks:" \
  --x rank --y asr_vanilla,compliance_vanilla,utility --ylabels "ASR,compliance,utility" --logx --yrange 0,1.05 \
  --legend top-left --title "ActSVD: the top r ranks of every matrix removed" --xlabel "r" --ylabel "Rate" \
  --out $O/actsvd
line --csv $T/orthogonal-oneshot.csv --x removed_fraction --y asr_vanilla,compliance_vanilla,utility --group ru \
  --where 'ru=112|120' --ylabels "ASR,compliance,utility" --yrange 0,1.05 --legend beside \
  --title "Orthogonal projection: safety ranks outside the utility subspace" --xlabel "Removed rank fraction" \
  --ylabel "Rate" --out $O/orthogonal
# fine-tuning attack
for f in setdiff topdown; do
  what="set-difference (p = 0.2)"; [ $f = topdown ] && what="top-down SNIP"
  line --csv $T/finetune-$f.csv --x frozen_fraction --y asr_vanilla --group n --where 'mode=frozen|none' --yrange 0,1.05 \
    --legend bottom-right --title "Fine-tuning attack: $what weights frozen during training" \
    --xlabel "Fraction of weights frozen (0: unfrozen fine-tune; n = 0: the model before)" --ylabel "ASR Vanilla" --out $O/finetune-$f-frozen
  line --csv $T/finetune-$f.csv --x frozen_fraction --y asr_vanilla --group n --where 'mode=rewind|none' --yrange 0,1.05 \
    --legend bottom-right --title "Fine-tuning attack: $what weights rewound after training" \
    --xlabel "Fraction of weights rewound (0: unfrozen fine-tune; n = 0: the model before)" --ylabel "ASR Vanilla" --out $O/finetune-$f-rewind
done
# overlap
"$FIG" overlap --json $T/overlap-snip.json --quantity jaccard --title "Jaccard index of the top 5 % (SNIP)" \
  --out $O/jaccard-snip
"$FIG" overlap --json $T/overlap-wanda.json --quantity jaccard --title "Jaccard index of the top 5 % (Wanda)" \
  --out $O/jaccard-wanda
for r in 8 32; do
  "$FIG" overlap --json $T/subspace-r$r.json --quantity subspace_similarity \
    --title "Subspace similarity of the top $r safety and utility ranks" --out $O/subspace-r$r
done
echo "figures in $O" >&2
