// SPDX-License-Identifier: MIT
// The tokenizer front: added-token splitting, BOS/EOS rules, special-token skipping.
#include "alignscope/tokenizer.h"

#include "data/json_file.h"
#include "tokenizer/backend.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace alignscope {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {


/** A special-token entry of tokenizer_config.json: a string or {"content": …}. */
std::string tokenString(const json &v)
{
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_object() && v.contains("content") && v["content"].is_string())
        return v["content"].get<std::string>();
    return {};
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

} // namespace

Tokenizer::~Tokenizer() = default;

std::unique_ptr<Tokenizer> Tokenizer::load(const std::string &modelDir, TokenizerPreference pref)
{
    const fs::path dir(modelDir);
    const fs::path spFile = dir / "tokenizer.model", jsonFile = dir / "tokenizer.json";
    std::error_code ec;
    const bool hasSp = fs::exists(spFile, ec), hasJson = fs::exists(jsonFile, ec);
    bool useSp = false;
    switch (pref) {
    case TokenizerPreference::Auto:
        if (!hasSp && !hasJson)
            throw ModelError(modelDir + ": no tokenizer (neither tokenizer.model nor tokenizer.json)");
        useSp = hasSp;
        break;
    case TokenizerPreference::SentencePieceModel:
        if (!hasSp)
            throw ModelError(spFile.string() + ": missing");
        useSp = true;
        break;
    case TokenizerPreference::TokenizerJson:
        if (!hasJson)
            throw ModelError(jsonFile.string() + ": missing");
        break;
    }
    const std::string file = (useSp ? spFile : jsonFile).string();
    BackendResult r = useSp ? loadSentencePieceModel(file) : loadTokenizerJson(file);

    std::unique_ptr<Tokenizer> t(new Tokenizer);
    t->m_backend = std::move(r.backend);
    t->m_kind = r.kind;
    t->m_file = file;
    t->m_added = std::move(r.added);

    const json cfg = readJsonObjectFile(dir / "tokenizer_config.json");
    try {
        t->applyConfig(cfg, dir.string(), r);
    } catch (const json::exception &e) {
        throw ModelError((dir / "tokenizer_config.json").string() + ": invalid content (" + e.what() + ")");
    }
    return t;
}

void Tokenizer::applyConfig(const nlohmann::json &cfg, const std::string &dirName, const BackendResult &r)
{
    const fs::path dir(dirName);
    Tokenizer *t = this;
    // added tokens declared in tokenizer_config.json ({"id": {"content", "special", …}})
    if (auto dec = cfg.find("added_tokens_decoder"); dec != cfg.end() && dec->is_object()) {
        for (auto it = dec->begin(); it != dec->end(); ++it) {
            AddedToken a;
            try {
                a.id = std::stoll(it.key());
            } catch (...) {
                throw ModelError((dir / "tokenizer_config.json").string() + ": added_tokens_decoder key '" +
                                 it.key() + "' is not a token id");
            }
            a.content = tokenString(it.value());
            a.special = it.value().value("special", false);
            a.lstrip = it.value().value("lstrip", false);
            a.rstrip = it.value().value("rstrip", false);
            const bool known = std::any_of(t->m_added.begin(), t->m_added.end(),
                                           [&](const AddedToken &x) { return x.id == a.id; });
            if (!a.content.empty() && !known)
                t->m_added.push_back(a);
        }
    }
    const std::string bos = tokenString(cfg.value("bos_token", json()));
    const std::string eos = tokenString(cfg.value("eos_token", json()));
    t->m_bos = bos.empty() ? -1 : t->tokenToId(bos);
    t->m_eos = eos.empty() ? -1 : t->tokenToId(eos);
    if (t->m_kind == TokenizerKind::SentencePiece) {
        if (t->m_bos < 0)
            t->m_bos = t->tokenToId("<s>");
        if (t->m_eos < 0)
            t->m_eos = t->tokenToId("</s>");
        // LlamaTokenizer's defaults: BOS yes, EOS no
        t->m_addBos = cfg.value("add_bos_token", true) && t->m_bos >= 0;
        t->m_addEos = cfg.value("add_eos_token", false) && t->m_eos >= 0;
        if (t->m_addBos)
            t->m_prefixIds = {t->m_bos};
        if (t->m_addEos)
            t->m_suffixIds = {t->m_eos};
    } else {
        if (r.hasTemplate) {
            t->m_prefixIds = r.prefix;
            t->m_suffixIds = r.suffix;
        } else {
            if (cfg.value("add_bos_token", false) && t->m_bos >= 0)
                t->m_prefixIds = {t->m_bos};
            if (cfg.value("add_eos_token", false) && t->m_eos >= 0)
                t->m_suffixIds = {t->m_eos};
        }
        t->m_addBos = !t->m_prefixIds.empty() && t->m_prefixIds.front() == t->m_bos;
        t->m_addEos = !t->m_suffixIds.empty() && t->m_suffixIds.back() == t->m_eos;
    }
    // longest match first when splitting text on added tokens
    std::stable_sort(t->m_added.begin(), t->m_added.end(),
                     [](const AddedToken &a, const AddedToken &b) { return a.content.size() > b.content.size(); });
}

std::string Tokenizer::kindName() const
{
    switch (m_kind) {
    case TokenizerKind::SentencePiece: return "sentencepiece";
    case TokenizerKind::ByteLevelBpe: return "bpe-byte-level";
    case TokenizerKind::SentencePieceBpe: return "bpe-sentencepiece";
    }
    return "?";
}

std::vector<std::int64_t> Tokenizer::encode(const std::string &rawText, bool addSpecialTokens) const
{
    const std::string text = sanitizeUtf8(rawText);
    std::vector<std::int64_t> out;
    if (addSpecialTokens)
        out = m_prefixIds;
    size_t segStart = 0, i = 0;
    bool first = true;
    auto flush = [&](size_t end) {
        if (end > segStart)
            m_backend->encodeSegment(text.substr(segStart, end - segStart), first, out);
        first = false;
    };
    while (i < text.size()) {
        const AddedToken *hit = nullptr;
        for (const AddedToken &a : m_added)
            if (text.compare(i, a.content.size(), a.content) == 0) {
                hit = &a;
                break;
            }
        if (!hit) {
            ++i;
            continue;
        }
        size_t end = i;
        if (hit->lstrip)
            while (end > segStart && isSpace(text[end - 1]))
                --end;
        flush(end);
        out.push_back(hit->id);
        i += hit->content.size();
        if (hit->rstrip)
            while (i < text.size() && isSpace(text[i]))
                ++i;
        segStart = i;
    }
    flush(text.size());
    if (addSpecialTokens)
        out.insert(out.end(), m_suffixIds.begin(), m_suffixIds.end());
    return out;
}

std::vector<std::int64_t> Tokenizer::encodePrompt(const std::string &prompt) const
{
    std::vector<std::int64_t> ids = encode(prompt, true);
    const size_t n = m_prefixIds.size();
    if (m_bos >= 0 && n > 0 && m_prefixIds.back() == m_bos && ids.size() > n && ids[n] == m_bos)
        ids.erase(ids.begin() + long(n) - 1);
    return ids;
}

bool Tokenizer::isSpecial(std::int64_t id) const
{
    return std::any_of(m_added.begin(), m_added.end(), [&](const AddedToken &a) { return a.id == id && a.special; });
}

std::string Tokenizer::decode(const std::vector<std::int64_t> &ids, bool skipSpecial) const
{
    if (m_backend->decodesAddedTokens()) {  // Hugging Face's fast tokenizers: one decoder pass over all tokens
        std::vector<std::string> pieces;
        for (std::int64_t id : ids) {
            if (id < 0)
                throw std::invalid_argument("[decode] negative token id " + std::to_string(id));
            if (id >= vocabSize())
                continue;
            auto added = std::find_if(m_added.begin(), m_added.end(), [&](const AddedToken &a) { return a.id == id; });
            if (added == m_added.end())
                pieces.push_back(m_backend->idToPiece(id));
            else if (!(skipSpecial && added->special))
                pieces.push_back(added->content);
        }
        return m_backend->decodePieces(pieces);
    }
    std::string text;
    std::vector<std::int64_t> run;
    bool first = true;
    auto flush = [&] {
        if (!run.empty())
            text += m_backend->decodeIds(run);
        run.clear();
    };
    for (std::int64_t id : ids) {
        if (id < 0)
            throw std::invalid_argument("[decode] negative token id " + std::to_string(id));
        if (id >= vocabSize())
            continue;  // a model row beyond the tokenizer (padded embeddings, e.g. Qwen2's): no text, as in HF
        auto added = std::find_if(m_added.begin(), m_added.end(), [&](const AddedToken &a) { return a.id == id; });
        if (added == m_added.end()) {
            run.push_back(id);
            continue;
        }
        flush();
        if (!(skipSpecial && added->special))
            text += added->content;
        first = false;
    }
    (void)first;
    flush();
    return text;
}

std::vector<std::string> Tokenizer::pieces(const std::vector<std::int64_t> &ids) const
{
    std::vector<std::string> p;
    for (auto id : ids) {
        auto added = std::find_if(m_added.begin(), m_added.end(), [&](const AddedToken &a) { return a.id == id; });
        p.push_back(added != m_added.end() ? added->content : m_backend->idToPiece(id));
    }
    return p;
}

std::int64_t Tokenizer::vocabSize() const
{
    std::int64_t n = m_backend->vocabSize();
    for (const AddedToken &a : m_added)
        n = std::max(n, a.id + 1);
    return n;
}

std::int64_t Tokenizer::tokenToId(const std::string &token) const
{
    for (const AddedToken &a : m_added)
        if (a.content == token)
            return a.id;
    return m_backend->pieceToId(token);
}

} // namespace alignscope
