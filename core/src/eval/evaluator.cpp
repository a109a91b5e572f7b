// SPDX-License-Identifier: MIT
#include "alignscope/evaluator.h"

#include "alignscope/chat.h"
#include "alignscope/jobs.h"
#include "alignscope/model_edit.h"
#include "alignscope/tokenizer.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace alignscope {

struct EditEvaluator::Impl {
    Model &model;
    const Tokenizer &tokenizer;
    ModelEdit &edit;
    EvalPlan plan;
    std::vector<std::unique_ptr<Judge>> judges;
    AsrOptions asr;  ///< the plan's, with the judges
    bool haveUnedited = false;
    std::vector<AsrResult> unedited;
    double threshold = std::numeric_limits<double>::quiet_NaN();
    bool calibrated = false;

    Impl(Model &m, const Tokenizer &t, ModelEdit &e, EvalPlan p) : model(m), tokenizer(t), edit(e), plan(std::move(p))
    {
        if (!plan.judges.empty())
            judges = makeJudges(plan.judges, plan.asr.judge, plan.prefix, plan.judgeLoad);
        asr = plan.asr;
        asr.judges = judgePointers(judges);
    }
};

EditEvaluator::EditEvaluator(Model &model, const Tokenizer &tokenizer, ModelEdit &edit, EvalPlan plan)
    : m_impl(std::make_unique<Impl>(model, tokenizer, edit, std::move(plan)))
{
}

EditEvaluator::~EditEvaluator() = default;

const EvalPlan &EditEvaluator::plan() const { return m_impl->plan; }

const std::vector<AsrResult> &EditEvaluator::unedited(JobContext *ctx)
{
    Impl &d = *m_impl;
    if (!d.haveUnedited && !d.plan.goals.empty()) {
        d.edit.undo();
        AsrOptions whole = d.plan.asr;  // no judges: only the responses and the keyword verdicts
        whole.earlyStop = false;        // whole responses calibrate the threshold
        JobContext inner = ctx ? ctx->nested("unedited model: ") : JobContext();
        d.unedited = evaluateAsr(d.model, d.tokenizer, d.plan.goals, whole, ctx ? &inner : nullptr);
        d.haveUnedited = true;
    }
    return d.unedited;
}

double EditEvaluator::coherenceThreshold(JobContext *ctx)
{
    Impl &d = *m_impl;
    if (!d.calibrated && d.plan.coherence && !d.plan.goals.empty()) {
        const std::vector<AsrResult> &base = unedited(ctx);
        JobContext inner = ctx ? ctx->nested("coherence threshold: ") : JobContext();
        d.edit.undo();
        d.threshold = calibrateCoherence(d.model, d.tokenizer, base, d.plan.coherenceQuantile, ctx ? &inner : nullptr).threshold;
        d.calibrated = true;
    }
    return d.threshold;
}

EditMeasurement EditEvaluator::evaluate(const Apply &apply, JobContext *ctx,
                                        const std::function<void(const EditMeasurement &)> &asrKnown)
{
    Impl &d = *m_impl;
    const auto t0 = std::chrono::steady_clock::now();
    ModelEdit &edit = d.edit;
    edit.undo();
    struct Undo {  // the model is left unedited, however the evaluation ends
        ModelEdit &e;
        ~Undo() { e.undo(); }
    } undo{edit};
    EditMeasurement m;
    if (apply)
        m.report = apply(edit, m);
    m.actualSparsity = edit.actualSparsity();
    if (!d.plan.goals.empty()) {
        JobContext inner = ctx ? ctx->nested("ASR: ") : JobContext();
        m.asr = evaluateAsr(d.model, d.tokenizer, d.plan.goals, d.asr, ctx ? &inner : nullptr);
        if (!d.plan.compliancePrefix.empty())
            for (const AsrResult &r : m.asr) {
                std::size_t complied = 0;
                for (const AsrGeneration &g : r.generations)
                    complied += pyStrip(g.response).rfind(d.plan.compliancePrefix, 0) == 0;
                m.compliance.push_back(r.generations.empty() ? 0.0 : double(complied) / double(r.generations.size()));
            }
    }
    if (asrKnown)
        asrKnown(m);
    if (!d.plan.docs.empty()) {
        JobContext inner = ctx ? ctx->nested("utility: ") : JobContext();
        m.utility = evaluateMultipleChoice(d.model, d.tokenizer, d.plan.docs, ctx ? &inner : nullptr);
        m.hasUtility = true;
    }
    if (!d.plan.perplexityFile.empty()) {
        const std::int64_t window = d.plan.pplWindow > 0
                                        ? d.plan.pplWindow
                                        : std::min<std::int64_t>(4096, d.model.config().maxPositionEmbeddings);
        JobContext inner = ctx ? ctx->nested("perplexity: ") : JobContext();
        m.perplexity = evaluatePerplexity(d.model, d.tokenizer, d.plan.perplexityFile, window, ctx ? &inner : nullptr);
        m.hasPerplexity = true;
    }
    edit.undo();  // the rest is measured on the unedited model
    if (d.plan.coherence && !m.asr.empty()) {
        m.coherenceThreshold = coherenceThreshold(ctx);
        JobContext inner = ctx ? ctx->nested("coherence: ") : JobContext();
        std::vector<std::vector<double>> scores;
        for (const AsrResult &r : m.asr)
            scores.push_back(meanResponseLogProb(d.model, d.tokenizer, r.generations, ctx ? &inner : nullptr));
        applyCoherence(m.asr, scores, m.coherenceThreshold);
    }
    m.complete = true;
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return m;
}

} // namespace alignscope
