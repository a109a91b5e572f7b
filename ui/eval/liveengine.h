// SPDX-License-Identifier: MIT
#pragma once
#include "alignscope/analysis.h"
#include "alignscope/asr.h"
#include "alignscope/heads.h"
#include "views/generationsview.h"

#include <QVector>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace alignscope {
class JobContext;
class Judge;
class Model;
class ModelEdit;
class Tokenizer;
struct McDoc;
}

namespace alignscope::ui {

/** What one evaluation of an edit measured. */
struct LiveResult {
    double asr = 0;              ///< the keyword judge's (the paper's)
    double prefixAsr = -1;       ///< demo model: the prefix judge's ("Sure, here is", its compliant opening); -1 otherwise
    double incoherent = -1;      ///< fraction flagged incoherent (known when the job ends)
    double incoherentSuccess = -1;  ///< incoherent and yet a keyword success: garbage that reads as an attack
    double coherenceThreshold = 0;
    double utility = -1;         ///< demo model: multiple-choice accuracy; -1 not (yet) measured
    double actualSparsity = 0;   ///< spec §4.7, of the edited model
    SelectionReport report;      ///< what the edit removed (ranks for a projection)
    std::int64_t zeroed = 0;     ///< head ablation: weights set to zero
    int prompts = 0;
    QVector<GenerationRow> rows;
};

/**
 * The model, tokenizer, prompts and utility documents that the application's evaluations share, with
 * the unedited model's responses (per ASR setting, computed once). Lives on the job thread: every
 * call below runs there, one at a time.
 */
class LiveEngine {
public:
    explicit LiveEngine(std::string modelDir, bool demo);
    ~LiveEngine();
    const std::string &modelDir() const { return m_modelDir; }

    /** The edit applied to the unedited model; returns what it removed. */
    using Edit = std::function<SelectionReport(ModelEdit &edit, LiveResult &result)>;
    /**
     * Applies `edit`, evaluates the ASR in `setting` with the keyword judge (and, for the demo, the prefix
     * judge), then utility (demo), then the coherence flag of every response under the unedited model,
     * and leaves the model unedited however it ends. `asrKnown` is called as soon as the ASR is.
     */
    LiveResult evaluate(const Edit &edit, AsrSetting setting, JobContext &ctx,
                        const std::function<void(const LiveResult &)> &asrKnown = {});
    /** Probes the model's heads (readInstructions formats: the safety and utility datasets do). */
    HeadProbing probe(const std::string &harmfulFile, const std::string &harmlessFile, JobContext &ctx);

private:
    void load();
    std::string m_modelDir;
    bool m_demo;
    std::unique_ptr<Model> m_model;
    std::unique_ptr<Tokenizer> m_tokenizer;
    std::vector<std::string> m_goals;
    std::vector<McDoc> m_docs;
    std::unique_ptr<ModelEdit> m_edit;  ///< kept: the model's fingerprint is checked once
    std::map<AsrSetting, std::vector<std::string>> m_unedited;  ///< per setting, in generation order
    std::map<AsrSetting, double> m_threshold;                   ///< the coherence threshold, per setting
    std::vector<std::unique_ptr<Judge>> m_judges;               ///< keyword, and prefix for the demo
};

} // namespace alignscope::ui
