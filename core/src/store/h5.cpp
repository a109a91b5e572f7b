// SPDX-License-Identifier: MIT
#include "store/h5.h"

#include "alignscope/model.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>

namespace alignscope::h5 {

std::recursive_mutex &hdf5Mutex()
{
    static std::recursive_mutex m;
    return m;
}

Id &Id::operator=(Id &&o) noexcept
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    if (this != &o) {
        if (m_id >= 0 && m_close)
            m_close(m_id);
        m_id = o.m_id;
        m_close = o.m_close;
        o.m_id = -1;
    }
    return *this;
}

Id::~Id()
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    if (m_id >= 0 && m_close)
        m_close(m_id);
}

void quiet()
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    static std::once_flag once;
    std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

std::size_t typeSize(Type t)
{
    switch (t) {
    case Type::F64:
    case Type::I64: return 8;
    case Type::F32: return 4;
    case Type::F16:
    case Type::BF16: return 2;
    case Type::U8: return 1;
    }
    return 0;
}

Type parseStoreDtype(const std::string &name)
{
    if (name == "fp32")
        return Type::F32;
    if (name == "fp16")
        return Type::F16;
    if (name == "bf16")
        return Type::BF16;
    throw StoreError("unknown store dtype \"" + name + "\" (expected fp32, fp16 or bf16)");
}

std::string typeName(Type t)
{
    switch (t) {
    case Type::F64: return "fp64";
    case Type::F32: return "fp32";
    case Type::F16: return "fp16";
    case Type::BF16: return "bf16";
    case Type::I64: return "int64";
    case Type::U8: return "uint8";
    }
    return {};
}

namespace {

/** The HDF5 type of `t` in the file (and in memory: the store converts fp16/bf16 itself). */
Id fileType(Type t)
{
    switch (t) {
    case Type::F64: return Id(H5Tcopy(H5T_IEEE_F64LE), H5Tclose);
    case Type::F32: return Id(H5Tcopy(H5T_IEEE_F32LE), H5Tclose);
    case Type::I64: return Id(H5Tcopy(H5T_STD_I64LE), H5Tclose);
    case Type::U8: return Id(H5Tcopy(H5T_STD_U8LE), H5Tclose);
    case Type::BF16: return Id(H5Tcopy(H5T_STD_U16LE), H5Tclose);
    case Type::F16: {
        // IEEE half precision, the layout h5py and numpy read as float16
        Id f(H5Tcopy(H5T_IEEE_F32LE), H5Tclose);
        H5Tset_fields(f.get(), 15, 10, 5, 0, 10);
        H5Tset_size(f.get(), 2);
        H5Tset_ebias(f.get(), 15);
        return f;
    }
    }
    return {};
}

Id stringType()
{
    Id t(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(t.get(), H5T_VARIABLE);
    H5Tset_cset(t.get(), H5T_CSET_UTF8);
    return t;
}

herr_t collectName(hid_t, const char *name, const H5L_info_t *, void *out)
{
    static_cast<std::vector<std::string> *>(out)->push_back(name);
    return 0;
}

herr_t collectError(unsigned, const H5E_error2_t *e, void *out)
{
    if (e && e->desc)
        static_cast<std::vector<std::string> *>(out)->push_back(e->desc);
    return 0;
}

/** File access: objects in the format with checksummed metadata (HDF5 ≥ 1.8 object headers), so that a flipped
 *  bit in an attribute or a group is an error, not a different value. */
Id fileAccess()
{
    Id fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V18, H5F_LIBVER_LATEST);
    return fapl;
}

} // namespace

std::string failureReason(int savedErrno)
{
    std::vector<std::string> descs;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collectError, &descs);
    std::string all;
    for (const auto &d : descs)
        all += d + "\n";
    // the POSIX driver records errno in its message ("errno = 28, error message = 'No space left on device'")
    if (savedErrno == ENOSPC || all.find("errno = 28,") != std::string::npos)
        return "no space left on device (the disk is full)";
    if (savedErrno == EDQUOT || all.find("errno = 122,") != std::string::npos)
        return "disk quota exceeded";
    if (savedErrno == EFBIG || all.find("errno = 27,") != std::string::npos)
        return "file too large (a file size limit)";
    const auto msg = all.find("error message = '");
    if (msg != std::string::npos) {
        const auto start = msg + 17, end = all.find('\'', start);
        return all.substr(start, end == std::string::npos ? std::string::npos : end - start);
    }
    for (const std::string &d : descs)  // the innermost description that says something
        if (d.find("checksum") != std::string::npos || d.find("Fletcher") != std::string::npos)
            return "checksum mismatch: the data is corrupt";
    return descs.empty() ? std::string() : descs.back();
}

std::uint64_t maxReadBytes()
{
    const std::uint64_t available = availableMemory();
    return available > 0 ? available : ~std::uint64_t(0);
}

std::uint32_t crc32Of(const void *data, std::size_t bytes)
{
    uLong crc = ::crc32(0L, Z_NULL, 0);
    const auto *p = static_cast<const Bytef *>(data);
    while (bytes > 0) {
        const uInt n = uInt(std::min<std::size_t>(bytes, 1u << 30));
        crc = ::crc32(crc, p, n);
        p += n;
        bytes -= n;
    }
    return std::uint32_t(crc);
}

std::string File::where(const std::string &object) const { return m_path + (object.empty() ? "" : " (" + object + ")"); }

void File::fail(const std::string &object, const std::string &what) const
{
    const int saved = errno;
    const std::string reason = failureReason(saved);
    throw StoreError(where(object) + ": " + what + (reason.empty() ? "" : ": " + reason));
}

File File::open(const std::string &path, bool write)
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    quiet();
    File f;
    f.m_path = path;
    if (H5Fis_hdf5(path.c_str()) <= 0)
        throw StoreError(path + ": not an HDF5 file (missing, truncated or corrupt)");
    const Id fapl = fileAccess();
    errno = 0;
    f.m_file = Id(H5Fopen(path.c_str(), write ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl.get()), H5Fclose);
    if (!f.m_file.valid()) {
        const std::string reason = failureReason(errno);
        throw StoreError(path + ": cannot open the HDF5 file (truncated or corrupt?)" +
                         (reason.empty() ? "" : ": " + reason));
    }
    return f;
}

File File::create(const std::string &path)
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    quiet();
    File f;
    f.m_path = path;
    const Id fapl = fileAccess();
    errno = 0;
    f.m_file = Id(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()), H5Fclose);
    if (!f.m_file.valid()) {
        const std::string reason = failureReason(errno);
        throw StoreError(path + ": cannot create the file" + (reason.empty() ? "" : ": " + reason));
    }
    return f;
}

void File::flush() const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    errno = 0;
    if (H5Fflush(m_file.get(), H5F_SCOPE_GLOBAL) < 0)
        fail({}, "cannot flush to disk");
}

bool File::exists(const std::string &object) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    if (object == "/")
        return true;
    std::string prefix;
    size_t pos = 0;
    while (pos != std::string::npos) {
        const size_t next = object.find('/', pos + 1);
        prefix = object.substr(0, next);
        if (!prefix.empty() && prefix != "/" && H5Lexists(m_file.get(), prefix.c_str(), H5P_DEFAULT) <= 0)
            return false;
        pos = next;
    }
    return true;
}

void File::createGroups(const std::string &group) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    if (exists(group))
        return;
    Id lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
    H5Pset_create_intermediate_group(lcpl.get(), 1);
    // attributes stay in the object header (compact), never in a dense B-tree: HDF5 1.10's H5Ocopy crashes
    // copying dense attributes of the checksummed (≥ 1.8) format
    Id gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
    H5Pset_attr_phase_change(gcpl.get(), 1024, 0);
    Id g(H5Gcreate2(m_file.get(), group.c_str(), lcpl.get(), gcpl.get(), H5P_DEFAULT), H5Gclose);
    if (!g.valid())
        fail(group, "cannot create the group");
}

std::vector<std::string> File::children(const std::string &group) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    std::vector<std::string> out;
    if (!exists(group))
        return out;
    Id g(H5Gopen2(m_file.get(), group.c_str(), H5P_DEFAULT), H5Gclose);
    if (!g.valid())
        fail(group, "not a group");
    hsize_t idx = 0;
    if (H5Literate(g.get(), H5_INDEX_NAME, H5_ITER_INC, &idx, collectName, &out) < 0)
        fail(group, "cannot list the group");
    return out;
}

void File::remove(const std::string &object) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    if (exists(object) && H5Ldelete(m_file.get(), object.c_str(), H5P_DEFAULT) < 0)
        fail(object, "cannot delete");
}

Id File::openObject(const std::string &object) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    Id o(H5Oopen(m_file.get(), object.c_str(), H5P_DEFAULT), H5Oclose);
    if (!o.valid())
        fail(object, "missing");
    return o;
}

namespace {

/**
 * The attribute holding the CRC-32 of every other attribute of its object (name, then the value: a string's
 * bytes, an integer as int64, a number as double), in name order. Attribute values live in object headers,
 * which HDF5 checksums, but strings live in the global heap, which it does not; and a writer that edits an
 * attribute without this program (h5py) leaves it inconsistent: both are errors on read.
 */
constexpr const char *kAttrsCrc = "attrs_crc32";

/** Reads a string attribute (variable or fixed length); false if it is not one or cannot be read. */
bool readStringAttr(hid_t attr, std::string &out)
{
    const Id type(H5Aget_type(attr), H5Tclose);
    if (!type.valid() || H5Tget_class(type.get()) != H5T_STRING)
        return false;
    if (H5Tis_variable_str(type.get()) > 0) {
        const Id mem = stringType();
        char *p = nullptr;
        if (H5Aread(attr, mem.get(), &p) < 0)
            return false;
        out = p ? p : "";
        H5free_memory(p);
        return true;
    }
    const size_t n = H5Tget_size(type.get());
    std::string s(n, '\0');
    if (H5Aread(attr, type.get(), s.data()) < 0)
        return false;
    s.resize(std::strlen(s.c_str()));
    out = s;
    return true;
}

herr_t addAttrToCrc(hid_t obj, const char *name, const H5A_info_t *, void *state)
{
    if (std::strcmp(name, kAttrsCrc) == 0)
        return 0;
    const Id a(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
    const Id type(a.valid() ? H5Aget_type(a.get()) : H5I_INVALID_HID, H5Tclose);
    std::string item = std::string(name) + '\0';
    std::string text;
    std::int64_t i = 0;
    double d = 0;
    const H5T_class_t c = type.valid() ? H5Tget_class(type.get()) : H5T_NO_CLASS;
    if (c == H5T_STRING && readStringAttr(a.get(), text))
        item += text + '\0';
    else if (c == H5T_INTEGER && H5Aread(a.get(), H5T_NATIVE_INT64, &i) >= 0)
        item.append(reinterpret_cast<const char *>(&i), sizeof i);
    else if (c == H5T_FLOAT && H5Aread(a.get(), H5T_NATIVE_DOUBLE, &d) >= 0)
        item.append(reinterpret_cast<const char *>(&d), sizeof d);
    else
        item += "?";  // a type this program never writes
    auto &crc = *static_cast<std::uint32_t *>(state);
    crc = std::uint32_t(::crc32(crc, reinterpret_cast<const Bytef *>(item.data()), uInt(item.size())));
    return 0;
}

/** CRC-32 over every attribute of `obj` but the checksum itself, in name order. */
std::int64_t attrsCrc(hid_t obj)
{
    std::uint32_t crc = std::uint32_t(::crc32(0L, Z_NULL, 0));
    hsize_t idx = 0;
    H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &idx, addAttrToCrc, &crc);
    return std::int64_t(crc);
}

void writeAttr(hid_t obj, const std::string &name, hid_t type, const void *value, const std::string &where)
{
    if (H5Aexists(obj, name.c_str()) > 0)
        H5Adelete(obj, name.c_str());
    Id space(H5Screate(H5S_SCALAR), H5Sclose);
    Id a(H5Acreate2(obj, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (!a.valid() || H5Awrite(a.get(), type, value) < 0)
        throw StoreError(where + ": cannot write the attribute " + name);
}

/** Writes an attribute and brings the object's attrs_crc32 up to date. */
void replaceAttr(hid_t obj, const std::string &name, hid_t type, const void *value, const std::string &where)
{
    writeAttr(obj, name, type, value, where);
    const std::int64_t crc = attrsCrc(obj);
    writeAttr(obj, kAttrsCrc, H5T_STD_I64LE, &crc, where);
}

/** Every attribute read checks the object's attrs_crc32 (objects written before it existed have none). */
void verifyAttrs(hid_t obj, const std::string &where)
{
    if (H5Aexists(obj, kAttrsCrc) <= 0)
        return;
    std::int64_t expected = 0;
    const Id c(H5Aopen(obj, kAttrsCrc, H5P_DEFAULT), H5Aclose);
    if (!c.valid() || H5Aread(c.get(), H5T_NATIVE_INT64, &expected) < 0 || attrsCrc(obj) != expected)
        throw StoreError(where + ": checksum mismatch in its attributes: the store is corrupt");
}

} // namespace

void File::setAttr(const std::string &object, const std::string &name, const std::string &value) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    const Id o = openObject(object);
    const Id t = stringType();
    const char *p = value.c_str();
    replaceAttr(o.get(), name, t.get(), &p, where(object));
}

void File::setAttr(const std::string &object, const std::string &name, std::int64_t value) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    const Id o = openObject(object);
    replaceAttr(o.get(), name, H5T_STD_I64LE, &value, where(object));
}

void File::setAttr(const std::string &object, const std::string &name, double value) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    const Id o = openObject(object);
    replaceAttr(o.get(), name, H5T_IEEE_F64LE, &value, where(object));
}

bool File::hasAttr(const std::string &object, const std::string &name) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    if (!exists(object))
        return false;
    const Id o = openObject(object);
    return H5Aexists(o.get(), name.c_str()) > 0;
}

namespace {

Id openAttr(hid_t obj, const std::string &name, const std::string &where)
{
    Id a(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose);
    if (!a.valid())
        throw StoreError(where + ": missing attribute " + name);
    return a;
}

} // namespace

std::string File::stringAttr(const std::string &object, const std::string &name) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    const Id o = openObject(object);
    const Id a = openAttr(o.get(), name, where(object));
    std::string s;
    if (!readStringAttr(a.get(), s))
        fail(object, "attribute " + name + " is not a readable string");
    verifyAttrs(o.get(), where(object));
    return s;
}

std::int64_t File::intAttr(const std::string &object, const std::string &name) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    const Id o = openObject(object);
    const Id a = openAttr(o.get(), name, where(object));
    std::int64_t v = 0;
    if (H5Aread(a.get(), H5T_NATIVE_INT64, &v) < 0)
        fail(object, "attribute " + name + " is not an integer");
    verifyAttrs(o.get(), where(object));
    return v;
}

double File::doubleAttr(const std::string &object, const std::string &name) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    const Id o = openObject(object);
    const Id a = openAttr(o.get(), name, where(object));
    double v = 0;
    if (H5Aread(a.get(), H5T_NATIVE_DOUBLE, &v) < 0)
        fail(object, "attribute " + name + " is not a number");
    verifyAttrs(o.get(), where(object));
    return v;
}

void File::write(const std::string &dataset, const std::vector<std::int64_t> &dims, Type type, const void *data,
                 bool compress) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    const auto slash = dataset.find_last_of('/');
    if (slash != std::string::npos && slash > 0)
        createGroups(dataset.substr(0, slash));
    remove(dataset);
    std::vector<hsize_t> d(dims.begin(), dims.end());
    Id space(H5Screate_simple(int(d.size()), d.data(), nullptr), H5Sclose);
    Id dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    const bool empty = std::any_of(d.begin(), d.end(), [](hsize_t x) { return x == 0; });
    hsize_t n = 1;
    for (hsize_t x : d)
        n *= x;
    if (!empty && !d.empty()) {
        // chunked (about 1 MiB of elements per chunk) so that every chunk carries a Fletcher-32 checksum
        std::vector<hsize_t> chunk = d;
        hsize_t inner = 1;
        for (size_t i = 1; i < d.size(); ++i)
            inner *= d[i];
        chunk[0] = std::max<hsize_t>(1, std::min<hsize_t>(d[0], (hsize_t(1) << 20) / std::max<hsize_t>(1, inner)));
        H5Pset_chunk(dcpl.get(), int(chunk.size()), chunk.data());
        if (compress) {
            H5Pset_shuffle(dcpl.get());
            H5Pset_deflate(dcpl.get(), 1);
        }
        H5Pset_fletcher32(dcpl.get());
    }
    const Id t = fileType(type);
    Id ds(H5Dcreate2(m_file.get(), dataset.c_str(), t.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
          H5Dclose);
    if (!ds.valid())
        fail(dataset, "cannot create the dataset");
    errno = 0;
    if (!empty && H5Dwrite(ds.get(), t.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        fail(dataset, "cannot write the dataset");
    // the checksum of what was meant to be written, checked by every read (a resumed job trusts nothing else)
    const std::int64_t crc = crc32Of(data, empty ? 0 : std::size_t(n) * typeSize(type));
    replaceAttr(ds.get(), "crc32", H5T_STD_I64LE, &crc, where(dataset));
}

std::vector<std::int64_t> File::dims(const std::string &dataset) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    Id ds(H5Dopen2(m_file.get(), dataset.c_str(), H5P_DEFAULT), H5Dclose);
    if (!ds.valid())
        fail(dataset, "missing dataset");
    Id space(H5Dget_space(ds.get()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0)
        fail(dataset, "unreadable dataspace");
    std::vector<hsize_t> d(static_cast<size_t>(rank));
    H5Sget_simple_extent_dims(space.get(), d.data(), nullptr);
    return std::vector<std::int64_t>(d.begin(), d.end());
}

Type File::storedType(const std::string &dataset) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    if (hasAttr(dataset, "dtype")) {
        const std::string n = stringAttr(dataset, "dtype");
        if (n == "bf16")
            return Type::BF16;
        if (n == "fp16")
            return Type::F16;
    }
    Id ds(H5Dopen2(m_file.get(), dataset.c_str(), H5P_DEFAULT), H5Dclose);
    if (!ds.valid())
        fail(dataset, "missing dataset");
    const Id t(H5Dget_type(ds.get()), H5Tclose);
    const H5T_class_t c = H5Tget_class(t.get());
    const size_t size = H5Tget_size(t.get());
    if (c == H5T_FLOAT)
        return size == 8 ? Type::F64 : size == 4 ? Type::F32 : Type::F16;
    if (c == H5T_INTEGER)
        return size == 8 ? Type::I64 : size == 1 ? Type::U8 : Type::BF16;
    fail(dataset, "unexpected element type");
}

template <typename T>
std::vector<T> File::readAs(const std::string &dataset, Type memType) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    const auto d = dims(dataset);
    std::int64_t n = 1;
    for (auto x : d) {
        if (x > 0 && n > (std::int64_t(1) << 40) / x)
            fail(dataset, "implausible shape (more than 2^40 elements)");
        n *= x;
    }
    if (n > 0 && std::uint64_t(n) * sizeof(T) > maxReadBytes())
        fail(dataset, "the dataset (" + std::to_string(n) + " elements) does not fit in memory; the store is corrupt "
                      "or was written on a larger machine");
    std::vector<T> out(static_cast<size_t>(n));
    Id ds(H5Dopen2(m_file.get(), dataset.c_str(), H5P_DEFAULT), H5Dclose);
    const Id mt = fileType(memType);
    errno = 0;
    if (n > 0 && H5Dread(ds.get(), mt.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
        fail(dataset, "cannot read the dataset (truncated or corrupt store?)");
    if (memType == storedType(dataset) && H5Aexists(ds.get(), "crc32") > 0) {
        const Id a(H5Aopen(ds.get(), "crc32", H5P_DEFAULT), H5Aclose);
        std::int64_t expected = -1;
        if (!a.valid() || H5Aread(a.get(), H5T_NATIVE_INT64, &expected) < 0)
            fail(dataset, "unreadable checksum");
        if (std::int64_t(crc32Of(out.data(), out.size() * sizeof(T))) != expected)
            fail(dataset, "checksum mismatch: the data is corrupt (a flipped bit, or a write that never reached the "
                          "disk)");
    }
    return out;
}

namespace {

float bf16ToFloat(std::uint16_t h)
{
    const std::uint32_t bits = std::uint32_t(h) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = std::uint32_t(h & 0x8000u) << 16;
    std::uint32_t exp = (h >> 10) & 0x1fu, man = h & 0x3ffu, bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (man << 13);  // inf / nan
    } else if (exp == 0) {
        if (man == 0) {
            bits = sign;
        } else {  // subnormal: normalise
            int e = -1;
            do {
                ++e;
                man <<= 1;
            } while (!(man & 0x400u));
            bits = sign | (std::uint32_t(127 - 15 - e) << 23) | ((man & 0x3ffu) << 13);
        }
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (man << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

} // namespace

std::vector<float> File::readF32(const std::string &dataset) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    const Type t = storedType(dataset);
    if (t == Type::BF16 || t == Type::F16) {
        const auto raw = readAs<std::uint16_t>(dataset, t);
        std::vector<float> out(raw.size());
        for (size_t i = 0; i < raw.size(); ++i)
            out[i] = t == Type::BF16 ? bf16ToFloat(raw[i]) : halfToFloat(raw[i]);
        return out;
    }
    return readAs<float>(dataset, Type::F32);
}
std::vector<double> File::readF64(const std::string &dataset) const { return readAs<double>(dataset, Type::F64); }
std::vector<std::int64_t> File::readI64(const std::string &dataset) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    return readAs<std::int64_t>(dataset, Type::I64);
}

void File::writeBytes(const std::string &dataset, const std::string &bytes) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    write(dataset, {std::int64_t(bytes.size())}, Type::U8, bytes.data(), true);
}

std::string File::readBytes(const std::string &dataset) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    const std::vector<std::uint8_t> v = readAs<std::uint8_t>(dataset, Type::U8);
    return std::string(v.begin(), v.end());
}

namespace {

herr_t addStorage(hid_t obj, const char *name, const H5O_info_t *info, void *total)
{
    if (info->type == H5O_TYPE_DATASET) {
        Id ds(H5Dopen2(obj, name, H5P_DEFAULT), H5Dclose);
        if (ds.valid())
            *static_cast<std::uint64_t *>(total) += H5Dget_storage_size(ds.get());
    }
    return 0;
}

} // namespace

std::uint64_t File::storageBytes(const std::string &group) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    std::uint64_t total = 0;
    if (exists(group)) {
        const Id g = openObject(group);
        if (H5Ovisit(g.get(), H5_INDEX_NAME, H5_ITER_NATIVE, addStorage, &total) < 0)
            fail(group, "cannot measure");
    }
    return total;
}

void File::copyFrom(const File &from, const std::string &object, const std::string &to) const
{
    const std::lock_guard<std::recursive_mutex> lock(hdf5Mutex());
    const auto slash = to.find_last_of('/');
    if (slash != std::string::npos && slash > 0)
        createGroups(to.substr(0, slash));
    remove(to);
    errno = 0;
    if (H5Ocopy(from.id(), object.c_str(), m_file.get(), to.c_str(), H5P_DEFAULT, H5P_DEFAULT) < 0)
        fail(to, "cannot copy " + object + " from " + from.path());
}

} // namespace alignscope::h5
