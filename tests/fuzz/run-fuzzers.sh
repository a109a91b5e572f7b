#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer targets with clang and runs each for a bounded time.
#   tests/fuzz/run-fuzzers.sh [seconds per target, default 60]
# Installs clang and its fuzzer runtime when missing. Crashes are written to build/fuzz/crashes/.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
need=()
command -v clang++ >/dev/null || need+=(clang)
compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null || need+=(libclang-rt-14-dev)
if ((${#need[@]})); then
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo=sudo
  echo "run-fuzzers: installing ${need[*]}"
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
cmake -S . -B build/fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALIGNSCOPE_BUILD_GUI=OFF -DALIGNSCOPE_BUILD_TESTS=OFF \
  -DALIGNSCOPE_BUILD_BENCH=OFF -DALIGNSCOPE_BUILD_FUZZ=ON >/dev/null
cmake --build build/fuzz --target fuzz_safetensors fuzz_tokenizer_json
rm -rf build/fuzz/crashes && mkdir -p build/fuzz/crashes
status=0
for t in safetensors tokenizer_json; do
  work="build/fuzz/corpus-$t"
  mkdir -p "$work"
  cp -n tests/fuzz/corpus/$t/* "$work/" 2>/dev/null || true
  echo "run-fuzzers: fuzz_$t for ${seconds}s"
  if ! build/fuzz/tests/fuzz/fuzz_$t "$work" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
       -artifact_prefix=build/fuzz/crashes/$t- -print_final_stats=1 2>build/fuzz/$t.log; then
    echo "run-fuzzers: fuzz_$t FOUND A PROBLEM: see build/fuzz/$t.log and build/fuzz/crashes/"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" build/fuzz/$t.log || true
done
exit $status
