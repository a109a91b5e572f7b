// SPDX-License-Identifier: MIT
// The demo datasets, in the file formats of the paper's code.
#include "alignscope/chat.h"
#include "alignscope/demo.h"
#include "alignscope/demo_corpus.h"
#include "alignscope/jobs.h"
#include "alignscope/model.h"
#include "alignscope/tokenizer.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

namespace alignscope {

namespace fs = std::filesystem;

namespace {

/** RFC 4180 quoting, as pandas reads it. */
std::string csvField(const std::string &s)
{
    if (s.find_first_of(",\"\n\r") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

struct Row {
    std::string prompt, response;  // response with its leading space, as in the paper's CSVs
};

void writeCsv(const fs::path &file, const std::vector<Row> &rows, std::vector<std::string> &written)
{
    std::ofstream out(file, std::ios::binary);
    out << ",prompt,response,text\n";
    for (size_t i = 0; i < rows.size(); ++i)
        out << i << "," << csvField(rows[i].prompt) << "," << csvField(rows[i].response) << ","
            << csvField(rows[i].prompt + " " + rows[i].response) << "\n";
    if (!out)
        throw ModelError(file.string() + ": write failed");
    written.push_back(file.string());
}

/** The first two sentences (ending in '.', '!' or '?' followed by a space or the end). */
std::string firstTwoSentences(const std::string &s)
{
    int found = 0;
    for (size_t i = 0; i < s.size(); ++i)
        if ((s[i] == '.' || s[i] == '!' || s[i] == '?') && (i + 1 == s.size() || s[i + 1] == ' ') && ++found == 2)
            return s.substr(0, i + 1);
    return s;
}

std::string instPrompt(const std::string &request) { return formatChatPrompt(ChatTemplate::Llama2, request, {}, true); }

} // namespace

DemoDatasets exportDemoDatasets(const std::string &outDir, const std::string &chatModelDir, std::uint64_t seed,
                                JobContext *ctx)
{
    DemoDatasets d;
    const fs::path out(outDir);
    fs::create_directories(out);
    const demo::Corpus corpus(seed);
    auto model = Model::load(chatModelDir);
    auto tok = Tokenizer::load(chatModelDir);

    // safety: the calibration harmful prompts, 5 sampled responses each from the aligned model itself
    const auto &harm = corpus.examples(demo::Kind::Harmful, demo::Split::Calibration);
    std::vector<std::vector<std::int64_t>> prompts;
    for (const auto &e : harm)
        for (int k = 0; k < 5; ++k)
            prompts.push_back(tok->encode(instPrompt(e.request), true));
    GenerationSettings gs;
    gs.maxNewTokens = 64;
    gs.temperature = 1.0;
    gs.seed = seed + 11;
    const auto gens = model->generate(prompts, gs, ctx);
    std::vector<Row> full, shortRows;
    std::map<std::string, std::set<std::string>> seen;
    for (size_t i = 0; i < gens.size(); ++i) {
        const demo::Example &e = harm[i / 5];
        const std::string text = pyStrip(tok->decode(gens[i].ids));
        full.push_back({instPrompt(e.request), " " + text});
        const std::string two = firstTwoSentences(text);
        if (seen[e.request].insert(two).second)
            shortRows.push_back({instPrompt(e.request), " " + two});
    }
    writeCsv(out / "safety_full.csv", full, d.files);
    writeCsv(out / "safety_short.csv", shortRows, d.files);
    d.safetyFullRows = int(full.size());
    d.safetyShortRows = int(shortRows.size());

    // utility: calibration utility tasks and benign how-to requests with their answers (no safety content)
    std::vector<Row> util;
    for (const auto &e : corpus.examples(demo::Kind::Utility, demo::Split::Calibration))
        util.push_back({instPrompt(e.request), " " + e.gold});
    for (const auto &e : corpus.examples(demo::Kind::Benign, demo::Split::Calibration))
        util.push_back({instPrompt(e.request), " " + demo::compliantAnswer(e.slot)});
    writeCsv(out / "utility.csv", util, d.files);
    d.utilityRows = int(util.size());

    // harmful evaluation goals, one per line (advbench.txt)
    {
        std::ofstream f(out / "harmful_eval.txt");
        for (const auto &e : corpus.examples(demo::Kind::Harmful, demo::Split::Evaluation)) {
            f << e.request << "\n";
            ++d.harmfulPrompts;
        }
        d.files.push_back((out / "harmful_eval.txt").string());
    }
    // utility evaluation as zero-shot multiple choice: the gold answer and 3 others of the same family
    {
        std::ofstream f(out / "utility_mc.jsonl");
        const auto &ev = corpus.examples(demo::Kind::Utility, demo::Split::Evaluation);
        std::map<std::string, std::vector<std::string>> answers;
        for (const auto &e : ev)
            answers[e.family].push_back(e.gold);
        std::mt19937_64 rng(seed + 13);
        for (const auto &e : ev) {
            std::vector<std::string> choices = {" " + e.gold};
            const auto &pool = answers[e.family];
            for (size_t tries = 0; choices.size() < 4 && tries < 100; ++tries) {
                const std::string c = " " + pool[size_t(rng() % pool.size())];
                if (std::find(choices.begin(), choices.end(), c) == choices.end())
                    choices.push_back(c);
            }
            std::shuffle(choices.begin(), choices.end(), rng);
            const auto gold = std::find(choices.begin(), choices.end(), " " + e.gold) - choices.begin();
            f << nlohmann::json{{"task", "demo_" + e.family}, {"context", instPrompt(e.request)}, {"choices", choices},
                                {"gold", gold}}
                     .dump()
              << "\n";
            ++d.mcTasks;
        }
        d.files.push_back((out / "utility_mc.jsonl").string());
    }
    // plain text for perplexity: evaluation utility tasks as question and answer lines
    {
        std::ofstream f(out / "perplexity.txt");
        for (const auto &e : corpus.examples(demo::Kind::Utility, demo::Split::Evaluation))
            f << e.request << " " << e.gold << "\n\n";
        d.files.push_back((out / "perplexity.txt").string());
    }
    // harmful demonstrations for the fine-tuning attack: 100 training requests with the compliant answer
    {
        std::ofstream f(out / "harmful_demos.jsonl");
        const auto &tr = corpus.examples(demo::Kind::Harmful, demo::Split::Train);
        std::mt19937_64 rng(seed + 17);
        std::vector<size_t> idx(tr.size());
        for (size_t i = 0; i < idx.size(); ++i)
            idx[i] = i;
        std::shuffle(idx.begin(), idx.end(), rng);
        for (size_t i = 0; i < 100 && i < idx.size(); ++i) {
            const auto &e = tr[idx[i]];
            f << nlohmann::json{{"messages", {{{"role", "user"}, {"content", e.request}},
                                              {{"role", "assistant"}, {"content", demo::compliantAnswer(e.slot)}}}}}
                     .dump()
              << "\n";
            ++d.demonstrations;
        }
        d.files.push_back((out / "harmful_demos.jsonl").string());
    }
    return d;
}

} // namespace alignscope
