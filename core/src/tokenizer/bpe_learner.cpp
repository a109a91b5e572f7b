// SPDX-License-Identifier: MIT
#include "alignscope/bpe_learner.h"

#include "tokenizer/utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>

namespace alignscope {

using nlohmann::json;

namespace {

const std::string kSpace = "\xE2\x96\x81";  // ▁

/** Metaspace with prepend_scheme "first": spaces become ▁, ▁ is prepended, a word starts at each ▁. */
std::vector<std::string> words(const std::string &text)
{
    std::string t;
    for (char c : text)
        t += c == ' ' ? kSpace : std::string(1, c);
    if (t.compare(0, kSpace.size(), kSpace) != 0)
        t = kSpace + t;
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t pos = t.find(kSpace, 1); pos != std::string::npos; pos = t.find(kSpace, pos + 1)) {
        out.push_back(t.substr(start, pos - start));
        start = pos;
    }
    out.push_back(t.substr(start));
    return out;
}

bool hasDigit(const std::string &symbol)
{
    return std::any_of(symbol.begin(), symbol.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

std::string learnBpeTokenizer(const std::vector<std::string> &texts, const BpeLearnOptions &o)
{
    std::map<std::string, long> freq;
    for (const std::string &t : texts)
        for (const std::string &w : words(t))
            ++freq[w];
    std::vector<std::pair<std::vector<std::string>, long>> seqs;
    std::set<std::string> chars;
    for (const auto &[w, n] : freq) {
        seqs.push_back({utf8::characters(w), n});
        for (const auto &c : seqs.back().first)
            chars.insert(c);
    }

    json vocab = json::object();
    std::vector<std::string> order = {"<unk>", "<s>", "</s>"};
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        order.push_back(name);
    }
    for (const auto &c : chars)
        order.push_back(c);
    if (int(order.size()) > o.vocabSize)
        throw std::invalid_argument("[learnBpeTokenizer] vocabulary size " + std::to_string(o.vocabSize) +
                                    " is smaller than the " + std::to_string(order.size()) + " base symbols");
    json merges = json::array();
    std::set<std::string> known(order.begin(), order.end());
    while (int(order.size()) < o.vocabSize) {
        std::map<std::pair<std::string, std::string>, long> pairs;
        for (const auto &[s, n] : seqs)
            for (size_t i = 0; i + 1 < s.size(); ++i)
                if (!o.splitDigits || !(hasDigit(s[i]) || hasDigit(s[i + 1])))
                    pairs[{s[i], s[i + 1]}] += n;
        const std::pair<std::string, std::string> *best = nullptr;
        long bestN = 0;
        for (const auto &[p, n] : pairs)  // map order: ties go to the smallest pair
            if (n > bestN) {
                best = &p;
                bestN = n;
            }
        if (!best || bestN < o.minFrequency)
            break;
        const auto [a, b] = *best;
        const std::string ab = a + b;
        merges.push_back(json::array({a, b}));
        if (known.insert(ab).second)
            order.push_back(ab);
        for (auto &[s, n] : seqs) {
            std::vector<std::string> next;
            for (size_t i = 0; i < s.size(); ++i) {
                if (i + 1 < s.size() && s[i] == a && s[i + 1] == b) {
                    next.push_back(ab);
                    ++i;
                } else {
                    next.push_back(s[i]);
                }
            }
            s.swap(next);
        }
    }
    for (size_t i = 0; i < order.size(); ++i)
        vocab[order[i]] = i;

    json tok = {
        {"version", "1.0"},
        {"truncation", nullptr},
        {"padding", nullptr},
        {"added_tokens", {{{"id", 0}, {"content", "<unk>"}, {"special", true}},
                          {{"id", 1}, {"content", "<s>"}, {"special", true}},
                          {{"id", 2}, {"content", "</s>"}, {"special", true}}}},
        {"normalizer", nullptr},
        {"pre_tokenizer", {{"type", "Metaspace"}, {"replacement", kSpace}, {"prepend_scheme", "first"}, {"split", true}}},
        {"post_processor", {{"type", "TemplateProcessing"},
                            {"single", {{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}}, {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}}},
                            {"pair", {{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}}, {{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
                                      {{"SpecialToken", {{"id", "<s>"}, {"type_id", 1}}}}, {{"Sequence", {{"id", "B"}, {"type_id", 1}}}}}},
                            {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {1}}, {"tokens", {"<s>"}}}}}}}},
        {"decoder", {{"type", "Sequence"}, {"decoders", {{{"type", "Replace"}, {"pattern", {{"String", kSpace}}}, {"content", " "}},
                                                         {{"type", "ByteFallback"}}, {{"type", "Fuse"}},
                                                         {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}}}}}},
        {"model", {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", "<unk>"}, {"continuing_subword_prefix", nullptr},
                   {"end_of_word_suffix", nullptr}, {"fuse_unk", true}, {"byte_fallback", true}, {"ignore_merges", false},
                   {"vocab", vocab}, {"merges", merges}}},
    };
    return tok.dump(1);
}

std::string learnedTokenizerConfig()
{
    const json cfg = {
        {"bos_token", "<s>"}, {"eos_token", "</s>"}, {"unk_token", "<unk>"}, {"add_bos_token", true},
        {"add_eos_token", false}, {"model_max_length", 512}, {"tokenizer_class", "LlamaTokenizerFast"},
        // Llama 2's chat format (spec §9.2), as a Hugging Face chat template
        {"chat_template",
         "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
         "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
         "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
         "{% if loop.index0 == 0 and system_message != false %}"
         "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
         "{% else %}{% set content = message['content'] %}{% endif %}"
         "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}"
         "{% elif message['role'] == 'assistant' %}{{ ' ' + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}"}};
    return cfg.dump(1);
}

} // namespace alignscope
