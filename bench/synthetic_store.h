// SPDX-License-Identifier: MIT
// A store with Llama-2-7B shapes (32 layers; q, k, v, o 4096 × 4096; gate, up 11008 × 4096; down
// 4096 × 11008) and synthetic slider summaries for one (safety, utility) pair: what a slider query
// reads, without scores. Used by the slider benchmarks.
#pragma once
#include <string>

namespace alignscope::bench {

/** Writes the store to `path`; its model folder attribute is `modelDir`; the pair is ("safety", "utility"). */
void writeSyntheticStore(const std::string &path, const std::string &modelDir);

/** config.json of Llama-2-7B (the shapes above), for a model folder without weights. */
std::string llama2_7bConfigJson();

} // namespace alignscope::bench
