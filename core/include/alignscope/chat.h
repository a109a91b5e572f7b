// SPDX-License-Identifier: MIT
// Chat templates: how one user message (and an optional system prompt) becomes the prompt text.
// BOS is not part of the text: the tokenizer adds it (encode with special tokens).
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace alignscope {

enum class ChatTemplate { Llama2, Llama3, ChatML, Mistral, None };

/** "llama-2", "llama-3", "chatml", "mistral", "none". */
std::string chatTemplateName(ChatTemplate t);
std::optional<ChatTemplate> parseChatTemplate(const std::string &name);
std::vector<std::string> chatTemplateNames();

/** Llama 2's default system prompt (the "Vanilla" setting of Wei et al.; spec §9.2). */
const std::string &llama2SystemPrompt();

/** Python's str.strip(): removes leading and trailing Unicode whitespace. */
std::string pyStrip(const std::string &s);

/**
 * The prompt text for `user`. For Llama 2 it is exactly the reference code's (spec §9.2), with or
 * without the [INST] tags (`instTags`) and the <<SYS>> block (`system`, empty for none). The other
 * templates follow the models' own chat templates for one user turn plus the assistant header;
 * `instTags` only matters for Llama 2.
 */
std::string formatChatPrompt(ChatTemplate t, const std::string &user, const std::string &system = {},
                             bool instTags = true);

/**
 * The template a model folder implies: from tokenizer_config.json's chat_template when it has one
 * (recognised by its markers), otherwise from config.json's model_type (llama → llama-2,
 * mistral → mistral, qwen2 → chatml), otherwise none.
 */
ChatTemplate detectChatTemplate(const std::string &modelDir);

} // namespace alignscope
