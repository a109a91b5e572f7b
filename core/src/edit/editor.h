// SPDX-License-Identifier: MIT
// Private: reversible in-memory edits of the decoder matrices, and weight-gradient switches.
// An edit records exactly what it overwrites (the values at masked entries, or the whole matrix for
// a projection), so undo() restores the weights bit for bit. Nothing is reloaded or written to disk;
// weights that live in the copy-on-write mapping get private copies of only the pages touched.
#pragma once
#include "alignscope/matrices.h"
#include "model/llama.h"

#include <ATen/ATen.h>

#include <vector>

namespace alignscope {

class WeightEditor {
public:
    explicit WeightEditor(LlamaModel &model) : m_model(model) {}
    ~WeightEditor() = default;
    WeightEditor(const WeightEditor &) = delete;
    WeightEditor &operator=(const WeightEditor &) = delete;

    /** Sets the entries `flatIndices` (1-D long, row-major into d_out × d_in) of one matrix to `value`. */
    void mask(int layer, Matrix m, const at::Tensor &flatIndices, double value = 0.0);
    /** Replaces one matrix by `newWeight` (same shape; e.g. a projection (I − VVᵀ)W computed by the caller). */
    void replace(int layer, Matrix m, const at::Tensor &newWeight);
    /** Undoes every edit since construction (or the last undo), newest first. */
    void undo();
    /** Forgets every change without restoring it (their layers' weights are dropped anyway: streaming). */
    void discard() { m_log.clear(); }
    bool empty() const { return m_log.empty(); }
    std::size_t editCount() const { return m_log.size(); }

private:
    struct Entry {
        int layer;
        Matrix matrix;
        at::Tensor indices;  ///< undefined for a whole-matrix replacement
        at::Tensor saved;    ///< original values (at indices, or the whole matrix)
    };
    LlamaModel &m_model;
    std::vector<Entry> m_log;
};

/** Turns weight gradients on for exactly `matrices` (layer, matrix) and off for every other weight. */
void setWeightGradients(LlamaModel &model, const std::vector<std::pair<int, Matrix>> &matrices);

} // namespace alignscope
