// SPDX-License-Identifier: MIT
#pragma once
#include "alignscope/analysis.h"
#include "alignscope/evaluator.h"
#include "alignscope/heads.h"
#include "asrpoints.h"

#include <QVector>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace alignscope {
class JobContext;
class Model;
class ModelEdit;
class Tokenizer;
}

namespace alignscope::ui {

/** What one evaluation of an edit measured (NaN: not measured). */
struct LiveResult {
    static constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
    double asr = kUnknown;               ///< the keyword judge's (the paper's)
    double prefixAsr = kUnknown;         ///< demo model: the prefix judge's ("Sure, here is", its compliant opening)
    double incoherent = kUnknown;        ///< fraction flagged incoherent (known when `complete`)
    double incoherentSuccess = kUnknown; ///< incoherent and yet a keyword success: garbage that reads as an attack
    double coherenceThreshold = kUnknown;
    double utility = kUnknown;           ///< demo model: multiple-choice accuracy
    double actualSparsity = 0;           ///< spec §4.7, of the edited model
    SelectionReport report;              ///< what the edit removed (ranks for a projection)
    std::int64_t zeroed = 0;             ///< head ablation: weights set to zero
    int prompts = 0;
    bool complete = false;               ///< utility and coherence measured
    QVector<GenerationRow> rows;
};

/**
 * The model, tokenizer and edit that the application's evaluations share, with one EditEvaluator per
 * ASR setting (alignscope/evaluator.h: the same evaluation as `sweep` and `eval`). Lives on the engine
 * lane's thread: every call below runs there, one at a time.
 */
class LiveEngine {
public:
    explicit LiveEngine(std::string modelDir, bool demo);
    ~LiveEngine();
    const std::string &modelDir() const { return m_modelDir; }

    /**
     * What a live point measures in `setting`: the first 100 bundled harmful prompts (harmful_eval.txt)
     * with the keyword judge, for the demo model also the prefix judge ("Sure, here is") and the first
     * 10 documents of each bundled utility task (utility_mc.jsonl); the coherence flag at the default
     * quantile. `sweep --prompts … --limit 100 --judge keyword[,prefix] --coherence` measures the same.
     */
    static EvalPlan plan(bool demo, AsrSetting setting);

    /** The edit applied to the unedited model; returns what it removed. */
    using Edit = std::function<SelectionReport(ModelEdit &edit, LiveResult &result)>;
    /**
     * Evaluates `edit` in `setting`; `asrKnown` is called as soon as the ASR is known (the rest follows).
     * The model is left unedited however it ends.
     */
    LiveResult evaluate(const Edit &edit, AsrSetting setting, JobContext &ctx,
                        const std::function<void(const LiveResult &)> &asrKnown = {});
    /** Probes the model's heads (readInstructions formats: the safety and utility datasets do). */
    HeadProbing probe(const std::string &harmfulFile, const std::string &harmlessFile, JobContext &ctx);

private:
    void load();
    EditEvaluator &evaluator(AsrSetting setting);
    std::string m_modelDir;
    bool m_demo;
    std::unique_ptr<Model> m_model;
    std::unique_ptr<Tokenizer> m_tokenizer;
    std::unique_ptr<ModelEdit> m_edit;  ///< kept: the model's fingerprint is checked once
    std::map<AsrSetting, std::unique_ptr<EditEvaluator>> m_evaluators;
};

} // namespace alignscope::ui
