// SPDX-License-Identifier: MIT
#include "fixtures.h"

#include <QDir>
#include <QFile>
#include <QTest>

namespace alignscope::test {

QString tinyLlamaConfigJson()
{
    return QStringLiteral(R"({
  "architectures": ["LlamaForCausalLM"],
  "model_type": "llama",
  "hidden_size": 64,
  "intermediate_size": 176,
  "num_hidden_layers": 2,
  "num_attention_heads": 4,
  "num_key_value_heads": 2,
  "vocab_size": 128,
  "max_position_embeddings": 256,
  "rms_norm_eps": 1e-05,
  "rope_theta": 10000.0,
  "tie_word_embeddings": false,
  "torch_dtype": "float32"
})");
}

QString writeFile(const QString &dir, const QString &name, const QByteArray &text)
{
    if (!QDir().mkpath(dir))
        qFatal("cannot create %s", qPrintable(dir));
    const QString path = QDir(dir).filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

} // namespace alignscope::test
