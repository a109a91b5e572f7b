// SPDX-License-Identifier: MIT
// A Jinja2 interpreter for chat templates, rendering as Hugging Face's apply_chat_template does:
// the environment has trim_blocks and lstrip_blocks on, the loop-controls extension ({% break %},
// {% continue %}), the {% generation %} block, the globals raise_exception(message) and
// strftime_now(format), and a tojson filter that keeps non-ASCII text and key order (json.dumps with
// ensure_ascii=False). Values print as Python prints them (None, True, 1.0, ['a', 'b']).
//
// Covered: text, {{ }}, {% %}, {# #} with -/+ whitespace control; if/elif/else, for (tuple targets,
// inline `if` filter, else, loop.index/index0/revindex/revindex0/first/last/length/previtem/nextitem/
// cycle), set (also ns.attr and block set), macro (defaults, keyword arguments), filter blocks;
// expressions with Jinja's precedence (conditional expressions, or/and/not, chained comparisons,
// in/not in, + - * / // % ** ~, unary minus), literals (strings with Python escapes, numbers, lists,
// tuples, dicts), attributes, subscripts and slices (on code points for strings), calls; the string,
// dict and list methods real templates use; Jinja's common filters and tests; range, namespace, dict.
// Undefined follows Jinja's default Undefined (prints as "", is false, iterates as empty; an attribute
// of it is an error).
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <ctime>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace alignscope::jinja {

/** A syntax error (with its line) or an error while rendering. */
class TemplateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/** raise_exception(message) called by the template: what() is the template's own message. */
class RaisedError : public TemplateError {
public:
    using TemplateError::TemplateError;
};

struct Value;
using Array = std::vector<Value>;
using Object = std::vector<std::pair<std::string, Value>>;  ///< insertion-ordered, like a Python dict
struct Arguments;
using Function = std::function<Value(Arguments &)>;

struct Value {
    enum class Type { Undefined, None, Bool, Int, Float, String, Array, Object, Namespace, Function };
    Type type = Type::Undefined;
    bool b = false;
    std::int64_t i = 0;
    double f = 0;
    std::string s;                    ///< String; for Undefined, what was looked up (for messages)
    std::shared_ptr<jinja::Array> arr;
    std::shared_ptr<jinja::Object> obj;  ///< Object and Namespace
    std::shared_ptr<jinja::Function> fn;
    bool tuple = false;               ///< an Array that Python would print as a tuple

    Value() = default;
    Value(bool v) : type(Type::Bool), b(v) {}
    Value(int v) : type(Type::Int), i(v) {}
    Value(std::int64_t v) : type(Type::Int), i(v) {}
    Value(double v) : type(Type::Float), f(v) {}
    Value(const char *v) : type(Type::String), s(v) {}
    Value(std::string v) : type(Type::String), s(std::move(v)) {}
    static Value none();
    static Value undefined(std::string name = {});
    static Value array(jinja::Array a = {});
    static Value object(jinja::Object o = {});
    static Value function(jinja::Function f);
    /** A Value from JSON (objects keep their key order). */
    static Value fromJson(const nlohmann::ordered_json &j);

    bool isUndefined() const { return type == Type::Undefined; }
    bool isNone() const { return type == Type::None; }
    bool isString() const { return type == Type::String; }
    bool isNumber() const { return type == Type::Int || type == Type::Float; }
    bool isArray() const { return type == Type::Array; }
    bool isObject() const { return type == Type::Object; }
    /** The value of `key` in an Object or Namespace, or nullptr. */
    const Value *find(const std::string &key) const;
    void set(const std::string &key, Value v);  ///< Object or Namespace
};

struct Arguments {
    std::vector<Value> positional;
    std::vector<std::pair<std::string, Value>> keyword;
    /** Argument `index` or keyword `name`, else `fallback`. */
    Value get(size_t index, const std::string &name, Value fallback = Value::undefined()) const;
};

/** Python's str() of a value (what {{ value }} prints). */
std::string toString(const Value &v);
/** Python's repr(). */
std::string toRepr(const Value &v);
/** json.dumps(v, ensure_ascii=False, indent=indent (negative: none), sort_keys=sortKeys). */
std::string toJson(const Value &v, int indent = -1, bool sortKeys = false);

struct Node;

class Template {
public:
    /** Parses `source`; throws TemplateError ("line N: …") on a syntax error. */
    explicit Template(const std::string &source);
    ~Template();
    Template(Template &&) noexcept;
    Template &operator=(Template &&) noexcept;

    /** Renders with `variables` as the context. `now` is what strftime_now formats (local time). */
    std::string render(const Object &variables, std::time_t now = std::time(nullptr)) const;

private:
    std::shared_ptr<const Node> m_root;
};

} // namespace alignscope::jinja
