// SPDX-License-Identifier: MIT
// Private: a thin RAII layer over HDF5's C API for the store. Every failure becomes a StoreError
// naming the file and the object; HDF5's own error printing is switched off. Debian's serial HDF5 is
// not thread-safe, so every call here holds one process-wide lock (hdf5Mutex): the GUI thread may
// query a store while a worker thread writes another or reads scores.
#pragma once
#include "alignscope/store.h"

#include <hdf5.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace alignscope::h5 {

/** An HDF5 id that closes itself. */
class Id {
public:
    Id() = default;
    explicit Id(hid_t id, herr_t (*close)(hid_t)) : m_id(id), m_close(close) {}
    Id(Id &&o) noexcept : m_id(o.m_id), m_close(o.m_close) { o.m_id = -1; }
    Id &operator=(Id &&o) noexcept;
    Id(const Id &) = delete;
    Id &operator=(const Id &) = delete;
    ~Id();
    hid_t get() const { return m_id; }
    bool valid() const { return m_id >= 0; }

private:
    hid_t m_id = -1;
    herr_t (*m_close)(hid_t) = nullptr;
};

/** Element types of stored arrays. bf16 is stored as uint16 (the upper half of an IEEE float32). */
enum class Type { F64, F32, F16, BF16, I64, U8 };
std::size_t typeSize(Type t);
Type parseStoreDtype(const std::string &name);  ///< "fp32", "fp16", "bf16"
std::string typeName(Type t);                   ///< "fp64", "fp32", "fp16", "bf16", "int64", "uint8"

class File {
public:
    /** Opens an existing file; `write` for read-write. Throws StoreError. */
    static File open(const std::string &path, bool write);
    /** Creates (truncating) a file. */
    static File create(const std::string &path);
    const std::string &path() const { return m_path; }
    hid_t id() const { return m_file.get(); }
    bool isOpen() const { return m_file.valid(); }
    void flush() const;

    bool exists(const std::string &object) const;
    void createGroups(const std::string &group) const;  ///< like mkdir -p
    std::vector<std::string> children(const std::string &group) const;
    void remove(const std::string &object) const;

    // attributes of an object ("/" for the root)
    void setAttr(const std::string &object, const std::string &name, const std::string &value) const;
    void setAttr(const std::string &object, const std::string &name, std::int64_t value) const;
    void setAttr(const std::string &object, const std::string &name, double value) const;
    bool hasAttr(const std::string &object, const std::string &name) const;
    std::string stringAttr(const std::string &object, const std::string &name) const;
    std::int64_t intAttr(const std::string &object, const std::string &name) const;
    double doubleAttr(const std::string &object, const std::string &name) const;

    /**
     * Writes an array (shape `dims`) of `type` elements, as they are in memory (bf16: uint16). Chunked with a
     * Fletcher-32 checksum per chunk, compressed (shuffle + deflate 1) when `compress`, and the CRC-32 of the
     * bytes in an attribute "crc32" that every read checks.
     */
    void write(const std::string &dataset, const std::vector<std::int64_t> &dims, Type type, const void *data,
               bool compress) const;
    std::vector<std::int64_t> dims(const std::string &dataset) const;
    /** The dataset's element type as stored (bf16 needs the dataset's "dtype" attribute). */
    Type storedType(const std::string &dataset) const;
    /** Reads a whole dataset converted to fp32 / fp64 / int64 (bf16 expanded). A chunk whose Fletcher-32
     *  checksum or a dataset whose CRC-32 does not match, or one larger than the memory available, is a
     *  StoreError naming it. */
    std::vector<float> readF32(const std::string &dataset) const;
    std::vector<double> readF64(const std::string &dataset) const;
    std::vector<std::int64_t> readI64(const std::string &dataset) const;
    /** A byte string (UTF-8 text) as a compressed uint8 dataset, and back. */
    void writeBytes(const std::string &dataset, const std::string &bytes) const;
    std::string readBytes(const std::string &dataset) const;

    /** Bytes the datasets under `group` take in the file (compressed, without metadata). */
    std::uint64_t storageBytes(const std::string &group) const;

    /** Copies `object` of `from` to `to` in this file (H5Ocopy). */
    void copyFrom(const File &from, const std::string &object, const std::string &to) const;

private:
    std::string where(const std::string &object) const;
    [[noreturn]] void fail(const std::string &object, const std::string &what) const;
    Id openObject(const std::string &object) const;
    template <typename T>
    std::vector<T> readAs(const std::string &dataset, Type memType) const;
    std::string m_path;
    Id m_file;
};

/** Why the last HDF5 call failed, in words ("no space left on device (the disk is full)", …), from `errno`
 *  saved right after the call and HDF5's error stack; empty if neither says. */
std::string failureReason(int savedErrno);
/** CRC-32 (zlib) of a byte range. */
std::uint32_t crc32Of(const void *data, std::size_t bytes);

/** The lock every HDF5 call of this layer holds (recursive: layer functions call each other). */
std::recursive_mutex &hdf5Mutex();

/** Silences HDF5's automatic error printing (once per process). */
void quiet();

} // namespace alignscope::h5
