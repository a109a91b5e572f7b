// SPDX-License-Identifier: MIT
// The test oracle for tokenizer parity: Hugging Face's tokenizers as ported to JavaScript
// (@lenml/tokenizers, from transformers.js) encode texts with real tokenizer.json files.
// Usage: node hf_tokenize.mjs NPM_PREFIX < {"dirs": [...], "texts": [...]}
// Output: {"<dir>": {"plain": [[ids]...], "special": [[ids]...], "decoded": [text of the special ids]}}
import fs from "fs";
import path from "path";

const prefix = process.argv[2];
const { TokenizerLoader } = await import(path.join(prefix, "node_modules/@lenml/tokenizers/dist/main.mjs"));
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const out = {};
for (const dir of input.dirs) {
  const tok = TokenizerLoader.fromPreTrained({
    tokenizerJSON: JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8")),
    tokenizerConfig: JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8")),
  });
  const special = input.texts.map((t) => tok.encode(t, { add_special_tokens: true }));
  out[dir] = {
    plain: input.texts.map((t) => tok.encode(t, { add_special_tokens: false })),
    special,
    decoded: special.map((ids) => (ids.length ? tok.decode(ids, { skip_special_tokens: true }) : "")),
  };
}
process.stdout.write(JSON.stringify(out));
