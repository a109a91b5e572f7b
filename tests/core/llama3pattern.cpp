// SPDX-License-Identifier: MIT
// Llama 3's pre-tokenizer regex, kept out of tst_tokenizer.cpp: moc cannot parse a raw string
// literal that contains apostrophes.
extern const char *const kLlama3Pattern;
const char *const kLlama3Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
