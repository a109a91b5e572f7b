// SPDX-License-Identifier: MIT
#include "synthetic_store.h"

#include "alignscope/fraction_grid.h"
#include "store/h5.h"
#include "store/layout.h"

#include <hdf5.h>

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace alignscope::bench {

namespace {

/**
 * A bf16 score dataset of the right shape with no data written: chunks that were never written take no
 * space (13 GB of Llama-2-7B scores would), and the store's validation on open checks only shapes.
 */
void declareScores(const h5::File &f, const std::string &dataset, std::int64_t rows, std::int64_t cols)
{
    f.createGroups(dataset.substr(0, dataset.find_last_of('/')));
    const hsize_t dims[2] = {hsize_t(rows), hsize_t(cols)}, chunk[2] = {std::min<hsize_t>(hsize_t(rows), 256), hsize_t(cols)};
    const hid_t space = H5Screate_simple(2, dims, nullptr), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, 2, chunk);
    const hid_t d = H5Dcreate2(f.id(), dataset.c_str(), H5T_STD_U16LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(space);
    f.setAttr(dataset, "dtype", std::string("bf16"));
}

} // namespace

void writeSyntheticStore(const std::string &path, const std::string &modelDir)
{
    h5::quiet();
    const int L = 32;
    const std::int64_t G = std::int64_t(fractionGrid().size());
    h5::File f = h5::File::create(path);
    f.setAttr("/", "format", std::string("alignscope-store"));
    f.setAttr("/", "format_version", std::int64_t(1));
    f.setAttr("/", "model_fingerprint", std::string("0000000000000000"));
    f.setAttr("/", "model_dir", modelDir);
    f.setAttr("/", "num_layers", std::int64_t(L));
    const std::vector<std::int64_t> shapes = {4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096,
                                              11008, 4096, 11008, 4096, 4096, 11008};
    f.write("/model/shapes", {7, 2}, h5::Type::I64, shapes.data(), false);
    const std::vector<double> &grid = fractionGrid();
    f.write("/model/fraction_grid", {std::int64_t(grid.size())}, h5::Type::F64, grid.data(), false);
    // cumulative joint histograms of random independent rankings: C[a][b] = ⌊n·f_a⌋·⌊n·f_b⌋ / n (monotone)
    std::vector<std::int64_t> cum(size_t(L) * 7 * size_t(G * G));
    for (int l = 0; l < L; ++l)
        for (int m = 0; m < 7; ++m) {
            const double n = double(shapes[size_t(2 * m)]) * double(shapes[size_t(2 * m + 1)]);
            for (std::int64_t a = 0; a < G; ++a)
                for (std::int64_t b = 0; b < G; ++b)
                    cum[((size_t(l) * 7 + size_t(m)) * size_t(G) + size_t(a)) * size_t(G) + size_t(b)] =
                        std::int64_t(std::floor(n * fractionGrid()[size_t(a)]) * std::floor(n * fractionGrid()[size_t(b)]) / n);
        }
    // the two score sets the summaries belong to (datasets declared, no scores written: a slider query reads none)
    for (const char *role : {"safety", "utility"}) {
        const std::string sg = layout::setGroup(role);
        f.createGroups(sg);
        for (const auto &[k, v] : std::vector<std::pair<const char *, std::string>>{
                 {"method", "snip"}, {"mode", "oneshot"}, {"role", role}, {"dataset_file", "(synthetic)"},
                 {"dataset_fingerprint", "0000000000000000"}, {"dataset_format", "csv"}, {"store_dtype", "bf16"},
                 {"compute_dtype", "float32"}, {"device", "cpu"}, {"program_version", "bench"}, {"created", "-"}})
            f.setAttr(sg, k, v);
        for (const auto &[k, v] : std::vector<std::pair<const char *, std::int64_t>>{
                 {"nsamples", 128}, {"seed", 0}, {"max_length", 0}, {"top_down", 0}, {"rank", 0}, {"remove_top", 1},
                 {"examples", 128}, {"response_tokens", 0}, {"truncated_examples", 0}, {"layers_done", L}})
            f.setAttr(sg, k, v);
        f.setAttr(sg, "sparsity", 0.0);
        f.setAttr(sg, "seconds", 0.0);
        for (int l = 0; l < L; ++l)
            for (int m = 0; m < 7; ++m)
                declareScores(f, layout::matrixPath(role, l, Matrix(m)), shapes[size_t(2 * m)], shapes[size_t(2 * m + 1)]);
    }
    const std::string g = layout::summaryGroup("safety", "utility");
    f.createGroups(g);
    f.setAttr(g, "safety", std::string("safety"));
    f.setAttr(g, "utility", std::string("utility"));
    f.write(g + "/matrix", {L, 7, G, G}, h5::Type::I64, cum.data(), false);  // as the store writes them
    f.write(g + "/row", {L, 7, G, G}, h5::Type::I64, cum.data(), false);
}

std::string llama2_7bConfigJson()
{
    return R"({"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4096,
"intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 32,
"vocab_size": 32000, "max_position_embeddings": 4096, "rms_norm_eps": 1e-05, "rope_theta": 10000.0,
"torch_dtype": "float16", "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu", "tie_word_embeddings": false})";
}

} // namespace alignscope::bench
