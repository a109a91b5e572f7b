#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The GPU check: on a machine with an NVIDIA GPU and a CUDA libtorch (pip/conda torch, or an unpacked
# libtorch zip), build the `server` preset against it, run the engine and CLI tests, check the CUDA results
# against the CPU (bench/gpu_check agree) and time a Llama-2-7B-shaped model in bf16 (bench/gpu_check big:
# SNIP + Wanda scoring and a Vanilla-ASR-shaped generation) with the peak GPU memory. Figures go to
# docs/BENCHMARKS.md by hand, with this script's summary.
#
#   bench/gpu-check.sh [--libtorch DIR] [--build DIR] [--no-tests] [--quick]
#     --libtorch DIR  a libtorch folder (DIR/share/cmake/Torch); default: $LIBTORCH, else python3's torch
#     --build DIR     build folder (default build/gpu)
#     --no-tests      skip the test suites (the agreement checks and timings still run)
#     --quick         a 4-layer model instead of 32 layers for the timings
# Exit status: 0 all checks passed, 1 a check or the build failed, 77 no GPU or no CUDA libtorch here.
set -euo pipefail
cd "$(dirname "$0")/.."

libtorch=${LIBTORCH:-}
build=build/gpu
tests=1
layers=32
while (($#)); do
  case $1 in
    --libtorch) libtorch=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --no-tests) tests=0; shift ;;
    --quick) layers=4; shift ;;
    *) echo "gpu-check: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$build"
summary=$build/gpu-check-summary.txt
: >"$summary"
say() { echo "$*" | tee -a "$summary"; }

command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1 ||
  { echo "gpu-check: no NVIDIA GPU here (nvidia-smi finds none): nothing to check" >&2; exit 77; }

# the libtorch to build against, and whether it has CUDA and the C++11 ABI that Debian's libraries use
py=$(command -v python3 || true)
if [[ -z $libtorch && -n $py ]] && "$py" -c 'import torch' 2>/dev/null; then
  libtorch=$("$py" -c 'import torch, os; print(os.path.dirname(os.path.dirname(torch.utils.cmake_prefix_path)))')
  abi=$("$py" -c 'import torch; print(int(torch.compiled_with_cxx11_abi()))')
  cuda=$("$py" -c 'import torch; print(torch.version.cuda or "")')
  [[ $abi == 1 ]] || { echo "gpu-check: python3's torch ($libtorch) uses the pre-C++11 string ABI, which cannot link with Debian's HDF5, ICU and SentencePiece; use torch >= 2.7 or the cxx11-abi libtorch zip (--libtorch DIR)" >&2; exit 1; }
  [[ -n $cuda ]] || { echo "gpu-check: python3's torch has no CUDA (torch.version.cuda is None)" >&2; exit 77; }
fi
[[ -n $libtorch && -d $libtorch/share/cmake/Torch ]] ||
  { echo "gpu-check: no libtorch found: give --libtorch DIR (a folder with share/cmake/Torch) or install torch for python3" >&2; exit 77; }
ls "$libtorch"/lib/libtorch_cuda.so >/dev/null 2>&1 ||
  { echo "gpu-check: $libtorch has no libtorch_cuda.so: a CPU-only libtorch" >&2; exit 77; }

say "gpu-check $(date -Is) on $(hostname)"
say "GPU: $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | head -1)"
say "CPU: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; libtorch: $libtorch"
say "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

# build the engine and the CLI (no GUI) against that libtorch
t0=$SECONDS
cmake --preset server -B "$build" -DCMAKE_PREFIX_PATH="$libtorch" -DALIGNSCOPE_BUILD_TESTS=ON >"$build/configure.log" 2>&1 ||
  { tail -20 "$build/configure.log" >&2; echo "gpu-check: configure failed ($build/configure.log)" >&2; exit 1; }
cmake --build "$build" -j"$(nproc)" >"$build/build.log" 2>&1 ||
  { grep -m5 -B2 -A5 "error" "$build/build.log" >&2; echo "gpu-check: build failed ($build/build.log)" >&2; exit 1; }
say "build: $((SECONDS - t0)) s"
cli=$build/app/cli/alignscope-cli
"$cli" doctor | tee -a "$summary"

rc=0
if ((tests)); then
  t0=$SECONDS
  if ctest --test-dir "$build" -j4 --timeout 900 -LE build >"$build/ctest.log" 2>&1; then
    say "tests (CPU, this libtorch): $(grep -E 'tests passed' "$build/ctest.log") in $((SECONDS - t0)) s"
  else
    say "tests (CPU, this libtorch): FAILED: $(grep -E 'tests passed|Failed|\*\*\*' "$build/ctest.log" | tr '\n' ' ')"
    rc=1
  fi
fi

say "== CPU vs CUDA agreement"
"$build/bench/gpu_check" agree --device cuda --work "$build/agree" 2>&1 | tee -a "$summary" || rc=1

say "== Llama-2-7B-shaped model ($layers layers), bf16, on cuda"
mem=$build/memory.csv
base=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -i 0 | head -1)
nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -i 0 -lms 100 >"$mem" &
sampler=$!
"$build/bench/gpu_check" big --device cuda --dtype bf16 --layers "$layers" 2>&1 | tee -a "$summary" || rc=1
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
peak=$(sort -n "$mem" | tail -1)
say "peak GPU memory: $((peak - base)) MiB above the $base MiB in use before (nvidia-smi, sampled every 100 ms)"
say "gpu-check: $([[ $rc == 0 ]] && echo passed || echo FAILED); summary in $summary"
exit $rc
