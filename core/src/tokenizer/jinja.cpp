// SPDX-License-Identifier: MIT
// A Jinja2 interpreter for chat templates (see alignscope/jinja.h for what it covers).
// Three stages: the lexer cuts the source into text and tags, applying whitespace control
// (-, +, trim_blocks, lstrip_blocks) exactly as Jinja's lexer does; the parser builds a tree of
// statements and expressions with Jinja's operator precedence; the renderer walks it with Python's
// value semantics.
#include "alignscope/jinja.h"

#include "tokenizer/utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

namespace alignscope::jinja {

namespace {

// ---------------------------------------------------------------------------------------------
// Unicode helpers: Python strings index code points

std::uint32_t codePoint(const std::string &ch)
{
    const auto c = static_cast<unsigned char>(ch[0]);
    if (c < 0x80 || ch.size() == 1)
        return c;
    std::uint32_t cp = c & (0xFF >> (ch.size() + 1));
    for (size_t k = 1; k < ch.size(); ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(ch[k]) & 0x3F);
    return cp;
}

/** Python's str.isspace() for one code point. */
bool pySpace(std::uint32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

std::string join(const std::vector<std::string> &parts, size_t from = 0, size_t to = std::string::npos)
{
    std::string s;
    for (size_t i = from; i < std::min(to, parts.size()); ++i)
        s += parts[i];
    return s;
}

/** str.strip/lstrip/rstrip with Python's whitespace or the characters of `set`. */
std::string pyStripChars(const std::string &s, const Value &set, bool left, bool right)
{
    const auto cs = utf8::characters(s);
    std::vector<std::string> strip;
    if (set.isString())
        strip = utf8::characters(set.s);
    auto drop = [&](const std::string &c) {
        return set.isString() ? std::find(strip.begin(), strip.end(), c) != strip.end() : pySpace(codePoint(c));
    };
    size_t b = 0, e = cs.size();
    while (left && b < e && drop(cs[b]))
        ++b;
    while (right && e > b && drop(cs[e - 1]))
        --e;
    return join(cs, b, e);
}

// ---------------------------------------------------------------------------------------------
// Python's repr of floats and strings

std::string floatRepr(double d)
{
    if (std::isnan(d))
        return "nan";
    if (std::isinf(d))
        return d < 0 ? "-inf" : "inf";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    const bool neg = sci[0] == '-';
    if (neg)
        sci.erase(0, 1);
    const size_t e = sci.find('e');
    std::string digits = sci.substr(0, e);
    digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
    const int exp = std::stoi(sci.substr(e + 1));
    std::string out;
    if (exp >= -4 && exp < 16) {
        if (exp < 0) {
            out = "0." + std::string(size_t(-exp - 1), '0') + digits;
        } else if (size_t(exp) + 1 >= digits.size()) {
            out = digits + std::string(size_t(exp) + 1 - digits.size(), '0') + ".0";
        } else {
            out = digits.substr(0, size_t(exp) + 1) + "." + digits.substr(size_t(exp) + 1);
        }
    } else {
        out = digits.substr(0, 1);
        if (digits.size() > 1)
            out += "." + digits.substr(1);
        const int a = std::abs(exp);
        out += std::string("e") + (exp < 0 ? "-" : "+") + (a < 10 ? "0" : "") + std::to_string(a);
    }
    return neg ? "-" + out : out;
}

std::string strRepr(const std::string &s)
{
    const bool dq = s.find('\'') != std::string::npos && s.find('"') == std::string::npos;
    const char q = dq ? '"' : '\'';
    std::string out(1, q);
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (ch == q || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (ch == '\n') {
            out += "\\n";
        } else if (ch == '\r') {
            out += "\\r";
        } else if (ch == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7F) {
            char b[8];
            std::snprintf(b, sizeof b, "\\x%02x", c);
            out += b;
        } else {
            out += ch;
        }
    }
    return out + q;
}

std::string typeName(const Value &v)
{
    switch (v.type) {
    case Value::Type::Undefined: return "Undefined";
    case Value::Type::None: return "NoneType";
    case Value::Type::Bool: return "bool";
    case Value::Type::Int: return "int";
    case Value::Type::Float: return "float";
    case Value::Type::String: return "str";
    case Value::Type::Array: return v.tuple ? "tuple" : "list";
    case Value::Type::Object: return "dict";
    case Value::Type::Namespace: return "Namespace";
    case Value::Type::Function: return "function";
    }
    return "?";
}

[[noreturn]] void fail(const std::string &message) { throw TemplateError(message); }

// A template is untrusted input: these bound what rendering one may cost.
constexpr int kMaxNesting = 200;                    ///< parser recursion (brackets, operators, blocks)
constexpr int kMaxCallDepth = 64;                   ///< macro calls
constexpr std::int64_t kMaxSteps = 5'000'000;        ///< evaluated nodes per render
constexpr size_t kMaxText = size_t(64) << 20;       ///< output and any one string or list

void checkSize(size_t n)
{
    if (n > kMaxText)
        fail("the template builds a value larger than 64 MiB");
}

[[noreturn]] void overflow() { fail("integer overflow (the interpreter's integers are 64-bit)"); }

std::int64_t addChecked(std::int64_t a, std::int64_t b)
{
    std::int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r))
        overflow();
    return r;
}

std::int64_t subChecked(std::int64_t a, std::int64_t b)
{
    std::int64_t r = 0;
    if (__builtin_sub_overflow(a, b, &r))
        overflow();
    return r;
}

std::int64_t mulChecked(std::int64_t a, std::int64_t b)
{
    std::int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r))
        overflow();
    return r;
}

[[noreturn]] void failUndefined(const Value &v)
{
    fail(v.s.empty() ? "a value is undefined" : v.s + (v.s.front() == '\'' ? "" : " is undefined"));
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Value

Value Value::none()
{
    Value v;
    v.type = Type::None;
    return v;
}

Value Value::undefined(std::string name)
{
    Value v;
    v.s = std::move(name);
    return v;
}

Value Value::array(jinja::Array a)
{
    Value v;
    v.type = Type::Array;
    v.arr = std::make_shared<jinja::Array>(std::move(a));
    return v;
}

Value Value::object(jinja::Object o)
{
    Value v;
    v.type = Type::Object;
    v.obj = std::make_shared<jinja::Object>(std::move(o));
    return v;
}

Value Value::function(jinja::Function f)
{
    Value v;
    v.type = Type::Function;
    v.fn = std::make_shared<jinja::Function>(std::move(f));
    return v;
}

Value Value::fromJson(const nlohmann::ordered_json &j)
{
    switch (j.type()) {
    case nlohmann::ordered_json::value_t::null: return none();
    case nlohmann::ordered_json::value_t::boolean: return Value(j.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer: return Value(j.get<std::int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned: return Value(std::int64_t(j.get<std::uint64_t>()));
    case nlohmann::ordered_json::value_t::number_float: return Value(j.get<double>());
    case nlohmann::ordered_json::value_t::string: return Value(j.get<std::string>());
    case nlohmann::ordered_json::value_t::array: {
        jinja::Array a;
        for (const auto &e : j)
            a.push_back(fromJson(e));
        return array(std::move(a));
    }
    case nlohmann::ordered_json::value_t::object: {
        jinja::Object o;
        for (auto it = j.begin(); it != j.end(); ++it)
            o.emplace_back(it.key(), fromJson(it.value()));
        return object(std::move(o));
    }
    default: return undefined();
    }
}

const Value *Value::find(const std::string &key) const
{
    if ((type != Type::Object && type != Type::Namespace) || !obj)
        return nullptr;
    for (const auto &kv : *obj)
        if (kv.first == key)
            return &kv.second;
    return nullptr;
}

void Value::set(const std::string &key, Value v)
{
    for (auto &kv : *obj)
        if (kv.first == key) {
            kv.second = std::move(v);
            return;
        }
    obj->emplace_back(key, std::move(v));
}

Value Arguments::get(size_t index, const std::string &name, Value fallback) const
{
    if (index < positional.size())
        return positional[index];
    for (const auto &kv : keyword)
        if (kv.first == name)
            return kv.second;
    return fallback;
}

std::string toRepr(const Value &v)
{
    if (v.isString())
        return strRepr(v.s);
    if (v.isArray()) {
        std::string s = v.tuple ? "(" : "[";
        for (size_t k = 0; k < v.arr->size(); ++k)
            s += (k ? ", " : "") + toRepr((*v.arr)[k]);
        if (v.tuple && v.arr->size() == 1)
            s += ",";
        return s + (v.tuple ? ")" : "]");
    }
    if (v.isObject()) {
        std::string s = "{";
        for (size_t k = 0; k < v.obj->size(); ++k)
            s += (k ? ", " : "") + strRepr((*v.obj)[k].first) + ": " + toRepr((*v.obj)[k].second);
        return s + "}";
    }
    return toString(v);
}

std::string toString(const Value &v)
{
    switch (v.type) {
    case Value::Type::Undefined: return "";
    case Value::Type::None: return "None";
    case Value::Type::Bool: return v.b ? "True" : "False";
    case Value::Type::Int: return std::to_string(v.i);
    case Value::Type::Float: return floatRepr(v.f);
    case Value::Type::String: return v.s;
    case Value::Type::Array:
    case Value::Type::Object: return toRepr(v);
    case Value::Type::Namespace: return "<Namespace>";
    case Value::Type::Function: return "<function>";
    }
    return "";
}

namespace {

std::string jsonString(const std::string &s)
{
    std::string out = "\"";
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20) {
                char b[8];
                std::snprintf(b, sizeof b, "\\u%04x", c);
                out += b;
            } else {
                out += ch;
            }
        }
    }
    return out + "\"";
}

void jsonDump(const Value &v, int indent, bool sortKeys, int depth, std::string &out)
{
    const std::string nl = indent >= 0 ? "\n" + std::string(size_t(indent * (depth + 1)), ' ') : "";
    const std::string close = indent >= 0 ? "\n" + std::string(size_t(indent * depth), ' ') : "";
    const std::string comma = indent >= 0 ? "," : ", ";
    switch (v.type) {
    case Value::Type::None: out += "null"; return;
    case Value::Type::Bool: out += v.b ? "true" : "false"; return;
    case Value::Type::Int: out += std::to_string(v.i); return;
    case Value::Type::Float:
        out += std::isnan(v.f) ? "NaN" : std::isinf(v.f) ? (v.f < 0 ? "-Infinity" : "Infinity") : floatRepr(v.f);
        return;
    case Value::Type::String: out += jsonString(v.s); return;
    case Value::Type::Array:
        if (v.arr->empty()) {
            out += "[]";
            return;
        }
        out += "[";
        for (size_t k = 0; k < v.arr->size(); ++k) {
            out += (k ? comma : "") + nl;
            jsonDump((*v.arr)[k], indent, sortKeys, depth + 1, out);
        }
        out += close + "]";
        return;
    case Value::Type::Object: {
        if (v.obj->empty()) {
            out += "{}";
            return;
        }
        std::vector<const std::pair<std::string, Value> *> items;
        for (const auto &kv : *v.obj)
            items.push_back(&kv);
        if (sortKeys)
            std::stable_sort(items.begin(), items.end(), [](auto *a, auto *b) { return a->first < b->first; });
        out += "{";
        for (size_t k = 0; k < items.size(); ++k) {
            out += (k ? comma : "") + nl + jsonString(items[k]->first) + ": ";
            jsonDump(items[k]->second, indent, sortKeys, depth + 1, out);
        }
        out += close + "}";
        return;
    }
    default: fail("Object of type " + typeName(v) + " is not JSON serializable");
    }
}

} // namespace

std::string toJson(const Value &v, int indent, bool sortKeys)
{
    std::string out;
    jsonDump(v, indent, sortKeys, 0, out);
    return out;
}

// ---------------------------------------------------------------------------------------------
// Lexer

namespace {

enum class Tok { Name, String, Int, Float, Op, End };

struct Token {
    Tok kind = Tok::End;
    std::string text;  ///< name, operator or the string's value
    std::int64_t i = 0;
    double f = 0;
};

struct Chunk {
    enum Kind { Text, Expr, Stmt } kind = Text;
    std::string text;
    std::vector<Token> tokens;
    int line = 1;
};

bool asciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/** A code point of a string literal's escape, as UTF-8 (surrogates and values beyond U+10FFFF are refused). */
void appendChar(std::string &out, std::uint32_t cp)
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        fail("a string literal's escape is not a Unicode character UTF-8 can hold");
    utf8::append(out, char32_t(cp));
}

/** Python's unicode-escape decoding of a string literal's body. */
std::string unescape(const std::string &s)
{
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        const char c = s[++i];
        auto hex = [&](size_t n) {
            const std::string h = s.substr(i + 1, n);
            if (h.size() != n || h.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
                fail("invalid \\x/\\u escape in a string literal");
            i += n;
            return std::uint32_t(std::stoul(h, nullptr, 16));
        };
        switch (c) {
        case '\n': break;
        case '\\': out += '\\'; break;
        case '\'': out += '\''; break;
        case '"': out += '"'; break;
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'v': out += '\v'; break;
        case 'x': appendChar(out, hex(2)); break;
        case 'u': appendChar(out, hex(4)); break;
        case 'U': appendChar(out, hex(8)); break;
        default:
            if (c >= '0' && c <= '7') {
                std::uint32_t v = std::uint32_t(c - '0');
                for (int k = 0; k < 2 && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '7'; ++k)
                    v = v * 8 + std::uint32_t(s[++i] - '0');
                appendChar(out, v);
            } else {
                out += '\\';
                out += c;
            }
        }
    }
    return out;
}

class Lexer {
public:
    explicit Lexer(std::string source) : m_src(std::move(source)) {}

    std::vector<Chunk> run()
    {
        normalize();
        std::vector<Chunk> chunks;
        size_t pos = 0;
        bool lineStarting = true;
        bool stripNext = false;  // the previous tag ended with '-'
        while (pos <= m_src.size()) {
            size_t tag = findTag(pos);
            std::string text = m_src.substr(pos, (tag == std::string::npos ? m_src.size() : tag) - pos);
            if (stripNext) {
                size_t k = 0;
                while (k < text.size() && asciiSpace(text[k]))
                    ++k;
                text.erase(0, k);
            }
            stripNext = false;
            if (tag == std::string::npos) {
                push(chunks, Chunk::Text, text);
                break;
            }
            const char kind = m_src[tag + 1];
            const char sign = tag + 2 < m_src.size() ? m_src[tag + 2] : 0;
            if (sign == '-') {
                while (!text.empty() && asciiSpace(text.back()))
                    text.pop_back();
            } else if (sign != '+' && kind != '{') {  // lstrip_blocks
                const size_t nl = text.rfind('\n');
                const size_t from = nl == std::string::npos ? 0 : nl + 1;
                if ((nl != std::string::npos || lineStarting) && from < text.size() &&
                    text.find_first_not_of(" \t\f\v\r", from) == std::string::npos)
                    text.erase(from);
            }
            push(chunks, Chunk::Text, text);
            m_line += int(std::count(m_src.begin() + long(pos), m_src.begin() + long(tag), '\n'));
            pos = tag + 2 + ((sign == '-' || sign == '+') ? 1 : 0);
            const int tagLine = m_line;
            char endSign = 0;
            if (kind == '#') {
                const size_t end = m_src.find("#}", pos);
                if (end == std::string::npos)
                    fail("line " + std::to_string(tagLine) + ": unclosed comment");
                endSign = end > pos && (m_src[end - 1] == '-' || m_src[end - 1] == '+') ? m_src[end - 1] : 0;
                m_line += int(std::count(m_src.begin() + long(pos), m_src.begin() + long(end), '\n'));
                pos = end + 2;
            } else {
                Chunk c;
                c.kind = kind == '{' ? Chunk::Expr : Chunk::Stmt;
                c.line = tagLine;
                pos = tokens(pos, kind == '{' ? '}' : '%', c.tokens, endSign);
                if (c.kind == Chunk::Stmt && !c.tokens.empty() && c.tokens[0].kind == Tok::Name && c.tokens[0].text == "raw") {
                    pos = raw(pos, chunks, endSign);
                    lineStarting = false;
                    continue;
                }
                chunks.push_back(std::move(c));
            }
            lineStarting = false;
            if (endSign == '-') {
                stripNext = true;
            } else if (kind != '{' && endSign != '+' && pos < m_src.size() && m_src[pos] == '\n') {  // trim_blocks
                ++pos;
                ++m_line;
                lineStarting = true;
            }
        }
        return chunks;
    }

private:
    void normalize()
    {
        std::string s;
        for (size_t i = 0; i < m_src.size(); ++i) {
            if (m_src[i] == '\r') {
                s += '\n';
                if (i + 1 < m_src.size() && m_src[i + 1] == '\n')
                    ++i;
            } else {
                s += m_src[i];
            }
        }
        if (!s.empty() && s.back() == '\n')  // keep_trailing_newline=False
            s.pop_back();
        m_src = std::move(s);
    }

    size_t findTag(size_t from) const
    {
        for (size_t p = m_src.find('{', from); p != std::string::npos; p = m_src.find('{', p + 1))
            if (p + 1 < m_src.size() && (m_src[p + 1] == '{' || m_src[p + 1] == '%' || m_src[p + 1] == '#'))
                return p;
        return std::string::npos;
    }

    static void push(std::vector<Chunk> &chunks, Chunk::Kind k, const std::string &text)
    {
        if (text.empty())
            return;
        if (!chunks.empty() && chunks.back().kind == Chunk::Text) {
            chunks.back().text += text;
            return;
        }
        Chunk c;
        c.kind = k;
        c.text = text;
        chunks.push_back(std::move(c));
    }

    /** {% raw %}…{% endraw %}: text up to the closing tag. */
    size_t raw(size_t pos, std::vector<Chunk> &chunks, char &endSign)
    {
        size_t p = pos;
        while (true) {
            const size_t tag = m_src.find("{%", p);
            if (tag == std::string::npos)
                fail("line " + std::to_string(m_line) + ": {% raw %} without {% endraw %}");
            size_t k = tag + 2;
            if (k < m_src.size() && (m_src[k] == '-' || m_src[k] == '+'))
                ++k;
            while (k < m_src.size() && asciiSpace(m_src[k]))
                ++k;
            if (m_src.compare(k, 6, "endraw") == 0) {
                std::string text = m_src.substr(pos, tag - pos);
                if (m_src[tag + 2] == '-')
                    while (!text.empty() && asciiSpace(text.back()))
                        text.pop_back();
                push(chunks, Chunk::Text, text);
                std::vector<Token> ignored;
                return tokens(tag + 2 + ((m_src[tag + 2] == '-' || m_src[tag + 2] == '+') ? 1 : 0), '%', ignored, endSign);
            }
            p = tag + 2;
        }
    }

    /** Tokens of a tag from `pos` to its closing `X}`; returns the position after it. */
    size_t tokens(size_t pos, char closer, std::vector<Token> &out, char &endSign)
    {
        int depth = 0;
        const std::string where = "line " + std::to_string(m_line) + ": ";
        while (true) {
            while (pos < m_src.size() && asciiSpace(m_src[pos])) {
                if (m_src[pos] == '\n')
                    ++m_line;
                ++pos;
            }
            if (pos >= m_src.size())
                fail(where + "unclosed tag (missing \"" + std::string(1, closer) + "}\")");
            const char c = m_src[pos];
            if (depth == 0) {
                if ((c == '-' || c == '+') && m_src.compare(pos + 1, 2, std::string(1, closer) + "}") == 0) {
                    endSign = c;
                    return pos + 3;
                }
                if (c == closer && pos + 1 < m_src.size() && m_src[pos + 1] == '}') {
                    endSign = 0;
                    return pos + 2;
                }
            }
            Token t;
            if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
                size_t e = pos;
                while (e < m_src.size() && (std::isalnum(static_cast<unsigned char>(m_src[e])) || m_src[e] == '_'))
                    ++e;
                t.kind = Tok::Name;
                t.text = m_src.substr(pos, e - pos);
                pos = e;
            } else if (std::isdigit(static_cast<unsigned char>(c))) {
                size_t e = pos;
                bool isFloat = false;
                while (e < m_src.size() && (std::isdigit(static_cast<unsigned char>(m_src[e])) || m_src[e] == '_'))
                    ++e;
                if (e + 1 < m_src.size() && m_src[e] == '.' && std::isdigit(static_cast<unsigned char>(m_src[e + 1]))) {
                    isFloat = true;
                    ++e;
                    while (e < m_src.size() && (std::isdigit(static_cast<unsigned char>(m_src[e])) || m_src[e] == '_'))
                        ++e;
                }
                if (e < m_src.size() && (m_src[e] == 'e' || m_src[e] == 'E')) {
                    size_t k = e + 1;
                    if (k < m_src.size() && (m_src[k] == '+' || m_src[k] == '-'))
                        ++k;
                    if (k < m_src.size() && std::isdigit(static_cast<unsigned char>(m_src[k]))) {
                        isFloat = true;
                        e = k;
                        while (e < m_src.size() && std::isdigit(static_cast<unsigned char>(m_src[e])))
                            ++e;
                    }
                }
                std::string num = m_src.substr(pos, e - pos);
                num.erase(std::remove(num.begin(), num.end(), '_'), num.end());
                if (isFloat) {
                    t.kind = Tok::Float;
                    t.f = std::strtod(num.c_str(), nullptr);
                } else {
                    t.kind = Tok::Int;
                    const auto r = std::from_chars(num.data(), num.data() + num.size(), t.i);
                    if (r.ec != std::errc())
                        fail(where + "integer literal " + num + " is out of range");
                }
                pos = e;
            } else if (c == '\'' || c == '"') {
                size_t e = pos + 1;
                while (e < m_src.size() && m_src[e] != c) {
                    if (m_src[e] == '\\')
                        ++e;
                    ++e;
                }
                if (e >= m_src.size())
                    fail(where + "unterminated string literal");
                const std::string body = m_src.substr(pos + 1, e - pos - 1);
                m_line += int(std::count(body.begin(), body.end(), '\n'));
                t.kind = Tok::String;
                t.text = unescape(body);
                pos = e + 1;
            } else {
                static const char *ops[] = {"//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">",
                                            "=", "(", ")", "[", "]", "{", "}", ".", ",", ":", "|"};
                const char *hit = nullptr;
                for (const char *op : ops)
                    if (m_src.compare(pos, std::char_traits<char>::length(op), op) == 0) {
                        hit = op;
                        break;
                    }
                if (!hit)
                    fail(where + "unexpected character '" + std::string(1, c) + "'");
                t.kind = Tok::Op;
                t.text = hit;
                pos += t.text.size();
                if (t.text == "(" || t.text == "[" || t.text == "{")
                    ++depth;
                else if (t.text == ")" || t.text == "]" || t.text == "}")
                    --depth;
            }
            out.push_back(std::move(t));
        }
    }

    std::string m_src;
    int m_line = 1;
};

} // namespace

// ---------------------------------------------------------------------------------------------
// Syntax tree

using NodePtr = std::shared_ptr<Node>;
using Body = std::vector<NodePtr>;

struct Node {
    enum class K {
        // expressions
        Literal, Name, Attr, Item, Slice, Call, Filter, Test, Not, Neg, Pos, Binary, And, Or, Compare, Cond,
        List, Tuple, Dict,
        // statements
        Text, Print, If, For, Set, SetBlock, Macro, Break, Continue, FilterBlock, Generation
    } k;
    int line = 0;
    std::string str;                                      ///< text, name, attribute, operator, filter/test
    Value lit;
    std::vector<NodePtr> c;                               ///< operands / arguments
    std::vector<std::pair<std::string, NodePtr>> kw;      ///< keyword arguments; macro defaults
    std::vector<std::string> names;                       ///< targets, comparison operators, parameters
    std::vector<std::pair<NodePtr, Body>> branches;       ///< if/elif
    Body body, orelse;
    bool negated = false;                                 ///< `is not`
};

namespace {

NodePtr make(Node::K k, int line)
{
    auto n = std::make_shared<Node>();
    n->k = k;
    n->line = line;
    return n;
}

class Parser {
public:
    explicit Parser(std::vector<Chunk> chunks) : m_chunks(std::move(chunks)) {}

    Body parseTemplate()
    {
        std::string end;
        Body b = parseBody({}, end);
        return b;
    }

private:
    // ---- statements

    /** Statements until one of `ends` (returned in `end`, the tag consumed) or the end of input. */
    Body parseBody(const std::vector<std::string> &ends, std::string &end)
    {
        Body body;
        while (m_chunk < m_chunks.size()) {
            const Chunk &ch = m_chunks[m_chunk];
            m_line = ch.line;
            if (ch.kind == Chunk::Text) {
                auto n = make(Node::K::Text, ch.line);
                n->str = ch.text;
                body.push_back(n);
                ++m_chunk;
                continue;
            }
            m_toks = &ch.tokens;
            m_pos = 0;
            ++m_chunk;
            if (ch.kind == Chunk::Expr) {
                auto n = make(Node::K::Print, ch.line);
                n->c.push_back(expression());
                expectEnd();
                body.push_back(n);
                continue;
            }
            const Token &kw = next();
            if (kw.kind != Tok::Name)
                error("expected a statement name");
            if (std::find(ends.begin(), ends.end(), kw.text) != ends.end()) {
                end = kw.text;
                return body;
            }
            body.push_back(statement(kw.text));
        }
        if (!ends.empty())
            error("missing {% " + ends.back() + " %} (the template ended)");
        return body;
    }

    NodePtr statement(const std::string &name)
    {
        Nest nest(*this);
        const int line = m_line;
        std::string end;
        if (name == "if") {
            auto n = make(Node::K::If, line);
            NodePtr cond = expression();
            expectEnd();
            while (true) {
                Body b = parseBody({"elif", "else", "endif"}, end);
                n->branches.emplace_back(cond, std::move(b));
                if (end == "elif") {
                    cond = expression();
                    expectEnd();
                    continue;
                }
                if (end == "else") {
                    expectEnd();
                    n->orelse = parseBody({"endif"}, end);
                }
                expectEnd();
                return n;
            }
        }
        if (name == "for") {
            auto n = make(Node::K::For, line);
            n->names = targets();
            expectName("in");
            n->c.push_back(orExpression(false));  // the iterable (no conditional expression: `if` filters)
            n->c.push_back(nullptr);
            if (peekName("if")) {
                next();
                n->c[1] = expression();
            }
            if (peekName("recursive"))
                error("recursive loops are not supported");
            expectEnd();
            n->body = parseBody({"else", "endfor"}, end);
            if (end == "else") {
                expectEnd();
                n->orelse = parseBody({"endfor"}, end);
            }
            expectEnd();
            return n;
        }
        if (name == "set") {
            std::vector<std::string> t = targets(true);
            if (peekOp("=")) {
                next();
                auto n = make(Node::K::Set, line);
                n->names = t;
                n->c.push_back(tupleOrExpression());
                expectEnd();
                return n;
            }
            auto n = make(Node::K::SetBlock, line);
            n->names = t;
            while (peekOp("|")) {  // {% set x | filter %}
                next();
                n->c.push_back(filterCall(nullptr));
            }
            expectEnd();
            n->body = parseBody({"endset"}, end);
            expectEnd();
            return n;
        }
        if (name == "macro") {
            auto n = make(Node::K::Macro, line);
            n->str = expectName();
            expectOp("(");
            while (!peekOp(")")) {
                const std::string p = expectName();
                n->names.push_back(p);
                if (peekOp("=")) {
                    next();
                    n->kw.emplace_back(p, expression());
                }
                if (!peekOp(")"))
                    expectOp(",");
            }
            next();
            expectEnd();
            n->body = parseBody({"endmacro"}, end);
            expectEnd();
            return n;
        }
        if (name == "break" || name == "continue") {
            expectEnd();
            return make(name == "break" ? Node::K::Break : Node::K::Continue, line);
        }
        if (name == "filter") {
            auto n = make(Node::K::FilterBlock, line);
            n->c.push_back(filterCall(nullptr));
            while (peekOp("|")) {
                next();
                n->c.push_back(filterCall(nullptr));
            }
            expectEnd();
            n->body = parseBody({"endfilter"}, end);
            expectEnd();
            return n;
        }
        if (name == "generation") {  // Hugging Face's AssistantTracker: renders its body
            auto n = make(Node::K::Generation, line);
            expectEnd();
            n->body = parseBody({"endgeneration"}, end);
            expectEnd();
            return n;
        }
        error("unsupported statement '" + name + "'");
    }

    /** Assignment or loop targets: `a`, `a, b`, `(a, b)`, and (for set) `ns.attr`. */
    std::vector<std::string> targets(bool allowAttr = false)
    {
        std::vector<std::string> t;
        const bool paren = peekOp("(");
        if (paren)
            next();
        while (true) {
            std::string n = expectName();
            if (allowAttr && peekOp(".")) {
                next();
                n += "." + expectName();
            }
            t.push_back(n);
            if (!peekOp(","))
                break;
            next();
        }
        if (paren)
            expectOp(")");
        return t;
    }

    // ---- expressions (Jinja's parser: condexpr > or > and > not > compare > math1 > concat > math2 > pow > unary)

    NodePtr tupleOrExpression()
    {
        NodePtr first = expression();
        if (!peekOp(","))
            return first;
        auto t = make(Node::K::Tuple, m_line);
        t->c.push_back(first);
        while (peekOp(",")) {
            next();
            if (atEnd())
                break;
            t->c.push_back(expression());
        }
        return t;
    }

    struct Nest {
        explicit Nest(Parser &p) : m_p(p)
        {
            if (++m_p.m_depth > kMaxNesting)
                m_p.error("the template is nested too deeply");
        }
        ~Nest() { --m_p.m_depth; }
        Parser &m_p;
    };

    NodePtr expression()
    {
        Nest nest(*this);
        NodePtr e = orExpression(true);
        while (peekName("if")) {
            next();
            auto n = make(Node::K::Cond, m_line);
            n->c.push_back(e);
            n->c.push_back(orExpression(true));
            if (peekName("else")) {
                next();
                n->c.push_back(expression());
            } else {
                n->c.push_back(nullptr);
            }
            e = n;
        }
        return e;
    }

    NodePtr orExpression(bool) { return binaryChain("or", Node::K::Or, [this] { return andExpression(); }); }
    NodePtr andExpression() { return binaryChain("and", Node::K::And, [this] { return notExpression(); }); }

    template <class F> NodePtr binaryChain(const char *word, Node::K k, F operand)
    {
        NodePtr e = operand();
        while (peekName(word)) {
            next();
            auto n = make(k, m_line);
            n->c = {e, operand()};
            e = n;
        }
        return e;
    }

    NodePtr notExpression()
    {
        Nest nest(*this);
        if (peekName("not")) {
            next();
            auto n = make(Node::K::Not, m_line);
            n->c.push_back(notExpression());
            return n;
        }
        return compare();
    }

    NodePtr compare()
    {
        NodePtr e = math1();
        auto n = make(Node::K::Compare, m_line);
        n->c.push_back(e);
        while (true) {
            static const char *ops[] = {"==", "!=", "<", ">", "<=", ">="};
            std::string op;
            for (const char *o : ops)
                if (peekOp(o))
                    op = o;
            if (!op.empty()) {
                next();
            } else if (peekName("in")) {
                next();
                op = "in";
            } else if (peekName("not") && m_pos + 1 < m_toks->size() && (*m_toks)[m_pos + 1].kind == Tok::Name &&
                       (*m_toks)[m_pos + 1].text == "in") {
                m_pos += 2;
                op = "notin";
            } else {
                break;
            }
            n->names.push_back(op);
            n->c.push_back(math1());
        }
        return n->names.empty() ? e : n;
    }

    NodePtr math1() { return arith({"+", "-"}, [this] { return concat(); }); }
    NodePtr concat() { return arith({"~"}, [this] { return math2(); }); }
    NodePtr math2() { return arith({"*", "/", "//", "%"}, [this] { return power(); }); }
    NodePtr power() { return arith({"**"}, [this] { return unary(true); }); }

    template <class F> NodePtr arith(std::initializer_list<const char *> ops, F operand)
    {
        NodePtr e = operand();
        while (true) {
            std::string op;
            for (const char *o : ops)
                if (peekOp(o))
                    op = o;
            if (op.empty())
                return e;
            next();
            auto n = make(Node::K::Binary, m_line);
            n->str = op;
            n->c = {e, operand()};
            e = n;
        }
    }

    NodePtr unary(bool withFilter)
    {
        Nest nest(*this);
        NodePtr e;
        if (peekOp("-") || peekOp("+")) {
            const bool neg = next().text == "-";
            e = make(neg ? Node::K::Neg : Node::K::Pos, m_line);
            e->c.push_back(unary(false));
        } else {
            e = primary();
        }
        e = postfix(e);
        if (withFilter)
            e = filters(e);
        return e;
    }

    NodePtr primary()
    {
        const Token &t = next();
        const int line = m_line;
        switch (t.kind) {
        case Tok::Name: {
            if (t.text == "true" || t.text == "True" || t.text == "false" || t.text == "False") {
                auto n = make(Node::K::Literal, line);
                n->lit = Value(t.text == "true" || t.text == "True");
                return n;
            }
            if (t.text == "none" || t.text == "None") {
                auto n = make(Node::K::Literal, line);
                n->lit = Value::none();
                return n;
            }
            auto n = make(Node::K::Name, line);
            n->str = t.text;
            return n;
        }
        case Tok::String: {
            std::string s = t.text;
            while (m_pos < m_toks->size() && (*m_toks)[m_pos].kind == Tok::String)
                s += next().text;
            auto n = make(Node::K::Literal, line);
            n->lit = Value(s);
            return n;
        }
        case Tok::Int: {
            auto n = make(Node::K::Literal, line);
            n->lit = Value(t.i);
            return n;
        }
        case Tok::Float: {
            auto n = make(Node::K::Literal, line);
            n->lit = Value(t.f);
            return n;
        }
        case Tok::Op:
            if (t.text == "(") {
                if (peekOp(")")) {
                    next();
                    return make(Node::K::Tuple, line);
                }
                NodePtr e = expression();
                if (peekOp(",")) {
                    auto tup = make(Node::K::Tuple, line);
                    tup->c.push_back(e);
                    while (peekOp(",")) {
                        next();
                        if (peekOp(")"))
                            break;
                        tup->c.push_back(expression());
                    }
                    e = tup;
                }
                expectOp(")");
                return e;
            }
            if (t.text == "[") {
                auto n = make(Node::K::List, line);
                while (!peekOp("]")) {
                    n->c.push_back(expression());
                    if (!peekOp("]"))
                        expectOp(",");
                }
                next();
                return n;
            }
            if (t.text == "{") {
                auto n = make(Node::K::Dict, line);
                while (!peekOp("}")) {
                    n->c.push_back(expression());
                    expectOp(":");
                    n->c.push_back(expression());
                    if (!peekOp("}"))
                        expectOp(",");
                }
                next();
                return n;
            }
            break;
        case Tok::End: error("unexpected end of the expression");
        }
        error("unexpected '" + t.text + "'");
    }

    NodePtr postfix(NodePtr e)
    {
        while (true) {
            if (peekOp(".")) {
                next();
                const Token &t = next();
                if (t.kind == Tok::Int) {
                    auto n = make(Node::K::Item, m_line);
                    auto idx = make(Node::K::Literal, m_line);
                    idx->lit = Value(t.i);
                    n->c = {e, idx};
                    e = n;
                    continue;
                }
                if (t.kind != Tok::Name)
                    error("expected an attribute name after '.'");
                auto n = make(Node::K::Attr, m_line);
                n->str = t.text;
                n->c.push_back(e);
                e = n;
            } else if (peekOp("[")) {
                next();
                e = subscript(e);
            } else if (peekOp("(")) {
                next();
                auto n = make(Node::K::Call, m_line);
                n->c.push_back(e);
                arguments(*n);
                e = n;
            } else {
                return e;
            }
        }
    }

    NodePtr subscript(NodePtr e)
    {
        NodePtr parts[3];
        int part = 0;
        bool slice = false;
        while (!peekOp("]")) {
            if (peekOp(":")) {
                next();
                slice = true;
                if (++part > 2)
                    error("too many ':' in a slice");
                continue;
            }
            parts[part] = expression();
        }
        next();
        if (!slice) {
            if (!parts[0])
                error("empty subscript");
            auto n = make(Node::K::Item, m_line);
            n->c = {e, parts[0]};
            return n;
        }
        auto n = make(Node::K::Slice, m_line);
        n->c = {e, parts[0], parts[1], parts[2]};
        return n;
    }

    /** (args…) after the '(' was consumed. */
    void arguments(Node &n)
    {
        while (!peekOp(")")) {
            if (m_pos + 1 < m_toks->size() && (*m_toks)[m_pos].kind == Tok::Name && (*m_toks)[m_pos + 1].kind == Tok::Op &&
                (*m_toks)[m_pos + 1].text == "=") {
                const std::string k = next().text;
                next();
                n.kw.emplace_back(k, expression());
            } else {
                if (!n.kw.empty())
                    error("a positional argument follows a keyword argument");
                n.c.push_back(expression());
            }
            if (!peekOp(")"))
                expectOp(",");
        }
        next();
    }

    NodePtr filterCall(NodePtr value)
    {
        auto n = make(Node::K::Filter, m_line);
        n->str = expectName();
        while (peekOp(".")) {  // dotted filter names
            next();
            n->str += "." + expectName();
        }
        n->c.push_back(value);
        if (peekOp("(")) {
            next();
            arguments(*n);
        }
        return n;
    }

    NodePtr filters(NodePtr e)
    {
        while (true) {
            if (peekOp("|")) {
                next();
                e = filterCall(e);
            } else if (peekName("is")) {
                next();
                auto n = make(Node::K::Test, m_line);
                if (peekName("not")) {
                    next();
                    n->negated = true;
                }
                const Token &t = next();
                if (t.kind == Tok::Name)
                    n->str = t.text;
                else if (t.kind == Tok::Op && (t.text == "==" || t.text == "!=" || t.text == "<" || t.text == ">" ||
                                               t.text == "<=" || t.text == ">="))
                    n->str = t.text;
                else
                    error("expected a test name after 'is'");
                n->c.push_back(e);
                if (peekOp("(")) {
                    next();
                    arguments(*n);
                } else if (m_pos < m_toks->size()) {
                    const Token &a = (*m_toks)[m_pos];
                    const bool starts = a.kind == Tok::String || a.kind == Tok::Int || a.kind == Tok::Float ||
                                        (a.kind == Tok::Name && a.text != "else" && a.text != "or" && a.text != "and" &&
                                         a.text != "if" && a.text != "is" && a.text != "in" && a.text != "not") ||
                                        (a.kind == Tok::Op && (a.text == "[" || a.text == "{"));
                    if (starts)
                        n->c.push_back(postfix(primary()));
                }
                e = n;
            } else if (peekOp("(")) {
                next();
                auto n = make(Node::K::Call, m_line);
                n->c.push_back(e);
                arguments(*n);
                e = n;
            } else {
                return e;
            }
        }
    }

    // ---- token helpers

    bool atEnd() const { return m_pos >= m_toks->size(); }
    const Token &next()
    {
        static const Token end;
        return m_pos < m_toks->size() ? (*m_toks)[m_pos++] : end;
    }
    bool peekOp(const char *op) const
    {
        return m_pos < m_toks->size() && (*m_toks)[m_pos].kind == Tok::Op && (*m_toks)[m_pos].text == op;
    }
    bool peekName(const char *name) const
    {
        return m_pos < m_toks->size() && (*m_toks)[m_pos].kind == Tok::Name && (*m_toks)[m_pos].text == name;
    }
    void expectOp(const char *op)
    {
        if (!peekOp(op))
            error(std::string("expected '") + op + "'" + found());
        next();
    }
    std::string expectName()
    {
        if (m_pos >= m_toks->size() || (*m_toks)[m_pos].kind != Tok::Name)
            error("expected a name" + found());
        return next().text;
    }
    void expectName(const char *name)
    {
        if (!peekName(name))
            error(std::string("expected '") + name + "'" + found());
        next();
    }
    void expectEnd()
    {
        if (!atEnd())
            error("unexpected '" + (*m_toks)[m_pos].text + "' (expected the end of the tag)");
    }
    std::string found() const { return atEnd() ? " at the end of the tag" : ", found '" + (*m_toks)[m_pos].text + "'"; }
    [[noreturn]] void error(const std::string &what) const { fail("line " + std::to_string(m_line) + ": " + what); }

    std::vector<Chunk> m_chunks;
    size_t m_chunk = 0;
    const std::vector<Token> *m_toks = nullptr;
    size_t m_pos = 0;
    int m_line = 1;
    int m_depth = 0;
};

// ---------------------------------------------------------------------------------------------
// Value semantics (Python's)

bool truthy(const Value &v)
{
    switch (v.type) {
    case Value::Type::Undefined:
    case Value::Type::None: return false;
    case Value::Type::Bool: return v.b;
    case Value::Type::Int: return v.i != 0;
    case Value::Type::Float: return v.f != 0;
    case Value::Type::String: return !v.s.empty();
    case Value::Type::Array: return !v.arr->empty();
    case Value::Type::Object: return !v.obj->empty();
    default: return true;
    }
}

bool isIntLike(const Value &v) { return v.type == Value::Type::Int || v.type == Value::Type::Bool; }
std::int64_t asInt(const Value &v) { return v.type == Value::Type::Bool ? std::int64_t(v.b) : v.i; }
bool isNumeric(const Value &v) { return isIntLike(v) || v.type == Value::Type::Float; }
double asDouble(const Value &v) { return v.type == Value::Type::Float ? v.f : double(asInt(v)); }

bool equal(const Value &a, const Value &b)
{
    if (isNumeric(a) && isNumeric(b))
        return (isIntLike(a) && isIntLike(b)) ? asInt(a) == asInt(b) : asDouble(a) == asDouble(b);
    if (a.type != b.type)
        return false;
    switch (a.type) {
    case Value::Type::Undefined:
    case Value::Type::None: return true;
    case Value::Type::String: return a.s == b.s;
    case Value::Type::Array:
        if (a.tuple != b.tuple || a.arr->size() != b.arr->size())
            return false;
        for (size_t k = 0; k < a.arr->size(); ++k)
            if (!equal((*a.arr)[k], (*b.arr)[k]))
                return false;
        return true;
    case Value::Type::Object:
        if (a.obj->size() != b.obj->size())
            return false;
        for (const auto &kv : *a.obj) {
            const Value *o = b.find(kv.first);
            if (!o || !equal(kv.second, *o))
                return false;
        }
        return true;
    default: return a.obj == b.obj && a.fn == b.fn;
    }
}

int compareValues(const Value &a, const Value &b)
{
    if (isNumeric(a) && isNumeric(b)) {
        if (isIntLike(a) && isIntLike(b))
            return asInt(a) < asInt(b) ? -1 : asInt(a) > asInt(b) ? 1 : 0;
        return asDouble(a) < asDouble(b) ? -1 : asDouble(a) > asDouble(b) ? 1 : 0;
    }
    if (a.isString() && b.isString())
        return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;  // UTF-8 byte order is code point order
    if (a.isArray() && b.isArray()) {
        for (size_t k = 0; k < std::min(a.arr->size(), b.arr->size()); ++k)
            if (!equal((*a.arr)[k], (*b.arr)[k]))
                return compareValues((*a.arr)[k], (*b.arr)[k]);
        return a.arr->size() < b.arr->size() ? -1 : a.arr->size() > b.arr->size() ? 1 : 0;
    }
    if (a.isUndefined())
        failUndefined(a);
    if (b.isUndefined())
        failUndefined(b);
    fail("'<' not supported between instances of '" + typeName(a) + "' and '" + typeName(b) + "'");
}

/** Items of an iterable (dict: its keys; string: its characters). */
Array iterate(const Value &v)
{
    switch (v.type) {
    case Value::Type::Undefined: return {};
    case Value::Type::Array: return *v.arr;
    case Value::Type::Object: {
        Array keys;
        for (const auto &kv : *v.obj)
            keys.emplace_back(kv.first);
        return keys;
    }
    case Value::Type::String: {
        Array out;
        for (auto &c : utf8::characters(v.s))
            out.emplace_back(c);
        return out;
    }
    default: fail("'" + typeName(v) + "' object is not iterable");
    }
}

std::int64_t length(const Value &v)
{
    switch (v.type) {
    case Value::Type::Undefined: return 0;
    case Value::Type::String: return std::int64_t(utf8::characters(v.s).size());
    case Value::Type::Array: return std::int64_t(v.arr->size());
    case Value::Type::Object: return std::int64_t(v.obj->size());
    default: fail("object of type '" + typeName(v) + "' has no len()");
    }
}

bool contains(const Value &container, const Value &item)
{
    switch (container.type) {
    case Value::Type::Undefined: return false;
    case Value::Type::String:
        if (!item.isString())
            fail("'in <string>' requires string as left operand, not " + typeName(item));
        return container.s.find(item.s) != std::string::npos;
    case Value::Type::Array:
        return std::any_of(container.arr->begin(), container.arr->end(), [&](const Value &x) { return equal(x, item); });
    case Value::Type::Object: return item.isString() && container.find(item.s) != nullptr;
    default: fail("argument of type '" + typeName(container) + "' is not iterable");
    }
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

Value arithmetic(const std::string &op, const Value &a, const Value &b)
{
    if (a.isUndefined())
        failUndefined(a);
    if (b.isUndefined())
        failUndefined(b);
    auto unsupported = [&]() -> Value {
        fail("unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '" + typeName(b) + "'");
    };
    if (op == "+") {
        if (a.isString() && b.isString())
            return Value(a.s + b.s);
        if (a.isArray() && b.isArray()) {
            Array r = *a.arr;
            r.insert(r.end(), b.arr->begin(), b.arr->end());
            Value v = Value::array(std::move(r));
            v.tuple = a.tuple;
            return v;
        }
    }
    if (op == "*") {
        const Value *seq = a.isString() || a.isArray() ? &a : b.isString() || b.isArray() ? &b : nullptr;
        const Value *n = seq == &a ? &b : &a;
        if (seq && isIntLike(*n)) {
            const std::int64_t times = std::max<std::int64_t>(0, asInt(*n));
            const size_t unit = seq->isString() ? seq->s.size() : seq->arr->size() * sizeof(Value);
            if (times > 0 && unit > 0 && (unit > kMaxText || std::uint64_t(times) > kMaxText / unit))
                checkSize(kMaxText + 1);
            if (seq->isString()) {
                std::string r;
                for (std::int64_t k = 0; k < times; ++k)
                    r += seq->s;
                return Value(r);
            }
            Array r;
            for (std::int64_t k = 0; k < times; ++k)
                r.insert(r.end(), seq->arr->begin(), seq->arr->end());
            return Value::array(std::move(r));
        }
    }
    if (!isNumeric(a) || !isNumeric(b))
        return unsupported();
    const bool ints = isIntLike(a) && isIntLike(b);
    const std::int64_t x = asInt(a), y = asInt(b);
    const double fx = asDouble(a), fy = asDouble(b);
    if (op == "+")
        return ints ? Value(addChecked(x, y)) : Value(fx + fy);
    if (op == "-")
        return ints ? Value(subChecked(x, y)) : Value(fx - fy);
    if (op == "*")
        return ints ? Value(mulChecked(x, y)) : Value(fx * fy);
    if (op == "/") {
        if (fy == 0)
            fail("division by zero");
        return Value(fx / fy);
    }
    if (op == "//" || op == "%") {
        if ((ints && y == 0) || (!ints && fy == 0))
            fail(op == "//" ? "integer division or modulo by zero" : "modulo by zero");
        if (ints) {
            if (x == std::numeric_limits<std::int64_t>::min() && y == -1)
            {
                if (op == "//")
                    overflow();
                return Value(std::int64_t(0));
            }
            return op == "//" ? Value(floorDiv(x, y)) : Value(x - floorDiv(x, y) * y);
        }
        const double q = std::floor(fx / fy);
        return op == "//" ? Value(q) : Value(fx - q * fy);
    }
    if (op == "**") {
        if (ints && y >= 0) {  // by squaring, with overflow checks
            std::int64_t result = 1, base = x, e = y;
            while (e > 0) {
                if (e & 1)
                    result = mulChecked(result, base);
                e >>= 1;
                if (e > 0)
                    base = mulChecked(base, base);
            }
            return Value(result);
        }
        return Value(std::pow(fx, fy));
    }
    return unsupported();
}

/** Python's slice.indices(). */
std::vector<std::int64_t> sliceIndices(std::int64_t n, const Value &start, const Value &stop, const Value &step)
{
    const std::int64_t st = step.isNone() || step.isUndefined() ? 1 : asInt(step);
    if (st == 0)
        fail("slice step cannot be zero");
    auto adjust = [&](const Value &v, std::int64_t dflt) {
        if (v.isNone() || v.isUndefined())
            return dflt;
        if (!isIntLike(v))
            fail("slice indices must be integers or None");
        std::int64_t i = asInt(v);
        if (i < 0)
            i = std::max<std::int64_t>(i + n, st < 0 ? -1 : 0);
        else
            i = std::min(i, st < 0 ? n - 1 : n);
        return i;
    };
    const std::int64_t b = adjust(start, st < 0 ? n - 1 : 0), e = adjust(stop, st < 0 ? -1 : n);
    std::vector<std::int64_t> idx;
    for (std::int64_t i = b; st > 0 ? i < e : i > e; i += st)
        idx.push_back(i);
    return idx;
}

std::string capitalize(const std::string &s)
{
    std::string r = s;
    for (size_t k = 0; k < r.size(); ++k)
        r[k] = char(k == 0 ? std::toupper(static_cast<unsigned char>(r[k])) : std::tolower(static_cast<unsigned char>(r[k])));
    return r;
}

std::string title(const std::string &s)
{
    std::string r = s;
    bool prevCased = false;
    for (char &c : r) {
        const auto u = static_cast<unsigned char>(c);
        const bool cased = std::isalpha(u) != 0;
        c = char(cased ? (prevCased ? std::tolower(u) : std::toupper(u)) : c);
        prevCased = cased;
    }
    return r;
}

std::string lowerAscii(std::string s)
{
    for (char &c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string upperAscii(std::string s)
{
    for (char &c : s)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

Value split(const std::string &s, const Value &sep, std::int64_t maxsplit, bool fromRight)
{
    Array parts;
    if (sep.isNone() || sep.isUndefined()) {
        const auto cs = utf8::characters(s);
        std::vector<std::string> words;
        size_t i = 0;
        while (i < cs.size()) {
            while (i < cs.size() && pySpace(codePoint(cs[i])))
                ++i;
            if (i == cs.size())
                break;
            size_t e = i;
            while (e < cs.size() && !pySpace(codePoint(cs[e])))
                ++e;
            words.push_back(join(cs, i, e));
            i = e;
        }
        if (maxsplit >= 0 && std::int64_t(words.size()) > maxsplit + 1) {
            // rare; keep the remainder joined as Python would (approximately: single spaces)
            std::vector<std::string> kept(words.begin(), words.begin() + maxsplit);
            std::string rest;
            for (size_t k = size_t(maxsplit); k < words.size(); ++k)
                rest += (k > size_t(maxsplit) ? " " : "") + words[k];
            kept.push_back(rest);
            words = kept;
        }
        for (auto &w : words)
            parts.emplace_back(w);
        return Value::array(std::move(parts));
    }
    if (!sep.isString() || sep.s.empty())
        fail("split: the separator must be a non-empty string");
    std::vector<std::string> out;
    if (!fromRight) {
        size_t pos = 0;
        while (true) {
            const size_t hit = s.find(sep.s, pos);
            if (hit == std::string::npos || (maxsplit >= 0 && std::int64_t(out.size()) == maxsplit)) {
                out.push_back(s.substr(pos));
                break;
            }
            out.push_back(s.substr(pos, hit - pos));
            pos = hit + sep.s.size();
        }
    } else {
        size_t end = s.size();
        while (true) {
            const size_t hit = end >= sep.s.size() ? s.rfind(sep.s, end - sep.s.size()) : std::string::npos;
            if (hit == std::string::npos || (maxsplit >= 0 && std::int64_t(out.size()) == maxsplit)) {
                out.insert(out.begin(), s.substr(0, end));
                break;
            }
            out.insert(out.begin(), s.substr(hit + sep.s.size(), end - hit - sep.s.size()));
            end = hit;
        }
    }
    for (auto &w : out)
        parts.emplace_back(w);
    return Value::array(std::move(parts));
}

std::string replaceAll(const std::string &s, const std::string &from, const std::string &to, std::int64_t count)
{
    if (from.empty()) {  // Python inserts `to` between characters
        std::string r;
        std::int64_t n = 0;
        for (const auto &c : utf8::characters(s)) {
            if (count < 0 || n++ < count)
                r += to;
            r += c;
        }
        if (count < 0 || n < count)
            r += to;
        return r;
    }
    std::string r;
    size_t pos = 0;
    std::int64_t n = 0;
    while (true) {
        const size_t hit = s.find(from, pos);
        if (hit == std::string::npos || (count >= 0 && n == count)) {
            r += s.substr(pos);
            return r;
        }
        r += s.substr(pos, hit - pos) + to;
        pos = hit + from.size();
        ++n;
    }
}

bool startsOrEnds(const std::string &s, const Value &what, bool starts)
{
    auto one = [&](const Value &p) {
        if (!p.isString())
            fail(std::string(starts ? "startswith" : "endswith") + " first arg must be str or a tuple of str");
        return starts ? s.compare(0, p.s.size(), p.s) == 0
                      : s.size() >= p.s.size() && s.compare(s.size() - p.s.size(), p.s.size(), p.s) == 0;
    };
    if (what.isArray())
        return std::any_of(what.arr->begin(), what.arr->end(), one);
    return one(what);
}

/** A bound method of a string, dict or list, or Undefined. */
Value method(const Value &self, const std::string &name)
{
    if (self.isString()) {
        const std::string s = self.s;
        auto m = [&](auto f) { return Value::function([s, f](Arguments &a) { return f(s, a); }); };
        if (name == "strip" || name == "lstrip" || name == "rstrip") {
            const bool l = name != "rstrip", r = name != "lstrip";
            return m([l, r](const std::string &x, Arguments &a) { return Value(pyStripChars(x, a.get(0, "chars"), l, r)); });
        }
        if (name == "split" || name == "rsplit") {
            const bool right = name == "rsplit";
            return m([right](const std::string &x, Arguments &a) {
                const Value n = a.get(1, "maxsplit", Value(-1));
                return split(x, a.get(0, "sep", Value::none()), asInt(n), right);
            });
        }
        if (name == "splitlines")
            return m([](const std::string &x, Arguments &) {
                Array out;
                size_t pos = 0;
                while (pos < x.size()) {
                    size_t e = x.find_first_of("\n\r", pos);
                    if (e == std::string::npos) {
                        out.emplace_back(x.substr(pos));
                        break;
                    }
                    out.emplace_back(x.substr(pos, e - pos));
                    pos = e + ((x[e] == '\r' && e + 1 < x.size() && x[e + 1] == '\n') ? 2 : 1);
                }
                return Value::array(std::move(out));
            });
        if (name == "startswith" || name == "endswith") {
            const bool st = name == "startswith";
            return m([st](const std::string &x, Arguments &a) { return Value(startsOrEnds(x, a.get(0, "prefix"), st)); });
        }
        if (name == "upper")
            return m([](const std::string &x, Arguments &) { return Value(upperAscii(x)); });
        if (name == "lower")
            return m([](const std::string &x, Arguments &) { return Value(lowerAscii(x)); });
        if (name == "title")
            return m([](const std::string &x, Arguments &) { return Value(title(x)); });
        if (name == "capitalize")
            return m([](const std::string &x, Arguments &) { return Value(capitalize(x)); });
        if (name == "replace")
            return m([](const std::string &x, Arguments &a) {
                const Value from = a.get(0, "old"), to = a.get(1, "new");
                if (!from.isString() || !to.isString())
                    fail("replace() arguments must be strings");
                return Value(replaceAll(x, from.s, to.s, asInt(a.get(2, "count", Value(-1)))));
            });
        if (name == "find" || name == "rfind" || name == "count" || name == "index")
            return m([name](const std::string &x, Arguments &a) {
                const Value sub = a.get(0, "sub");
                if (!sub.isString())
                    fail(name + "() argument must be a string");
                if (name == "count") {
                    if (sub.s.empty())
                        return Value(std::int64_t(utf8::characters(x).size()) + 1);
                    std::int64_t n = 0;
                    for (size_t p = x.find(sub.s); p != std::string::npos; p = x.find(sub.s, p + sub.s.size()))
                        ++n;
                    return Value(n);
                }
                const size_t p = name == "rfind" ? x.rfind(sub.s) : x.find(sub.s);
                if (p == std::string::npos) {
                    if (name == "index")
                        fail("substring not found");
                    return Value(-1);
                }
                return Value(std::int64_t(utf8::characters(x.substr(0, p)).size()));
            });
        if (name == "join")
            return m([](const std::string &x, Arguments &a) {
                std::string r;
                bool first = true;
                for (const Value &v : iterate(a.get(0, "iterable"))) {
                    if (!v.isString())
                        fail("sequence item: expected str instance, " + typeName(v) + " found");
                    r += (first ? "" : x) + v.s;
                    first = false;
                }
                return Value(r);
            });
        if (name == "isdigit" || name == "isspace" || name == "isalpha" || name == "isalnum" || name == "islower" ||
            name == "isupper")
            return m([name](const std::string &x, Arguments &) {
                if (x.empty())
                    return Value(false);
                bool cased = false;
                for (const auto &ch : utf8::characters(x)) {
                    const std::uint32_t c = codePoint(ch);
                    const bool ascii = c < 0x80;
                    const int u = int(c);
                    if (name == "isspace" && !pySpace(c))
                        return Value(false);
                    if (name == "isdigit" && !(ascii && std::isdigit(u)))
                        return Value(false);
                    if (name == "isalpha" && !(ascii && std::isalpha(u)))
                        return Value(false);
                    if (name == "isalnum" && !(ascii && std::isalnum(u)))
                        return Value(false);
                    if ((name == "islower" && ascii && std::isupper(u)) || (name == "isupper" && ascii && std::islower(u)))
                        return Value(false);
                    cased = cased || (ascii && std::isalpha(u));
                }
                return Value(name == "islower" || name == "isupper" ? cased : true);
            });
        return Value::undefined("'str object' has no attribute '" + name + "'");
    }
    if (self.isObject()) {
        const Value d = self;
        auto m = [&](auto f) { return Value::function([d, f](Arguments &a) { return f(d, a); }); };
        if (name == "items")
            return m([](const Value &x, Arguments &) {
                Array out;
                for (const auto &kv : *x.obj) {
                    Value pair = Value::array({Value(kv.first), kv.second});
                    pair.tuple = true;
                    out.push_back(pair);
                }
                return Value::array(std::move(out));
            });
        if (name == "keys")
            return m([](const Value &x, Arguments &) { return Value::array(iterate(x)); });
        if (name == "values")
            return m([](const Value &x, Arguments &) {
                Array out;
                for (const auto &kv : *x.obj)
                    out.push_back(kv.second);
                return Value::array(std::move(out));
            });
        if (name == "get")
            return m([](const Value &x, Arguments &a) {
                const Value k = a.get(0, "key");
                const Value *v = k.isString() ? x.find(k.s) : nullptr;
                return v ? *v : a.get(1, "default", Value::none());
            });
        return Value();
    }
    return Value();
}

/** Jinja's environment.getattr: the attribute, then the item. */
Value getAttr(const Value &v, const std::string &name)
{
    if (v.isUndefined())
        failUndefined(v);
    if (v.type == Value::Type::Namespace) {
        const Value *x = v.find(name);
        return x ? *x : Value::undefined("'Namespace object' has no attribute '" + name + "'");
    }
    if (v.isObject()) {
        if (name == "items" || name == "keys" || name == "values" || name == "get")
            return method(v, name);
        const Value *x = v.find(name);
        return x ? *x : Value::undefined("'dict object' has no attribute '" + name + "'");
    }
    if (v.isString()) {
        Value m = method(v, name);
        return m;
    }
    return Value::undefined("'" + typeName(v) + " object' has no attribute '" + name + "'");
}

/** Jinja's environment.getitem: the item, then (for a string key) the attribute. */
Value getItem(const Value &v, const Value &key)
{
    if (v.isUndefined())
        failUndefined(v);
    if ((v.isArray() || v.isString()) && isIntLike(key)) {
        const auto cs = v.isString() ? utf8::characters(v.s) : std::vector<std::string>();
        const std::int64_t n = v.isString() ? std::int64_t(cs.size()) : std::int64_t(v.arr->size());
        std::int64_t i = asInt(key);
        if (i < 0)
            i += n;
        if (i < 0 || i >= n)
            return Value::undefined(typeName(v) + " index out of range");
        return v.isString() ? Value(cs[size_t(i)]) : (*v.arr)[size_t(i)];
    }
    if ((v.isObject() || v.type == Value::Type::Namespace) && key.isString()) {
        const Value *x = v.find(key.s);
        if (x)
            return *x;
    }
    if (key.isString())
        return getAttr(v, key.s);
    return Value::undefined("'" + typeName(v) + " object' has no item " + toRepr(key));
}

// ---------------------------------------------------------------------------------------------
// Renderer

struct Scope {
    std::unordered_map<std::string, Value> vars;
    Scope *parent = nullptr;
};

struct LoopControl {
    enum { None, Break, Continue } kind = None;
};

class Renderer {
public:
    Renderer(const Object &vars, std::time_t now) : m_now(now)
    {
        for (const auto &kv : vars)
            m_globals.vars[kv.first] = kv.second;
        installGlobals();
        m_root.parent = &m_globals;
    }

    std::string run(const Body &body)
    {
        std::string out;
        LoopControl lc;
        try {
            exec(body, &m_root, out, lc);
        } catch (const RaisedError &) {
            throw;
        } catch (const TemplateError &e) {
            const std::string what = e.what();
            if (what.compare(0, 5, "line ") == 0)
                throw;
            throw TemplateError("line " + std::to_string(m_line) + ": " + what);
        }
        return out;
    }

private:
    void installGlobals()
    {
        auto def = [&](const char *name, Function f) {
            if (!m_globals.vars.count(name))
                m_globals.vars[name] = Value::function(std::move(f));
        };
        def("raise_exception", [](Arguments &a) -> Value { throw RaisedError(toString(a.get(0, "message"))); });
        def("strftime_now", [this](Arguments &a) {
            const Value fmt = a.get(0, "format");
            if (!fmt.isString())
                fail("strftime_now() needs a format string");
            std::tm tm{};
            localtime_r(&m_now, &tm);
            char buf[512];
            const size_t n = std::strftime(buf, sizeof buf, fmt.s.c_str(), &tm);
            return Value(std::string(buf, n));
        });
        def("range", [this](Arguments &a) {
            std::int64_t start = 0, stop = 0, step = 1;
            const size_t n = a.positional.size();
            for (const auto &v : a.positional)
                if (!isIntLike(v))
                    fail("range() arguments must be integers");
            if (n == 1)
                stop = asInt(a.positional[0]);
            else if (n >= 2) {
                start = asInt(a.positional[0]);
                stop = asInt(a.positional[1]);
                if (n >= 3)
                    step = asInt(a.positional[2]);
            } else {
                fail("range expected at least 1 argument");
            }
            if (step == 0)
                fail("range() arg 3 must not be zero");
            Array out;
            for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
                out.emplace_back(i);
                if (out.size() > 1000000)
                    fail("range() is too long (more than a million items)");
            }
            this->step(std::int64_t(out.size()));
            return Value::array(std::move(out));
        });
        auto mapping = [](Arguments &a, Value::Type type) {
            Value v = Value::object();
            v.type = type;
            if (!a.positional.empty()) {
                const Value &init = a.positional[0];
                if (!init.isObject())
                    fail("namespace()/dict() takes a mapping");
                for (const auto &kv : *init.obj)
                    v.set(kv.first, kv.second);
            }
            for (const auto &kv : a.keyword)
                v.set(kv.first, kv.second);
            return v;
        };
        def("namespace", [mapping](Arguments &a) { return mapping(a, Value::Type::Namespace); });
        def("dict", [mapping](Arguments &a) { return mapping(a, Value::Type::Object); });
    }

    // ---- statements

    void exec(const Body &body, Scope *scope, std::string &out, LoopControl &lc)
    {
        for (const NodePtr &n : body) {
            execOne(*n, scope, out, lc);
            if (lc.kind != LoopControl::None)
                return;
        }
    }

    void step(std::int64_t n = 1)
    {
        m_steps += n;
        if (m_steps > kMaxSteps)
            fail("the template takes too long to render (more than 5 million steps)");
    }

    void execOne(const Node &n, Scope *scope, std::string &out, LoopControl &lc)
    {
        step();
        checkSize(out.size());
        m_line = n.line;
        switch (n.k) {
        case Node::K::Text: out += n.str; return;
        case Node::K::Print: out += toString(eval(*n.c[0], scope)); return;
        case Node::K::If:
            for (const auto &br : n.branches)
                if (truthy(eval(*br.first, scope))) {
                    exec(br.second, scope, out, lc);
                    return;
                }
            exec(n.orelse, scope, out, lc);
            return;
        case Node::K::For: forLoop(n, scope, out); return;
        case Node::K::Set: assign(n.names, eval(*n.c[0], scope), scope); return;
        case Node::K::SetBlock: {
            std::string text;
            LoopControl inner;
            exec(n.body, scope, text, inner);
            Value v(text);
            for (const NodePtr &f : n.c)
                v = applyFilter(*f, v, scope);
            assign(n.names, v, scope);
            return;
        }
        case Node::K::Macro: defineMacro(n, scope); return;
        case Node::K::Break: lc.kind = LoopControl::Break; return;
        case Node::K::Continue: lc.kind = LoopControl::Continue; return;
        case Node::K::FilterBlock: {
            std::string text;
            exec(n.body, scope, text, lc);
            Value v(text);
            for (const NodePtr &f : n.c)
                v = applyFilter(*f, v, scope);
            out += toString(v);
            return;
        }
        case Node::K::Generation: exec(n.body, scope, out, lc); return;
        default: error("not a statement");
        }
    }

    void assign(const std::vector<std::string> &names, const Value &v, Scope *scope)
    {
        if (names.size() == 1) {
            const std::string &t = names[0];
            const size_t dot = t.find('.');
            if (dot == std::string::npos) {
                scope->vars[t] = v;
                return;
            }
            Value ns = lookup(t.substr(0, dot), scope);
            if (ns.type != Value::Type::Namespace)
                error("cannot assign attribute on non-namespace object");
            ns.set(t.substr(dot + 1), v);
            return;
        }
        const Array items = iterate(v);
        if (items.size() != names.size())
            error("cannot unpack " + std::to_string(items.size()) + " values into " + std::to_string(names.size()));
        for (size_t k = 0; k < names.size(); ++k)
            assign({names[k]}, items[k], scope);
    }

    void forLoop(const Node &n, Scope *scope, std::string &out)
    {
        const Value iterable = eval(*n.c[0], scope);
        Array items = iterate(iterable);
        step(std::int64_t(items.size()));
        if (n.c[1]) {  // {% for x in xs if cond %}: the filter runs before loop.* is known
            Array kept;
            for (const Value &item : items) {
                Scope s;
                s.parent = scope;
                assign(n.names, item, &s);
                if (truthy(eval(*n.c[1], &s)))
                    kept.push_back(item);
            }
            items = std::move(kept);
        }
        if (items.empty()) {
            LoopControl lc;
            Scope s;
            s.parent = scope;
            exec(n.orelse, &s, out, lc);
            return;
        }
        const std::int64_t len = std::int64_t(items.size());
        for (std::int64_t k = 0; k < len; ++k) {
            step();
            Scope s;
            s.parent = scope;
            Value loop = Value::object();
            loop.set("index", Value(k + 1));
            loop.set("index0", Value(k));
            loop.set("revindex", Value(len - k));
            loop.set("revindex0", Value(len - k - 1));
            loop.set("first", Value(k == 0));
            loop.set("last", Value(k == len - 1));
            loop.set("length", Value(len));
            loop.set("depth", Value(1));
            loop.set("depth0", Value(0));
            if (k > 0)
                loop.set("previtem", items[size_t(k - 1)]);
            if (k + 1 < len)
                loop.set("nextitem", items[size_t(k + 1)]);
            loop.set("cycle", Value::function([k](Arguments &a) {
                         if (a.positional.empty())
                             fail("no items for cycling given");
                         return a.positional[size_t(k) % a.positional.size()];
                     }));
            s.vars["loop"] = loop;
            assign(n.names, items[size_t(k)], &s);
            LoopControl lc;
            exec(n.body, &s, out, lc);
            if (lc.kind == LoopControl::Break)
                break;
        }
    }

    void defineMacro(const Node &n, Scope *scope)
    {
        const Node *def = &n;
        Scope *root = &m_root;
        scope->vars[n.str] = Value::function([this, def, root](Arguments &a) {
            Scope s;
            s.parent = root;
            for (size_t k = 0; k < def->names.size(); ++k) {
                const std::string &p = def->names[k];
                Value v = a.get(k, p);
                if (v.isUndefined())
                    for (const auto &d : def->kw)
                        if (d.first == p)
                            v = eval(*d.second, &s);
                s.vars[p] = v;
            }
            if (a.positional.size() > def->names.size())
                fail("macro '" + def->str + "' takes not more than " + std::to_string(def->names.size()) + " argument(s)");
            for (const auto &kv : a.keyword)
                if (std::find(def->names.begin(), def->names.end(), kv.first) == def->names.end())
                    fail("macro '" + def->str + "' takes no keyword argument '" + kv.first + "'");
            std::string text;
            LoopControl lc;
            const int line = m_line;
            if (++m_callDepth > kMaxCallDepth)
                fail("macros call each other too deeply (more than 64 levels)");
            exec(def->body, &s, text, lc);
            --m_callDepth;
            m_line = line;
            return Value(text);
        });
    }

    // ---- expressions

    Value lookup(const std::string &name, Scope *scope) const
    {
        for (Scope *s = scope; s; s = s->parent) {
            auto it = s->vars.find(name);
            if (it != s->vars.end())
                return it->second;
        }
        return Value::undefined("'" + name + "' is undefined");
    }

    Value eval(const Node &n, Scope *scope)
    {
        step();
        switch (n.k) {
        case Node::K::Literal: return n.lit;
        case Node::K::Name: return lookup(n.str, scope);
        case Node::K::Attr: return getAttr(eval(*n.c[0], scope), n.str);
        case Node::K::Item: return getItem(eval(*n.c[0], scope), eval(*n.c[1], scope));
        case Node::K::Slice: {
            const Value v = eval(*n.c[0], scope);
            auto part = [&](int k) { return n.c[size_t(k)] ? eval(*n.c[size_t(k)], scope) : Value::none(); };
            const Value a = part(1), b = part(2), c = part(3);
            if (v.isUndefined())
                failUndefined(v);
            if (v.isString()) {
                const auto cs = utf8::characters(v.s);
                std::string r;
                for (auto i : sliceIndices(std::int64_t(cs.size()), a, b, c))
                    r += cs[size_t(i)];
                return Value(r);
            }
            if (v.isArray()) {
                Array r;
                for (auto i : sliceIndices(std::int64_t(v.arr->size()), a, b, c))
                    r.push_back((*v.arr)[size_t(i)]);
                Value out = Value::array(std::move(r));
                out.tuple = v.tuple;
                return out;
            }
            error("'" + typeName(v) + "' object is not subscriptable");
        }
        case Node::K::Call: {
            const Value f = eval(*n.c[0], scope);
            if (f.isUndefined())
                failUndefined(f);
            if (f.type != Value::Type::Function)
                error("'" + typeName(f) + "' object is not callable");
            Arguments a = arguments(n, scope, 1);
            return (*f.fn)(a);
        }
        case Node::K::Filter: return applyFilter(n, eval(*n.c[0], scope), scope);
        case Node::K::Test: {
            const bool r = applyTest(n.str, eval(*n.c[0], scope), arguments(n, scope, 1));
            return Value(n.negated ? !r : r);
        }
        case Node::K::Not: return Value(!truthy(eval(*n.c[0], scope)));
        case Node::K::Neg:
        case Node::K::Pos: {
            const Value v = eval(*n.c[0], scope);
            if (!isNumeric(v))
                error("bad operand type for unary " + std::string(n.k == Node::K::Neg ? "-" : "+") + ": '" + typeName(v) + "'");
            if (n.k == Node::K::Pos)
                return v.type == Value::Type::Bool ? Value(asInt(v)) : v;
            if (v.type != Value::Type::Float && asInt(v) == std::numeric_limits<std::int64_t>::min())
                error("integer overflow (the interpreter's integers are 64-bit)");
            return v.type == Value::Type::Float ? Value(-v.f) : Value(-asInt(v));
        }
        case Node::K::Binary: {
            const Value a = eval(*n.c[0], scope), b = eval(*n.c[1], scope);
            if (n.str == "~")
                return Value(toString(a) + toString(b));
            return arithmetic(n.str, a, b);
        }
        case Node::K::And: {
            Value a = eval(*n.c[0], scope);
            return truthy(a) ? eval(*n.c[1], scope) : a;
        }
        case Node::K::Or: {
            Value a = eval(*n.c[0], scope);
            return truthy(a) ? a : eval(*n.c[1], scope);
        }
        case Node::K::Compare: {
            Value left = eval(*n.c[0], scope);
            for (size_t k = 0; k < n.names.size(); ++k) {
                const Value right = eval(*n.c[k + 1], scope);
                const std::string &op = n.names[k];
                bool r;
                if (op == "==")
                    r = equal(left, right);
                else if (op == "!=")
                    r = !equal(left, right);
                else if (op == "in")
                    r = contains(right, left);
                else if (op == "notin")
                    r = !contains(right, left);
                else {
                    const int c = compareValues(left, right);
                    r = op == "<" ? c < 0 : op == ">" ? c > 0 : op == "<=" ? c <= 0 : c >= 0;
                }
                if (!r)
                    return Value(false);
                left = right;
            }
            return Value(true);
        }
        case Node::K::Cond:
            if (truthy(eval(*n.c[1], scope)))
                return eval(*n.c[0], scope);
            return n.c[2] ? eval(*n.c[2], scope) : Value::undefined("the conditional expression had no else");
        case Node::K::List:
        case Node::K::Tuple: {
            Array a;
            for (const NodePtr &e : n.c)
                a.push_back(eval(*e, scope));
            Value v = Value::array(std::move(a));
            v.tuple = n.k == Node::K::Tuple;
            return v;
        }
        case Node::K::Dict: {
            Value d = Value::object();
            for (size_t k = 0; k + 1 < n.c.size(); k += 2) {
                const Value key = eval(*n.c[k], scope);
                if (!key.isString())
                    error("only string keys are supported in dict literals");
                d.set(key.s, eval(*n.c[k + 1], scope));
            }
            return d;
        }
        default: error("not an expression");
        }
    }

    Arguments arguments(const Node &n, Scope *scope, size_t from)
    {
        Arguments a;
        for (size_t k = from; k < n.c.size(); ++k)
            a.positional.push_back(eval(*n.c[k], scope));
        for (const auto &kv : n.kw)
            a.keyword.emplace_back(kv.first, eval(*kv.second, scope));
        return a;
    }

    // ---- tests

    bool applyTest(const std::string &name, const Value &v, const Arguments &a)
    {
        const Value arg = a.get(0, "other");
        if (name == "defined")
            return !v.isUndefined();
        if (name == "undefined")
            return v.isUndefined();
        if (name == "none")
            return v.isNone();
        if (name == "string")
            return v.isString();
        if (name == "number")
            return isNumeric(v);
        if (name == "integer")
            return v.type == Value::Type::Int;
        if (name == "float")
            return v.type == Value::Type::Float;
        if (name == "boolean")
            return v.type == Value::Type::Bool;
        if (name == "true")
            return v.type == Value::Type::Bool && v.b;
        if (name == "false")
            return v.type == Value::Type::Bool && !v.b;
        if (name == "mapping")
            return v.isObject();
        if (name == "iterable")
            return v.isString() || v.isArray() || v.isObject() || v.isUndefined();
        if (name == "sequence")
            return v.isString() || v.isArray() || v.isObject() || v.isUndefined();
        if (name == "callable")
            return v.type == Value::Type::Function || v.isUndefined();  // Jinja's Undefined has __call__
        if (name == "equalto" || name == "eq" || name == "==" || name == "sameas")
            return equal(v, arg);
        if (name == "ne" || name == "!=")
            return !equal(v, arg);
        if (name == "lt" || name == "lessthan" || name == "<")
            return compareValues(v, arg) < 0;
        if (name == "le" || name == "<=")
            return compareValues(v, arg) <= 0;
        if (name == "gt" || name == "greaterthan" || name == ">")
            return compareValues(v, arg) > 0;
        if (name == "ge" || name == ">=")
            return compareValues(v, arg) >= 0;
        if (name == "in")
            return contains(a.get(0, "seq"), v);
        if (name == "even" || name == "odd") {
            if (!isIntLike(v))
                error("the '" + name + "' test needs an integer");
            return (asInt(v) % 2 == 0) == (name == "even");
        }
        if (name == "divisibleby") {
            const Value d = a.get(0, "num");
            if (!isIntLike(v) || !isIntLike(d) || asInt(d) == 0)
                error("divisibleby needs integers and a non-zero divisor");
            return asInt(v) % asInt(d) == 0;
        }
        if (name == "lower")
            return v.isString() && lowerAscii(v.s) == v.s;
        if (name == "upper")
            return v.isString() && upperAscii(v.s) == v.s;
        error("no test named '" + name + "'");
    }

    // ---- filters

    Value attribute(const Value &item, const Value &attr)
    {
        if (isIntLike(attr))
            return getItem(item, attr);
        if (!attr.isString())
            error("an attribute name must be a string");
        Value v = item;
        size_t pos = 0;
        while (true) {
            const size_t dot = attr.s.find('.', pos);
            const std::string part = attr.s.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
            const bool digits = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
            v = digits ? getItem(v, Value(std::int64_t(std::stoll(part)))) : getItem(v, Value(part));
            if (dot == std::string::npos || v.isUndefined())
                return v;
            pos = dot + 1;
        }
    }

    Value applyFilter(const Node &f, const Value &v, Scope *scope)
    {
        Arguments a = arguments(f, scope, 1);
        return filter(f.str, v, a, scope);
    }

    Value filter(const std::string &name, const Value &v, Arguments &a, Scope *scope)
    {
        if (name == "length" || name == "count")
            return Value(length(v));
        if (name == "trim")
            return Value(pyStripChars(toString(v), a.get(0, "chars", Value::none()), true, true));
        if (name == "upper")
            return Value(upperAscii(toString(v)));
        if (name == "lower")
            return Value(lowerAscii(toString(v)));
        if (name == "capitalize")
            return Value(capitalize(toString(v)));
        if (name == "title")
            return Value(title(toString(v)));
        if (name == "string")
            return Value(toString(v));
        if (name == "safe")
            return v;
        if (name == "list")
            return Value::array(iterate(v));
        if (name == "tojson") {
            const Value indent = a.get(0, "indent", Value::none());
            const Value sortKeys = a.get(3, "sort_keys", Value(false));
            return Value(toJson(v, indent.isNone() ? -1 : int(asInt(indent)), truthy(sortKeys)));
        }
        if (name == "default" || name == "d") {
            const bool boolean = truthy(a.get(1, "boolean", Value(false)));
            if (v.isUndefined() || (boolean && !truthy(v)))
                return a.get(0, "default_value", Value(""));
            return v;
        }
        if (name == "join") {
            const Value sep = a.get(0, "d", Value(""));
            const Value attr = a.get(1, "attribute", Value::none());
            std::string r;
            bool first = true;
            for (const Value &x : iterate(v)) {
                r += (first ? "" : toString(sep)) + toString(attr.isNone() ? x : attribute(x, attr));
                first = false;
            }
            return Value(r);
        }
        if (name == "first" || name == "last") {
            const Array items = iterate(v);
            if (items.empty())
                return Value::undefined("no " + name + " item, sequence was empty");
            return name == "first" ? items.front() : items.back();
        }
        if (name == "reverse") {
            if (v.isString()) {
                auto cs = utf8::characters(v.s);
                std::reverse(cs.begin(), cs.end());
                return Value(join(cs));
            }
            Array items = iterate(v);
            std::reverse(items.begin(), items.end());
            return Value::array(std::move(items));
        }
        if (name == "replace") {
            const Value from = a.get(0, "old"), to = a.get(1, "new");
            return Value(replaceAll(toString(v), toString(from), toString(to), asInt(a.get(2, "count", Value(-1)))));
        }
        if (name == "int") {
            if (isIntLike(v))
                return Value(asInt(v));
            if (v.type == Value::Type::Float)
                return Value(std::int64_t(v.f));
            const std::string s = pyStripChars(toString(v), Value::none(), true, true);
            std::int64_t r = 0;
            const auto res = std::from_chars(s.data(), s.data() + s.size(), r);
            if (res.ec == std::errc() && res.ptr == s.data() + s.size())
                return Value(r);
            char *end = nullptr;
            const double d = std::strtod(s.c_str(), &end);
            if (!s.empty() && end == s.c_str() + s.size())
                return Value(std::int64_t(d));
            return a.get(0, "default", Value(0));
        }
        if (name == "float") {
            if (isNumeric(v))
                return Value(asDouble(v));
            const std::string s = pyStripChars(toString(v), Value::none(), true, true);
            char *end = nullptr;
            const double d = std::strtod(s.c_str(), &end);
            if (!s.empty() && end == s.c_str() + s.size())
                return Value(d);
            return a.get(0, "default", Value(0.0));
        }
        if (name == "abs") {
            if (!isNumeric(v))
                error("bad operand type for abs(): '" + typeName(v) + "'");
            if (v.type != Value::Type::Float && asInt(v) == std::numeric_limits<std::int64_t>::min())
                fail("integer overflow (the interpreter's integers are 64-bit)");
            return v.type == Value::Type::Float ? Value(std::fabs(v.f)) : Value(std::abs(asInt(v)));
        }
        if (name == "round") {
            const std::int64_t precision = asInt(a.get(0, "precision", Value(0)));
            const std::string method = toString(a.get(1, "method", Value("common")));
            const double scale = std::pow(10.0, double(precision)), x = asDouble(v) * scale;
            const double r = method == "ceil" ? std::ceil(x) : method == "floor" ? std::floor(x) : std::round(x);
            return Value(r / scale);
        }
        if (name == "items") {
            if (v.isUndefined())
                return Value::array();
            if (!v.isObject())
                error("items filter needs a mapping");
            Arguments none;
            return (*method(v, "items").fn)(none);
        }
        if (name == "select" || name == "reject" || name == "selectattr" || name == "rejectattr") {
            const bool attr = name.size() > 6, keep = name[0] == 's';
            Array out;
            for (const Value &x : iterate(v)) {
                const Value subject = attr ? attribute(x, a.get(0, "attribute")) : x;
                const size_t testAt = attr ? 1 : 0;
                bool r;
                if (a.positional.size() <= testAt) {
                    r = truthy(subject);
                } else {
                    Arguments rest;
                    rest.positional.assign(a.positional.begin() + long(testAt) + 1, a.positional.end());
                    r = applyTest(toString(a.positional[testAt]), subject, rest);
                }
                if (r == keep)
                    out.push_back(x);
            }
            return Value::array(std::move(out));
        }
        if (name == "map") {
            Array out;
            const Value attr = a.get(99, "attribute");
            if (!attr.isUndefined()) {
                const Value dflt = a.get(99, "default");
                for (const Value &x : iterate(v)) {
                    Value r = attribute(x, attr);
                    out.push_back(r.isUndefined() && !dflt.isUndefined() ? dflt : r);
                }
                return Value::array(std::move(out));
            }
            if (a.positional.empty())
                error("map needs a filter name or attribute=");
            const std::string f = toString(a.positional[0]);
            Arguments rest;
            rest.positional.assign(a.positional.begin() + 1, a.positional.end());
            rest.keyword = a.keyword;
            for (const Value &x : iterate(v))
                out.push_back(filter(f, x, rest, scope));
            return Value::array(std::move(out));
        }
        if (name == "unique") {
            Array out;
            for (const Value &x : iterate(v))
                if (std::none_of(out.begin(), out.end(), [&](const Value &y) { return equal(x, y); }))
                    out.push_back(x);
            return Value::array(std::move(out));
        }
        if (name == "sort") {
            Array items = iterate(v);
            const bool rev = truthy(a.get(0, "reverse", Value(false)));
            const bool cs = truthy(a.get(1, "case_sensitive", Value(false)));
            const Value attr = a.get(2, "attribute", Value::none());
            auto key = [&](const Value &x) {
                Value k = attr.isNone() ? x : attribute(x, attr);
                if (!cs && k.isString())
                    k = Value(lowerAscii(k.s));
                return k;
            };
            std::stable_sort(items.begin(), items.end(), [&](const Value &x, const Value &y) {
                const int c = compareValues(key(x), key(y));
                return rev ? c > 0 : c < 0;
            });
            return Value::array(std::move(items));
        }
        if (name == "sum") {
            const Value attr = a.get(0, "attribute", Value::none());
            Value total = a.get(1, "start", Value(0));
            for (const Value &x : iterate(v))
                total = arithmetic("+", total, attr.isNone() ? x : attribute(x, attr));
            return total;
        }
        if (name == "min" || name == "max") {
            const Array items = iterate(v);
            if (items.empty())
                return Value::undefined("no " + name + " item, sequence was empty");
            Value best = items[0];
            for (const Value &x : items) {
                const int c = compareValues(x, best);
                if (name == "min" ? c < 0 : c > 0)
                    best = x;
            }
            return best;
        }
        if (name == "indent") {
            const Value w = a.get(0, "width", Value(4));
            const std::string pad = w.isString() ? w.s : std::string(size_t(std::max<std::int64_t>(0, asInt(w))), ' ');
            const bool first = truthy(a.get(1, "first", Value(false))), blank = truthy(a.get(2, "blank", Value(false)));
            const std::string s = toString(v);
            std::string r;
            size_t pos = 0;
            bool isFirst = true;
            while (true) {
                const size_t nl = s.find('\n', pos);
                const std::string line = s.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
                if ((isFirst ? first : true) && (blank || !line.empty()))
                    r += pad;
                r += line;
                if (nl == std::string::npos)
                    break;
                r += "\n";
                pos = nl + 1;
                isFirst = false;
            }
            return Value(r);
        }
        if (name == "wordcount")
            return Value(std::int64_t(split(toString(v), Value::none(), -1, false).arr->size()));
        if (name == "escape" || name == "e") {
            std::string r;
            for (char c : toString(v))
                r += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&#34;" : c == '\'' ? "&#39;" : std::string(1, c);
            return Value(r);
        }
        if (name == "dictsort") {
            if (!v.isObject())
                error("dictsort needs a mapping");
            Arguments none;
            Array items = *(*method(v, "items").fn)(none).arr;
            std::stable_sort(items.begin(), items.end(), [](const Value &x, const Value &y) {
                return lowerAscii((*x.arr)[0].s) < lowerAscii((*y.arr)[0].s);
            });
            return Value::array(std::move(items));
        }
        error("no filter named '" + name + "'");
    }

    [[noreturn]] void error(const std::string &what) const { fail("line " + std::to_string(m_line) + ": " + what); }

    Scope m_globals, m_root;
    std::time_t m_now;
    int m_line = 0;
    int m_callDepth = 0;
    std::int64_t m_steps = 0;
};

} // namespace

Template::Template(const std::string &source)
{
    auto root = make(Node::K::Generation, 1);
    root->body = Parser(Lexer(source).run()).parseTemplate();
    m_root = root;
}

Template::~Template() = default;
Template::Template(Template &&) noexcept = default;
Template &Template::operator=(Template &&) noexcept = default;

std::string Template::render(const Object &variables, std::time_t now) const
{
    Renderer r(variables, now);
    return r.run(m_root->body);
}

} // namespace alignscope::jinja
