// SPDX-License-Identifier: MIT
// libFuzzer target: the store and sweep-table readers. Raw HDF5 bytes would mostly exercise HDF5's
// own parser (and its checksums); this target forges what a valid HDF5 file can say instead: the input
// is a list of edits to a real store (ALIGNSCOPE_FUZZ_STORE, made by run-fuzzers.sh: two score sets, a
// summary, an ActSVD basis and a sweep) — attributes set to any integer, number or string, datasets
// rewritten with other shapes, types and values (NaN, ±inf, huge), objects removed — written through
// the HDF5 library with valid checksums. Store::open, every score, basis and slider query, and every
// sweep table must then answer or refuse with a StoreError; what they answer must be consistent.
#include "alignscope/calibration.h"
#include "alignscope/fraction_grid.h"
#include "alignscope/store.h"
#include "alignscope/sweep.h"
#include "fuzz_common.h"
#include "store/h5.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace {

struct Object {
    std::string path;
    bool dataset = false;
    std::vector<std::string> attributes;
};

herr_t collectAttribute(hid_t, const char *name, const H5A_info_t *, void *out)
{
    static_cast<std::vector<std::string> *>(out)->push_back(name);
    return 0;
}

herr_t collectObject(hid_t root, const char *name, const H5O_info_t *info, void *out)
{
    Object o;
    o.path = std::string(name) == "." ? "/" : "/" + std::string(name);
    o.dataset = info->type == H5O_TYPE_DATASET;
    hid_t obj = H5Oopen(root, name, H5P_DEFAULT);
    H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, collectAttribute, &o.attributes);
    H5Oclose(obj);
    static_cast<std::vector<Object> *>(out)->push_back(std::move(o));
    return 0;
}

const std::string &baseStore()
{
    static const std::string path = [] {
        const char *p = std::getenv("ALIGNSCOPE_FUZZ_STORE");
        if (!p) {
            std::fprintf(stderr, "fuzz_store: set ALIGNSCOPE_FUZZ_STORE to a store (tests/fuzz/run-fuzzers.sh makes one)\n");
            std::abort();
        }
        return std::string(p);
    }();
    return path;
}

const std::vector<Object> &objects()
{
    static const std::vector<Object> all = [] {
        std::vector<Object> v;
        const auto f = alignscope::h5::File::open(baseStore(), false);
        H5Ovisit2(f.id(), H5_INDEX_NAME, H5_ITER_NATIVE, collectObject, &v, H5O_INFO_BASIC);
        return v;
    }();
    return all;
}

double fuzzNumber(FuzzedDataProvider &in)
{
    switch (in.ConsumeIntegralInRange(0, 5)) {
    case 0: return std::nan("");
    case 1: return INFINITY;
    case 2: return -1e300;
    case 3: return double(in.ConsumeIntegralInRange<std::int64_t>(-3, 70000));
    default: return in.ConsumeFloatingPoint<double>();
    }
}

void edit(alignscope::h5::File &f, FuzzedDataProvider &in)
{
    using alignscope::h5::Type;
    const auto &all = objects();
    const Object &o = all[in.ConsumeIntegralInRange<std::size_t>(0, all.size() - 1)];
    static const char *const names[] = {"num_layers", "layers_done", "method", "mode", "role", "dtype", "store_dtype",
                                        "sparsity", "format", "format_version", "partner", "points", "columns"};
    std::string attr = !o.attributes.empty() && in.ConsumeBool()
                           ? o.attributes[in.ConsumeIntegralInRange<std::size_t>(0, o.attributes.size() - 1)]
                           : names[in.ConsumeIntegralInRange<std::size_t>(0, std::size(names) - 1)];
    switch (in.ConsumeIntegralInRange(0, 5)) {
    case 0:
        f.setAttr(o.path, attr, in.ConsumeIntegral<std::int64_t>());
        break;
    case 1:
        f.setAttr(o.path, attr, fuzzNumber(in));
        break;
    case 2:
        f.setAttr(o.path, attr, in.ConsumeRandomLengthString(64));
        break;
    case 3:
    case 4: {
        if (!o.dataset)
            return;
        std::vector<std::int64_t> dims = f.dims(o.path);
        Type type = f.storedType(o.path);
        if (in.ConsumeBool()) {  // another shape and type
            dims.assign(in.ConsumeIntegralInRange(1, 4), 0);
            for (auto &d : dims)
                d = in.ConsumeIntegralInRange<std::int64_t>(0, 60);
            static const Type types[] = {Type::F64, Type::F32, Type::F16, Type::BF16, Type::I64, Type::U8};
            type = types[in.ConsumeIntegralInRange<std::size_t>(0, 5)];
        }
        std::int64_t n = 1;
        for (auto d : dims)
            n *= d;
        std::vector<unsigned char> bytes(std::size_t(n) * alignscope::h5::typeSize(type));
        // the old values' pattern broken by fuzz values at a few places
        const double fill = fuzzNumber(in);
        for (std::size_t i = 0; i < bytes.size(); ++i)
            bytes[i] = static_cast<unsigned char>(i * 131 + 7);
        if (type == Type::F64)
            for (std::size_t i = 0; i < std::size_t(n); i += 1 + in.ConsumeIntegralInRange<std::size_t>(0, 50))
                reinterpret_cast<double *>(bytes.data())[i] = in.ConsumeBool() ? fill : fuzzNumber(in);
        if (type == Type::F32)
            for (std::size_t i = 0; i < std::size_t(n); i += 1 + in.ConsumeIntegralInRange<std::size_t>(0, 50))
                reinterpret_cast<float *>(bytes.data())[i] = float(in.ConsumeBool() ? fill : fuzzNumber(in));
        if (type == Type::I64)
            for (std::size_t i = 0; i < std::size_t(n); i += 1 + in.ConsumeIntegralInRange<std::size_t>(0, 50))
                reinterpret_cast<std::int64_t *>(bytes.data())[i] = in.ConsumeIntegral<std::int64_t>();
        f.write(o.path, dims, type, bytes.data(), in.ConsumeBool());
        if (type == Type::BF16)
            f.setAttr(o.path, "dtype", "bf16");
        break;
    }
    default:
        if (o.path != "/")
            f.remove(o.path);
        break;
    }
}

void readEverything(const std::string &path)
{
    using namespace alignscope;
    try {
        const auto s = Store::open(path);
        const auto &shapes = s->shapes();
        if (s->numLayers() <= 0)
            __builtin_trap();
        for (const auto &set : s->sets())
            for (int l : {0, s->numLayers() - 1})  // every layer is read by the same code: the first and the last
                for (int m = 0; m < kMatricesPerLayer; ++m) {
                    if (set.isBasis()) {
                        const Store::Basis b = s->basis(set.name, l, Matrix(m));
                        if (b.vectors.size() != std::size_t(b.rows * b.columns))
                            __builtin_trap();
                    } else {
                        const std::vector<float> v = s->scores(set.name, l, Matrix(m));
                        if (std::int64_t(v.size()) != shapes[std::size_t(m)].numel())
                            __builtin_trap();
                        for (float x : v)
                            if (!std::isfinite(x))
                                __builtin_trap();
                    }
                }
        const int g = int(fractionGrid().size());
        for (const auto &[safety, utility] : s->summaryPairs())
            for (int p : {0, g / 2, g - 1})
                for (int q : {0, g / 3, g - 1}) {
                    const SliderAnswer a = s->query(safety, utility, p, q, Granularity::WholeMatrix);
                    if (a.removed < 0 || a.removed > a.numel || a.numel != s->totalWeights())
                        __builtin_trap();
                    for (const auto &c : a.cells)
                        if (c.removed < 0 || c.removed > c.numel || c.intersection < 0 || c.intersection > c.numel ||
                            !(c.jaccard >= 0 && c.jaccard <= 1))
                            __builtin_trap();
                }
    } catch (const StoreError &) {
    }
    try {
        for (const auto &name : sweepNames(path)) {
            const SweepTable t = readSweep(path, name);
            for (const auto &column : t.values)
                if (column.size() != t.done.size())
                    __builtin_trap();
            if (t.points() > 0)
                (void)sweepGenerations(path, name, 0, "vanilla");
        }
    } catch (const StoreError &) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string path = fuzz::workDir() + "/store.h5";
    std::filesystem::copy_file(baseStore(), path, std::filesystem::copy_options::overwrite_existing);
    FuzzedDataProvider in(data, size);
    {
        auto f = alignscope::h5::File::open(path, true);
        const int edits = in.ConsumeIntegralInRange(1, 4);
        for (int i = 0; i < edits && in.remaining_bytes() > 0; ++i) {
            try {
                edit(f, in);
            } catch (const alignscope::StoreError &) {  // e.g. an object removed by an earlier edit
            }
        }
        f.flush();
    }
    readEverything(path);
    return 0;
}
