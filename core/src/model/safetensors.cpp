// SPDX-License-Identifier: MIT
#include "alignscope/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace alignscope {

using nlohmann::json;

namespace {

struct DTypeEntry {
    DType type;
    const char *name;
    int size;
};
constexpr DTypeEntry kDTypes[] = {
    {DType::F32, "F32", 4}, {DType::F16, "F16", 2}, {DType::BF16, "BF16", 2}, {DType::F64, "F64", 8},
    {DType::I64, "I64", 8}, {DType::I32, "I32", 4}, {DType::I16, "I16", 2},   {DType::I8, "I8", 1},
    {DType::U8, "U8", 1},   {DType::Bool, "BOOL", 1},
};

[[noreturn]] void fail(const std::string &file, const std::string &problem)
{
    throw ModelError(file + ": " + problem);
}

std::uint64_t readU64LE(const std::uint8_t *p)
{
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

std::string quoted(const std::string &s)
{
    std::string q = s.size() > 80 ? s.substr(0, 77) + "..." : s;
    return "'" + q + "'";
}

} // namespace

const char *dtypeName(DType t)
{
    for (const auto &e : kDTypes)
        if (e.type == t)
            return e.name;
    return "?";
}

int dtypeSize(DType t)
{
    for (const auto &e : kDTypes)
        if (e.type == t)
            return e.size;
    return 0;
}

std::int64_t TensorInfo::numel() const
{
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

const TensorInfo *SafetensorsHeader::find(const std::string &name) const
{
    auto it = std::lower_bound(tensors.begin(), tensors.end(), name,
                               [](const TensorInfo &t, const std::string &n) { return t.name < n; });
    return it != tensors.end() && it->name == name ? &*it : nullptr;
}

SafetensorsHeader parseSafetensorsHeader(const std::uint8_t *prefix, std::size_t prefixSize, std::uint64_t fileSize,
                                         const std::string &file)
{
    if (fileSize < 8 || prefixSize < 8)
        fail(file, "too small for a safetensors file (" + std::to_string(fileSize) +
                       " bytes; the 8-byte header length is missing)");
    const std::uint64_t n = readU64LE(prefix);
    if (n > kMaxSafetensorsHeader)
        fail(file, "absurd header size " + std::to_string(n) + " bytes (limit " +
                       std::to_string(kMaxSafetensorsHeader) + "); not a safetensors file or corrupt");
    if (n > fileSize - 8)
        fail(file, "header length " + std::to_string(n) + " runs past the end of the file (" +
                       std::to_string(fileSize) + " bytes); the file is truncated or not safetensors");
    if (prefixSize < 8 + n)
        fail(file, "internal: header not fully read");
    const std::uint64_t dataSize = fileSize - 8 - n;

    json j;
    try {
        j = json::parse(prefix + 8, prefix + 8 + n);
    } catch (const json::exception &e) {  // parse_error, and out_of_range for numbers beyond 64 bits
        fail(file, std::string("header is not valid JSON (") + e.what() + ")");
    }
    if (!j.is_object())
        fail(file, "header must be a JSON object");

    SafetensorsHeader h;
    h.dataStart = 8 + n;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string &name = it.key();
        const json &v = it.value();
        if (name == "__metadata__") {
            if (!v.is_object())
                fail(file, "__metadata__ must be an object of strings");
            for (auto m = v.begin(); m != v.end(); ++m) {
                if (!m.value().is_string())
                    fail(file, "__metadata__ value of " + quoted(m.key()) + " is not a string");
                h.metadata[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        const std::string what = "tensor " + quoted(name);
        if (!v.is_object())
            fail(file, what + ": entry is not an object");
        TensorInfo t;
        t.name = name;
        auto dt = v.find("dtype");
        if (dt == v.end() || !dt->is_string())
            fail(file, what + ": missing dtype");
        const std::string dts = dt->get<std::string>();
        bool known = false;
        for (const auto &e : kDTypes)
            if (dts == e.name) {
                t.dtype = e.type;
                known = true;
            }
        if (!known)
            fail(file, what + ": unknown dtype " + quoted(dts));
        auto sh = v.find("shape");
        if (sh == v.end() || !sh->is_array())
            fail(file, what + ": missing shape");
        std::uint64_t numel = 1;
        for (const json &d : *sh) {
            if (!d.is_number_unsigned() && !(d.is_number_integer() && d.get<std::int64_t>() >= 0))
                fail(file, what + ": shape " + sh->dump() + " must hold non-negative integers");
            const auto dim = d.get<std::uint64_t>();
            if (dim != 0 && numel > std::numeric_limits<std::uint64_t>::max() / 16 / dim)
                fail(file, what + ": shape " + sh->dump() + " is impossibly large");
            numel *= dim;
            t.shape.push_back(std::int64_t(dim));
        }
        auto off = v.find("data_offsets");
        if (off == v.end() || !off->is_array() || off->size() != 2 || !(*off)[0].is_number_unsigned() ||
            !(*off)[1].is_number_unsigned())
            fail(file, what + ": data_offsets must be [begin, end] with non-negative integers");
        t.begin = (*off)[0].get<std::uint64_t>();
        t.end = (*off)[1].get<std::uint64_t>();
        if (t.begin > t.end)
            fail(file, what + ": data_offsets [" + std::to_string(t.begin) + ", " + std::to_string(t.end) +
                           "] end before they begin");
        if (t.end > dataSize)
            fail(file, what + ": data_offsets [" + std::to_string(t.begin) + ", " + std::to_string(t.end) +
                           "] out of range: the data section has " + std::to_string(dataSize) + " bytes");
        const std::uint64_t expected = numel * std::uint64_t(dtypeSize(t.dtype));
        if (t.end - t.begin != expected)
            fail(file, what + ": byte size " + std::to_string(t.end - t.begin) + " does not match shape " +
                           sh->dump() + " of " + dts + " (" + std::to_string(expected) + " bytes)");
        h.tensors.push_back(std::move(t));
    }
    std::sort(h.tensors.begin(), h.tensors.end(), [](const TensorInfo &a, const TensorInfo &b) { return a.name < b.name; });

    // overlap check: sort by offset, neighbours must not intersect (empty tensors never overlap)
    std::vector<const TensorInfo *> byOffset;
    for (const auto &t : h.tensors)
        if (t.end > t.begin)
            byOffset.push_back(&t);
    std::sort(byOffset.begin(), byOffset.end(), [](auto *a, auto *b) { return a->begin < b->begin; });
    for (size_t i = 1; i < byOffset.size(); ++i)
        if (byOffset[i]->begin < byOffset[i - 1]->end)
            fail(file, "tensors " + quoted(byOffset[i - 1]->name) + " and " + quoted(byOffset[i]->name) +
                           " overlap in the data section");
    return h;
}

SafetensorsFile::SafetensorsFile(const std::string &path) : m_path(path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail(path, std::string("cannot open (") + std::strerror(errno) + ")");
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        fail(path, "not a regular file");
    }
    m_size = std::uint64_t(st.st_size);
    if (m_size < 8) {
        ::close(fd);
        parseSafetensorsHeader(nullptr, 0, m_size, path);  // throws the standard message
    }
    // MAP_PRIVATE + PROT_WRITE: copy-on-write, so in-memory edits never reach the file
    void *p = ::mmap(nullptr, m_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    const int mapErrno = errno;
    ::close(fd);
    if (p == MAP_FAILED)
        fail(path, std::string("cannot map into memory (") + std::strerror(mapErrno) + ")");
    m_map = static_cast<std::uint8_t *>(p);
    try {
        const std::uint64_t n = readU64LE(m_map);
        const std::size_t avail = std::size_t(std::min<std::uint64_t>(m_size, n <= kMaxSafetensorsHeader ? 8 + n : 8));
        m_header = parseSafetensorsHeader(m_map, avail, m_size, path);
    } catch (...) {
        ::munmap(m_map, m_size);
        m_map = nullptr;
        throw;
    }
}

SafetensorsFile::~SafetensorsFile()
{
    if (m_map)
        ::munmap(m_map, m_size);
}

std::uint8_t *SafetensorsFile::data(const TensorInfo &t) const { return m_map + m_header.dataStart + t.begin; }

void writeSafetensors(const std::string &path, const std::vector<TensorBytes> &tensors,
                      const std::map<std::string, std::string> &metadata)
{
    std::vector<const TensorBytes *> order;
    for (const auto &t : tensors) {
        std::uint64_t numel = 1;
        for (auto d : t.shape)
            numel *= std::uint64_t(d);
        if (numel * std::uint64_t(dtypeSize(t.dtype)) != t.bytes)
            fail(path, "tensor '" + t.name + "' has " + std::to_string(t.bytes) + " bytes, its shape needs " +
                           std::to_string(numel * dtypeSize(t.dtype)));
        order.push_back(&t);
    }
    std::stable_sort(order.begin(), order.end(), [](auto *a, auto *b) {
        const int sa = dtypeSize(a->dtype), sb = dtypeSize(b->dtype);
        return sa != sb ? sa > sb : a->name < b->name;
    });
    json h = json::object();
    if (!metadata.empty())
        h["__metadata__"] = metadata;
    std::uint64_t offset = 0;
    for (const TensorBytes *t : order) {
        h[t->name] = {{"dtype", dtypeName(t->dtype)}, {"shape", t->shape}, {"data_offsets", {offset, offset + t->bytes}}};
        offset += t->bytes;
    }
    std::string header = h.dump();
    header.append((8 - header.size() % 8) % 8, ' ');

    const std::string tmp = path + ".tmp";
    std::FILE *f = std::fopen(tmp.c_str(), "wb");
    if (!f)
        fail(path, std::string("cannot create (") + std::strerror(errno) + ")");
    std::uint8_t len[8];
    for (int i = 0; i < 8; ++i)
        len[i] = std::uint8_t(std::uint64_t(header.size()) >> (8 * i));
    bool ok = std::fwrite(len, 1, 8, f) == 8 && std::fwrite(header.data(), 1, header.size(), f) == header.size();
    for (const TensorBytes *t : order)
        ok = ok && (t->bytes == 0 || std::fwrite(t->data, 1, t->bytes, f) == t->bytes);
    ok = (std::fflush(f) == 0) && ok;
    ok = (std::fclose(f) == 0) && ok;
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        fail(path, "write failed (disk full?)");
    }
}

} // namespace alignscope
