// SPDX-License-Identifier: MIT
// tokenizer.json with a BPE model: normalizers, pre-tokenizers (ByteLevel, Split, Metaspace,
// Digits, Sequence), ranked merges with byte fallback, decoders, and the post-processor template.
#include "tokenizer/backend.h"
#include "tokenizer/utf8.h"

#include <nlohmann/json.hpp>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <mutex>
#include <queue>
#include <sstream>
#include <unordered_map>

namespace alignscope {

using nlohmann::json;

namespace {

const char *kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

std::string replaceAll(std::string s, const std::string &from, const std::string &to)
{
    if (from.empty())
        return s;
    size_t pos = 0;
    while ((pos = s.find(from, pos)) != std::string::npos) {
        s.replace(pos, from.size(), to);
        pos += to.size();
    }
    return s;
}

/** A compiled PCRE2 pattern (UTF + Unicode properties), used to split text. */
class Regex {
public:
    Regex(const std::string &pattern, const std::string &file)
    {
        int err = 0;
        PCRE2_SIZE offset = 0;
        m_code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), PCRE2_UTF | PCRE2_UCP,
                               &err, &offset, nullptr);
        if (!m_code) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(err, msg, sizeof msg);
            throw ModelError(file + ": cannot compile pre-tokenizer regex at offset " + std::to_string(offset) + " (" +
                             reinterpret_cast<char *>(msg) + ")");
        }
        pcre2_jit_compile(m_code, PCRE2_JIT_COMPLETE);  // optional speed-up; falls back silently
    }
    ~Regex() { pcre2_code_free(m_code); }
    Regex(const Regex &) = delete;
    Regex &operator=(const Regex &) = delete;

    /** [begin, end) byte ranges of all non-empty matches in `s`. */
    std::vector<std::pair<size_t, size_t>> matches(const std::string &s) const
    {
        std::vector<std::pair<size_t, size_t>> out;
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(m_code, nullptr);
        size_t offset = 0;
        while (offset <= s.size()) {
            const int rc = pcre2_match(m_code, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), offset, 0, md, nullptr);
            if (rc < 0)
                break;
            const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            if (ov[1] > ov[0]) {
                out.emplace_back(ov[0], ov[1]);
                offset = ov[1];
            } else {  // empty match: step over one whole character
                offset = ov[0] + 1;
                while (offset < s.size() && (static_cast<unsigned char>(s[offset]) & 0xC0) == 0x80)
                    ++offset;
            }
        }
        pcre2_match_data_free(md);
        return out;
    }

private:
    pcre2_code *m_code = nullptr;
};

/** One step of text → pieces (each step maps every piece to zero or more pieces). */
struct PreStep {
    enum Type { ByteLevel, SplitRegex, SplitString, Metaspace, Digits } type;
    std::shared_ptr<Regex> regex;   // ByteLevel (if use_regex) and SplitRegex
    std::string literal;            // SplitString
    enum Behavior { Isolated, Removed, MergedWithPrevious, MergedWithNext, Contiguous } behavior = Isolated;
    bool invert = false;            // Split: the pieces between matches are the delimiters
    bool addPrefixSpace = false;    // ByteLevel
    std::string replacement;        // Metaspace
    std::string prependScheme;      // Metaspace: always, first, never
    bool metaSplit = true;
    bool individualDigits = false;
};

struct NormStep {
    enum Type { Prepend, Replace, ReplaceRegex, NFC, NFD, NFKC, NFKD } type;
    std::string a, b;
    std::shared_ptr<Regex> regex;  // ReplaceRegex
};

/** Unicode normalization of valid UTF-8 text, through ICU. */
std::string normalizeUnicode(const std::string &text, NormStep::Type form)
{
    if (text.empty())
        return text;
    if (text.size() > size_t(std::numeric_limits<int32_t>::max() / 4))
        throw ModelError("text too long to normalize (more than 512 MiB)");
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *n = form == NormStep::NFC    ? unorm2_getNFCInstance(&e)
                            : form == NormStep::NFD  ? unorm2_getNFDInstance(&e)
                            : form == NormStep::NFKC ? unorm2_getNFKCInstance(&e)
                                                     : unorm2_getNFKDInstance(&e);
    int32_t len16 = 0;
    u_strFromUTF8(nullptr, 0, &len16, text.data(), int32_t(text.size()), &e);
    if (e == U_BUFFER_OVERFLOW_ERROR)
        e = U_ZERO_ERROR;
    std::u16string src(size_t(len16), u'\0');
    u_strFromUTF8(src.data(), len16, nullptr, text.data(), int32_t(text.size()), &e);
    int32_t outLen = unorm2_normalize(n, src.data(), len16, nullptr, 0, &e);
    if (e == U_BUFFER_OVERFLOW_ERROR)
        e = U_ZERO_ERROR;
    std::u16string norm(size_t(outLen), u'\0');
    unorm2_normalize(n, src.data(), len16, norm.data(), outLen, &e);
    int32_t len8 = 0;
    u_strToUTF8(nullptr, 0, &len8, norm.data(), outLen, &e);
    if (e == U_BUFFER_OVERFLOW_ERROR)
        e = U_ZERO_ERROR;
    std::string out(size_t(len8), '\0');
    u_strToUTF8(out.data(), len8, nullptr, norm.data(), outLen, &e);
    if (U_FAILURE(e))
        throw ModelError(std::string("Unicode normalization failed: ") + u_errorName(e));
    return out;
}

/** The text with every match of `re` replaced by `content`. */
std::string replaceMatches(const std::string &text, const Regex &re, const std::string &content)
{
    std::string out;
    size_t last = 0;
    for (auto [b, e] : re.matches(text)) {
        out += text.substr(last, b - last) + content;
        last = e;
    }
    return out + text.substr(last);
}

struct DecStep {
    enum Type { ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace } type;
    std::string a, b;
    int start = 0, stop = 0;
    bool prependFirst = true;
};

class BpeBackend : public Tokenizer::Backend {
public:
    std::unordered_map<std::string, std::int64_t> vocab;
    std::vector<std::string> pieces;
    std::unordered_map<std::string, int> ranks;  // "a\xffb" → rank
    std::vector<NormStep> normalizers;
    std::vector<PreStep> preSteps;
    std::vector<DecStep> decoders;
    bool byteFallback = false;
    bool ignoreMerges = false;
    bool fuseUnk = false;
    std::int64_t unkId = -1;
    std::int64_t byteIds[256];

    void encodeSegment(const std::string &text, bool first, std::vector<std::int64_t> &out) const override
    {
        std::string s = text;
        for (const NormStep &n : normalizers) {
            switch (n.type) {
            case NormStep::Prepend: s = s.empty() ? s : n.a + s; break;
            case NormStep::Replace: s = replaceAll(s, n.a, n.b); break;
            case NormStep::ReplaceRegex: s = replaceMatches(s, *n.regex, n.b); break;
            default: s = normalizeUnicode(s, n.type);
            }
        }
        std::vector<std::string> words{s};
        for (const PreStep &p : preSteps) {
            std::vector<std::string> next;
            for (const std::string &w : words)
                apply(p, w, first, next);
            words.swap(next);
        }
        for (const std::string &w : words)
            if (!w.empty())
                bpe(w, out);
    }

    std::string decodeIds(const std::vector<std::int64_t> &ids) const override
    {
        std::vector<std::string> tokens;
        for (auto id : ids)
            tokens.push_back(idToPiece(id));
        return decodePieces(tokens);
    }

    bool decodesAddedTokens() const override { return true; }

    std::string decodePieces(const std::vector<std::string> &pieces) const override
    {
        std::vector<std::string> tokens = pieces;
        for (const DecStep &d : decoders)
            tokens = decodeStep(d, tokens);
        std::string text;
        for (const auto &t : tokens)
            text += t;
        return sanitizeUtf8(text);
    }

    std::string idToPiece(std::int64_t id) const override
    {
        return id >= 0 && id < std::int64_t(pieces.size()) ? pieces[size_t(id)] : std::string();
    }
    std::int64_t pieceToId(const std::string &p) const override
    {
        auto it = vocab.find(p);
        return it == vocab.end() ? -1 : it->second;
    }
    std::int64_t vocabSize() const override { return std::int64_t(pieces.size()); }

private:
    void apply(const PreStep &p, const std::string &w, bool first, std::vector<std::string> &out) const
    {
        switch (p.type) {
        case PreStep::ByteLevel: {
            std::string t = w;
            if (p.addPrefixSpace && !t.empty() && t[0] != ' ')
                t = " " + t;
            std::vector<std::string> parts;
            if (p.regex)
                for (auto [b, e] : p.regex->matches(t))
                    parts.push_back(t.substr(b, e - b));
            else
                parts.push_back(t);
            for (const std::string &part : parts) {
                std::string mapped;
                for (unsigned char c : part)
                    mapped += utf8::byteToUnicode()[c];
                out.push_back(mapped);
            }
            break;
        }
        case PreStep::SplitRegex:
        case PreStep::SplitString: {
            std::vector<std::pair<size_t, size_t>> m;
            if (p.type == PreStep::SplitRegex) {
                m = p.regex->matches(w);
            } else if (!p.literal.empty()) {
                for (size_t pos = w.find(p.literal); pos != std::string::npos; pos = w.find(p.literal, pos + p.literal.size()))
                    m.emplace_back(pos, pos + p.literal.size());
            }
            split(p, w, m, out);
            break;
        }
        case PreStep::Metaspace: {
            std::string t = replaceAll(w, " ", p.replacement);
            const bool prepend = p.prependScheme == "always" || (p.prependScheme == "first" && first);
            if (prepend && t.compare(0, p.replacement.size(), p.replacement) != 0)
                t = p.replacement + t;
            if (!p.metaSplit) {
                out.push_back(t);
                break;
            }
            size_t start = 0;  // split before every replacement character (it starts the next piece)
            for (size_t pos = t.find(p.replacement, 1); pos != std::string::npos; pos = t.find(p.replacement, pos + 1)) {
                out.push_back(t.substr(start, pos - start));
                start = pos;
            }
            out.push_back(t.substr(start));
            break;
        }
        case PreStep::Digits: {
            std::string cur;
            bool curDigit = false;
            for (const std::string &ch : utf8::characters(w)) {
                const bool d = ch.size() == 1 && ch[0] >= '0' && ch[0] <= '9';
                if (!cur.empty() && (d != curDigit || (d && p.individualDigits))) {
                    out.push_back(cur);
                    cur.clear();
                }
                cur += ch;
                curDigit = d;
            }
            if (!cur.empty())
                out.push_back(cur);
            break;
        }
        }
    }

    /** Hugging Face's Split: the word cut at the matches, which `behavior` keeps, drops or merges. */
    static void split(const PreStep &p, const std::string &w, const std::vector<std::pair<size_t, size_t>> &m,
                      std::vector<std::string> &out)
    {
        struct Seg {
            size_t b, e;
            bool match;
        };
        std::vector<Seg> segs;  // the whole word, in order
        size_t last = 0;
        for (auto [b, e] : m) {
            if (b > last)
                segs.push_back({last, b, p.invert});
            if (e > b)
                segs.push_back({b, e, !p.invert});
            last = e;
        }
        if (last < w.size())
            segs.push_back({last, w.size(), p.invert});
        std::vector<Seg> kept;
        bool previousMatch = false;
        switch (p.behavior) {
        case PreStep::Isolated: kept = segs; break;
        case PreStep::Removed:
            for (const Seg &s : segs)
                if (!s.match)
                    kept.push_back(s);
            break;
        case PreStep::MergedWithPrevious:
            for (const Seg &s : segs) {
                if (s.match && !previousMatch && !kept.empty())
                    kept.back().e = s.e;
                else
                    kept.push_back(s);
                previousMatch = s.match;
            }
            break;
        case PreStep::MergedWithNext:
            for (auto it = segs.rbegin(); it != segs.rend(); ++it) {
                if (it->match && !previousMatch && !kept.empty())
                    kept.back().b = it->b;
                else
                    kept.push_back(*it);
                previousMatch = it->match;
            }
            std::reverse(kept.begin(), kept.end());
            break;
        case PreStep::Contiguous:
            for (size_t k = 0; k < segs.size(); ++k) {
                if (k > 0 && segs[k].match == previousMatch)
                    kept.back().e = segs[k].e;
                else
                    kept.push_back(segs[k]);
                previousMatch = segs[k].match;
            }
            break;
        }
        for (const Seg &s : kept)
            out.push_back(w.substr(s.b, s.e - s.b));
    }

    int rankOf(const std::string &a, const std::string &b) const
    {
        auto it = ranks.find(a + '\xff' + b);
        return it == ranks.end() ? -1 : it->second;
    }

    void bpe(const std::string &word, std::vector<std::int64_t> &out) const
    {
        if (ignoreMerges) {
            auto it = vocab.find(word);
            if (it != vocab.end()) {
                out.push_back(it->second);
                return;
            }
        }
        {
            std::lock_guard<std::mutex> lock(m_cacheMutex);
            auto it = m_cache.find(word);
            if (it != m_cache.end()) {
                out.insert(out.end(), it->second.begin(), it->second.end());
                return;
            }
        }
        // symbols as a linked list; a heap of candidate merges ordered by (rank, position)
        std::vector<std::string> sym = utf8::characters(word);
        const int n = int(sym.size());
        std::vector<int> prev(static_cast<size_t>(n)), next(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i) {
            prev[size_t(i)] = i - 1;
            next[size_t(i)] = i + 1 < n ? i + 1 : -1;
        }
        using Cand = std::tuple<int, int, int>;  // rank, left, right
        std::priority_queue<Cand, std::vector<Cand>, std::greater<Cand>> heap;
        auto push = [&](int l, int r) {
            if (l < 0 || r < 0)
                return;
            const int rk = rankOf(sym[size_t(l)], sym[size_t(r)]);
            if (rk >= 0)
                heap.emplace(rk, l, r);
        };
        for (int i = 0; i + 1 < n; ++i)
            push(i, i + 1);
        while (!heap.empty()) {
            auto [rk, l, r] = heap.top();
            heap.pop();
            if (next[size_t(l)] != r || sym[size_t(l)].empty() || sym[size_t(r)].empty() ||
                rankOf(sym[size_t(l)], sym[size_t(r)]) != rk)
                continue;  // stale
            sym[size_t(l)] += sym[size_t(r)];
            sym[size_t(r)].clear();
            next[size_t(l)] = next[size_t(r)];
            if (next[size_t(r)] >= 0)
                prev[size_t(next[size_t(r)])] = l;
            push(prev[size_t(l)], l);
            push(l, next[size_t(l)]);
        }
        std::vector<std::int64_t> ids;
        bool lastUnk = false;
        for (int i = n > 0 ? 0 : -1; i >= 0; i = next[size_t(i)]) {
            const std::string &s = sym[size_t(i)];
            auto it = vocab.find(s);
            if (it != vocab.end()) {
                ids.push_back(it->second);
                lastUnk = false;
                continue;
            }
            if (byteFallback) {
                bool all = true;
                for (unsigned char c : s)
                    all = all && byteIds[c] >= 0;
                if (all) {
                    for (unsigned char c : s)
                        ids.push_back(byteIds[c]);
                    lastUnk = false;
                    continue;
                }
            }
            if (unkId < 0)
                throw ModelError("[tokenize] '" + s + "' is not in the vocabulary and the tokenizer has no unk_token");
            if (!(fuseUnk && lastUnk))
                ids.push_back(unkId);
            lastUnk = true;
        }
        out.insert(out.end(), ids.begin(), ids.end());
        std::lock_guard<std::mutex> lock(m_cacheMutex);
        if (m_cache.size() > 100000)
            m_cache.clear();
        m_cache.emplace(word, std::move(ids));
    }

    std::vector<std::string> decodeStep(const DecStep &d, const std::vector<std::string> &in) const
    {
        std::vector<std::string> out;
        switch (d.type) {
        case DecStep::ByteLevel: {
            std::string bytes;
            for (const auto &t : in)
                for (const std::string &ch : utf8::characters(t)) {
                    const int b = utf8::unicodeToByte(ch);
                    bytes += b >= 0 ? std::string(1, char(b)) : ch;
                }
            out.push_back(sanitizeUtf8(bytes));
            break;
        }
        case DecStep::Replace:
            for (const auto &t : in)
                out.push_back(replaceAll(t, d.a, d.b));
            break;
        case DecStep::ByteFallback: {
            std::string run;
            auto flush = [&] {
                if (!run.empty())
                    out.push_back(sanitizeUtf8(run));
                run.clear();
            };
            for (const auto &t : in) {
                unsigned v = 0;
                char tail = 0;
                if (t.size() == 6 && std::sscanf(t.c_str(), "<0x%2X%c", &v, &tail) == 2 && tail == '>') {
                    run += char(v);
                    continue;
                }
                flush();
                out.push_back(t);
            }
            flush();
            break;
        }
        case DecStep::Fuse: {
            std::string all;
            for (const auto &t : in)
                all += t;
            out.push_back(all);
            break;
        }
        case DecStep::Strip:
            for (auto t : in) {
                for (int k = 0; k < d.start && t.compare(0, d.a.size(), d.a) == 0; ++k)
                    t.erase(0, d.a.size());
                for (int k = 0; k < d.stop && t.size() >= d.a.size() &&
                                t.compare(t.size() - d.a.size(), d.a.size(), d.a) == 0;
                     ++k)
                    t.erase(t.size() - d.a.size());
                out.push_back(t);
            }
            break;
        case DecStep::Metaspace:
            for (size_t i = 0; i < in.size(); ++i) {
                std::string t = replaceAll(in[i], d.a, " ");
                if (i == 0 && d.prependFirst && !t.empty() && t[0] == ' ')
                    t.erase(0, 1);
                out.push_back(t);
            }
            break;
        }
        return out;
    }

    mutable std::mutex m_cacheMutex;
    mutable std::unordered_map<std::string, std::vector<std::int64_t>> m_cache;
};

[[noreturn]] void fail(const std::string &file, const std::string &what) { throw ModelError(file + ": " + what); }

std::string patternOf(const json &p, const std::string &file, bool *isRegex)
{
    if (p.is_object() && p.contains("Regex") && p["Regex"].is_string()) {
        *isRegex = true;
        return p["Regex"].get<std::string>();
    }
    if (p.is_object() && p.contains("String") && p["String"].is_string()) {
        *isRegex = false;
        return p["String"].get<std::string>();
    }
    fail(file, "pattern must be {\"Regex\": …} or {\"String\": …}");
}

void parseNormalizer(const json &n, BpeBackend &b, const std::string &file)
{
    if (n.is_null())
        return;
    const std::string type = n.value("type", "");
    if (type == "Sequence") {
        for (const json &c : n.value("normalizers", json::array()))
            parseNormalizer(c, b, file);
    } else if (type == "Prepend") {
        b.normalizers.push_back({NormStep::Prepend, n.value("prepend", ""), "", nullptr});
    } else if (type == "Replace") {
        bool re = false;
        const std::string pat = patternOf(n.value("pattern", json()), file, &re);
        NormStep step{re ? NormStep::ReplaceRegex : NormStep::Replace, pat, n.value("content", ""), nullptr};
        if (re)
            step.regex = std::make_shared<Regex>(pat, file);
        b.normalizers.push_back(step);
    } else if (type == "NFC" || type == "NFD" || type == "NFKC" || type == "NFKD") {
        b.normalizers.push_back({type == "NFC"    ? NormStep::NFC
                                 : type == "NFD"  ? NormStep::NFD
                                 : type == "NFKC" ? NormStep::NFKC
                                                  : NormStep::NFKD,
                                 {}, {}, nullptr});
    } else {
        fail(file, "unsupported normalizer \"" + type + "\" (supported: Sequence, Prepend, Replace, NFC, NFD, NFKC, NFKD)");
    }
}

void parsePreTokenizer(const json &p, BpeBackend &b, const std::string &file, bool *byteLevel)
{
    if (p.is_null())
        return;
    const std::string type = p.value("type", "");
    PreStep s{};
    if (type == "Sequence") {
        for (const json &c : p.value("pretokenizers", json::array()))
            parsePreTokenizer(c, b, file, byteLevel);
        return;
    }
    if (type == "ByteLevel") {
        *byteLevel = true;
        s.type = PreStep::ByteLevel;
        s.addPrefixSpace = p.value("add_prefix_space", false);
        if (p.value("use_regex", true))
            s.regex = std::make_shared<Regex>(kGpt2Pattern, file);
    } else if (type == "Split") {
        s.invert = p.value("invert", false);
        const std::string behavior = p.value("behavior", "Isolated");
        static const std::pair<const char *, PreStep::Behavior> behaviors[] = {
            {"Isolated", PreStep::Isolated}, {"Removed", PreStep::Removed}, {"MergedWithPrevious", PreStep::MergedWithPrevious},
            {"MergedWithNext", PreStep::MergedWithNext}, {"Contiguous", PreStep::Contiguous}};
        const auto hit = std::find_if(std::begin(behaviors), std::end(behaviors),
                                      [&](const auto &x) { return behavior == x.first; });
        if (hit == std::end(behaviors))
            fail(file, "Split behavior \"" + behavior + "\" is unknown (Isolated, Removed, MergedWithPrevious, "
                       "MergedWithNext, Contiguous)");
        s.behavior = hit->second;
        bool re = false;
        const std::string pat = patternOf(p.value("pattern", json()), file, &re);
        s.type = re ? PreStep::SplitRegex : PreStep::SplitString;
        if (re)
            s.regex = std::make_shared<Regex>(pat, file);
        else
            s.literal = pat;
    } else if (type == "Metaspace") {
        s.type = PreStep::Metaspace;
        s.replacement = p.value("replacement", "\xE2\x96\x81");
        if (p.contains("prepend_scheme") && p["prepend_scheme"].is_string())
            s.prependScheme = p["prepend_scheme"].get<std::string>();
        else
            s.prependScheme = p.value("add_prefix_space", true) ? "always" : "never";
        s.metaSplit = p.value("split", true);
    } else if (type == "Digits") {
        s.type = PreStep::Digits;
        s.individualDigits = p.value("individual_digits", false);
    } else {
        fail(file, "unsupported pre_tokenizer \"" + type + "\" (supported: ByteLevel, Split, Metaspace, Digits, Sequence)");
    }
    b.preSteps.push_back(std::move(s));
}

void parseDecoder(const json &d, BpeBackend &b, const std::string &file)
{
    if (d.is_null())
        return;
    const std::string type = d.value("type", "");
    DecStep s{};
    if (type == "Sequence") {
        for (const json &c : d.value("decoders", json::array()))
            parseDecoder(c, b, file);
        return;
    }
    if (type == "ByteLevel") {
        s.type = DecStep::ByteLevel;
    } else if (type == "Replace") {
        bool re = false;
        s.type = DecStep::Replace;
        s.a = patternOf(d.value("pattern", json()), file, &re);
        if (re)
            fail(file, "Replace decoders with a regex are not supported");
        s.b = d.value("content", "");
    } else if (type == "ByteFallback") {
        s.type = DecStep::ByteFallback;
    } else if (type == "Fuse") {
        s.type = DecStep::Fuse;
    } else if (type == "Strip") {
        s.type = DecStep::Strip;
        s.a = d.value("content", " ");
        s.start = d.value("start", 0);
        s.stop = d.value("stop", 0);
    } else if (type == "Metaspace") {
        s.type = DecStep::Metaspace;
        s.a = d.value("replacement", "\xE2\x96\x81");
        const std::string scheme = d.contains("prepend_scheme") && d["prepend_scheme"].is_string()
                                       ? d["prepend_scheme"].get<std::string>()
                                       : (d.value("add_prefix_space", true) ? "always" : "never");
        s.prependFirst = scheme != "never";
    } else {
        fail(file, "unsupported decoder \"" + type + "\" (supported: ByteLevel, Metaspace, Replace, ByteFallback, Fuse, Strip, Sequence)");
    }
    b.decoders.push_back(s);
}

void parseTemplate(const json &pp, const BpeBackend &b, const std::vector<Tokenizer::AddedToken> &added,
                   BackendResult &r, const std::string &file)
{
    if (pp.is_null())
        return;
    const std::string type = pp.value("type", "");
    if (type == "Sequence") {
        for (const json &c : pp.value("processors", json::array()))
            parseTemplate(c, b, added, r, file);
        return;
    }
    if (type != "TemplateProcessing")
        return;  // ByteLevel (offsets only) and others add no tokens to a single sequence
    r.hasTemplate = true;
    bool afterSequence = false;
    for (const json &item : pp.value("single", json::array())) {
        if (item.contains("Sequence")) {
            afterSequence = true;
            continue;
        }
        if (!item.contains("SpecialToken"))
            continue;
        const std::string name = item["SpecialToken"].value("id", "");
        std::int64_t id = -1;
        if (auto st = pp.find("special_tokens"); st != pp.end() && st->contains(name)) {
            const json &ids = (*st)[name].value("ids", json::array());
            if (!ids.empty() && ids[0].is_number_integer())
                id = ids[0].get<std::int64_t>();
        }
        if (id < 0)
            for (const auto &a : added)
                if (a.content == name)
                    id = a.id;
        if (id < 0)
            id = b.pieceToId(name);
        if (id < 0)
            fail(file, "post_processor template names the unknown token '" + name + "'");
        (afterSequence ? r.suffix : r.prefix).push_back(id);
    }
}

} // namespace

BackendResult loadTokenizerJson(const std::string &file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        fail(file, "cannot open");
    std::stringstream ss;
    ss << in.rdbuf();
    return parseTokenizerJson(ss.str(), file);
}

BackendResult parseTokenizerJsonChecked(const std::string &content, const std::string &file);

BackendResult parseTokenizerJson(const std::string &content, const std::string &file)
{
    try {
        return parseTokenizerJsonChecked(content, file);
    } catch (const json::exception &e) {  // a value of the wrong type somewhere
        fail(file, std::string("invalid content (") + e.what() + ")");
    }
}

BackendResult parseTokenizerJsonChecked(const std::string &content, const std::string &file)
{
    json j;
    try {
        j = json::parse(content);
    } catch (const json::exception &e) {
        fail(file, std::string("malformed JSON (") + e.what() + ")");
    }
    if (!j.is_object() || !j.contains("model") || !j["model"].is_object())
        fail(file, "missing \"model\" object");
    const json &m = j["model"];
    const std::string type = m.value("type", m.contains("merges") ? "BPE" : "");
    if (type != "BPE")
        fail(file, "tokenizer model \"" + type + "\" is not supported (only BPE)");
    if (!m.value("continuing_subword_prefix", json()).is_null() && !m["continuing_subword_prefix"].get<std::string>().empty())
        fail(file, "BPE with continuing_subword_prefix is not supported");
    if (!m.value("end_of_word_suffix", json()).is_null() && !m["end_of_word_suffix"].get<std::string>().empty())
        fail(file, "BPE with end_of_word_suffix is not supported");

    auto b = std::make_unique<BpeBackend>();
    if (!m.contains("vocab") || !m["vocab"].is_object())
        fail(file, "model.vocab must be an object (piece → id)");
    std::int64_t maxId = -1;
    for (auto it = m["vocab"].begin(); it != m["vocab"].end(); ++it) {
        if (!it.value().is_number_integer() || it.value().get<std::int64_t>() < 0)
            fail(file, "vocab id of '" + it.key() + "' is not a non-negative integer");
        const std::int64_t id = it.value().get<std::int64_t>();
        if (id > 10'000'000)
            fail(file, "vocab id " + std::to_string(id) + " of '" + it.key() + "' is absurdly large");
        b->vocab[it.key()] = id;
        maxId = std::max(maxId, id);
    }
    b->pieces.assign(size_t(maxId + 1), std::string());
    for (const auto &[p, id] : b->vocab)
        b->pieces[size_t(id)] = p;
    int rank = 0;
    for (const json &mg : m.value("merges", json::array())) {
        std::string a, c;
        if (mg.is_string()) {
            const std::string s = mg.get<std::string>();
            const auto sp = s.find(' ', 1);
            if (sp == std::string::npos)
                fail(file, "merge \"" + s + "\" is not two pieces separated by a space");
            a = s.substr(0, sp);
            c = s.substr(sp + 1);
        } else if (mg.is_array() && mg.size() == 2 && mg[0].is_string() && mg[1].is_string()) {
            a = mg[0].get<std::string>();
            c = mg[1].get<std::string>();
        } else {
            fail(file, "merge " + mg.dump() + " is neither \"a b\" nor [\"a\", \"b\"]");
        }
        b->ranks.emplace(a + '\xff' + c, rank++);
    }
    b->byteFallback = m.value("byte_fallback", false);
    b->ignoreMerges = m.value("ignore_merges", false);
    b->fuseUnk = m.value("fuse_unk", false);
    if (m.contains("unk_token") && m["unk_token"].is_string())
        b->unkId = b->pieceToId(m["unk_token"].get<std::string>());
    for (int c = 0; c < 256; ++c) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", c);
        b->byteIds[c] = b->pieceToId(name);
    }

    BackendResult r;
    for (const json &a : j.value("added_tokens", json::array())) {
        if (!a.is_object() || !a.contains("id") || !a.contains("content"))
            fail(file, "added_tokens entry " + a.dump() + " needs id and content");
        Tokenizer::AddedToken t;
        t.id = a["id"].get<std::int64_t>();
        t.content = a["content"].get<std::string>();
        t.special = a.value("special", false);
        t.lstrip = a.value("lstrip", false);
        t.rstrip = a.value("rstrip", false);
        r.added.push_back(t);
        if (t.id >= std::int64_t(b->pieces.size()))
            b->pieces.resize(size_t(t.id + 1));
        b->pieces[size_t(t.id)] = t.content;
    }

    bool byteLevel = false;
    parseNormalizer(j.value("normalizer", json()), *b, file);
    parsePreTokenizer(j.value("pre_tokenizer", json()), *b, file, &byteLevel);
    parseDecoder(j.value("decoder", json()), *b, file);
    const json dec = j.value("decoder", json());
    byteLevel = byteLevel || (dec.is_object() && dec.value("type", "") == "ByteLevel");
    parseTemplate(j.value("post_processor", json()), *b, r.added, r, file);
    r.kind = byteLevel ? TokenizerKind::ByteLevelBpe : TokenizerKind::SentencePieceBpe;
    r.backend = std::move(b);
    return r;
}

} // namespace alignscope
