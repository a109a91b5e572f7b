// SPDX-License-Identifier: MIT
// tokenizer.model read natively: the protobuf wire format of sentencepiece::ModelProto, and the
// BPE segmentation of SentencePiece (greedily merge the adjacent pair whose union is the vocabulary
// piece with the highest score; ties go to the leftmost pair). libsentencepiece itself cannot share a
// process with libtorch on Debian 12: both carry a protobuf and the process crashes at start-up.
#include "tokenizer/backend.h"
#include "tokenizer/utf8.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <queue>
#include <sstream>
#include <unordered_map>

namespace alignscope {

namespace {

enum PieceType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

/** A minimal reader of the protobuf wire format (varint, 64-bit, length-delimited, 32-bit). */
class Wire {
public:
    Wire(const std::uint8_t *p, size_t n, const std::string &file) : m_p(p), m_end(p + n), m_file(file) {}
    bool atEnd() const { return m_p >= m_end; }
    std::uint64_t varint()
    {
        std::uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_p >= m_end)
                bad("truncated varint");
            const std::uint8_t b = *m_p++;
            v |= std::uint64_t(b & 0x7F) << shift;
            if (!(b & 0x80))
                return v;
        }
        bad("varint longer than 10 bytes");
    }
    Wire sub()
    {
        const std::uint64_t n = varint();
        if (n > std::uint64_t(m_end - m_p))
            bad("field length " + std::to_string(n) + " runs past the end");
        Wire w(m_p, size_t(n), m_file);
        m_p += n;
        return w;
    }
    std::string bytes()
    {
        Wire w = sub();
        return std::string(reinterpret_cast<const char *>(w.m_p), size_t(w.m_end - w.m_p));
    }
    float fixed32()
    {
        if (m_end - m_p < 4)
            bad("truncated float");
        float f;
        std::uint32_t u = std::uint32_t(m_p[0]) | std::uint32_t(m_p[1]) << 8 | std::uint32_t(m_p[2]) << 16 |
                          std::uint32_t(m_p[3]) << 24;
        std::memcpy(&f, &u, 4);
        m_p += 4;
        return f;
    }
    void skip(int wireType)
    {
        switch (wireType) {
        case 0: varint(); break;
        case 1:
            if (m_end - m_p < 8)
                bad("truncated field");
            m_p += 8;
            break;
        case 2: sub(); break;
        case 5:
            if (m_end - m_p < 4)
                bad("truncated field");
            m_p += 4;
            break;
        default: bad("unknown wire type " + std::to_string(wireType));
        }
    }
    [[noreturn]] void bad(const std::string &why) const
    {
        throw ModelError(m_file + ": not a SentencePiece model (" + why + ")");
    }

private:
    const std::uint8_t *m_p, *m_end;
    std::string m_file;
};

struct Piece {
    std::string text;
    float score = 0;
    int type = Normal;
};

class SentencePieceBackend : public Tokenizer::Backend {
public:
    std::vector<Piece> pieces;
    std::unordered_map<std::string, int> index;  // NORMAL, USER_DEFINED and UNUSED pieces
    std::vector<std::string> userDefined;        // matched whole, longest first
    int unkId = 0;
    int byteIds[256];
    bool byteFallback = false;
    bool addDummyPrefix = true;
    bool removeExtraWhitespaces = true;
    bool escapeWhitespaces = true;
    std::string unkSurface = " \xE2\x81\x87 ";

    void encodeSegment(const std::string &text, bool, std::vector<std::int64_t> &out) const override
    {
        const std::string ws = "\xE2\x96\x81";  // ▁
        std::string t = text;
        if (removeExtraWhitespaces) {
            std::string c;
            bool space = true;  // drops leading spaces
            for (char ch : t) {
                if (ch == ' ') {
                    if (!space)
                        c += ' ';
                    space = true;
                } else {
                    c += ch;
                    space = false;
                }
            }
            while (!c.empty() && c.back() == ' ')
                c.pop_back();
            t = c;
        }
        if (t.empty())
            return;
        if (addDummyPrefix)
            t = " " + t;
        if (escapeWhitespaces) {
            std::string e;
            for (char ch : t)
                e += ch == ' ' ? ws : std::string(1, ch);
            t = e;
        }
        // initial symbols: characters, with user-defined pieces kept whole
        std::vector<std::string> sym;
        for (size_t i = 0; i < t.size();) {
            const std::string *ud = nullptr;
            for (const auto &u : userDefined)
                if (t.compare(i, u.size(), u) == 0) {
                    ud = &u;
                    break;
                }
            size_t n = ud ? ud->size() : 1;
            if (!ud)
                while (i + n < t.size() && (static_cast<unsigned char>(t[i + n]) & 0xC0) == 0x80)
                    ++n;
            sym.push_back(t.substr(i, n));
            i += n;
        }
        const int n = int(sym.size());
        std::vector<int> prev(static_cast<size_t>(n)), next(static_cast<size_t>(n));
        std::vector<bool> frozen(static_cast<size_t>(n), false);
        for (int i = 0; i < n; ++i) {
            prev[size_t(i)] = i - 1;
            next[size_t(i)] = i + 1 < n ? i + 1 : -1;
            for (const auto &u : userDefined)
                frozen[size_t(i)] = frozen[size_t(i)] || sym[size_t(i)] == u;
        }
        struct Cand {
            float score;
            int left, right;
            std::size_t size;  // length of the union when queued (to detect stale entries)
            bool operator<(const Cand &o) const { return score < o.score || (score == o.score && left > o.left); }
        };
        std::priority_queue<Cand> heap;
        auto push = [&](int l, int r) {
            if (l < 0 || r < 0 || frozen[size_t(l)] || frozen[size_t(r)])
                return;
            const std::string u = sym[size_t(l)] + sym[size_t(r)];
            auto it = index.find(u);
            if (it == index.end() || pieces[size_t(it->second)].type == Unused)
                return;
            heap.push({pieces[size_t(it->second)].score, l, r, u.size()});
        };
        for (int i = 0; i + 1 < n; ++i)
            push(i, i + 1);
        while (!heap.empty()) {
            const Cand c = heap.top();
            heap.pop();
            if (sym[size_t(c.left)].empty() || sym[size_t(c.right)].empty() || next[size_t(c.left)] != c.right ||
                sym[size_t(c.left)].size() + sym[size_t(c.right)].size() != c.size)
                continue;  // stale
            sym[size_t(c.left)] += sym[size_t(c.right)];
            sym[size_t(c.right)].clear();
            next[size_t(c.left)] = next[size_t(c.right)];
            if (next[size_t(c.right)] >= 0)
                prev[size_t(next[size_t(c.right)])] = c.left;
            push(prev[size_t(c.left)], c.left);
            push(c.left, next[size_t(c.left)]);
        }
        for (int i = n > 0 ? 0 : -1; i >= 0; i = next[size_t(i)]) {
            const std::string &s = sym[size_t(i)];
            auto it = index.find(s);
            if (it != index.end() && pieces[size_t(it->second)].type != Unused) {
                out.push_back(it->second);
            } else if (byteFallback) {
                for (unsigned char b : s)
                    out.push_back(byteIds[b] >= 0 ? byteIds[b] : unkId);
            } else {
                out.push_back(unkId);
            }
        }
    }

    std::string decodeIds(const std::vector<std::int64_t> &ids) const override
    {
        std::string text, bytes;
        auto flushBytes = [&] {
            text += sanitizeUtf8(bytes);
            bytes.clear();
        };
        for (auto id : ids) {
            const Piece &p = pieces.at(size_t(id));
            if (p.type == Byte) {
                unsigned v = 0;
                std::sscanf(p.text.c_str(), "<0x%2X>", &v);
                bytes += char(v);
                continue;
            }
            flushBytes();
            if (p.type == Control)
                continue;
            text += p.type == Unknown ? unkSurface : p.text;
        }
        flushBytes();
        // ▁ → space, and the dummy prefix is dropped
        std::string out;
        const std::string ws = "\xE2\x96\x81";
        for (size_t i = 0; i < text.size();) {
            if (escapeWhitespaces && text.compare(i, 3, ws) == 0) {
                out += ' ';
                i += 3;
            } else {
                out += text[i++];
            }
        }
        if (addDummyPrefix && !out.empty() && out[0] == ' ')
            out.erase(0, 1);
        return out;
    }

    std::string idToPiece(std::int64_t id) const override
    {
        return id >= 0 && id < std::int64_t(pieces.size()) ? pieces[size_t(id)].text : std::string();
    }
    std::int64_t pieceToId(const std::string &p) const override
    {
        for (size_t i = 0; i < pieces.size(); ++i)
            if (pieces[i].text == p)
                return std::int64_t(i);
        return -1;
    }
    std::int64_t vocabSize() const override { return std::int64_t(pieces.size()); }
};

} // namespace

BackendResult loadSentencePieceModel(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ModelError(path + ": cannot open");
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string data = ss.str();
    auto b = std::make_unique<SentencePieceBackend>();
    int modelType = 1;  // UNIGRAM unless the trainer spec says otherwise
    std::string normalizerName;
    std::string charsmap;
    Wire w(reinterpret_cast<const std::uint8_t *>(data.data()), data.size(), path);
    while (!w.atEnd()) {
        const std::uint64_t tag = w.varint();
        const int field = int(tag >> 3), wt = int(tag & 7);
        if (field == 1 && wt == 2) {
            Wire pw = w.sub();
            Piece p;
            while (!pw.atEnd()) {
                const std::uint64_t t = pw.varint();
                const int f = int(t >> 3), ft = int(t & 7);
                if (f == 1 && ft == 2)
                    p.text = pw.bytes();
                else if (f == 2 && ft == 5)
                    p.score = pw.fixed32();
                else if (f == 3 && ft == 0)
                    p.type = int(pw.varint());
                else
                    pw.skip(ft);
            }
            b->pieces.push_back(std::move(p));
        } else if (field == 2 && wt == 2) {
            Wire tw = w.sub();
            while (!tw.atEnd()) {
                const std::uint64_t t = tw.varint();
                const int f = int(t >> 3), ft = int(t & 7);
                if (f == 3 && ft == 0)
                    modelType = int(tw.varint());
                else if (f == 35 && ft == 0)
                    b->byteFallback = tw.varint() != 0;
                else if (f == 44 && ft == 2)
                    b->unkSurface = tw.bytes();
                else
                    tw.skip(ft);
            }
        } else if (field == 3 && wt == 2) {
            Wire nw = w.sub();
            while (!nw.atEnd()) {
                const std::uint64_t t = nw.varint();
                const int f = int(t >> 3), ft = int(t & 7);
                if (f == 1 && ft == 2)
                    normalizerName = nw.bytes();
                else if (f == 2 && ft == 2)
                    charsmap = nw.bytes();
                else if (f == 3 && ft == 0)
                    b->addDummyPrefix = nw.varint() != 0;
                else if (f == 4 && ft == 0)
                    b->removeExtraWhitespaces = nw.varint() != 0;
                else if (f == 5 && ft == 0)
                    b->escapeWhitespaces = nw.varint() != 0;
                else
                    nw.skip(ft);
            }
        } else {
            w.skip(wt);
        }
    }
    if (b->pieces.empty())
        throw ModelError(path + ": not a SentencePiece model (no pieces)");
    if (modelType != 2)
        throw ModelError(path + ": SentencePiece model type " +
                         std::string(modelType == 1 ? "UNIGRAM" : modelType == 3 ? "WORD" : "CHAR") +
                         " is not supported (Llama-family models use BPE); use the folder's tokenizer.json");
    if (!charsmap.empty() && normalizerName != "identity")
        throw ModelError(path + ": SentencePiece normalization \"" + normalizerName +
                         "\" is not supported (only identity); use the folder's tokenizer.json");
    std::fill(std::begin(b->byteIds), std::end(b->byteIds), -1);
    BackendResult r;
    r.kind = TokenizerKind::SentencePiece;
    for (size_t i = 0; i < b->pieces.size(); ++i) {
        const Piece &p = b->pieces[i];
        switch (p.type) {
        case Normal:
        case Unused: b->index.emplace(p.text, int(i)); break;
        case UserDefined:
            b->index.emplace(p.text, int(i));
            b->userDefined.push_back(p.text);
            break;
        case Unknown:
            b->unkId = int(i);
            r.added.push_back({std::int64_t(i), p.text, true, false, false});
            break;
        case Control: r.added.push_back({std::int64_t(i), p.text, true, false, false}); break;
        case Byte: {
            unsigned v = 0;
            if (std::sscanf(p.text.c_str(), "<0x%2X>", &v) == 1 && v < 256)
                b->byteIds[v] = int(i);
            break;
        }
        default: throw ModelError(path + ": piece " + std::to_string(i) + " has unknown type " + std::to_string(p.type));
        }
    }
    std::sort(b->userDefined.begin(), b->userDefined.end(),
              [](const std::string &x, const std::string &y) { return x.size() > y.size(); });
    r.backend = std::move(b);
    return r;
}

} // namespace alignscope
