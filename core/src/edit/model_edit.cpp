// SPDX-License-Identifier: MIT
#include "alignscope/model_edit.h"

#include "alignscope/model.h"
#include "edit/editor.h"
#include "model/impl.h"
#include "attribution/attribution.h"
#include "selection/selection.h"

namespace alignscope {

class ModelEdit::Impl {
public:
    explicit Impl(Model &m) : model(m), llama(*m.impl().llama), editor(llama) {}
    Model &model;
    LlamaModel &llama;
    WeightEditor editor;
    std::string checkedFingerprint;
};

ModelEdit::ModelEdit(Model &model) : m_impl(std::make_unique<Impl>(model)) {}

ModelEdit::~ModelEdit()
{
    m_impl->editor.undo();
}

void ModelEdit::undo() { m_impl->editor.undo(); }

namespace {

at::Tensor scoreTensor(const Store &s, const std::string &set, int l, Matrix m, const at::Device &dev)
{
    std::vector<float> v = s.scores(set, l, m);
    const MatrixShape &sh = s.shapes()[size_t(m)];
    return at::from_blob(v.data(), {sh.rows, sh.cols}, at::kFloat).clone().to(dev);
}

at::Tensor basisTensor(const Store &s, const std::string &set, int l, Matrix m, const at::Device &dev)
{
    Store::Basis b = s.basis(set, l, m);
    return at::from_blob(b.vectors.data(), {b.rows, b.columns}, at::kFloat).clone().to(dev);
}

} // namespace

SelectionReport ModelEdit::apply(const Store &store, const SelectionSpec &spec)
{
    Impl &d = *m_impl;
    if (d.checkedFingerprint != store.modelFingerprint()) {
        if (computeModelFingerprint(d.model.info().dir) != store.modelFingerprint())
            throw StoreError(store.path() + " belongs to another model than " + d.model.info().dir +
                             " (fingerprints differ)");
        d.checkedFingerprint = store.modelFingerprint();
    }
    if (store.numLayers() != int(d.llama.config().numLayers))
        throw StoreError(store.path() + ": the store has " + std::to_string(store.numLayers()) + " layers, the model " +
                         std::to_string(d.llama.config().numLayers));
    SelectionReport r = reportSelection(store, spec, d.model.info().dir);
    const at::Device dev = d.llama.options().device;
    for (int l = 0; l < store.numLayers(); ++l)
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const Matrix mat = Matrix(m);
            const at::Tensor &w = d.llama.layer(l).w[m];
            switch (spec.kind) {
            case SelectionKind::SetDifference:
                d.editor.mask(l, mat, setDifference(scoreTensor(store, spec.safety, l, mat, dev),
                                                    scoreTensor(store, spec.utility, l, mat, dev), spec.p, spec.q,
                                                    spec.granularity));
                break;
            case SelectionKind::RowPrune:
                d.editor.mask(l, mat, rowPruneIndices(scoreTensor(store, spec.scores, l, mat, dev), spec.sparsity,
                                                      spec.topDown));
                break;
            case SelectionKind::ActSvd:
                d.editor.replace(l, mat, actSvdModified(w, basisTensor(store, spec.basis, l, mat, dev), spec.rank,
                                                        spec.removeTop));
                break;
            case SelectionKind::Orthogonal: {
                const at::Tensor delta =
                    orthogonalProjectionDelta(w, basisTensor(store, spec.utilityBasis, l, mat, dev),
                                              basisTensor(store, spec.safetyBasis, l, mat, dev), spec.ru, spec.rs,
                                              spec.paperNaming);
                d.editor.replace(l, mat, (w.to(at::kDouble) - delta).to(w.scalar_type()));
                break;
            }
            }
        }
    return r;
}

double ModelEdit::actualSparsity() const
{
    at::NoGradGuard ng;
    std::int64_t zeros = 0, total = 0;
    for (int l = 0; l < int(m_impl->llama.config().numLayers); ++l)
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const at::Tensor &w = m_impl->llama.layer(l).w[m];
            zeros += (w == 0).sum().item<std::int64_t>();
            total += w.numel();
        }
    return total ? double(zeros) / double(total) : 0.0;
}

} // namespace alignscope
