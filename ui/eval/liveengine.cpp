// SPDX-License-Identifier: MIT
#include "eval/liveengine.h"

#include "alignscope/chat.h"
#include "alignscope/jobs.h"
#include "alignscope/model.h"
#include "alignscope/model_edit.h"
#include "alignscope/resources.h"
#include "alignscope/tokenizer.h"
#include "alignscope/utility.h"

namespace alignscope::ui {

LiveEngine::LiveEngine(std::string modelDir, bool demo) : m_modelDir(std::move(modelDir)), m_demo(demo) {}

LiveEngine::~LiveEngine() = default;

void LiveEngine::load()
{
    if (m_model)
        return;
    const std::string data = resourcesDir() + "/datasets/";
    m_model = Model::load(m_modelDir);
    m_tokenizer = Tokenizer::load(m_modelDir);
    m_goals = readHarmfulPrompts(data + "harmful_eval.txt", {}, 100);
    if (m_demo)
        m_docs = readMultipleChoice(data + "utility_mc.jsonl", 10);
    m_edit = std::make_unique<ModelEdit>(*m_model);
}

LiveResult LiveEngine::evaluate(const Edit &apply, AsrSetting setting, JobContext &ctx,
                                const std::function<void(const LiveResult &)> &asrKnown)
{
    load();
    ModelEdit &edit = *m_edit;
    edit.undo();
    struct Undo {  // the model is left unedited, however the evaluation ends
        ModelEdit &e;
        ~Undo() { e.undo(); }
    } undo{edit};
    LiveResult result;
    result.report = apply(edit, result);
    result.actualSparsity = edit.actualSparsity();
    AsrOptions o;
    o.settings = {setting};
    const AsrResult r = evaluateAsr(*m_model, *m_tokenizer, m_goals, o, &ctx).front();
    result.asr = r.asr;
    result.prompts = int(m_goals.size());
    std::vector<std::string> &unedited = m_unedited[setting];
    int complied = 0;
    for (size_t i = 0; i < r.generations.size(); ++i) {
        const AsrGeneration &g = r.generations[i];
        result.rows.append({QString::fromStdString(r.name), QString::fromStdString(g.goal),
                            QString::fromStdString(g.response), g.jailbroken,
                            i < unedited.size() ? QString::fromStdString(unedited[i]) : QString()});
        complied += pyStrip(g.response).rfind("Sure, here is", 0) == 0;
    }
    if (m_demo)  // the demo model's compliant opening (docs/RESULTS.md)
        result.compliance = r.generations.empty() ? 0.0 : double(complied) / double(r.generations.size());
    if (asrKnown)
        asrKnown(result);
    if (!m_docs.empty())
        result.utility = evaluateMultipleChoice(*m_model, *m_tokenizer, m_docs, &ctx).average;
    if (unedited.empty()) {  // the responses the edits are compared with, once per setting, after the point
        edit.undo();
        // (kept in a variable: a range-for over a member of a temporary's element would dangle)
        const std::vector<AsrResult> base = evaluateAsr(*m_model, *m_tokenizer, m_goals, o, &ctx);
        for (const AsrGeneration &g : base.front().generations)
            unedited.push_back(g.response);
        for (int i = 0; i < result.rows.size() && size_t(i) < unedited.size(); ++i)
            result.rows[i].unedited = QString::fromStdString(unedited[size_t(i)]);
    }
    return result;
}

HeadProbing LiveEngine::probe(const std::string &harmfulFile, const std::string &harmlessFile, JobContext &ctx)
{
    load();
    m_edit->undo();
    return probeHeads(*m_model, *m_tokenizer, readInstructions(harmfulFile), readInstructions(harmlessFile),
                      ProbeOptions{}, &ctx);
}

} // namespace alignscope::ui
