// SPDX-License-Identifier: MIT
// Evaluating one edit of a model: apply it in memory, measure the attack success rate in every chosen
// setting with every judge, utility and perplexity, then the coherence of every response under the
// unedited model. The one implementation behind the application's live points, `sweep` and `eval`, so
// that a point evaluated live and the same point of a sweep are the same number. Plain C++: no torch.
#pragma once
#include "alignscope/analysis.h"
#include "alignscope/asr.h"
#include "alignscope/judges.h"
#include "alignscope/model.h"
#include "alignscope/utility.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace alignscope {

class JobContext;
class ModelEdit;

/** What is measured at every edit, its inputs already read. */
struct EvalPlan {
    std::vector<std::string> goals;  ///< harmful prompts (readHarmfulPrompts); empty: no ASR
    /// Settings, generation and the keyword judge. `earlyStop` (default on) is exact for every verdict; with
    /// `coherence` a refusal cut after its refusal phrase is scored on the part generated (docs/METHODS.md).
    AsrOptions asr;
    std::string judges;      ///< further judges for makeJudges ("keyword,prefix,model:PATH"); empty: none
    PrefixConfig prefix;     ///< the prefix judge's targets
    LoadOptions judgeLoad;   ///< where a model judge runs
    bool coherence = false;  ///< flag responses that are incoherent under the unedited model (judges.h)
    double coherenceQuantile = kDefaultCoherenceQuantile;
    /// When set: per setting, the fraction of responses that open with this text (outer whitespace stripped).
    std::string compliancePrefix;
    std::vector<McDoc> docs;          ///< utility tasks (readTaskFile); empty: none
    std::string perplexityFile;       ///< a text file; empty: none
    std::int64_t pplWindow = 0;       ///< 0: min(4096, the model's context)
};

/** What one evaluation of an edit measured. */
struct EditMeasurement {
    SelectionReport report;           ///< what the edit removed (empty: no selection applied)
    std::int64_t zeroed = 0;          ///< entries zeroed by a head ablation (set by the edit function)
    double actualSparsity = 0;        ///< spec §4.7, of the edited model
    std::vector<AsrResult> asr;       ///< one per setting: every judge's verdicts; coherence when `complete`
    std::vector<double> compliance;   ///< per setting, when the plan has a compliance prefix
    bool hasUtility = false;
    UtilityResult utility;
    bool hasPerplexity = false;
    PerplexityResult perplexity;
    double coherenceThreshold = std::numeric_limits<double>::quiet_NaN();
    bool complete = false;            ///< false while only the ASR is known (the `asrKnown` callback)
    double seconds = 0;
};

/**
 * Evaluates edits of one model under one plan. The judges are made once; the unedited model's own
 * (whole) responses and the coherence threshold calibrated on them are computed once, when first needed.
 */
class EditEvaluator {
public:
    /** `model`, `tokenizer` and `edit` (an editor of `model`) must outlive this object. Throws
     *  std::invalid_argument for a bad judge list. */
    EditEvaluator(Model &model, const Tokenizer &tokenizer, ModelEdit &edit, EvalPlan plan);
    ~EditEvaluator();
    EditEvaluator(const EditEvaluator &) = delete;
    EditEvaluator &operator=(const EditEvaluator &) = delete;

    const EvalPlan &plan() const;

    /** Applies an edit to the unedited model (through `edit`) and returns what it removed. */
    using Apply = std::function<SelectionReport(ModelEdit &edit, EditMeasurement &m)>;
    /**
     * Undoes earlier edits, applies `apply` (empty: the unedited model), measures the ASR of every setting
     * with every judge, calls `asrKnown`, measures utility and perplexity, undoes the edit and flags the
     * coherence of every response under the unedited model. The model is unedited however this ends.
     */
    EditMeasurement evaluate(const Apply &apply, JobContext *ctx = nullptr,
                             const std::function<void(const EditMeasurement &)> &asrKnown = {});

    /** The unedited model's whole responses in every setting (generated once). */
    const std::vector<AsrResult> &unedited(JobContext *ctx = nullptr);
    /** The coherence threshold calibrated on unedited() (once); NaN without coherence or prompts. */
    double coherenceThreshold(JobContext *ctx = nullptr);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace alignscope
