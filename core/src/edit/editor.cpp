// SPDX-License-Identifier: MIT
#include "edit/editor.h"

#include <stdexcept>

namespace alignscope {

namespace {

at::Tensor &weightOf(LlamaModel &model, int layer, Matrix m)
{
    if (layer < 0 || layer >= model.config().numLayers)
        throw std::out_of_range("[WeightEditor] layer " + std::to_string(layer) + " out of range");
    return model.layer(layer).w[static_cast<int>(m)];
}

} // namespace

void WeightEditor::mask(int layer, Matrix m, const at::Tensor &flatIndices, double value)
{
    at::NoGradGuard noGrad;
    at::Tensor &w = weightOf(m_model, layer, m);
    const at::Tensor idx = flatIndices.to(w.device(), at::kLong).reshape({-1});
    if (idx.numel() > 0 && (idx.min().item<std::int64_t>() < 0 || idx.max().item<std::int64_t>() >= w.numel()))
        throw std::out_of_range("[WeightEditor::mask] index out of range for layer " + std::to_string(layer) + " " +
                                std::string(matrixName(m)));
    at::Tensor flat = w.view({-1});
    m_log.push_back({layer, m, idx, flat.index_select(0, idx).clone()});
    flat.index_fill_(0, idx, value);
}

void WeightEditor::replace(int layer, Matrix m, const at::Tensor &newWeight)
{
    at::NoGradGuard noGrad;
    at::Tensor &w = weightOf(m_model, layer, m);
    if (newWeight.sizes() != w.sizes())
        throw std::invalid_argument("[WeightEditor::replace] shape mismatch for layer " + std::to_string(layer) + " " +
                                    std::string(matrixName(m)));
    m_log.push_back({layer, m, at::Tensor(), w.clone()});
    w.copy_(newWeight);
}

void WeightEditor::undo()
{
    at::NoGradGuard noGrad;
    for (auto it = m_log.rbegin(); it != m_log.rend(); ++it) {
        at::Tensor &w = weightOf(m_model, it->layer, it->matrix);
        if (it->indices.defined())
            w.view({-1}).index_copy_(0, it->indices, it->saved);
        else
            w.copy_(it->saved);
    }
    m_log.clear();
}

void setWeightGradients(LlamaModel &model, const std::vector<std::pair<int, Matrix>> &matrices)
{
    for (int l = 0; l < model.config().numLayers; ++l)
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            at::Tensor &w = model.layer(l).w[m];
            w.mutable_grad() = at::Tensor();
            w.requires_grad_(false);
        }
    for (const auto &[l, m] : matrices)
        weightOf(model, l, m).requires_grad_(true);
}

} // namespace alignscope
