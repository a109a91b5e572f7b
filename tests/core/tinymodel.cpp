// SPDX-License-Identifier: MIT
#include "tinymodel.h"
#include "alignscope/fraction_grid.h"
#include "alignscope/store.h"

#include "alignscope/safetensors.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <fstream>
#include <stdexcept>

namespace alignscope::test {

namespace {

const char *kModules[7] = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                           "mlp.gate_proj",    "mlp.up_proj",      "mlp.down_proj"};

DType fileDType(at::ScalarType t)
{
    return t == at::kBFloat16 ? DType::BF16 : t == at::kHalf ? DType::F16 : DType::F32;
}

} // namespace

std::map<std::string, at::Tensor> tinyWeights(const TinySpec &s)
{
    at::Generator gen = at::detail::createCPUGenerator(s.seed);
    const int hd = s.hidden / s.heads;
    auto rnd = [&](std::vector<std::int64_t> shape, double scale) {
        return (at::randn(shape, gen, at::kFloat) * scale).to(s.fileDtype).to(at::kFloat);
    };
    std::map<std::string, at::Tensor> w;
    w["model.embed_tokens.weight"] = rnd({s.vocab, s.hidden}, 1.0);
    const std::int64_t shapes[7][2] = {{s.heads * hd, s.hidden}, {s.kvHeads * hd, s.hidden}, {s.kvHeads * hd, s.hidden},
                                       {s.hidden, s.heads * hd}, {s.inter, s.hidden},        {s.inter, s.hidden},
                                       {s.hidden, s.inter}};
    const bool qwen = s.arch == "Qwen2ForCausalLM";
    for (int l = 0; l < s.layers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        w[p + "input_layernorm.weight"] = 1.0 + rnd({s.hidden}, 0.1);
        w[p + "post_attention_layernorm.weight"] = 1.0 + rnd({s.hidden}, 0.1);
        for (int m = 0; m < 7; ++m) {
            w[p + kModules[m] + ".weight"] = rnd({shapes[m][0], shapes[m][1]}, 1.0 / std::sqrt(double(shapes[m][1])));
            if ((qwen && m < 3) || (s.bias && m < 4))
                w[p + kModules[m] + ".bias"] = rnd({shapes[m][0]}, 0.1);
        }
    }
    w["model.norm.weight"] = 1.0 + rnd({s.hidden}, 0.1);
    if (!s.tied)
        w["lm_head.weight"] = rnd({s.vocab, s.hidden}, 1.0 / std::sqrt(double(s.hidden)));
    for (auto &[k, t] : w)
        t = t.to(s.fileDtype).to(at::kFloat);  // exactly representable in the file dtype
    return w;
}

std::string tinyConfigJson(const TinySpec &s)
{
    std::string j = "{\n  \"architectures\": [\"" + s.arch + "\"],\n";
    j += "  \"hidden_size\": " + std::to_string(s.hidden) + ",\n";
    j += "  \"intermediate_size\": " + std::to_string(s.inter) + ",\n";
    j += "  \"num_hidden_layers\": " + std::to_string(s.layers) + ",\n";
    j += "  \"num_attention_heads\": " + std::to_string(s.heads) + ",\n";
    j += "  \"num_key_value_heads\": " + std::to_string(s.kvHeads) + ",\n";
    j += "  \"vocab_size\": " + std::to_string(s.vocab) + ",\n";
    j += "  \"max_position_embeddings\": 2048,\n  \"rms_norm_eps\": 1e-05,\n";
    char theta[64];
    std::snprintf(theta, sizeof theta, "%.1f", s.ropeTheta);
    j += std::string("  \"rope_theta\": ") + theta + ",\n";
    if (!s.ropeScaling.empty())
        j += "  \"rope_scaling\": " + s.ropeScaling + ",\n";
    if (s.slidingWindow > 0)
        j += "  \"sliding_window\": " + std::to_string(s.slidingWindow) + ",\n";
    if (s.bias)
        j += "  \"attention_bias\": true,\n";
    j += std::string("  \"tie_word_embeddings\": ") + (s.tied ? "true" : "false") + ",\n";
    j += std::string("  \"torch_dtype\": \"") +
         (s.fileDtype == at::kBFloat16 ? "bfloat16" : s.fileDtype == at::kHalf ? "float16" : "float32") + "\",\n";
    j += "  \"bos_token_id\": " + std::to_string(s.bosId) + ",\n  \"eos_token_id\": " + std::to_string(s.eosId) + "\n}\n";
    return j;
}

void writeTinyModel(const std::string &dir, const TinySpec &s, const std::map<std::string, at::Tensor> &weights)
{
    std::ofstream(dir + "/config.json") << tinyConfigJson(s);
    std::ofstream(dir + "/generation_config.json")
        << "{\"bos_token_id\": " << s.bosId << ", \"eos_token_id\": " << s.eosId << "}\n";
    std::vector<at::Tensor> keep;
    std::vector<std::vector<TensorBytes>> shards(size_t(std::max(1, s.shards)));
    size_t i = 0;
    for (const auto &[name, t] : weights) {
        at::Tensor c = t.to(s.fileDtype).contiguous();
        keep.push_back(c);
        std::vector<std::int64_t> shape(c.sizes().begin(), c.sizes().end());
        shards[i++ % shards.size()].push_back({name, fileDType(s.fileDtype), shape, c.data_ptr(), size_t(c.nbytes())});
    }
    if (shards.size() == 1) {
        writeSafetensors(dir + "/model.safetensors", shards[0], {{"format", "pt"}});
        return;
    }
    std::string index = "{\"metadata\": {}, \"weight_map\": {";
    bool first = true;
    for (size_t k = 0; k < shards.size(); ++k) {
        char name[64];
        std::snprintf(name, sizeof name, "model-%05zu-of-%05zu.safetensors", k + 1, shards.size());
        writeSafetensors(dir + "/" + name, shards[k], {{"format", "pt"}});
        for (const auto &t : shards[k]) {
            index += std::string(first ? "" : ", ") + "\"" + t.name + "\": \"" + name + "\"";
            first = false;
        }
    }
    std::ofstream(dir + "/model.safetensors.index.json") << index << "}}\n";
}

at::Tensor referenceLogits(const TinySpec &s, const std::map<std::string, at::Tensor> &wf,
                           const std::vector<std::int64_t> &ids)
{
    auto W = [&](const std::string &n) { return wf.at(n).to(at::kDouble); };
    auto has = [&](const std::string &n) { return wf.count(n) != 0; };
    const std::int64_t T = std::int64_t(ids.size());
    const int hd = s.hidden / s.heads, group = s.heads / s.kvHeads;
    auto rms = [&](const at::Tensor &x, const at::Tensor &g) {
        at::Tensor out = at::empty_like(x);
        for (std::int64_t t = 0; t < x.size(0); ++t) {
            const double ms = x[t].pow(2).mean().item<double>();
            out[t] = x[t] / std::sqrt(ms + 1e-5) * g;
        }
        return out;
    };
    // rotary frequencies, with the scaling rules written out for this test
    std::vector<double> freq(size_t(hd / 2));
    double factor = 1, lowF = 1, highF = 4, orig = 8192;
    std::string type;
    if (s.ropeScaling.find("llama3") != std::string::npos) {
        type = "llama3", factor = 8, lowF = 1, highF = 4, orig = 32;  // the fixture uses these numbers
    } else if (s.ropeScaling.find("linear") != std::string::npos) {
        type = "linear", factor = 2;
    }
    for (int i = 0; i < hd / 2; ++i) {
        double f = std::pow(s.ropeTheta, -2.0 * i / hd);
        if (type == "linear")
            f /= factor;
        if (type == "llama3") {
            const double wl = 2 * M_PI / f;
            if (wl > orig / lowF)
                f /= factor;
            else if (wl >= orig / highF) {
                const double sm = (orig / wl - lowF) / (highF - lowF);
                f = (1 - sm) * f / factor + sm * f;
            }
        }
        freq[size_t(i)] = f;
    }
    auto rotate = [&](at::Tensor v /* [T, hd] */) {
        at::Tensor out = v.clone();
        for (std::int64_t t = 0; t < T; ++t)
            for (int i = 0; i < hd / 2; ++i) {
                const double a = double(t) * freq[size_t(i)];
                const double x1 = v[t][i].item<double>(), x2 = v[t][i + hd / 2].item<double>();
                out[t][i] = x1 * std::cos(a) - x2 * std::sin(a);
                out[t][i + hd / 2] = x2 * std::cos(a) + x1 * std::sin(a);
            }
        return out;
    };
    at::Tensor x = at::empty({T, s.hidden}, at::kDouble);
    for (std::int64_t t = 0; t < T; ++t)
        x[t] = W("model.embed_tokens.weight")[ids[size_t(t)]];
    for (int l = 0; l < s.layers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        auto proj = [&](const at::Tensor &in, int m) {
            at::Tensor y = at::matmul(in, W(p + kModules[m] + ".weight").t());
            if (has(p + kModules[m] + ".bias"))
                y = y + W(p + kModules[m] + ".bias");
            return y;
        };
        const at::Tensor h = rms(x, W(p + "input_layernorm.weight"));
        const at::Tensor Q = proj(h, 0), K = proj(h, 1), V = proj(h, 2);
        at::Tensor attn = at::zeros({T, s.heads * hd}, at::kDouble);
        for (int head = 0; head < s.heads; ++head) {
            const int kv = head / group;
            const at::Tensor q = rotate(Q.narrow(1, head * hd, hd));
            const at::Tensor k = rotate(K.narrow(1, kv * hd, hd));
            const at::Tensor v = V.narrow(1, kv * hd, hd);
            for (std::int64_t t = 0; t < T; ++t) {
                std::vector<double> sc;
                std::vector<std::int64_t> keys;
                for (std::int64_t u = 0; u <= t; ++u) {
                    if (s.slidingWindow > 0 && t - u >= s.slidingWindow)
                        continue;
                    sc.push_back((q[t] * k[u]).sum().item<double>() / std::sqrt(double(hd)));
                    keys.push_back(u);
                }
                const double mx = *std::max_element(sc.begin(), sc.end());
                double z = 0;
                for (double &e : sc)
                    z += (e = std::exp(e - mx));
                at::Tensor o = at::zeros({hd}, at::kDouble);
                for (size_t j = 0; j < keys.size(); ++j)
                    o += v[keys[j]] * (sc[j] / z);
                attn[t].narrow(0, head * hd, hd).copy_(o);
            }
        }
        x = x + proj(attn, 3);
        const at::Tensor h2 = rms(x, W(p + "post_attention_layernorm.weight"));
        const at::Tensor g = proj(h2, 4);
        x = x + proj(g / (1 + at::exp(-g)) * proj(h2, 5), 6);
    }
    x = rms(x, W("model.norm.weight"));
    return at::matmul(x, W(s.tied ? "model.embed_tokens.weight" : "lm_head.weight").t());
}

void writeByteTokenizer(const std::string &dir)
{
    // GPT-2's byte → unicode table, written out here
    std::string vocab = "{";
    int extra = 0;
    for (int b = 0; b < 256; ++b) {
        const bool keep = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
        const unsigned cp = keep ? unsigned(b) : unsigned(256 + extra++);
        char esc[16];
        std::snprintf(esc, sizeof esc, "\\u%04x", cp);
        vocab += std::string(b ? ", " : "") + "\"" + esc + "\": " + std::to_string(b);
    }
    vocab += "}";
    std::ofstream(dir + "/tokenizer.json")
        << "{\"added_tokens\": [{\"id\": 256, \"content\": \"<s>\", \"special\": true},"
           " {\"id\": 257, \"content\": \"</s>\", \"special\": true}],"
           " \"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": true},"
           " \"post_processor\": {\"type\": \"TemplateProcessing\", \"single\": [{\"SpecialToken\": {\"id\": \"<s>\"}},"
           " {\"Sequence\": {\"id\": \"A\"}}], \"special_tokens\": {\"<s>\": {\"id\": \"<s>\", \"ids\": [256]}}},"
           " \"decoder\": {\"type\": \"ByteLevel\"},"
           " \"model\": {\"type\": \"BPE\", \"vocab\": "
        << vocab << ", \"merges\": []}}\n";
    std::ofstream(dir + "/tokenizer_config.json") << "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\"}\n";
}

void writeText(const std::string &path, const std::string &text) { std::ofstream(path, std::ios::binary) << text; }

std::string calibrationCsv(const char *kind, int rows)
{
    std::string s = ",prompt,response,text\n";
    for (int i = 0; i < rows; ++i)
        s += std::to_string(i) + ",[INST] " + kind + " request " + std::to_string(i) + " [/INST], " + kind + " answer " +
             std::to_string(i * 3) + ",x\n";
    return s;
}

std::vector<double> storeContents(const std::string &path)
{
    const auto s = Store::open(path);
    std::vector<double> all;
    for (const auto &set : s->sets())
        for (int l = 0; l < s->numLayers(); ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                if (set.isBasis()) {
                    const auto b = s->basis(set.name, l, Matrix(m));
                    all.insert(all.end(), b.eigenvalues.begin(), b.eigenvalues.end());
                    all.insert(all.end(), b.vectors.begin(), b.vectors.end());
                } else {
                    const auto v = s->scores(set.name, l, Matrix(m));
                    all.insert(all.end(), v.begin(), v.end());
                }
            }
    const int g = int(fractionGrid().size());
    for (const auto &[a, b] : s->summaryPairs())
        for (int p = 0; p < g; p += 7)
            for (int q = 0; q < g; q += 5)
                for (const auto &c : s->query(a, b, p, q, Granularity::WholeMatrix).cells) {
                    all.push_back(double(c.removed));
                    all.push_back(double(c.intersection));
                    all.push_back(c.jaccard);
                }
    return all;
}

} // namespace alignscope::test
