// SPDX-License-Identifier: MIT
// Private: what a tokenizer file format provides to the shared Tokenizer front.
#pragma once
#include "alignscope/tokenizer.h"

#include <nlohmann/json_fwd.hpp>

namespace alignscope {

class Tokenizer::Backend {
public:
    virtual ~Backend() = default;
    /** Encodes text that contains no added token. `first`: the segment starts the input. */
    virtual void encodeSegment(const std::string &text, bool first, std::vector<std::int64_t> &out) const = 0;
    /** Text of vocabulary ids (no added tokens among them). */
    virtual std::string decodeIds(const std::vector<std::int64_t> &ids) const = 0;
    /** Whether added tokens' text goes through the decoder with the rest (tokenizer.json, as Hugging Face's
     *  fast tokenizers do); then Tokenizer::decode hands every token's text to decodePieces at once. */
    virtual bool decodesAddedTokens() const { return false; }
    virtual std::string decodePieces(const std::vector<std::string> &pieces) const { return {}; }
    virtual std::string idToPiece(std::int64_t id) const = 0;
    virtual std::int64_t pieceToId(const std::string &piece) const = 0;  ///< -1 if absent
    virtual std::int64_t vocabSize() const = 0;
};

struct BackendResult {
    std::unique_ptr<Tokenizer::Backend> backend;
    TokenizerKind kind;
    std::vector<Tokenizer::AddedToken> added;        ///< from the file itself
    std::vector<std::int64_t> prefix, suffix;        ///< ids the post-processor adds (tokenizer.json)
    bool hasTemplate = false;
};

BackendResult loadSentencePieceModel(const std::string &path);
BackendResult loadTokenizerJson(const std::string &path);
/** Parses tokenizer.json content; `file` names it in messages. */
BackendResult parseTokenizerJson(const std::string &content, const std::string &file);

} // namespace alignscope
