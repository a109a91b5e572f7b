// SPDX-License-Identifier: MIT
// The safetensors container: an 8-byte little-endian header length N, N bytes of JSON
// ({name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}), then the data.
// Reading validates everything a corrupt or hostile file can get wrong before any byte of
// data is touched; errors name the file and the problem (ModelError).
#pragma once
#include "alignscope/model_config.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace alignscope {

enum class DType { F32, F16, BF16, F64, I64, I32, I16, I8, U8, Bool };

/** "F32", "BF16", … as safetensors spells them. */
const char *dtypeName(DType t);
/** Bytes per element. */
int dtypeSize(DType t);

struct TensorInfo {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0;  ///< byte offset of the data, relative to the start of the data section
    std::uint64_t end = 0;
    std::int64_t numel() const;
};

/** The parsed header: tensors sorted by name, metadata, and where the data section starts. */
struct SafetensorsHeader {
    std::vector<TensorInfo> tensors;
    std::map<std::string, std::string> metadata;
    std::uint64_t dataStart = 0;  ///< 8 + N
    const TensorInfo *find(const std::string &name) const;
};

/** Largest header accepted (the format's own reference implementation uses 100 MB). */
constexpr std::uint64_t kMaxSafetensorsHeader = 100'000'000;

/**
 * Parses and validates a header. `prefix` holds at least the first 8 bytes of the file (and the
 * header if available), `fileSize` the size of the whole file; `fileName` is for messages.
 * Checks: header length within the file and below kMaxSafetensorsHeader, JSON well-formed, every
 * entry with a known dtype, a non-negative shape, offsets inside the data section, byte size equal
 * to numel × element size, no two tensors overlapping.
 */
SafetensorsHeader parseSafetensorsHeader(const std::uint8_t *prefix, std::size_t prefixSize, std::uint64_t fileSize,
                                         const std::string &fileName);

/** A memory-mapped safetensors file (copy-on-write: pages are shared until written). */
class SafetensorsFile {
public:
    /** Opens, maps and validates `path`. Throws ModelError. */
    explicit SafetensorsFile(const std::string &path);
    ~SafetensorsFile();
    SafetensorsFile(const SafetensorsFile &) = delete;
    SafetensorsFile &operator=(const SafetensorsFile &) = delete;

    const std::string &path() const { return m_path; }
    const SafetensorsHeader &header() const { return m_header; }
    /** Start of a tensor's bytes inside the mapping (writable, private to this process). */
    std::uint8_t *data(const TensorInfo &t) const;
    std::uint64_t size() const { return m_size; }

private:
    std::string m_path;
    std::uint8_t *m_map = nullptr;
    std::uint64_t m_size = 0;
    SafetensorsHeader m_header;
};

/** One tensor to write: raw little-endian bytes of `dtype` elements with `shape`. */
struct TensorBytes {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    const void *data = nullptr;
    std::size_t bytes = 0;
};

/**
 * Writes a safetensors file atomically (temporary file + rename). The header is padded with spaces
 * to a multiple of 8 bytes (as the reference writer does) and the data is contiguous, largest
 * element size first, so every tensor starts aligned to its element size and can be used in place.
 * Throws ModelError on I/O failure or when a tensor's byte count does not match its shape.
 */
void writeSafetensors(const std::string &path, const std::vector<TensorBytes> &tensors,
                      const std::map<std::string, std::string> &metadata = {});

} // namespace alignscope
