// SPDX-License-Identifier: MIT
#include "alignscope/chat.h"

#include "alignscope/jinja.h"
#include "alignscope/model_config.h"
#include "data/json_file.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace alignscope {

namespace {

struct Entry {
    ChatTemplate t;
    const char *name;
};
constexpr Entry kTemplates[] = {{ChatTemplate::Llama2, "llama-2"},
                                {ChatTemplate::Llama3, "llama-3"},
                                {ChatTemplate::ChatML, "chatml"},
                                {ChatTemplate::Mistral, "mistral"},
                                {ChatTemplate::None, "none"}};

/** Byte length of the Unicode whitespace character at s[i], or 0 (Python's str.isspace set). */
size_t spaceAt(const std::string &s, size_t i)
{
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F))
        return 1;
    auto is = [&](const char *seq) { return s.compare(i, std::char_traits<char>::length(seq), seq) == 0; };
    if (is("\xC2\x85") || is("\xC2\xA0"))
        return 2;
    static const char *three[] = {"\xE1\x9A\x80", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F",
                                  "\xE3\x80\x80"};
    for (const char *t : three)
        if (is(t))
            return 3;
    if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        static_cast<unsigned char>(s[i + 2]) >= 0x80 && static_cast<unsigned char>(s[i + 2]) <= 0x8A)
        return 3;  // U+2000 … U+200A
    return 0;
}


} // namespace

std::string chatTemplateName(ChatTemplate t)
{
    for (const auto &e : kTemplates)
        if (e.t == t)
            return e.name;
    return "none";
}

std::optional<ChatTemplate> parseChatTemplate(const std::string &name)
{
    for (const auto &e : kTemplates)
        if (name == e.name)
            return e.t;
    return std::nullopt;
}

std::vector<std::string> chatTemplateNames()
{
    std::vector<std::string> n;
    for (const auto &e : kTemplates)
        n.push_back(e.name);
    return n;
}

const std::string &llama2SystemPrompt()
{
    static const std::string sys =
        "You are a helpful, respectful and honest assistant. Always answer as helpfully as possible, while being "
        "safe. Your answers should not include any harmful, unethical, racist, sexist, toxic, dangerous, or illegal "
        "content. Please ensure that your responses are socially unbiased and positive in nature. If a question does "
        "not make any sense, or is not factually coherent, explain why instead of answering something not correct. "
        "If you don't know the answer to a question, please don't share false information.";
    return sys;
}

std::string pyStrip(const std::string &s)
{
    size_t b = 0, e = s.size();
    while (b < e) {
        const size_t n = spaceAt(s, b);
        if (!n)
            break;
        b += n;
    }
    while (e > b) {
        // step back over one character and test it
        size_t k = e - 1;
        while (k > b && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80)
            --k;
        if (spaceAt(s, k) != e - k)
            break;
        e = k;
    }
    return s.substr(b, e - b);
}

std::string formatChatPrompt(ChatTemplate t, const std::string &user, const std::string &system, bool instTags)
{
    switch (t) {
    case ChatTemplate::Llama2: {
        const std::string body = system.empty() ? user : "<<SYS>>\n" + system + "\n<</SYS>>\n\n" + user;
        return instTags ? "[INST] " + pyStrip(body) + " [/INST]" : pyStrip(body) + "\n";
    }
    case ChatTemplate::Llama3: {
        std::string p;
        if (!system.empty())
            p += "<|start_header_id|>system<|end_header_id|>\n\n" + pyStrip(system) + "<|eot_id|>";
        p += "<|start_header_id|>user<|end_header_id|>\n\n" + pyStrip(user) + "<|eot_id|>";
        return p + "<|start_header_id|>assistant<|end_header_id|>\n\n";
    }
    case ChatTemplate::ChatML: {
        std::string p;
        if (!system.empty())
            p += "<|im_start|>system\n" + system + "<|im_end|>\n";
        return p + "<|im_start|>user\n" + user + "<|im_end|>\n<|im_start|>assistant\n";
    }
    case ChatTemplate::Mistral:
        return "[INST] " + (system.empty() ? user : system + "\n\n" + user) + " [/INST]";
    case ChatTemplate::None:
        return system.empty() ? user : system + "\n\n" + user;
    }
    return user;
}

ChatTemplate detectChatTemplate(const std::string &modelDir)
{
    namespace fs = std::filesystem;
    std::string type;
    try {
        const auto cfg = readJsonObjectFile(fs::path(modelDir) / "config.json");
        type = cfg.is_object() && cfg.contains("model_type") && cfg["model_type"].is_string()
                   ? cfg["model_type"].get<std::string>()
                   : "";
    } catch (const std::exception &) {  // malformed JSON: reported by the loaders that need it
        return ChatTemplate::None;
    }
    if (type == "llama")
        return ChatTemplate::Llama2;
    if (type == "mistral")
        return ChatTemplate::Mistral;
    if (type == "qwen2" || type == "qwen3")
        return ChatTemplate::ChatML;
    return ChatTemplate::None;
}

namespace {

/** A special-token entry of tokenizer_config.json: a string or {"content": …}; empty if neither. */
std::string tokenText(const nlohmann::json &v)
{
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_object() && v.contains("content") && v["content"].is_string())
        return v["content"].get<std::string>();
    return {};
}

} // namespace

PromptFormat PromptFormat::builtin(ChatTemplate t)
{
    PromptFormat f;
    f.m_builtin = t;
    f.m_name = chatTemplateName(t);
    f.m_description = f.m_name + (t == ChatTemplate::Llama2 ? " (the paper's Llama 2 format, spec §9.2)" : " (built-in)");
    return f;
}

PromptFormat PromptFormat::forModel(const std::string &modelDir, const std::string &choice)
{
    namespace fs = std::filesystem;
    const fs::path dir(modelDir);
    if (choice != "auto" && choice != "model") {
        const auto t = parseChatTemplate(choice);
        if (!t) {
            std::string names = "auto, model";
            for (const auto &n : chatTemplateNames())
                names += ", " + n;
            throw std::invalid_argument("unknown chat template '" + choice + "' (choose " + names + ")");
        }
        return builtin(*t);
    }
    // the folder's template: chat_template.jinja (newer Hugging Face folders), else tokenizer_config.json
    std::string source, file;
    nlohmann::json cfg;
    std::error_code ec;
    const fs::path configFile = dir / "tokenizer_config.json", jinjaFile = dir / "chat_template.jinja";
    if (fs::exists(configFile, ec))
        cfg = readJsonObjectFile(configFile);
    if (fs::exists(jinjaFile, ec)) {
        std::ifstream in(jinjaFile, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        if (!in && !in.eof())
            throw ModelError(jinjaFile.string() + ": cannot be read");
        source = ss.str();
        file = jinjaFile.string();
    } else if (cfg.is_object() && cfg.contains("chat_template") && !cfg["chat_template"].is_null()) {
        const auto &t = cfg["chat_template"];
        file = configFile.string();
        if (t.is_string()) {
            source = t.get<std::string>();
        } else if (t.is_array()) {  // [{"name": …, "template": …}]: Hugging Face uses "default"
            for (const auto &e : t)
                if (e.is_object() && e.value("name", "") == "default" && e.contains("template") && e["template"].is_string())
                    source = e["template"].get<std::string>();
            if (source.empty())
                throw ModelError(file + ": chat_template lists named templates but none is called \"default\"");
        } else {
            throw ModelError(file + ": chat_template is neither a string nor a list of named templates");
        }
    }
    if (source.empty()) {
        if (choice == "model")
            throw ModelError(modelDir + ": no chat template (tokenizer_config.json has no chat_template and there is "
                                        "no chat_template.jinja); choose a built-in one with --template");
        PromptFormat f = builtin(detectChatTemplate(modelDir));
        f.m_description = f.m_name + " (built-in: the folder has no chat template" +
                          (f.m_builtin == ChatTemplate::Llama2 ? "; the paper's Llama 2 format)" : ")");
        return f;
    }
    const bool llama2 = source.find("<<SYS>>") != std::string::npos && source.find("[INST]") != std::string::npos;
    if (choice == "auto" && llama2) {
        PromptFormat f = builtin(ChatTemplate::Llama2);
        f.m_description = "llama-2 (the paper's Llama 2 format, spec §9.2; the model's own template is --template model)";
        return f;
    }
    PromptFormat f;
    f.m_name = "model";
    f.m_file = file;
    f.m_description = "model (" + std::string(file == jinjaFile.string() ? "chat_template.jinja" : "tokenizer_config.json's chat_template") + ")";
    try {
        f.m_template = std::make_shared<const jinja::Template>(source);
    } catch (const jinja::TemplateError &e) {
        throw ModelError(file + ": the chat template cannot be parsed: " + e.what());
    }
    if (cfg.is_object())
        for (const char *key : {"bos_token", "eos_token", "unk_token", "pad_token", "sep_token", "cls_token", "mask_token"})
            if (cfg.contains(key)) {
                const std::string v = tokenText(cfg[key]);
                if (!v.empty())
                    f.m_tokens.emplace_back(key, v);
            }
    return f;
}

std::string PromptFormat::format(const std::string &user, const std::string &system, bool instTags) const
{
    if (!instTags && (m_template || m_builtin != ChatTemplate::Llama2))  // no chat formatting at all
        return formatChatPrompt(ChatTemplate::None, user, system, false);
    if (!m_template)
        return formatChatPrompt(m_builtin, user, system, instTags);
    jinja::Array messages;
    if (!system.empty())
        messages.push_back(jinja::Value::object({{"role", jinja::Value("system")}, {"content", jinja::Value(system)}}));
    messages.push_back(jinja::Value::object({{"role", jinja::Value("user")}, {"content", jinja::Value(user)}}));
    jinja::Object vars = {{"messages", jinja::Value::array(std::move(messages))},
                          {"tools", jinja::Value::none()},
                          {"documents", jinja::Value::none()},
                          {"add_generation_prompt", jinja::Value(true)}};
    for (const auto &t : m_tokens)
        vars.emplace_back(t.first, jinja::Value(t.second));
    try {
        return m_template->render(vars);
    } catch (const jinja::RaisedError &e) {
        throw ModelError(m_file + ": the chat template refuses this conversation: \"" + std::string(e.what()) + "\"" +
                         (system.empty() ? "" : " (the model may not accept a system prompt: evaluate without one)"));
    } catch (const jinja::TemplateError &e) {
        throw ModelError(m_file + ": the chat template failed: " + e.what());
    }
}

} // namespace alignscope
