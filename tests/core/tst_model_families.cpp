// SPDX-License-Identifier: MIT
// Qwen3, Gemma 2 and Gemma 3: tiny random models in the Hugging Face layout load, generate, and give the
// logits of a reference forward pass written here from the architectures' equations (double precision,
// loops over heads and positions, explicit masks), not from the runtime's code:
//   Qwen3:   Llama + RMSNorm of each query/key head (weight w) before RoPE; head_dim independent of hidden.
//   Gemma 2: x = embed · √hidden; every RMSNorm scales by (1 + w); attention output and MLP output are
//            normed again before their residual adds (pre/post norms); MLP = down(gelu_tanh(gate) · up);
//            scores · query_pre_attn_scalar^-½, soft-capped c·tanh(s/c); even layers see a sliding window;
//            final logits soft-capped.
//   Gemma 3: Gemma 2 without soft-capping, plus (1 + w) q/k norms; layers slide unless (l+1) % pattern == 0;
//            sliding layers use rope_local_base_freq, global ones rope_theta with rope_scaling.
#include "alignscope/model.h"
#include "alignscope/model_config.h"
#include "alignscope/safetensors.h"
#include "model/llama.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <fstream>
#include <map>

using namespace alignscope;

namespace {

struct Family {
    std::string arch;
    int layers = 3, hidden = 32, inter = 40, heads = 4, kvHeads = 2, headDim = 16, vocab = 64;
    bool gemma = false, qkNorm = false, tied = false;
    double qScalar = 0, attnCap = 0, finalCap = 0, theta = 10000, localTheta = 0, linearScaling = 0;
    int window = 0, pattern = 0;  ///< Gemma 3's sliding_window_pattern
    double eps = 1e-6;
};

Family qwen3()
{
    Family f;
    f.arch = "Qwen3ForCausalLM";
    f.qkNorm = true;
    f.theta = 1000000;
    return f;
}

Family gemma2()
{
    Family f;
    f.arch = "Gemma2ForCausalLM";
    f.gemma = f.tied = true;
    f.qScalar = 12;
    f.attnCap = 5;
    f.finalCap = 3;
    f.window = 3;
    return f;
}

Family gemma3()
{
    Family f;
    f.arch = "Gemma3ForCausalLM";
    f.gemma = f.tied = f.qkNorm = true;
    f.kvHeads = 1;
    f.headDim = 8;
    f.qScalar = 8;
    f.window = 3;
    f.pattern = 2;
    f.theta = 1000000;
    f.localTheta = 10000;
    f.linearScaling = 2;
    return f;
}

const char *kModules[7] = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                           "mlp.gate_proj",    "mlp.up_proj",      "mlp.down_proj"};

std::map<std::string, at::Tensor> weights(const Family &f)
{
    at::Generator gen = at::detail::createCPUGenerator(7);
    auto rnd = [&](std::vector<std::int64_t> shape, double scale) { return at::randn(shape, gen, at::kFloat) * scale; };
    const double normBase = f.gemma ? 0.0 : 1.0;  // Gemma stores w of (1 + w)
    std::map<std::string, at::Tensor> w;
    w["model.embed_tokens.weight"] = rnd({f.vocab, f.hidden}, f.gemma ? 0.2 : 1.0);
    const std::int64_t q = f.heads * f.headDim, kv = f.kvHeads * f.headDim;
    const std::int64_t shapes[7][2] = {{q, f.hidden}, {kv, f.hidden}, {kv, f.hidden}, {f.hidden, q},
                                       {f.inter, f.hidden}, {f.inter, f.hidden}, {f.hidden, f.inter}};
    for (int l = 0; l < f.layers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        std::vector<std::string> norms = {"input_layernorm", "post_attention_layernorm"};
        if (f.gemma) {
            norms.push_back("pre_feedforward_layernorm");
            norms.push_back("post_feedforward_layernorm");
        }
        for (const auto &n : norms)
            w[p + n + ".weight"] = normBase + rnd({f.hidden}, 0.2);
        if (f.qkNorm) {
            w[p + "self_attn.q_norm.weight"] = normBase + rnd({f.headDim}, 0.2);
            w[p + "self_attn.k_norm.weight"] = normBase + rnd({f.headDim}, 0.2);
        }
        for (int m = 0; m < 7; ++m)
            w[p + kModules[m] + ".weight"] = rnd({shapes[m][0], shapes[m][1]}, 1.0 / std::sqrt(double(shapes[m][1])));
    }
    w["model.norm.weight"] = normBase + rnd({f.hidden}, 0.2);
    if (!f.tied)
        w["lm_head.weight"] = rnd({f.vocab, f.hidden}, 1.0 / std::sqrt(double(f.hidden)));
    return w;
}

void writeModel(const std::string &dir, const Family &f, const std::map<std::string, at::Tensor> &w)
{
    std::ofstream c(dir + "/config.json");
    c << "{\"architectures\": [\"" << f.arch << "\"], \"hidden_size\": " << f.hidden
      << ", \"intermediate_size\": " << f.inter << ", \"num_hidden_layers\": " << f.layers
      << ", \"num_attention_heads\": " << f.heads << ", \"num_key_value_heads\": " << f.kvHeads
      << ", \"head_dim\": " << f.headDim << ", \"vocab_size\": " << f.vocab
      << ", \"max_position_embeddings\": 256, \"rms_norm_eps\": " << f.eps << ", \"rope_theta\": " << f.theta
      << ", \"tie_word_embeddings\": " << (f.tied ? "true" : "false") << ", \"torch_dtype\": \"float32\""
      << ", \"bos_token_id\": 1, \"eos_token_id\": 2";
    if (f.gemma)
        c << ", \"hidden_activation\": \"gelu_pytorch_tanh\", \"query_pre_attn_scalar\": " << f.qScalar
          << ", \"sliding_window\": " << f.window << ", \"attn_logit_softcapping\": "
          << (f.attnCap > 0 ? std::to_string(f.attnCap) : "null")
          << ", \"final_logit_softcapping\": " << (f.finalCap > 0 ? std::to_string(f.finalCap) : "null");
    if (f.pattern > 0)
        c << ", \"sliding_window_pattern\": " << f.pattern << ", \"rope_local_base_freq\": " << f.localTheta;
    if (f.linearScaling > 0)
        c << ", \"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": " << f.linearScaling << "}";
    if (f.arch == "Qwen3ForCausalLM")
        c << ", \"attention_bias\": false, \"use_sliding_window\": false, \"hidden_act\": \"silu\"";
    c << "}\n";
    c.close();
    std::vector<TensorBytes> t;
    for (const auto &[name, x] : w)
        t.push_back({name, DType::F32, std::vector<std::int64_t>(x.sizes().begin(), x.sizes().end()), x.data_ptr(),
                     size_t(x.nbytes())});
    writeSafetensors(dir + "/model.safetensors", t, {{"format", "pt"}});
}

bool slides(const Family &f, int l)
{
    if (f.window <= 0 || !f.gemma)
        return false;
    return f.pattern > 0 ? (l + 1) % f.pattern != 0 : l % 2 == 0;
}

/** Logits [T, vocab] of one sequence, from the equations above. */
at::Tensor reference(const Family &f, const std::map<std::string, at::Tensor> &wf, const std::vector<std::int64_t> &ids)
{
    auto W = [&](const std::string &n) { return wf.at(n).to(at::kDouble); };
    const std::int64_t T = std::int64_t(ids.size());
    const int hd = f.headDim, group = f.heads / f.kvHeads;
    auto norm = [&](const at::Tensor &row, const at::Tensor &g) {  // one vector
        const double ms = row.pow(2).mean().item<double>();
        return row / std::sqrt(ms + f.eps) * (f.gemma ? g + 1.0 : g);
    };
    auto normRows = [&](const at::Tensor &x, const at::Tensor &g) {
        at::Tensor out = at::empty_like(x);
        for (std::int64_t t = 0; t < x.size(0); ++t)
            out[t] = norm(x[t], g);
        return out;
    };
    auto rotate = [&](const at::Tensor &v /* [hd] */, std::int64_t pos, double theta, double scaling) {
        at::Tensor out = v.clone();
        for (int i = 0; i < hd / 2; ++i) {
            const double a = double(pos) * std::pow(theta, -2.0 * i / hd) / scaling;
            const double x1 = v[i].item<double>(), x2 = v[i + hd / 2].item<double>();
            out[i] = x1 * std::cos(a) - x2 * std::sin(a);
            out[i + hd / 2] = x2 * std::cos(a) + x1 * std::sin(a);
        }
        return out;
    };
    at::Tensor x = at::empty({T, f.hidden}, at::kDouble);
    for (std::int64_t t = 0; t < T; ++t)
        x[t] = W("model.embed_tokens.weight")[ids[size_t(t)]] * (f.gemma ? std::sqrt(double(f.hidden)) : 1.0);
    const double scale = 1.0 / std::sqrt(f.qScalar > 0 ? f.qScalar : double(hd));
    for (int l = 0; l < f.layers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        const bool local = slides(f, l);
        const double theta = local && f.localTheta > 0 ? f.localTheta : f.theta;
        const double scaling = !local && f.linearScaling > 0 ? f.linearScaling : 1.0;
        const at::Tensor h = normRows(x, W(p + "input_layernorm.weight"));
        const at::Tensor q = at::matmul(h, W(p + kModules[0] + ".weight").t());
        const at::Tensor k = at::matmul(h, W(p + kModules[1] + ".weight").t());
        const at::Tensor v = at::matmul(h, W(p + kModules[2] + ".weight").t());
        at::Tensor attn = at::zeros({T, f.heads * hd}, at::kDouble);
        for (int head = 0; head < f.heads; ++head) {
            const int kvh = head / group;
            std::vector<at::Tensor> qs, ks;
            for (std::int64_t t = 0; t < T; ++t) {
                at::Tensor qi = q[t].narrow(0, head * hd, hd), ki = k[t].narrow(0, kvh * hd, hd);
                if (f.qkNorm) {
                    qi = norm(qi, W(p + "self_attn.q_norm.weight"));
                    ki = norm(ki, W(p + "self_attn.k_norm.weight"));
                }
                qs.push_back(rotate(qi, t, theta, scaling));
                ks.push_back(rotate(ki, t, theta, scaling));
            }
            for (std::int64_t t = 0; t < T; ++t) {
                std::vector<double> s;
                double mx = -1e300;
                for (std::int64_t u = 0; u <= t; ++u) {
                    double sc = (qs[size_t(t)] * ks[size_t(u)]).sum().item<double>() * scale;
                    if (f.attnCap > 0)
                        sc = f.attnCap * std::tanh(sc / f.attnCap);
                    const bool visible = !local || t - u < f.window;
                    s.push_back(visible ? sc : -INFINITY);
                    if (visible)
                        mx = std::max(mx, sc);
                }
                double z = 0;
                for (double &e : s)
                    z += (e = std::isinf(e) ? 0.0 : std::exp(e - mx));
                at::Tensor out = at::zeros({hd}, at::kDouble);
                for (std::int64_t u = 0; u <= t; ++u)
                    out += s[size_t(u)] / z * v[u].narrow(0, kvh * hd, hd);
                attn[t].narrow(0, head * hd, hd).copy_(out);
            }
        }
        at::Tensor o = at::matmul(attn, W(p + kModules[3] + ".weight").t());
        at::Tensor h2;
        if (f.gemma) {
            x = x + normRows(o, W(p + "post_attention_layernorm.weight"));
            h2 = normRows(x, W(p + "pre_feedforward_layernorm.weight"));
        } else {
            x = x + o;
            h2 = normRows(x, W(p + "post_attention_layernorm.weight"));
        }
        const at::Tensor g = at::matmul(h2, W(p + kModules[4] + ".weight").t());
        const at::Tensor act = f.gemma ? 0.5 * g * (1.0 + at::tanh(std::sqrt(2.0 / M_PI) * (g + 0.044715 * g.pow(3))))
                                       : g / (1.0 + at::exp(-g));
        at::Tensor m = at::matmul(act * at::matmul(h2, W(p + kModules[5] + ".weight").t()), W(p + kModules[6] + ".weight").t());
        if (f.gemma)
            m = normRows(m, W(p + "post_feedforward_layernorm.weight"));
        x = x + m;
    }
    x = normRows(x, W("model.norm.weight"));
    at::Tensor logits = at::matmul(x, W(f.tied ? "model.embed_tokens.weight" : "lm_head.weight").t());
    if (f.finalCap > 0)
        logits = f.finalCap * at::tanh(logits / f.finalCap);
    return logits;
}

} // namespace

class TestModelFamilies : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void logitsMatchTheEquations_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("Qwen3") << 0;
        QTest::newRow("Gemma2") << 1;
        QTest::newRow("Gemma3") << 2;
    }
    void logitsMatchTheEquations()
    {
        QFETCH(int, which);
        const Family f = which == 0 ? qwen3() : which == 1 ? gemma2() : gemma3();
        QTemporaryDir dir;
        const auto w = weights(f);
        writeModel(dir.path().toStdString(), f, w);
        const ModelConfig c = readModelConfig(dir.path().toStdString());
        QCOMPARE(c.architecture, f.arch);
        QCOMPARE(c.qkNorm, f.qkNorm);
        QCOMPARE(c.gemma, f.gemma);
        std::int64_t params = 0;
        for (const auto &kv : w)
            params += kv.second.numel();
        QCOMPARE(c.totalParameters(), params);

        const std::vector<std::int64_t> ids = {1, 9, 33, 4, 17, 60, 5, 5, 12};  // longer than the window
        auto model = LlamaModel::load(dir.path().toStdString(), {at::kDouble, at::kCPU});
        const auto T = std::int64_t(ids.size());
        const at::Tensor got = model->forward(at::tensor(ids, at::kLong).view({1, T}), at::arange(T, at::kLong).view({1, T}))[0];
        const at::Tensor want = reference(f, w, ids);
        const double err = (got - want).abs().max().item<double>();
        // 1e-6: the runtime computes RoPE's inverse frequencies in fp32 as Hugging Face does (about 1e-7 here);
        // any missing or misplaced term of the equations moves the logits by 1e-2 or more
        QVERIFY2(err < 1e-6, qPrintable(QStringLiteral("max |difference| %1").arg(err)));
        // and in fp32, as the CLI runs it
        auto m32 = LlamaModel::load(dir.path().toStdString(), {at::kFloat, at::kCPU});
        const at::Tensor got32 = m32->forward(at::tensor(ids, at::kLong).view({1, T}), at::arange(T, at::kLong).view({1, T}))[0];
        QVERIFY((got32.to(at::kDouble) - want).abs().max().item<double>() < 1e-3);
    }

    /** Generation with the KV cache (and the sliding masks it must apply) equals greedy decoding by the reference. */
    void generateMatchesTheReference_data() { logitsMatchTheEquations_data(); }
    void generateMatchesTheReference()
    {
        QFETCH(int, which);
        const Family f = which == 0 ? qwen3() : which == 1 ? gemma2() : gemma3();
        QTemporaryDir dir;
        const auto w = weights(f);
        writeModel(dir.path().toStdString(), f, w);
        auto model = Model::load(dir.path().toStdString(), {"cpu", "float32"});
        GenerationSettings gs;
        gs.maxNewTokens = 6;
        const std::vector<std::int64_t> prompt = {1, 9, 33};
        const Generation g = model->generate({prompt}, gs).at(0);
        std::vector<std::int64_t> seq = prompt, want;
        for (int i = 0; i < 6; ++i) {
            const std::int64_t next = reference(f, w, seq)[std::int64_t(seq.size()) - 1].argmax().item<std::int64_t>();
            want.push_back(next);
            if (next == 2)
                break;
            seq.push_back(next);
        }
        QCOMPARE(g.ids, want);
    }

    void refusesWhatItDoesNotKnow()
    {
        QTemporaryDir dir;
        Family f = gemma2();
        writeModel(dir.path().toStdString(), f, weights(f));
        std::ifstream in(dir.filePath(QStringLiteral("config.json")).toStdString());
        std::string cfg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        cfg.replace(cfg.find("gelu_pytorch_tanh"), 17, "relu");
        try {
            parseModelConfig(cfg, "config.json");
            QFAIL("no error");
        } catch (const ModelError &e) {
            QVERIFY2(std::string(e.what()).find("activation") != std::string::npos, e.what());
        }
        // a layer pattern that does not fit the layers: an error naming the file, not a wrong mask
        std::string bad = cfg;
        bad.replace(bad.find("relu"), 4, "gelu_pytorch_tanh");
        bad.insert(bad.rfind('}'), R"(, "layer_types": ["sliding_attention", "full_attention"])");
        std::ofstream(dir.filePath(QStringLiteral("config.json")).toStdString()) << bad;
        try {
            LlamaModel::load(dir.path().toStdString(), {at::kFloat, at::kCPU});
            QFAIL("no error");
        } catch (const ModelError &e) {
            const std::string m = e.what();
            QVERIFY2(m.find("config.json") != std::string::npos && m.find("layer_types") != std::string::npos, e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestModelFamilies)
#include "tst_model_families.moc"
