// SPDX-License-Identifier: MIT
// The 7 linear matrices of a Llama-family decoder layer, in the order used everywhere
// (scores, selections, stores, plots): q, k, v, o, gate, up, down.
#pragma once
#include <array>
#include <string_view>

namespace alignscope {

enum class Matrix : int { Q = 0, K, V, O, Gate, Up, Down };

constexpr int kMatricesPerLayer = 7;

/** Short names: "q", "k", "v", "o", "gate", "up", "down". */
constexpr std::array<std::string_view, kMatricesPerLayer> kMatrixNames = {"q", "k", "v", "o", "gate", "up", "down"};

/** Module names inside a decoder layer, e.g. "self_attn.q_proj". */
constexpr std::array<std::string_view, kMatricesPerLayer> kMatrixModules = {
    "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
    "mlp.gate_proj",    "mlp.up_proj",      "mlp.down_proj"};

constexpr bool isMlp(Matrix m) { return m == Matrix::Gate || m == Matrix::Up || m == Matrix::Down; }
constexpr std::string_view matrixName(Matrix m) { return kMatrixNames[static_cast<int>(m)]; }

} // namespace alignscope
