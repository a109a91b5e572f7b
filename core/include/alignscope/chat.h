// SPDX-License-Identifier: MIT
// Chat templates: how one user message (and an optional system prompt) becomes the prompt text.
// A model folder's own Jinja template (tokenizer_config.json's chat_template or chat_template.jinja)
// is rendered as Hugging Face's apply_chat_template renders it; four built-in formats serve folders
// without one, and the paper's exact Llama 2 format (spec §9.2) stays the default for Llama 2.
// Built-in formats leave BOS to the tokenizer; a model template may write it as text, and
// Tokenizer::encodePrompt then adds no second one.
#pragma once
#include <memory>
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
 * The built-in format a folder without a chat template implies: from config.json's model_type
 * (llama → llama-2, mistral → mistral, qwen2/qwen3 → chatml), otherwise none.
 */
ChatTemplate detectChatTemplate(const std::string &modelDir);

namespace jinja {
class Template;
}

/** How one model's prompts are formatted: its own chat template or a built-in format. */
class PromptFormat {
public:
    /**
     * `choice`: "auto" — the paper's Llama 2 format when the folder's template is Llama 2's (spec §9.2),
     * else the folder's template, else the built-in format its model_type implies; "model" — the
     * folder's template (an error when there is none); or a built-in name (chatTemplateNames()).
     * Throws ModelError naming the file when the template cannot be read or parsed, and
     * std::invalid_argument for an unknown choice.
     */
    static PromptFormat forModel(const std::string &modelDir, const std::string &choice = "auto");
    static PromptFormat builtin(ChatTemplate t);

    /** "model" for the folder's template, otherwise the built-in name. */
    const std::string &name() const { return m_name; }
    /** What was chosen and why, for reports: "model (tokenizer_config.json's chat_template)". */
    const std::string &description() const { return m_description; }
    bool usesModelTemplate() const { return m_template != nullptr; }

    /**
     * The prompt text: the template rendered with [system,] user and add_generation_prompt. With
     * `instTags` false the model template is not used (the reference's no_inst variants: plain text,
     * system prompt and request separated by a blank line); for Llama 2 it is the paper's no-[INST] form.
     * Throws ModelError naming the template's file when the template refuses the conversation
     * (raise_exception) or fails.
     */
    std::string format(const std::string &user, const std::string &system = {}, bool instTags = true) const;

private:
    ChatTemplate m_builtin = ChatTemplate::None;
    std::shared_ptr<const jinja::Template> m_template;
    std::vector<std::pair<std::string, std::string>> m_tokens;  ///< bos_token, eos_token, … for the template
    std::string m_name, m_description, m_file;
};

} // namespace alignscope
