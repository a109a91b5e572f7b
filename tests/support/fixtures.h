// SPDX-License-Identifier: MIT
// Fixtures made by code: model folders in the Hugging Face layout, written into temporary dirs.
#pragma once
#include <QString>

namespace alignscope::test {

/** A config.json of a tiny Llama model (2 layers, hidden 64, 4 heads, 2 KV heads, vocab 128). */
QString tinyLlamaConfigJson();
/** Writes `text` to `dir`/`name` (creating `dir`); fails the test on error. Returns the file path. */
QString writeFile(const QString &dir, const QString &name, const QByteArray &text);

} // namespace alignscope::test
