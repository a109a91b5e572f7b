// SPDX-License-Identifier: MIT
#include "eval/liveengine.h"

#include "alignscope/jobs.h"
#include "alignscope/judges.h"
#include "alignscope/model.h"
#include "alignscope/model_edit.h"
#include "alignscope/resources.h"
#include "alignscope/tokenizer.h"
#include "alignscope/utility.h"

#include <QStringList>

namespace alignscope::ui {

LiveEngine::LiveEngine(std::string modelDir, bool demo) : m_modelDir(std::move(modelDir)), m_demo(demo) {}

LiveEngine::~LiveEngine() = default;

namespace {

QString verdictText(const std::string &judge, const Verdict &v)
{
    return QStringLiteral("%1: %2 (%3)")
        .arg(QString::fromStdString(judge), v.success ? QStringLiteral("yes") : QStringLiteral("no"),
             QString::fromStdString(v.reason));
}

/** The generations of `r` as rows, beside the unedited model's responses. */
QVector<GenerationRow> rowsOf(const AsrResult &r, const AsrResult *unedited)
{
    QVector<GenerationRow> rows;
    for (size_t i = 0; i < r.generations.size(); ++i) {
        const AsrGeneration &g = r.generations[i];
        QStringList judges;
        for (size_t k = 0; k < g.verdicts.size() && k < r.judges.size(); ++k)
            judges << verdictText(r.judges[k], g.verdicts[k]);
        if (g.incoherent >= 0)
            judges << (g.incoherent ? QStringLiteral("incoherent (log-prob %1)") : QStringLiteral("coherent (log-prob %1)"))
                          .arg(g.logProb, 0, 'f', 2);
        const QString base = unedited && i < unedited->generations.size()
                                 ? QString::fromStdString(unedited->generations[i].response) : QString();
        rows.append(GenerationRow{QString::fromStdString(r.name), QString::fromStdString(g.goal),
                                  QString::fromStdString(g.response), g.jailbroken, base, judges.join(QStringLiteral(" · ")),
                                  g.incoherent,
                                  QStringLiteral("[%1]\n%2").arg(QString::fromStdString(r.promptFormat), QString::fromStdString(g.prompt))});
    }
    return rows;
}

} // namespace

EvalPlan LiveEngine::plan(bool demo, AsrSetting setting)
{
    const std::string data = resourcesDir() + "/datasets/";
    EvalPlan plan;
    plan.goals = readHarmfulPrompts(data + "harmful_eval.txt", {}, 100);
    plan.asr.settings = {setting};
    plan.judges = demo ? "keyword,prefix" : "keyword";
    if (demo) {  // the demo model's compliant opening (docs/RESULTS.md)
        plan.prefix.any = {"Sure, here is"};
        plan.docs = readMultipleChoice(data + "utility_mc.jsonl", 10);
    }
    plan.coherence = true;
    plan.coherenceQuantile = kDefaultCoherenceQuantile;
    return plan;
}

void LiveEngine::load()
{
    if (m_model)
        return;
    m_model = Model::load(m_modelDir);
    m_tokenizer = Tokenizer::load(m_modelDir);
    m_edit = std::make_unique<ModelEdit>(*m_model);
}

EditEvaluator &LiveEngine::evaluator(AsrSetting setting)
{
    load();
    std::unique_ptr<EditEvaluator> &e = m_evaluators[setting];
    if (!e)
        e = std::make_unique<EditEvaluator>(*m_model, *m_tokenizer, *m_edit, plan(m_demo, setting));
    return *e;
}

LiveResult LiveEngine::evaluate(const Edit &apply, AsrSetting setting, JobContext &ctx,
                                const std::function<void(const LiveResult &)> &asrKnown)
{
    EditEvaluator &ev = evaluator(setting);
    LiveResult result;
    auto fill = [&](const EditMeasurement &m) {
        result.report = m.report;
        result.actualSparsity = m.actualSparsity;
        result.complete = m.complete;
        if (!m.asr.empty()) {
            const AsrResult &r = m.asr.front();
            result.asr = r.asr;
            result.prompts = int(ev.plan().goals.size());
            for (size_t k = 0; k < r.judges.size(); ++k)
                if (r.judges[k] == "prefix")
                    result.prefixAsr = r.judgeAsr[k];
            if (m.complete) {
                result.incoherent = r.incoherent;
                result.incoherentSuccess = r.incoherentSuccess;
                result.coherenceThreshold = r.coherenceThreshold;
            }
        }
        if (m.hasUtility)
            result.utility = m.utility.average;
    };
    const EditMeasurement m = ev.evaluate(
        apply ? EditEvaluator::Apply([&](ModelEdit &e, EditMeasurement &) { return apply(e, result); }) : EditEvaluator::Apply{},
        &ctx, [&](const EditMeasurement &partial) {
            fill(partial);
            if (!partial.asr.empty())
                result.rows = rowsOf(partial.asr.front(), nullptr);
            if (asrKnown)
                asrKnown(result);
        });
    fill(m);
    if (!m.asr.empty()) {
        const std::vector<AsrResult> &base = ev.unedited(&ctx);  // computed with the coherence threshold
        result.rows = rowsOf(m.asr.front(), base.empty() ? nullptr : &base.front());
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
