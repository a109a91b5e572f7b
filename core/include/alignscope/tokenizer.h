// SPDX-License-Identifier: MIT
// Tokenizers of Hugging Face model folders:
//  - SentencePiece `tokenizer.model` (Llama 2), through libsentencepiece, with the "legacy" slow
//    tokenizer's behaviour (every text segment gets SentencePiece's dummy prefix);
//  - `tokenizer.json` BPE, byte-level (Llama 3, Qwen2) or SentencePiece-style with byte fallback
//    (Llama 2, Mistral).
// Added/special tokens written in the text are recognised (longest match first); BOS/EOS follow
// tokenizer_config.json and the tokenizer's post-processor. Decoding skips special tokens on request;
// byte sequences that are not valid UTF-8 decode to U+FFFD per maximal invalid subpart (as Python's
// errors="replace"), and invalid UTF-8 in the input text is replaced the same way before encoding.
#pragma once
#include "alignscope/model_config.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace alignscope {

struct BackendResult;

enum class TokenizerKind { SentencePiece, ByteLevelBpe, SentencePieceBpe };

/** Which file to use when a folder has both tokenizer.model and tokenizer.json. */
enum class TokenizerPreference { Auto, SentencePieceModel, TokenizerJson };

class Tokenizer {
public:
    /**
     * Loads the tokenizer of a model folder. Auto prefers tokenizer.model (the slow tokenizer the
     * paper's code uses) and falls back to tokenizer.json. Throws ModelError naming the file.
     */
    static std::unique_ptr<Tokenizer> load(const std::string &modelDir,
                                           TokenizerPreference preference = TokenizerPreference::Auto);
    virtual ~Tokenizer();

    TokenizerKind kind() const { return m_kind; }
    /** "sentencepiece", "bpe-byte-level" or "bpe-sentencepiece". */
    std::string kindName() const;
    const std::string &file() const { return m_file; }

    /** Token ids of `text`; with `addSpecialTokens`, BOS/EOS as the tokenizer's configuration says. */
    std::vector<std::int64_t> encode(const std::string &text, bool addSpecialTokens = true) const;
    /** Token ids of a chat prompt: with special tokens, but no second BOS when the text (a rendered chat
     *  template) already starts with the BOS token. */
    std::vector<std::int64_t> encodePrompt(const std::string &prompt) const;
    /** Text of `ids`; special tokens are left out when `skipSpecialTokens`. Ids beyond the vocabulary (rows of a
     *  padded embedding that a model may still emit) give no text; a negative id is an error. */
    std::string decode(const std::vector<std::int64_t> &ids, bool skipSpecialTokens = true) const;
    /** The vocabulary entry of each id ("▁I", "Ġthe", "<0x0A>", "<s>"). */
    std::vector<std::string> pieces(const std::vector<std::int64_t> &ids) const;

    std::int64_t vocabSize() const;
    std::int64_t bosId() const { return m_bos; }  ///< -1 if none
    std::int64_t eosId() const { return m_eos; }  ///< -1 if none
    bool addsBos() const { return m_addBos; }
    bool addsEos() const { return m_addEos; }
    /** Id of a vocabulary entry or added token, or -1. */
    std::int64_t tokenToId(const std::string &token) const;
    bool isSpecial(std::int64_t id) const;

    struct AddedToken {
        std::int64_t id = 0;
        std::string content;
        bool special = false;
        bool lstrip = false;
        bool rstrip = false;
    };

    class Backend;

private:
    Tokenizer() = default;
    void applyConfig(const nlohmann::json &cfg, const std::string &dir, const BackendResult &r);
    std::unique_ptr<Backend> m_backend;
    TokenizerKind m_kind = TokenizerKind::SentencePiece;
    std::string m_file;
    std::vector<AddedToken> m_added;
    std::int64_t m_bos = -1, m_eos = -1;
    bool m_addBos = false, m_addEos = false;
    std::vector<std::int64_t> m_prefixIds, m_suffixIds;  ///< added around the text with addSpecialTokens
};

/** Replaces every maximal invalid UTF-8 subpart of `bytes` by U+FFFD. */
std::string sanitizeUtf8(const std::string &bytes);

} // namespace alignscope
