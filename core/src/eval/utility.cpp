// SPDX-License-Identifier: MIT
#include "alignscope/utility.h"

#include "alignscope/calibration.h"
#include "alignscope/chat.h"
#include "alignscope/jobs.h"
#include "alignscope/model.h"
#include "alignscope/tokenizer.h"
#include "data/json_file.h"
#include "model/impl.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace alignscope {

namespace {

[[noreturn]] void fail(const std::string &file, std::int64_t line, const std::string &what)
{
    throw DataError(file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + what);
}

double seconds(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string jstr(const nlohmann::json &o, const char *key, const std::string &file, std::int64_t line)
{
    const auto it = o.find(key);
    if (it == o.end() || !it->is_string())
        fail(file, line, std::string("missing string field \"") + key + "\"");
    return it->get<std::string>();
}

int jint(const nlohmann::json &o, const char *key, const std::string &file, std::int64_t line)
{
    const auto it = o.find(key);
    if (it == o.end())
        fail(file, line, std::string("missing field \"") + key + "\"");
    if (it->is_number_integer())
        return it->get<int>();
    if (it->is_string()) {  // some exports store labels as "0"/"1"
        try {
            return std::stoi(it->get<std::string>());
        } catch (const std::exception &) {
        }
    }
    fail(file, line, std::string("\"") + key + "\" is not an integer");
}

/** lm-eval 0.3.0's hellaswag preprocessing. */
std::string hellaswagPreprocess(std::string t)
{
    t = pyStrip(t);
    for (size_t p = 0; (p = t.find(" [title]", p)) != std::string::npos; p += 2)
        t.replace(p, 8, ". ");
    for (size_t a; (a = t.find('[')) != std::string::npos;) {
        const size_t b = t.find(']', a);
        if (b == std::string::npos)
            break;
        t.erase(a, b - a + 1);
    }
    std::string out;  // Python's str.replace("  ", " "): one left-to-right pass, so "   " becomes "  "
    for (size_t i = 0; i < t.size(); ++i) {
        out += t[i];
        if (t[i] == ' ' && i + 1 < t.size() && t[i + 1] == ' ')
            ++i;
    }
    return out;
}

McDoc fromChoicesWithKey(const nlohmann::json &o, const std::string &task, std::string context,
                         const std::string &file, std::int64_t line)
{
    McDoc d;
    d.task = task;
    d.context = std::move(context);
    const auto c = o.find("choices");
    if (c == o.end() || !c->is_object() || !c->contains("text") || !c->contains("label") || !(*c)["text"].is_array() ||
        !(*c)["label"].is_array() || (*c)["text"].size() != (*c)["label"].size())
        fail(file, line, "expected \"choices\": {\"text\": [...], \"label\": [...]}");
    const std::string key = jstr(o, "answerKey", file, line);
    d.gold = -1;
    for (size_t i = 0; i < (*c)["text"].size(); ++i) {
        if (!(*c)["text"][i].is_string() || !(*c)["label"][i].is_string())
            fail(file, line, "every choice text and label must be a string");
        d.choices.push_back(" " + (*c)["text"][i].get<std::string>());
        if ((*c)["label"][i].get<std::string>() == key)
            d.gold = int(i);
    }
    if (d.gold < 0)
        fail(file, line, "answerKey \"" + key + "\" is not among the labels");
    return d;
}

} // namespace

/** Keeps `limit` documents of each task by lm-eval 0.3.0's rule. */
static std::vector<McDoc> limitDocs(std::vector<McDoc> docs, int limit);

TaskSpec parseTaskSpec(const std::string &spec)
{
    const auto colon = spec.find(':');
    if (colon == std::string::npos)
        return {"generic", spec};
    return {spec.substr(0, colon), spec.substr(colon + 1)};
}

std::vector<McDoc> readTaskFile(const std::string &task, const std::string &file, int limit)
{
    if (task == "generic")
        return readMultipleChoice(file, limit);
    const bool known = task == "boolq" || task == "rte" || task == "arc_easy" || task == "arc_challenge" ||
                       task == "openbookqa" || task == "hellaswag" || task == "winogrande";
    if (!known)
        throw std::invalid_argument("unknown task \"" + task + "\" (expected boolq, rte, arc_easy, arc_challenge, "
                                    "openbookqa, hellaswag, winogrande or generic)");
    std::vector<McDoc> docs;
    for (const auto &[n, o] : readJsonLines(file)) {
        McDoc d;
        d.task = task;
        if (task == "boolq") {
            d.context = jstr(o, "passage", file, n) + "\nQuestion: " + jstr(o, "question", file, n) + "?\nAnswer:";
            d.choices = {" no", " yes"};
            d.gold = jint(o, o.contains("label") ? "label" : "answer", file, n);
        } else if (task == "rte") {
            const char *a = o.contains("sentence1") ? "sentence1" : "premise";
            const char *b = o.contains("sentence2") ? "sentence2" : "hypothesis";
            d.context = jstr(o, a, file, n) + "\nQuestion: " + jstr(o, b, file, n) + " True or False?\nAnswer:";
            d.choices = {" True", " False"};
            d.gold = jint(o, "label", file, n);
        } else if (task == "arc_easy" || task == "arc_challenge") {
            d = fromChoicesWithKey(o, task, "Question: " + jstr(o, "question", file, n) + "\nAnswer:", file, n);
        } else if (task == "openbookqa") {
            d = fromChoicesWithKey(o, task, jstr(o, "question_stem", file, n), file, n);
        } else if (task == "winogrande") {
            const std::string sentence = jstr(o, "sentence", file, n);
            const size_t blank = sentence.find('_');
            if (blank == std::string::npos)
                fail(file, n, "the sentence has no \"_\"");
            for (const char *opt : {"option1", "option2"})
                d.contexts.push_back(sentence.substr(0, blank) + jstr(o, opt, file, n));
            d.choices = {" " + pyStrip(sentence.substr(blank + 1))};
            d.gold = jint(o, "answer", file, n) - 1;
            if (d.gold < 0 || d.gold > 1)
                fail(file, n, "\"answer\" must be 1 or 2");
            docs.push_back(std::move(d));
            continue;
        } else {  // hellaswag
            const std::string ctxB = jstr(o, "ctx_b", file, n);
            std::string capitalised = ctxB;
            if (!capitalised.empty())
                capitalised[0] = char(std::toupper(static_cast<unsigned char>(capitalised[0])));
            d.context = hellaswagPreprocess(jstr(o, "activity_label", file, n) + ": " + jstr(o, "ctx_a", file, n) + " " +
                                            capitalised);
            if (!o.contains("endings") || !o["endings"].is_array())
                fail(file, n, "missing \"endings\"");
            for (const auto &e : o["endings"]) {
                if (!e.is_string())
                    fail(file, n, "every ending must be a string");
                d.choices.push_back(" " + hellaswagPreprocess(e.get<std::string>()));
            }
            d.gold = jint(o, "label", file, n);
        }
        if (d.gold < 0 || d.gold >= int(d.choices.size()))
            fail(file, n, "the gold label " + std::to_string(d.gold) + " is not a choice");
        docs.push_back(std::move(d));
    }
    if (docs.empty())
        fail(file, 0, "no documents in the file");
    return limitDocs(std::move(docs), limit);
}

std::vector<McDoc> readMultipleChoice(const std::string &file, int limitPerTask)
{
    const std::string stem = std::filesystem::path(file).stem().string();
    std::vector<McDoc> docs;
    for (const auto &[n, j] : readJsonLines(file)) {
        if (!j.contains("context") || !j["context"].is_string() || !j.contains("choices") ||
            !j["choices"].is_array() || !j.contains("gold") || !j["gold"].is_number_integer())
            fail(file, n, "expected {\"context\": string, \"choices\": [strings], \"gold\": index}");
        McDoc d;
        d.task = j.contains("task") && j["task"].is_string() ? j["task"].get<std::string>() : stem;
        d.context = j["context"].get<std::string>();
        for (const auto &c : j["choices"]) {
            if (!c.is_string())
                fail(file, n, "every choice must be a string");
            d.choices.push_back(c.get<std::string>());
        }
        if (d.choices.size() < 2)
            fail(file, n, "at least two choices are needed");
        // read wide: 4294967299 must not wrap to 3
        const bool negative = j["gold"].is_number_integer() && !j["gold"].is_number_unsigned() && j["gold"].get<std::int64_t>() < 0;
        const std::uint64_t gold = negative ? ~std::uint64_t(0) : j["gold"].get<std::uint64_t>();
        if (negative || gold >= d.choices.size())
            fail(file, n, "gold " + j["gold"].dump() + " is not a choice index (0 to " + std::to_string(d.choices.size() - 1) + ")");
        d.gold = int(gold);
        docs.push_back(std::move(d));
    }
    if (docs.empty())
        fail(file, 0, "no tasks in the file");
    return limitDocs(std::move(docs), limitPerTask);
}

static std::vector<McDoc> limitDocs(std::vector<McDoc> docs, int limitPerTask)
{
    if (limitPerTask <= 0)
        return docs;
    // lm-eval 0.3.0's subset rule: each task's documents shuffled by random.Random(42), then the first N
    std::vector<std::string> order;
    std::map<std::string, std::vector<size_t>> byTask;
    for (size_t i = 0; i < docs.size(); ++i) {
        if (!byTask.count(docs[i].task))
            order.push_back(docs[i].task);
        byTask[docs[i].task].push_back(i);
    }
    std::vector<McDoc> out;
    for (const auto &task : order) {
        const auto &idx = byTask[task];
        const auto perm = pythonShuffle(42, std::int64_t(idx.size()));
        for (size_t k = 0; k < perm.size() && k < size_t(limitPerTask); ++k)
            out.push_back(docs[idx[size_t(perm[k])]]);
    }
    return out;
}

UtilityResult evaluateMultipleChoice(Model &model, const Tokenizer &tok, const std::vector<McDoc> &docs, JobContext *ctx)
{
    const auto t0 = std::chrono::steady_clock::now();
    at::NoGradGuard noGrad;
    const LlamaModel &llama = *model.impl().llama;
    const auto dev = llama.options().device;
    std::map<std::string, McTaskResult> byTask;
    std::vector<std::string> order;
    for (size_t d = 0; d < docs.size(); ++d) {
        if (ctx)
            ctx->checkCancelled();
        const McDoc &doc = docs[d];
        // lm-eval 0.3.0: context and continuation encoded separately, no special tokens
        auto encodeContext = [&](const std::string &c) {
            return c.empty() ? std::vector<std::int64_t>{tok.eosId()} : tok.encode(c, false);
        };
        const bool partial = !doc.contexts.empty();
        const size_t options = partial ? doc.contexts.size() : doc.choices.size();
        std::vector<std::vector<std::int64_t>> seqs;
        std::vector<std::int64_t> contLen;
        std::int64_t T = 0;
        for (size_t o = 0; o < options; ++o) {
            auto ids = encodeContext(partial ? doc.contexts[o] : doc.context);
            const auto cont = tok.encode(partial ? doc.choices[0] : doc.choices[o], false);
            ids.insert(ids.end(), cont.begin(), cont.end());
            contLen.push_back(std::int64_t(cont.size()));
            T = std::max(T, std::int64_t(ids.size()));
            checkContextLength(std::int64_t(ids.size()), model.config().maxPositionEmbeddings,
                               "utility task " + doc.task + ", document " + std::to_string(d + 1) + ", choice " +
                                   std::to_string(o + 1));
            seqs.push_back(std::move(ids));
        }
        const std::int64_t B = std::int64_t(seqs.size());
        at::Tensor ids = at::zeros({B, T}, at::kLong), mask = at::zeros({B, T}, at::kBool);
        for (std::int64_t b = 0; b < B; ++b) {
            const auto &s = seqs[size_t(b)];
            ids[b].narrow(0, 0, std::int64_t(s.size())).copy_(at::tensor(s, at::kLong));
            mask[b].narrow(0, 0, std::int64_t(s.size())).fill_(true);
        }
        const at::Tensor positions = at::arange(T, at::kLong).expand({B, T});
        const at::Tensor logp =
            at::log_softmax(llama.forward(ids.to(dev), positions.to(dev), mask.to(dev)).to(at::kDouble), -1).cpu();
        int best = 0, bestNorm = 0;
        double bestLl = -1e300, bestLlNorm = -1e300;
        for (std::int64_t b = 0; b < B; ++b) {
            const std::int64_t len = std::int64_t(seqs[size_t(b)].size()), k = contLen[size_t(b)];
            double ll = 0;
            for (std::int64_t t = len - k; t < len; ++t)
                ll += logp[b][t - 1][seqs[size_t(b)][size_t(t)]].item<double>();
            const double norm = ll / double(std::max<size_t>(1, doc.choices[partial ? 0 : size_t(b)].size()));
            if (ll > bestLl) {
                bestLl = ll;
                best = int(b);
            }
            if (norm > bestLlNorm) {
                bestLlNorm = norm;
                bestNorm = int(b);
            }
        }
        if (!byTask.count(doc.task))
            order.push_back(doc.task);
        McTaskResult &r = byTask[doc.task];
        r.task = doc.task;
        ++r.docs;
        r.acc += best == doc.gold;
        r.accNorm += bestNorm == doc.gold;
        if (ctx)
            ctx->report(std::int64_t(d + 1), std::int64_t(docs.size()), "utility (multiple choice)");
    }
    UtilityResult u;
    for (const auto &name : order) {
        McTaskResult r = byTask[name];
        r.acc /= double(r.docs);
        r.accNorm /= double(r.docs);
        u.average += r.acc / double(order.size());
        u.tasks.push_back(r);
    }
    u.seconds = seconds(t0);
    return u;
}

PerplexityResult evaluatePerplexity(Model &model, const Tokenizer &tok, const std::string &textFile, std::int64_t window,
                                    JobContext *ctx)
{
    const auto t0 = std::chrono::steady_clock::now();
    const std::vector<std::int64_t> ids = tok.encode(readDataFile(textFile), true);
    PerplexityResult r;
    r.window = window;
    r.tokens = std::int64_t(ids.size());
    r.windows = window > 1 ? r.tokens / window : 0;
    if (r.windows < 1)
        fail(textFile, 0, std::to_string(r.tokens) + " tokens, fewer than one window of " + std::to_string(window) +
                              " (choose a smaller window)");
    at::NoGradGuard noGrad;
    const LlamaModel &llama = *model.impl().llama;
    const auto dev = llama.options().device;
    double sum = 0;
    for (std::int64_t w = 0; w < r.windows; ++w) {
        if (ctx)
            ctx->checkCancelled();
        const at::Tensor x =
            at::tensor(std::vector<std::int64_t>(ids.begin() + w * window, ids.begin() + (w + 1) * window), at::kLong);
        const at::Tensor logits =
            llama.forward(x.view({1, window}).to(dev), at::arange(window, at::kLong).view({1, window}).to(dev));
        sum += at::cross_entropy_loss(logits[0].narrow(0, 0, window - 1).to(at::kDouble), x.narrow(0, 1, window - 1).to(dev))
                   .item<double>();
        if (ctx)
            ctx->report(w + 1, r.windows, "perplexity");
    }
    r.perplexity = std::exp(sum / double(r.windows));
    r.seconds = seconds(t0);
    return r;
}

} // namespace alignscope
