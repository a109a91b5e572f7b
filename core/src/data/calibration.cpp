// SPDX-License-Identifier: MIT
#include "alignscope/calibration.h"

#include "alignscope/tokenizer.h"
#include "data/json_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

namespace alignscope {

namespace {

[[noreturn]] void fail(const std::string &file, std::int64_t line, const std::string &what)
{
    throw DataError(file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + what);
}

std::string extensionOf(const std::string &file)
{
    const auto dot = file.find_last_of('.');
    const auto slash = file.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
        return {};
    std::string e = file.substr(dot + 1);
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return e;
}

/** RFC 4180 records with the line number each starts on. */
std::vector<std::pair<std::int64_t, std::vector<std::string>>> parseCsv(const std::string &file, const std::string &s)
{
    std::vector<std::pair<std::int64_t, std::vector<std::string>>> records;
    std::vector<std::string> fields;
    std::string field;
    std::int64_t line = 1, recordLine = 1;
    bool quoted = false, fieldStarted = false, afterQuote = false;
    size_t i = 0;
    if (s.compare(0, 3, "\xEF\xBB\xBF") == 0)
        i = 3;  // UTF-8 byte-order mark
    auto endRecord = [&] {
        fields.push_back(std::move(field));
        field.clear();
        if (!(fields.size() == 1 && fields[0].empty() && !fieldStarted))  // blank lines are skipped, as pandas does
            records.push_back({recordLine, std::move(fields)});
        fields.clear();
        fieldStarted = afterQuote = false;
    };
    for (; i < s.size(); ++i) {
        const char c = s[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < s.size() && s[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                    afterQuote = true;
                }
            } else {
                if (c == '\n')
                    ++line;
                field += c;
            }
            continue;
        }
        if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
            fieldStarted = true;
            afterQuote = false;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n')
                ++i;
            endRecord();
            ++line;
            recordLine = line;
        } else if (c == '"' && field.empty() && !afterQuote) {
            quoted = true;
            fieldStarted = true;
        } else {
            if (afterQuote)
                fail(file, line, "text after the closing quote of a field");
            field += c;
            fieldStarted = true;
        }
    }
    if (quoted)
        fail(file, recordLine, "a quoted field is not closed before the end of the file");
    if (!field.empty() || !fields.empty() || fieldStarted)
        endRecord();
    return records;
}

CsvTable csvTable(const std::string &file, const std::string &bytes)
{
    CsvTable t;
    auto records = parseCsv(file, bytes);
    if (records.empty())
        fail(file, 0, "the file is empty (expected a header line)");
    t.columns = std::move(records[0].second);
    const size_t width = t.columns.size();
    for (size_t r = 1; r < records.size(); ++r) {
        auto &[line, f] = records[r];
        if (f.size() != width)
            fail(file, line, "expected " + std::to_string(width) + " fields as in the header, found " +
                                 std::to_string(f.size()));
        t.rows.push_back(std::move(f));
        t.lines.push_back(line);
    }
    return t;
}

CalibrationSet readCsv(const std::string &file, const std::string &bytes)
{
    CalibrationSet set;
    set.format = "csv";
    const CsvTable t = csvTable(file, bytes);
    for (const char *needed : {"prompt", "response"})
        if (t.column(needed) < 0)
            fail(file, 1, std::string("no column \"") + needed + "\" in the header (the paper's format is "
                                                                   "\",prompt,response,text\")");
    const size_t pc = size_t(t.column("prompt")), rc = size_t(t.column("response"));
    const int tc = t.column("text");
    for (const auto &f : t.rows)
        set.rows.push_back({f[pc], f[rc], tc >= 0 ? f[size_t(tc)] : f[pc] + " " + f[rc]});
    return set;
}

CalibrationRow rowFromJson(const std::string &file, std::int64_t line, const nlohmann::json &o, std::string &kind)
{
    if (!o.is_object())
        fail(file, line, "expected a JSON object");
    auto str = [&](const char *key, bool required) -> std::string {
        const auto it = o.find(key);
        if (it == o.end() || it->is_null()) {
            if (required)
                fail(file, line, std::string("missing \"") + key + "\"");
            return {};
        }
        if (!it->is_string())
            fail(file, line, std::string("\"") + key + "\" is not a string");
        return it->get<std::string>();
    };
    CalibrationRow row;
    if (o.contains("prompt") || o.contains("response")) {
        kind = "prompt-response";
        row.prompt = str("prompt", true);
        row.response = str("response", true);
    } else if (o.contains("instruction")) {
        kind = "alpaca";
        const std::string input = str("input", false);
        row.prompt = "[INST] " + str("instruction", true) + (input.empty() ? "" : "\n\n" + input) + " [/INST]";
        row.response = " " + str("output", true);
    } else {
        fail(file, line, "an object needs \"prompt\" and \"response\", or alpaca's \"instruction\" and \"output\"");
    }
    row.text = o.contains("text") && o["text"].is_string() ? o["text"].get<std::string>()
                                                           : row.prompt + " " + row.response;
    return row;
}

CalibrationSet readJson(const std::string &file, const std::string &bytes, bool lines)
{
    CalibrationSet set;
    std::string kind;
    auto parse = [&](const std::string &text, std::int64_t line) {
        try {
            return nlohmann::json::parse(text);
        } catch (const nlohmann::json::exception &e) {
            fail(file, line, std::string("invalid JSON: ") + e.what());
        }
    };
    if (lines) {
        for (const auto &[n, o] : readJsonLines(file))
            set.rows.push_back(rowFromJson(file, n, o, kind));
    } else {
        const nlohmann::json j = parse(bytes, 0);
        if (!j.is_array())
            fail(file, 0, "expected a JSON array of objects");
        for (size_t i = 0; i < j.size(); ++i)
            set.rows.push_back(rowFromJson(file, 0, j[i], kind));
    }
    set.format = kind == "alpaca" ? (lines ? "alpaca-jsonl" : "alpaca-json")
                                  : (lines ? "prompt-response-jsonl" : "prompt-response-json");
    return set;
}

// numpy's SeedSequence (pool size 4) and PCG64, spec Appendix A.
struct SeedSequence {
    static constexpr std::uint32_t kInitA = 0x43b0d7e5, kMultA = 0x931e8875, kInitB = 0x8b51f9dd,
                                   kMultB = 0x58f38ded, kMixL = 0xca01f9dd, kMixR = 0x4973f715;
    std::uint32_t pool[4] = {};

    explicit SeedSequence(std::uint64_t seed)
    {
        std::vector<std::uint32_t> entropy = {std::uint32_t(seed)};
        if (seed >> 32)
            entropy.push_back(std::uint32_t(seed >> 32));
        std::uint32_t h = kInitA;
        auto hashmix = [&h](std::uint32_t v) {
            v ^= h;
            h *= kMultA;
            v *= h;
            v ^= v >> 16;
            return v;
        };
        auto mix = [](std::uint32_t x, std::uint32_t y) {
            std::uint32_t r = kMixL * x - kMixR * y;
            r ^= r >> 16;
            return r;
        };
        for (int i = 0; i < 4; ++i)
            pool[i] = hashmix(size_t(i) < entropy.size() ? entropy[size_t(i)] : 0);
        for (int src = 0; src < 4; ++src)
            for (int dst = 0; dst < 4; ++dst)
                if (src != dst)
                    pool[dst] = mix(pool[dst], hashmix(pool[src]));
        for (size_t e = 4; e < entropy.size(); ++e)
            for (int dst = 0; dst < 4; ++dst)
                pool[dst] = mix(pool[dst], hashmix(entropy[e]));
    }

    void generate4(std::uint64_t out[4]) const
    {
        std::uint32_t h = kInitB, w[8];
        for (int i = 0; i < 8; ++i) {
            std::uint32_t v = pool[i % 4];
            v ^= h;
            h *= kMultB;
            v *= h;
            v ^= v >> 16;
            w[i] = v;
        }
        for (int k = 0; k < 4; ++k)
            out[k] = std::uint64_t(w[2 * k]) | (std::uint64_t(w[2 * k + 1]) << 32);
    }
};

class Pcg64 {
public:
    using u128 = unsigned __int128;

    explicit Pcg64(std::uint64_t seed)
    {
        std::uint64_t w[4];
        SeedSequence(seed).generate4(w);
        const u128 initstate = (u128(w[0]) << 64) | w[1];
        const u128 initseq = (u128(w[2]) << 64) | w[3];
        m_inc = (initseq << 1) | 1;
        m_state = 0;
        m_state = m_state * kMult + m_inc;
        m_state += initstate;
        m_state = m_state * kMult + m_inc;
    }

    std::uint64_t next64()
    {
        m_state = m_state * kMult + m_inc;
        const std::uint64_t x = std::uint64_t(m_state >> 64) ^ std::uint64_t(m_state);
        const unsigned rot = unsigned(m_state >> 122);
        return (x >> rot) | (x << ((64 - rot) & 63));
    }

    std::uint32_t next32()
    {
        if (m_hasHalf) {
            m_hasHalf = false;
            return m_half;
        }
        const std::uint64_t v = next64();
        m_half = std::uint32_t(v >> 32);
        m_hasHalf = true;
        return std::uint32_t(v);
    }

    /** numpy's random_interval: uniform in [0, max] by masked rejection. */
    std::uint64_t interval(std::uint64_t max)
    {
        if (max == 0)
            return 0;
        std::uint64_t mask = max;
        for (int s : {1, 2, 4, 8, 16, 32})
            mask |= mask >> s;
        std::uint64_t v;
        if (max <= 0xFFFFFFFFull) {
            do
                v = next32() & mask;
            while (v > max);
        } else {
            do
                v = next64() & mask;
            while (v > max);
        }
        return v;
    }

private:
    static constexpr u128 kMult = (u128(0x2360ED051FC65DA4ull) << 64) | 0x4385DF649FCCF645ull;
    u128 m_state = 0, m_inc = 0;
    std::uint32_t m_half = 0;
    bool m_hasHalf = false;
};

/** CPython's Mersenne Twister (random.Random). */
class PyMt {
public:
    explicit PyMt(std::uint64_t seed)
    {
        std::vector<std::uint32_t> key;
        do {  // the seed's 32-bit words, least significant first (init_by_array)
            key.push_back(std::uint32_t(seed));
            seed >>= 32;
        } while (seed);
        init(19650218u);
        std::uint32_t i = 1, j = 0;
        const std::uint32_t n = 624, len = std::uint32_t(key.size());
        for (std::uint32_t k = std::max(n, len); k; --k) {
            m[i] = (m[i] ^ ((m[i - 1] ^ (m[i - 1] >> 30)) * 1664525u)) + key[j] + j;
            ++i;
            ++j;
            if (i >= n) {
                m[0] = m[n - 1];
                i = 1;
            }
            if (j >= len)
                j = 0;
        }
        for (std::uint32_t k = n - 1; k; --k) {
            m[i] = (m[i] ^ ((m[i - 1] ^ (m[i - 1] >> 30)) * 1566083941u)) - i;
            ++i;
            if (i >= n) {
                m[0] = m[n - 1];
                i = 1;
            }
        }
        m[0] = 0x80000000u;
    }

    std::uint32_t next()
    {
        if (idx >= 624) {
            for (int k = 0; k < 624; ++k) {
                const std::uint32_t y = (m[k] & 0x80000000u) | (m[(k + 1) % 624] & 0x7fffffffu);
                m[k] = m[(k + 397) % 624] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
            }
            idx = 0;
        }
        std::uint32_t y = m[idx++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /** _randbelow(n) for n < 2^32: getrandbits(n.bit_length()) until below n. */
    std::uint32_t below(std::uint32_t n)
    {
        int k = 0;
        while (k < 32 && (n >> k))
            ++k;
        std::uint32_t r;
        do
            r = next() >> (32 - k);
        while (r >= n);
        return r;
    }

private:
    void init(std::uint32_t s)
    {
        m[0] = s;
        for (std::uint32_t i = 1; i < 624; ++i)
            m[i] = 1812433253u * (m[i - 1] ^ (m[i - 1] >> 30)) + i;
        idx = 624;
    }
    std::uint32_t m[624] = {};
    std::uint32_t idx = 624;
};

} // namespace

std::vector<std::int64_t> pythonShuffle(std::uint64_t seed, std::int64_t n)
{
    std::vector<std::int64_t> x(static_cast<size_t>(std::max<std::int64_t>(0, n)));
    for (std::int64_t i = 0; i < n; ++i)
        x[size_t(i)] = i;
    if (n >= (std::int64_t(1) << 32))
        throw DataError("pythonShuffle: n too large");
    PyMt rng(seed);
    for (std::int64_t i = n - 1; i >= 1; --i)
        std::swap(x[size_t(i)], x[size_t(rng.below(std::uint32_t(i + 1)))]);
    return x;
}

int CsvTable::column(const std::string &name) const
{
    const auto it = std::find(columns.begin(), columns.end(), name);
    return it == columns.end() ? -1 : int(it - columns.begin());
}

CsvTable readCsvTable(const std::string &file) { return csvTable(file, readDataFile(file)); }

std::string fingerprintBytes(const std::string &bytes)
{
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

CalibrationSet readCalibrationSet(const std::string &file)
{
    const std::string bytes = readDataFile(file);
    const std::string ext = extensionOf(file);
    CalibrationSet set;
    if (ext == "csv")
        set = readCsv(file, bytes);
    else if (ext == "json")
        set = readJson(file, bytes, false);
    else if (ext == "jsonl")
        set = readJson(file, bytes, true);
    else
        fail(file, 0, "unknown calibration format \"." + ext + "\" (expected .csv, .json or .jsonl)");
    if (set.rows.empty())
        fail(file, 0, "no examples in the file");
    set.file = file;
    set.fingerprint = fingerprintBytes(bytes);
    return set;
}

std::vector<std::int64_t> numpyPermutation(std::uint64_t seed, std::int64_t n)
{
    std::vector<std::int64_t> a(size_t(std::max<std::int64_t>(0, n)));
    for (std::int64_t i = 0; i < n; ++i)
        a[size_t(i)] = i;
    Pcg64 rng(seed);
    for (std::int64_t i = n - 1; i >= 1; --i)
        std::swap(a[size_t(i)], a[size_t(rng.interval(std::uint64_t(i)))]);
    return a;
}

std::vector<std::int64_t> selectCalibrationRows(std::int64_t rows, std::int64_t nsamples, std::uint64_t seed)
{
    if (nsamples < 1)
        throw DataError("nsamples must be at least 1 (got " + std::to_string(nsamples) + ")");
    if (nsamples > rows)
        throw DataError("nsamples = " + std::to_string(nsamples) + " is more than the " + std::to_string(rows) +
                        " rows of the calibration set (choose at most " + std::to_string(rows) + ")");
    std::vector<std::int64_t> p = numpyPermutation(seed, rows);
    p.resize(size_t(nsamples));
    return p;
}

void checkContextLength(std::int64_t tokens, std::int64_t context, const std::string &what, const std::string &hint)
{
    if (context > 0 && tokens > context)
        throw DataError(what + " is " + std::to_string(tokens) + " tokens long, more than the model's context of " +
                        std::to_string(context) + " tokens (max_position_embeddings)" + (hint.empty() ? "" : "; " + hint));
}

std::vector<CalibrationExample> tokenizeCalibration(const Tokenizer &tok, const CalibrationSet &set,
                                                    const std::vector<std::int64_t> &rows, std::int64_t maxLength,
                                                    std::int64_t context)
{
    std::vector<CalibrationExample> out;
    out.reserve(rows.size());
    for (std::int64_t r : rows) {
        if (r < 0 || r >= std::int64_t(set.rows.size()))
            throw DataError(set.file + ": row " + std::to_string(r) + " does not exist (" +
                            std::to_string(set.rows.size()) + " rows)");
        CalibrationExample e;
        e.row = r;
        e.ids = tok.encode(set.rows[size_t(r)].prompt, true);
        e.promptLength = std::int64_t(e.ids.size());
        const auto resp = tok.encode(set.rows[size_t(r)].response, false);
        // scores are sums over response tokens: a row without any would add nothing and pass unnoticed
        if (resp.empty())
            throw DataError(set.file + ": example " + std::to_string(r + 1) + " has an empty response (scores are "
                            "computed on the response's tokens); remove the row or give it a response");
        e.ids.insert(e.ids.end(), resp.begin(), resp.end());
        if (maxLength > 0 && std::int64_t(e.ids.size()) > maxLength) {
            if (e.promptLength >= maxLength)
                throw DataError(set.file + ": example " + std::to_string(r + 1) + " has a prompt of " +
                                std::to_string(e.promptLength) + " tokens: a maximum length of " + std::to_string(maxLength) +
                                " leaves none of its response");
            e.ids.resize(size_t(maxLength));
            e.truncated = true;
        }
        checkContextLength(std::int64_t(e.ids.size()), context, set.file + ": example " + std::to_string(r + 1),
                           "shorten it, or cut every example with --max-length");
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace alignscope
