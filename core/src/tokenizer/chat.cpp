// SPDX-License-Identifier: MIT
#include "alignscope/chat.h"

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

ChatTemplate detectChatTemplateChecked(const std::string &modelDir);

ChatTemplate detectChatTemplate(const std::string &modelDir)
{
    try {
        return detectChatTemplateChecked(modelDir);
    } catch (const std::exception &) {  // malformed JSON or a wrong type: reported by the loaders that need it
        return ChatTemplate::None;
    }
}

ChatTemplate detectChatTemplateChecked(const std::string &modelDir)
{
    namespace fs = std::filesystem;
    const fs::path dir(modelDir);
    std::error_code ec;
    if (fs::exists(dir / "tokenizer_config.json", ec)) {
        const auto j = readJsonObjectFile(dir / "tokenizer_config.json");
        if (j.is_object() && j.contains("chat_template") && j["chat_template"].is_string()) {
            const std::string t = j["chat_template"].get<std::string>();
            if (t.find("<|start_header_id|>") != std::string::npos)
                return ChatTemplate::Llama3;
            if (t.find("<|im_start|>") != std::string::npos)
                return ChatTemplate::ChatML;
            if (t.find("<<SYS>>") != std::string::npos)
                return ChatTemplate::Llama2;
            if (t.find("[INST]") != std::string::npos)
                return ChatTemplate::Mistral;
        }
    }
    const auto cfg = readJsonObjectFile(dir / "config.json");
    const std::string type = cfg.is_object() ? cfg.value("model_type", "") : "";
    if (type == "llama")
        return ChatTemplate::Llama2;
    if (type == "mistral")
        return ChatTemplate::Mistral;
    if (type == "qwen2")
        return ChatTemplate::ChatML;
    return ChatTemplate::None;
}

} // namespace alignscope
