// SPDX-License-Identifier: MIT
// The Jinja interpreter against python3-jinja2 in Hugging Face's chat-template environment
// (tests/support/jinja_oracle.py): language features one by one, then the published chat templates
// of Llama 2/3/3.1/3.2, Qwen2.5/3, Gemma 2/3, Mistral v0.1-v0.3/Nemo and Phi-3 (tests/data/chat_templates)
// on conversations with and without a system message. Every case must give the same text, or both
// must fail (with the same message when the template raises).
#include "alignscope/jinja.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTest>

#include <nlohmann/json.hpp>

#include <ctime>

using namespace alignscope;
using json = nlohmann::ordered_json;

namespace {

const std::time_t kNow = 1733400000;  // 2024-12-05, what strftime_now sees on both sides

struct Case {
    std::string name, source;
    json context;
};

struct Outcome {
    bool ok = false, raised = false;
    std::string text;
};

Outcome renderHere(const Case &c)
{
    Outcome o;
    try {
        jinja::Object vars;
        for (auto it = c.context.begin(); it != c.context.end(); ++it)
            vars.emplace_back(it.key(), jinja::Value::fromJson(it.value()));
        o.text = jinja::Template(c.source).render(vars, kNow);
        o.ok = true;
    } catch (const jinja::RaisedError &e) {
        o.raised = true;
        o.text = e.what();
    } catch (const jinja::TemplateError &e) {
        o.text = e.what();
    }
    return o;
}

/** Renders every case with the oracle; skips the test when python3-jinja2 is missing. */
std::vector<Outcome> renderOracle(const std::vector<Case> &cases, bool &available)
{
    json in = json::array();
    for (const Case &c : cases)
        in.push_back({{"template", c.source}, {"context", c.context}, {"now", kNow}});
    QProcess py;
    py.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral(ALIGNSCOPE_TEST_SUPPORT_DIR "/jinja_oracle.py")});
    available = py.waitForStarted();
    if (!available)
        return {};
    py.write(QByteArray::fromStdString(in.dump()));
    py.closeWriteChannel();
    py.waitForFinished(120000);
    const QByteArray err = py.readAllStandardError();
    if (py.exitCode() != 0) {
        available = !err.contains("No module named 'jinja2'");
        if (available)
            qWarning("oracle failed: %s", err.constData());
        return {};
    }
    std::vector<Outcome> out;
    for (const auto &r : json::parse(py.readAllStandardOutput().toStdString())) {
        Outcome o;
        o.ok = r["ok"].get<bool>();
        o.raised = !o.ok && r["raised"].get<bool>();
        o.text = o.ok ? r["text"].get<std::string>() : r["error"].get<std::string>();
        out.push_back(o);
    }
    return out;
}

/** Compares all cases; returns the number of mismatches (each one printed). */
int compareAll(const std::vector<Case> &cases)
{
    bool available = false;
    const std::vector<Outcome> want = renderOracle(cases, available);
    if (!available)
        return -1;
    if (want.size() != cases.size())
        return int(cases.size());
    int bad = 0;
    for (size_t k = 0; k < cases.size(); ++k) {
        const Outcome got = renderHere(cases[k]);
        const Outcome &w = want[k];
        const bool same = got.ok == w.ok && (w.ok ? got.text == w.text : got.raised == w.raised && (!w.raised || got.text == w.text));
        if (!same) {
            ++bad;
            qWarning("MISMATCH %s\n  jinja2: %s%s\n  ours:   %s%s", cases[k].name.c_str(), w.ok ? "" : "(error) ",
                     json(w.text).dump().c_str(), got.ok ? "" : "(error) ", json(got.text).dump().c_str());
        }
    }
    return bad;
}

json conversation(bool system, int turns, bool generationPrompt)
{
    json messages = json::array();
    if (system)
        messages.push_back({{"role", "system"}, {"content", "You are a careful assistant.\nAnswer briefly. "}});
    const char *questions[] = {"  How do I bake bread?  ", "And with rye flour — 50 %?", "Danke schön! 日本語で？"};
    const char *answers[] = {" Mix flour, water, salt and yeast; knead, rise, bake.\n", "Use a sourdough starter."};
    for (int t = 0; t < turns; ++t) {
        messages.push_back({{"role", "user"}, {"content", questions[t % 3]}});
        if (t + 1 < turns)
            messages.push_back({{"role", "assistant"}, {"content", answers[t % 2]}});
    }
    return {{"messages", messages}, {"add_generation_prompt", generationPrompt}, {"tools", nullptr}, {"documents", nullptr}};
}

} // namespace

class TestJinja : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void languageFeaturesMatchJinja2()
    {
        const json ctx = json::parse(R"({"xs": [3, 1, 2], "s": "  Hello, World  ", "d": {"b": 2, "a": 1, "role": "user"},
            "msgs": [{"role": "system", "content": "S"}, {"role": "user", "content": "U1"},
                     {"role": "assistant", "content": "A1", "tool_calls": [{"function": {"name": "f", "arguments": {"x": 1}}}]},
                     {"role": "user", "content": "U2"}],
            "n": 7, "f": 2.5, "none_value": null, "t": true, "empty": [], "text": "café\u0301 ünï 日本"})");
        const char *sources[] = {
            // output, literals, printing as Python does
            "{{ 1 }}|{{ 1.0 }}|{{ 1e16 }}|{{ 1.5e-5 }}|{{ 0.1 + 0.2 }}|{{ -0.0 }}|{{ 123456789.125 }}|{{ 2.5e-300 }}",
            "{{ none }}|{{ None }}|{{ true }}|{{ False }}|{{ [1, 'a', \"it's\", none, true, 2.0] }}|{{ {'a': (1,), 'b': ()} }}",
            "{{ 'a\\nb\\t\\'c\\\\' }}|{{ \"\\u00e9\\x41\\101\" }}|{{ 'unknown \\d escape' }}|{{ 'adj' 'acent' }}",
            "{{ undefined_name }}|{{ d.missing }}|{{ [1,2][5] }}|{{ xs }}|{{ d }}",
            // operators and precedence
            "{{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 2 ** 10 }} {{ 2 ** -1 }} {{ 7.5 // 2 }} {{ -7.5 % 2 }}",
            "{{ 'a' ~ 1 ~ none ~ undefined_name ~ [1] }}|{{ 'ab' * 3 }}|{{ [1] * 2 }}|{{ [1] + [2] }}|{{ 1 + 2 * 3 - 4 }}",
            "{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'b' > 'a' }} {{ [1, 2] < [1, 3] }} {{ 1 == 1.0 }} {{ true == 1 }} {{ none == none }}",
            "{{ 'ell' in s }} {{ 5 not in xs }} {{ 'a' in d }} {{ not 1 == 2 }} {{ not none }} {{ 0 or 'x' }} {{ 1 and 'y' }} {{ '' and 'z' }}",
            "{{ 'yes' if t else 'no' }}|{{ 'yes' if none_value }}|{{ 1 if n > 5 else 2 if n > 3 else 3 }}|{{ -n|abs }}|{{ -(3) }}",
            "{{ s[2:7] }}|{{ s[::-1] }}|{{ xs[-1] }}|{{ xs[1:] }}|{{ xs[::2] }}|{{ text[0:4] }}|{{ text[-2:] }}|{{ text[4] }}|{{ msgs[1:][0].content }}",
            "{{ d.role }} {{ d['role'] }} {{ msgs[2].tool_calls[0].function.name }} {{ xs.0 }}",
            // statements and whitespace control with trim_blocks / lstrip_blocks
            "  {% if true %}\n  yes\n  {% endif %}\nno\n",
            "a  {%- if true -%}  b  {%- endif -%}  c\n  {%+ if true %}d{% endif +%}\n  {{- ' e ' -}}  f",
            "{# a comment #}\n  {#- another -#}  x {# inline #} y\n{% if false %}\n{% elif n == 7 %}\nseven\n{% else %}\nother\n{% endif %}\n",
            "{% for x in xs %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}:{{ x }} {% endfor %}",
            "{% for x in xs %}{{ loop.previtem }}-{{ loop.nextitem }}-{{ loop.cycle('odd', 'even') }} {% endfor %}",
            "{% for x in xs if x > 1 %}{{ loop.index }}/{{ loop.length }}={{ x }} {% else %}none{% endfor %}|{% for x in empty %}x{% else %}empty{% endfor %}",
            "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{% for k in d %}{{ k }}{% endfor %}{% for a, b in [(1, 2), (3, 4)] %}{{ a + b }}{% endfor %}",
            "{% for x in xs %}{% if x == 1 %}{% continue %}{% endif %}{% if x == 2 %}{% break %}{% endif %}{{ x }}{% endfor %}",
            "{% set count = 0 %}{% for i in xs %}{% set count = count + 1 %}{{ count }}{% endfor %}{{ count }}",
            "{% set ns = namespace(found=false, n=0) %}{% for m in msgs %}{% if m.role == 'user' %}{% set ns.found = true %}{% set ns.n = ns.n + 1 %}{% endif %}{% endfor %}{{ ns.found }}{{ ns.n }}",
            "{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set t = 1, 'x' %}{{ t }}{% set block %}inner {{ n }}{% endset %}[{{ block }}]",
            "{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{{ n }}{% endmacro %}{{ greet('A') }} {{ greet('B', punct='?') }} {{ greet(name='C') }}",
            "{% filter upper %}shout {{ n }}{% endfilter %}|{% generation %}gen {{ n }}{% endgeneration %}|{% raw %}{{ not rendered }}{% endraw %}",
            // filters
            "{{ s|trim }}|{{ s|length }}|{{ text|length }}|{{ s|upper }}|{{ s|lower }}|{{ 'hello world'|title }}|{{ 'hELLO'|capitalize }}",
            "{{ xs|join(', ') }}|{{ xs|first }}|{{ xs|last }}|{{ xs|sort }}|{{ xs|sort(reverse=true) }}|{{ xs|reverse|list }}|{{ 'abc'|reverse }}",
            "{{ undefined_name|default('dflt') }}|{{ ''|default('e', true) }}|{{ none_value|default('n') }}|{{ xs|sum }}|{{ xs|min }}{{ xs|max }}",
            "{{ msgs|selectattr('role', 'equalto', 'user')|map(attribute='content')|join }}|{{ msgs|rejectattr('role', 'eq', 'user')|list|length }}",
            "{{ msgs|selectattr('tool_calls', 'defined')|list|length }}|{{ msgs|selectattr('tool_calls', 'undefined')|list|length }}|{{ xs|select('odd')|list }}|{{ xs|reject('even')|list }}",
            "{{ ['a', 'b']|map('upper')|list }}|{{ [1, 1, 2]|unique|list }}|{{ '3'|int + 1 }}|{{ '2.5'|float }}|{{ 'x'|int }}|{{ 2.7|int }}|{{ 2.567|round(2) }}",
            "{{ d|tojson }}|{{ msgs[2]|tojson }}|{{ d|tojson(indent=2) }}|{{ text|tojson }}|{{ [1.0, none, true, 'q\"\\n']|tojson }}|{{ {}|tojson }}{{ []|tojson(indent=4) }}",
            "{{ d|tojson(sort_keys=true) }}|{{ d|items|list }}|{{ d|dictsort }}|{{ 'a b  c'|wordcount }}|{{ 'x<y'|e }}|{{ 'line1\nline2'|indent(2) }}|{{ 'a\n\nb'|indent(2, true, true) }}",
            "{{ xs|string }}|{{ 1|string + '1' }}|{{ 'a-b-c'|replace('-', '+') }}|{{ 'aaa'|replace('a', 'b', 2) }}|{{ d|length }}|{{ 'ab'|list }}",
            // tests
            "{{ n is odd }} {{ n is even }} {{ n is divisibleby 7 }} {{ n is number }} {{ f is float }} {{ n is integer }} {{ t is boolean }} {{ t is true }}",
            "{{ d is mapping }} {{ xs is iterable }} {{ s is string }} {{ none_value is none }} {{ undefined_name is defined }} {{ n is not defined }}",
            "{{ xs is sequence }} {{ n is eq 7 }} {{ n is gt 3 }} {{ 2 is in xs }} {{ 'abc' is lower }} {{ greet is callable }} {{ n is ne 7 }}",
            // string and dict methods
            "{{ s.strip() }}|{{ s.lstrip() }}|{{ s.rstrip() }}|{{ 'xxaxx'.strip('x') }}|{{ 'a,b,,c'.split(',') }}|{{ ' a  b '.split() }}|{{ 'a b c'.split(' ', 1) }}",
            "{{ 'a/b/c'.rsplit('/', 1) }}|{{ s.startswith('  He') }}|{{ s.endswith(('x', '  ')) }}|{{ s.replace('l', 'L') }}|{{ s.find('W') }}|{{ 'ab'.upper() }}|{{ s.count('l') }}",
            "{{ d.get('a') }}|{{ d.get('zz', 'fallback') }}|{{ d.get('zz') }}|{{ d.keys()|list }}|{{ d.values()|list }}|{{ '-'.join(['a', 'b']) }}|{{ 'Ab1'.isalnum() }}",
            "{{ '</think>x'.split('</think>')[-1].lstrip('\\n') }}|{{ 'line\\n'.rstrip('\\n') }}|{{ 'a\\nb\\r\\nc'.splitlines() }}",
            // globals
            "{{ range(3)|list }}|{{ range(1, 10, 3)|list }}|{{ range(5, 0, -2)|list }}|{{ strftime_now('%d %b %Y') }}|{{ dict(a=1, b='x') }}",
            "{% if n > 5 %}{{ raise_exception('n is too large: ' ~ n) }}{% endif %}",
            // errors that must be errors on both sides
            "{{ undefined_name.attr }}", "{{ 1 + 'a' }}", "{{ none_value.x.y }}", "{% if %}", "{% for x in xs %}", "{{ 1 / 0 }}",
            "{% endif %}", "{{ xs|nosuchfilter }}", "{{ 'a' is nosuchtest }}", "{{ (1, 2 }}",
        };
        std::vector<Case> cases;
        int k = 0;
        for (const char *s : sources)
            cases.push_back({"feature " + std::to_string(++k) + ": " + s, s, ctx});
        const int bad = compareAll(cases);
        if (bad < 0)
            QSKIP("python3-jinja2 is not installed (installers/setup-deps.sh installs it): the oracle cannot run");
        QCOMPARE(bad, 0);
    }

    void publishedChatTemplatesMatchJinja2()
    {
        const QDir dir(QStringLiteral(ALIGNSCOPE_TEST_DATA_DIR "/chat_templates"));
        const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 13);
        std::vector<Case> cases;
        for (const QString &f : files) {
            QFile file(dir.filePath(f));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const json cfg = json::parse(file.readAll().toStdString());
            for (bool system : {false, true})
                for (int turns : {1, 3})
                    for (bool gen : {true, false}) {
                        json ctx = conversation(system, turns, gen);
                        ctx["bos_token"] = cfg["bos_token"].is_string() ? cfg["bos_token"] : json("");
                        ctx["eos_token"] = cfg["eos_token"];
                        cases.push_back({f.toStdString() + (system ? " system" : " no-system") + " turns=" +
                                             std::to_string(turns) + (gen ? " +gen" : ""),
                                         cfg["chat_template"].get<std::string>(), ctx});
                    }
        }
        const int bad = compareAll(cases);
        if (bad < 0)
            QSKIP("python3-jinja2 is not installed (installers/setup-deps.sh installs it): the oracle cannot run");
        QCOMPARE(bad, 0);
    }

    void syntaxErrorsNameTheLine()
    {
        try {
            jinja::Template t("line one\n{% if x %}\nok\n{% endfor %}");
            QFAIL("no error");
        } catch (const jinja::TemplateError &e) {
            QVERIFY2(std::string(e.what()).find("line 4") != std::string::npos, e.what());
        }
        try {
            jinja::Template("{{ a }}\n{{ a.b.c }}").render({});
            QFAIL("no error");
        } catch (const jinja::TemplateError &e) {
            QVERIFY2(std::string(e.what()).rfind("line 2: ", 0) == 0, e.what());
        }
    }

    /** A model's template is untrusted: what would exhaust the stack, memory or time is an error instead. */
    void untrustedTemplatesAreBounded()
    {
        const std::string deep = "{{ " + std::string(5000, '(') + "1" + std::string(5000, ')') + " }}";
        const char *costly[] = {
            "{{ 'x' * 10000000000 }}",
            "{{ [1, 2] * 100000000000 }}",
            "{% for i in range(1000000) %}{% for j in range(1000000) %}{% endfor %}{% endfor %}",
            "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
            "{{ 2 ** 100 }}",
            "{{ 9223372036854775807 + 1 }}",
            "{{ (-9223372036854775807 - 1) // -1 }}",
            "{% set s = 'abcdefgh' * 1000000 %}{% for i in range(100) %}{{ s }}{% endfor %}",
        };
        std::vector<std::string> sources(std::begin(costly), std::end(costly));
        sources.push_back(deep);
        for (const std::string &src : sources) {
            try {
                jinja::Template(src).render({});
                QFAIL(("no error for " + src.substr(0, 80)).c_str());
            } catch (const jinja::TemplateError &e) {
                QVERIFY(std::string(e.what()).size() > 0);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestJinja)
#include "tst_jinja.moc"
