// SPDX-License-Identifier: MIT
#include "alignscope/model_edit.h"

#include "alignscope/model.h"
#include "alignscope/version.h"
#include "edit/editor.h"
#include "model/impl.h"
#include "attribution/attribution.h"
#include "model/save.h"
#include "selection/selection.h"

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace alignscope {

class ModelEdit::Impl {
public:
    explicit Impl(Model &m) : model(m), llama(*m.impl().llama), editor(llama) {}
    Model &model;
    LlamaModel &llama;
    WeightEditor editor;
    std::string checkedFingerprint;
    nlohmann::json applied = nlohmann::json::array();  ///< the edits since the last undo (provenance)
};

ModelEdit::ModelEdit(Model &model) : m_impl(std::make_unique<Impl>(model)) {}

ModelEdit::~ModelEdit()
{
    m_impl->editor.undo();
}

void ModelEdit::undo()
{
    m_impl->editor.undo();
    m_impl->applied = nlohmann::json::array();
}

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
    for (int m = 0; m < kMatricesPerLayer; ++m) {
        const at::Tensor &w = d.llama.layer(0).w[m];
        const MatrixShape &sh = store.shapes()[size_t(m)];
        if (sh.rows != w.size(0) || sh.cols != w.size(1))
            throw StoreError(store.path() + ": the store's " + std::string(matrixName(Matrix(m))) + " matrices are " +
                             std::to_string(sh.rows) + " × " + std::to_string(sh.cols) + ", the model's " +
                             std::to_string(w.size(0)) + " × " + std::to_string(w.size(1)));
    }
    const bool masks = spec.kind == SelectionKind::SetDifference || spec.kind == SelectionKind::RowPrune;
    if (spec.randomSeed >= 0 && !masks)
        throw std::invalid_argument("a random control needs a set difference or a pruning (entries to count), not "
                                    "a change of ranks");
    SelectionReport r = reportSelection(store, spec, d.model.info().dir);
    const at::Device dev = d.llama.options().device;
    // the matched random control: as many entries of the matrix as `chosen`, uniformly at random
    auto control = [&spec, dev](const at::Tensor &chosen, const at::Tensor &w, int l, int m) {
        if (spec.randomSeed < 0)
            return chosen;
        at::Generator gen = at::detail::createCPUGenerator(std::uint64_t(spec.randomSeed) * 1000003u +
                                                           std::uint64_t(l * kMatricesPerLayer + m));
        return at::randperm(w.numel(), gen, at::kLong).narrow(0, 0, chosen.numel()).to(dev);
    };
    for (int l = 0; l < store.numLayers(); ++l)
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const Matrix mat = Matrix(m);
            const at::Tensor &w = d.llama.layer(l).w[m];
            switch (spec.kind) {
            case SelectionKind::SetDifference:
                d.editor.mask(l, mat, control(setDifference(scoreTensor(store, spec.safety, l, mat, dev),
                                                            scoreTensor(store, spec.utility, l, mat, dev), spec.p,
                                                            spec.q, spec.granularity),
                                              w, l, m));
                break;
            case SelectionKind::RowPrune:
                d.editor.mask(l, mat, control(rowPruneIndices(scoreTensor(store, spec.scores, l, mat, dev),
                                                              spec.sparsity, spec.topDown),
                                              w, l, m));
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
    const char *kinds[] = {"set_difference", "row_prune", "actsvd", "orthogonal"};
    nlohmann::json e = {{"kind", kinds[int(spec.kind)]}, {"store", store.path()},
                        {"removed", r.removedTotal}, {"capacity", r.capacityTotal}, {"unit", r.ranks ? "ranks" : "weights"}};
    switch (spec.kind) {
    case SelectionKind::SetDifference:
        e.update({{"safety", spec.safety}, {"utility", spec.utility}, {"p", spec.p}, {"q", spec.q},
                  {"granularity", granularityName(spec.granularity)}});
        break;
    case SelectionKind::RowPrune:
        e.update({{"scores", spec.scores}, {"sparsity", spec.sparsity}, {"top_down", spec.topDown}});
        break;
    case SelectionKind::ActSvd:
        e.update({{"basis", spec.basis}, {"rank", spec.rank}, {"remove_top", spec.removeTop}});
        break;
    case SelectionKind::Orthogonal:
        e.update({{"safety_basis", spec.safetyBasis}, {"utility_basis", spec.utilityBasis}, {"ru", spec.ru},
                  {"rs", spec.rs}, {"paper_ranks", spec.paperNaming}});
        break;
    }
    if (spec.randomSeed >= 0)
        e["random_control"] = spec.randomSeed;
    d.applied.push_back(e);
    return r;
}

std::int64_t ModelEdit::ablateHeads(const std::vector<HeadRef> &heads, HeadAblation how)
{
    Impl &d = *m_impl;
    const ModelConfig &c = d.llama.config();
    const std::int64_t hd = c.headDim;
    std::int64_t zeroed = 0;
    nlohmann::json list = nlohmann::json::array();
    for (const HeadRef &h : heads) {
        if (h.layer < 0 || h.layer >= c.numLayers || h.head < 0 || h.head >= c.numHeads)
            throw std::invalid_argument("no head " + std::to_string(h.head) + " in layer " + std::to_string(h.layer) +
                                        " (the model has " + std::to_string(c.numLayers) + " layers × " +
                                        std::to_string(c.numHeads) + " heads)");
        if (how == HeadAblation::Reference && (h.head + 1) * hd > c.hiddenSize)
            throw std::invalid_argument("head " + std::to_string(h.head) + ": the reference's channels [" +
                                        std::to_string(h.head * hd) + ", " + std::to_string((h.head + 1) * hd) +
                                        ") lie beyond the hidden size " + std::to_string(c.hiddenSize));
        const at::Tensor span = at::arange(h.head * hd, (h.head + 1) * hd, at::kLong);
        auto zero = [&](Matrix m, bool columns) {
            const at::Tensor &w = d.llama.layer(h.layer).w[int(m)];
            const std::int64_t rows = w.size(0), cols = w.size(1);
            // flat indices of the span's columns in every row, or of every column in the span's rows
            const at::Tensor idx = columns ? (at::arange(rows, at::kLong).view({rows, 1}) * cols + span.view({1, hd}))
                                           : (span.view({hd, 1}) * cols + at::arange(cols, at::kLong).view({1, cols}));
            const at::Tensor flat = idx.reshape({-1}).to(w.device());
            zeroed += (w.reshape({-1}).index_select(0, flat) != 0).sum().item<std::int64_t>();
            d.editor.mask(h.layer, m, flat);
        };
        if (how == HeadAblation::Reference) {
            for (Matrix m : {Matrix::Q, Matrix::K, Matrix::V})
                zero(m, true);
            zero(Matrix::O, false);
        } else {
            zero(Matrix::O, true);
        }
        list.push_back({h.layer, h.head});
    }
    d.applied.push_back({{"kind", "head_ablation"}, {"variant", headAblationName(how)}, {"heads", list},
                         {"zeroed", zeroed}, {"unit", "weights"}});
    return zeroed;
}

void ModelEdit::save(const std::string &dirName) const
{
    namespace fs = std::filesystem;
    const Impl &d = *m_impl;
    const fs::path src(d.model.info().dir), dir(dirName);
    std::error_code ec;
    if (fs::exists(dir) && !fs::is_empty(dir, ec))
        throw ModelError(dirName + ": exists and is not empty; the edited model needs a new folder");
    if (fs::exists(dir) && fs::equivalent(dir, src, ec))
        throw ModelError(dirName + ": is the original model's folder");
    const std::string stored = d.model.info().storedDtype;
    SaveOptions o;
    o.dtype = stored == "BF16" ? at::kBFloat16 : stored == "F16" ? at::kHalf : at::kFloat;
    o.bosId = d.model.bosId();
    o.eosId = d.model.eosIds().empty() ? -1 : d.model.eosIds().front();
    saveModel(d.llama, dirName, o);
    // everything else of the original folder unchanged: config (all its fields), tokenizer, templates
    static const char *weightSuffixes[] = {".safetensors", ".bin", ".pt", ".pth", ".gguf", ".msgpack", ".h5", ".ckpt"};
    for (const auto &entry : fs::directory_iterator(src)) {
        if (!entry.is_regular_file())
            continue;
        const std::string name = entry.path().filename().string();
        bool weights = name.find(".safetensors.index.json") != std::string::npos ||
                       name.find(".bin.index.json") != std::string::npos;
        for (const char *suffix : weightSuffixes)
            weights |= name.size() >= std::strlen(suffix) &&
                       name.compare(name.size() - std::strlen(suffix), std::string::npos, suffix) == 0;
        if (weights)
            continue;
        fs::copy_file(entry.path(), dir / name, fs::copy_options::overwrite_existing, ec);
        if (ec)
            throw ModelError((dir / name).string() + ": cannot copy from the original (" + ec.message() + ")");
    }
    const nlohmann::json note = {{"program", "AlignScope " ALIGNSCOPE_VERSION},
                                 {"original", src.string()},
                                 {"original_fingerprint", computeModelFingerprint(src.string())},
                                 {"edits", d.applied},
                                 {"actual_sparsity", actualSparsity()},
                                 {"weights_dtype", o.dtype == at::kBFloat16 ? "bfloat16" : o.dtype == at::kHalf ? "float16" : "float32"}};
    std::ofstream out(dir / "alignscope_edit.json", std::ios::binary);
    out << note.dump(2) << "\n";
    if (!out)
        throw ModelError((dir / "alignscope_edit.json").string() + ": write failed");
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
