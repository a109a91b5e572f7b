// SPDX-License-Identifier: MIT
// In-memory, reversible edits of a loaded model by a selection from the store (spec §4–§7): a set
// difference, a per-row pruning, an ActSVD removal or an orthogonal projection. Nothing is written
// to disk; undo() (or the destructor) restores every weight bit for bit. Plain C++: no torch.
#pragma once
#include "alignscope/analysis.h"
#include "alignscope/heads.h"

#include <memory>

namespace alignscope {

class Model;

class ModelEdit {
public:
    /** Edits `model`, which must outlive this object. */
    explicit ModelEdit(Model &model);
    ~ModelEdit();  ///< undoes
    ModelEdit(const ModelEdit &) = delete;
    ModelEdit &operator=(const ModelEdit &) = delete;

    /**
     * Applies `spec` with the scores/bases of `store` (which must belong to this model: fingerprint
     * checked) on top of the edits so far. Returns what it removed, as reportSelection counts it.
     * Throws StoreError / std::invalid_argument.
     */
    SelectionReport apply(const Store &store, const SelectionSpec &spec);
    /**
     * Ablates attention heads (spec §4.6) on top of the edits so far: `how` Reference zeroes columns
     * [d·h, d·h + d) of W_q, W_k, W_v and rows [d·h, d·h + d) of W_o (d = head_dim), as the reference
     * code does; Output zeroes the head's columns of W_o. Returns the number of entries set to zero.
     * Throws std::invalid_argument for a head outside the model.
     */
    std::int64_t ablateHeads(const std::vector<HeadRef> &heads, HeadAblation how);
    /** Restores every weight changed since construction (or the last undo). */
    void undo();
    /** Spec §4.7: exact zeros in all 7·L decoder matrices / their entries (pre-existing zeros count). */
    double actualSparsity() const;
    /**
     * Writes the edited model as a Hugging Face folder that other tools load: model.safetensors in the
     * stored dtype of the original (float32 if it was mixed), the original config.json,
     * generation_config.json and tokenizer files copied unchanged, and alignscope_edit.json with the
     * edits applied and their provenance. `dir` must not exist or be empty. Throws ModelError.
     */
    void save(const std::string &dir) const;

    class Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace alignscope
