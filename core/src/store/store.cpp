// SPDX-License-Identifier: MIT
#include "alignscope/store.h"

#include "alignscope/calibration.h"
#include "alignscope/fraction_grid.h"
#include "alignscope/jobs.h"
#include "alignscope/model.h"
#include "alignscope/model_config.h"
#include "alignscope/safetensors.h"
#include "alignscope/tokenizer.h"
#include "alignscope/version.h"
#include "attribution/attribution.h"
#include "model/impl.h"
#include "selection/selection.h"
#include "store/commit.h"
#include "store/files.h"
#include "store/h5.h"
#include "store/layout.h"
#include "store/summary.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <unistd.h>

namespace alignscope {

namespace fs = std::filesystem;

namespace {

constexpr const char *kFormat = "alignscope-store";
constexpr std::int64_t kFormatVersion = 1;

using layout::layerName;
using layout::matrixPath;
using layout::setGroup;
using layout::summaryGroup;

std::string formatFraction(double f)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", f);
    return buf;
}

void writeSettings(const h5::File &f, const std::string &g, const ScoreSetInfo &i)
{
    f.setAttr(g, "method", methodName(i.settings.method));
    f.setAttr(g, "mode", modeName(i.settings.mode));
    f.setAttr(g, "role", i.role);
    f.setAttr(g, "nsamples", i.settings.nsamples);
    f.setAttr(g, "seed", std::int64_t(i.settings.seed));
    f.setAttr(g, "max_length", i.settings.maxLength);
    f.setAttr(g, "sparsity", i.settings.sparsity);
    f.setAttr(g, "top_down", std::int64_t(i.settings.topDown));
    f.setAttr(g, "rank", i.settings.rank);
    f.setAttr(g, "remove_top", std::int64_t(i.settings.removeTop));
    f.setAttr(g, "dataset_file", i.datasetFile);
    f.setAttr(g, "dataset_fingerprint", i.datasetFingerprint);
    f.setAttr(g, "dataset_format", i.datasetFormat);
    f.setAttr(g, "store_dtype", i.storeDtype);
    f.setAttr(g, "compute_dtype", i.computeDtype);
    f.setAttr(g, "device", i.device);
    f.setAttr(g, "program_version", i.programVersion);
    f.setAttr(g, "created", i.created);
    f.setAttr(g, "examples", i.examples);
    f.setAttr(g, "response_tokens", i.responseTokens);
    f.setAttr(g, "truncated_examples", i.truncatedExamples);
    f.setAttr(g, "layers_done", std::int64_t(i.layersDone));
    f.setAttr(g, "seconds", i.seconds);
    if (i.settings.orthogonal) {
        f.setAttr(g, "orthogonal", std::int64_t(1));
        f.setAttr(g, "rank_utility", i.settings.ru);
        f.setAttr(g, "rank_safety", i.settings.rs);
        f.setAttr(g, "paper_ranks", std::int64_t(i.settings.paperRanks));
        f.setAttr(g, "partner", i.partner);
        f.setAttr(g, "partner_dataset_fingerprint", i.partnerDatasetFingerprint);
    }
}

ScoreSetInfo readSettings(const h5::File &f, const std::string &name)
{
    const std::string g = setGroup(name);
    ScoreSetInfo i;
    i.name = name;
    try {
        i.settings.method = parseMethod(f.stringAttr(g, "method"));
        i.settings.mode = parseMode(f.stringAttr(g, "mode"));
    } catch (const std::invalid_argument &e) {
        throw StoreError(f.path() + " (" + g + "): " + e.what());
    }
    i.role = f.stringAttr(g, "role");
    i.settings.nsamples = f.intAttr(g, "nsamples");
    i.settings.seed = std::uint64_t(f.intAttr(g, "seed"));
    i.settings.maxLength = f.intAttr(g, "max_length");
    i.settings.sparsity = f.doubleAttr(g, "sparsity");
    i.settings.topDown = f.intAttr(g, "top_down") != 0;
    i.settings.rank = f.intAttr(g, "rank");
    i.settings.removeTop = f.intAttr(g, "remove_top") != 0;
    i.datasetFile = f.stringAttr(g, "dataset_file");
    i.datasetFingerprint = f.stringAttr(g, "dataset_fingerprint");
    i.datasetFormat = f.stringAttr(g, "dataset_format");
    i.storeDtype = f.stringAttr(g, "store_dtype");
    i.computeDtype = f.stringAttr(g, "compute_dtype");
    i.device = f.stringAttr(g, "device");
    i.programVersion = f.stringAttr(g, "program_version");
    i.created = f.stringAttr(g, "created");
    i.examples = f.intAttr(g, "examples");
    i.responseTokens = f.intAttr(g, "response_tokens");
    i.truncatedExamples = f.intAttr(g, "truncated_examples");
    i.layersDone = int(f.intAttr(g, "layers_done"));
    i.seconds = f.doubleAttr(g, "seconds");
    if (f.hasAttr(g, "orthogonal") && f.intAttr(g, "orthogonal") != 0) {
        i.settings.orthogonal = true;
        i.settings.ru = f.intAttr(g, "rank_utility");
        i.settings.rs = f.intAttr(g, "rank_safety");
        i.settings.paperRanks = f.intAttr(g, "paper_ranks") != 0;
        i.partner = f.stringAttr(g, "partner");
        i.partnerDatasetFingerprint = f.stringAttr(g, "partner_dataset_fingerprint");
    }
    return i;
}

/** Same computation (everything but the bookkeeping). */
bool sameComputation(const ScoreSetInfo &a, const ScoreSetInfo &b)
{
    const ScoreSettings &x = a.settings, &y = b.settings;
    return x.method == y.method && x.mode == y.mode && x.nsamples == y.nsamples && x.seed == y.seed &&
           x.maxLength == y.maxLength && x.sparsity == y.sparsity && x.topDown == y.topDown && x.rank == y.rank &&
           x.removeTop == y.removeTop && a.datasetFingerprint == b.datasetFingerprint && a.storeDtype == b.storeDtype &&
           a.role == b.role && x.orthogonal == y.orthogonal && x.ru == y.ru && x.rs == y.rs &&
           x.paperRanks == y.paperRanks && a.partner == b.partner &&
           a.partnerDatasetFingerprint == b.partnerDatasetFingerprint;
}

void writeRoot(const h5::File &f, const std::string &fingerprint, const std::string &modelDir, int layers,
               const std::array<MatrixShape, kMatricesPerLayer> &shapes)
{
    f.setAttr("/", "format", std::string(kFormat));
    f.setAttr("/", "format_version", kFormatVersion);
    f.setAttr("/", "model_fingerprint", fingerprint);
    f.setAttr("/", "model_dir", modelDir);
    f.setAttr("/", "num_layers", std::int64_t(layers));
    f.setAttr("/", "program_version", std::string(ALIGNSCOPE_VERSION));
    f.setAttr("/", "created", nowIso());
    std::vector<std::int64_t> s;
    for (const auto &m : shapes) {
        s.push_back(m.rows);
        s.push_back(m.cols);
    }
    f.write("/model/shapes", {kMatricesPerLayer, 2}, h5::Type::I64, s.data(), false);
    const auto &grid = fractionGrid();
    f.write("/model/fraction_grid", {std::int64_t(grid.size())}, h5::Type::F64, grid.data(), false);
}

} // namespace

std::string computeModelFingerprint(const std::string &modelDir)
{
    const ModelInfo info = inspectModel(modelDir);  // validates, and lists the weight files in order
    std::string material;
    {
        std::ifstream in(fs::path(modelDir) / "config.json", std::ios::binary);
        material.assign(std::istreambuf_iterator<char>(in), {});
    }
    // Headers alone are shared by every fine-tune of an architecture: also hash up to 1 KiB at the
    // start, middle and end of every tensor's bytes (a few MB read for a 7B model).
    for (const std::string &file : info.weightFiles) {
        const SafetensorsFile st(file);
        material += "\n" + fs::path(file).filename().string() + ":" + std::to_string(st.size());
        for (const TensorInfo &t : st.header().tensors) {
            material += "|" + t.name + ":" + dtypeName(t.dtype);
            for (auto d : t.shape)
                material += "," + std::to_string(d);
            const std::uint8_t *p = st.data(t);
            const std::uint64_t n = t.end - t.begin, k = std::min<std::uint64_t>(n, 1024);
            for (std::uint64_t at : {std::uint64_t(0), (n - k) / 2, n - k})
                material.append(reinterpret_cast<const char *>(p + at), size_t(k));
        }
    }
    return fingerprintBytes(material);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

namespace {

constexpr std::int64_t kMaxLayers = 4096;
constexpr std::int64_t kMaxDimension = std::int64_t(1) << 20;

/** The 7 shapes are a decoder layer's: positive, bounded, and fitting together (hidden, heads, intermediate). */
void checkShapes(const std::string &path, const std::array<MatrixShape, kMatricesPerLayer> &s)
{
    for (int m = 0; m < kMatricesPerLayer; ++m)
        if (s[size_t(m)].rows < 1 || s[size_t(m)].cols < 1 || s[size_t(m)].rows > kMaxDimension ||
            s[size_t(m)].cols > kMaxDimension)
            throw StoreError(path + " (/model/shapes): " + std::string(matrixName(Matrix(m))) + " is " +
                             std::to_string(s[size_t(m)].rows) + " × " + std::to_string(s[size_t(m)].cols) +
                             ", not a weight matrix's shape; the store is corrupt");
    auto at = [&](Matrix m) { return s[size_t(m)]; };
    const std::int64_t hidden = at(Matrix::Q).cols;
    const bool fits = at(Matrix::K).cols == hidden && at(Matrix::V).cols == hidden && at(Matrix::O).rows == hidden &&
                      at(Matrix::Gate).cols == hidden && at(Matrix::Up).cols == hidden &&
                      at(Matrix::Down).rows == hidden && at(Matrix::O).cols == at(Matrix::Q).rows &&
                      at(Matrix::K).rows == at(Matrix::V).rows && at(Matrix::Gate).rows == at(Matrix::Up).rows &&
                      at(Matrix::Down).cols == at(Matrix::Gate).rows;
    if (!fits)
        throw StoreError(path + " (/model/shapes): the 7 shapes do not fit together as a decoder layer's (hidden size, "
                                "heads, intermediate size); the store is corrupt");
}

/** A committed set: every layer done, every dataset there with its matrix's shape. */
void checkSet(const h5::File &f, const ScoreSetInfo &info, int layers,
              const std::array<MatrixShape, kMatricesPerLayer> &shapes)
{
    const std::string g = setGroup(info.name);
    if (info.layersDone != layers)
        throw StoreError(f.path() + " (" + g + "): the set has " + std::to_string(info.layersDone) + " of " +
                         std::to_string(layers) + " layers; the store is corrupt");
    if (info.role != "safety" && info.role != "utility")
        throw StoreError(f.path() + " (" + g + "): role \"" + info.role + "\" is neither safety nor utility");
    for (int l = 0; l < layers; ++l)
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const MatrixShape &sh = shapes[size_t(m)];
            const std::string p = matrixPath(info.name, l, Matrix(m));
            auto expect = [&](const std::string &dataset, std::vector<std::int64_t> dims) {
                if (!f.exists(dataset) || f.dims(dataset) != dims) {
                    std::string want;
                    for (auto x : dims)
                        want += (want.empty() ? "" : " × ") + std::to_string(x);
                    throw StoreError(f.path() + " (" + dataset + "): " +
                                     (f.exists(dataset) ? "not " + want + " as the model's shapes say"
                                                        : std::string("missing")) +
                                     "; the store is corrupt");
                }
            };
            if (info.isBasis()) {
                expect(p + "_eigenvalues", {sh.rows});
                expect(p + "_eigenvectors", {sh.rows, sh.rows});
            } else {
                expect(p, {sh.rows, sh.cols});
            }
        }
}

/** Scores and bases are finite: a NaN would sort anywhere and select arbitrary weights. */
template <typename T>
void checkFinite(const Store &s, const std::string &dataset, const std::vector<T> &v)
{
    const auto bad = std::count_if(v.begin(), v.end(), [](T x) { return !std::isfinite(x); });
    if (bad > 0)
        throw StoreError(s.path() + " (" + dataset + "): " + std::to_string(bad) +
                         " values are not finite (NaN or infinite); the store is corrupt");
}

} // namespace

class Store::Impl {
public:
    h5::File file;
    std::string fingerprint, modelDir;
    int layers = 0;
    std::array<MatrixShape, kMatricesPerLayer> shapes{};
    std::vector<ScoreSetInfo> sets;
    std::vector<std::pair<std::string, std::string>> pairs;
    mutable std::map<std::string, std::vector<std::int64_t>> summaries;  ///< loaded on first use, per dataset
};

Store::Store(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Store::~Store() = default;

std::unique_ptr<Store> Store::open(const std::string &path)
{
    auto d = std::make_unique<Impl>();
    d->file = h5::File::open(path, false);
    const h5::File &f = d->file;
    if (!f.hasAttr("/", "format") || f.stringAttr("/", "format") != kFormat)
        throw StoreError(path + ": an HDF5 file, but not an AlignScope store (no format attribute \"" + kFormat + "\")");
    const std::int64_t version = f.intAttr("/", "format_version");
    if (version > kFormatVersion)
        throw StoreError(path + ": store format version " + std::to_string(version) + " is newer than this program (" +
                         std::to_string(kFormatVersion) + "); update AlignScope");
    d->fingerprint = f.stringAttr("/", "model_fingerprint");
    d->modelDir = f.stringAttr("/", "model_dir");
    const std::int64_t layers = f.intAttr("/", "num_layers");
    if (layers < 1 || layers > kMaxLayers)
        throw StoreError(path + ": num_layers = " + std::to_string(layers) + " is not a model's layer count (1 to " +
                         std::to_string(kMaxLayers) + "); the store is corrupt");
    d->layers = int(layers);
    if (f.dims("/model/shapes") != std::vector<std::int64_t>{kMatricesPerLayer, 2})
        throw StoreError(path + " (/model/shapes): not 7 rows of (rows, columns); the store is corrupt");
    const auto shapes = f.readI64("/model/shapes");
    for (int m = 0; m < kMatricesPerLayer; ++m)
        d->shapes[size_t(m)] = {shapes[size_t(2 * m)], shapes[size_t(2 * m + 1)]};
    checkShapes(path, d->shapes);
    const auto grid = f.readF64("/model/fraction_grid");
    if (grid != fractionGrid())
        throw StoreError(path + " (/model/fraction_grid): not the fraction grid of this program's summaries; the "
                                "store is corrupt");
    for (const std::string &name : f.children("/sets")) {
        d->sets.push_back(readSettings(f, name));
        checkSet(f, d->sets.back(), d->layers, d->shapes);
    }
    for (const std::string &g : f.children("/summaries")) {
        d->pairs.emplace_back(f.stringAttr("/summaries/" + g, "safety"), f.stringAttr("/summaries/" + g, "utility"));
        for (const std::string &name : {d->pairs.back().first, d->pairs.back().second})
            if (std::none_of(d->sets.begin(), d->sets.end(), [&](const ScoreSetInfo &i) { return i.name == name; }))
                throw StoreError(path + " (/summaries/" + g + "): the summary names a set \"" + name +
                                 "\" the store does not have; the store is corrupt");
    }
    return std::unique_ptr<Store>(new Store(std::move(d)));
}

const std::string &Store::path() const { return m_impl->file.path(); }
const std::string &Store::modelFingerprint() const { return m_impl->fingerprint; }
const std::string &Store::modelDir() const { return m_impl->modelDir; }
int Store::numLayers() const { return m_impl->layers; }
const std::array<MatrixShape, kMatricesPerLayer> &Store::shapes() const { return m_impl->shapes; }

std::int64_t Store::totalWeights() const
{
    std::int64_t n = 0;
    for (const auto &s : m_impl->shapes)
        n += s.numel();
    return n * m_impl->layers;
}

const std::vector<ScoreSetInfo> &Store::sets() const { return m_impl->sets; }

const ScoreSetInfo &Store::set(const std::string &name) const
{
    for (const auto &s : m_impl->sets)
        if (s.name == name)
            return s;
    std::string names;
    for (const auto &s : m_impl->sets)
        names += (names.empty() ? "" : ", ") + s.name;
    throw StoreError(path() + ": no set \"" + name + "\" (the store has: " + (names.empty() ? "none" : names) + ")");
}

std::vector<float> Store::scores(const std::string &name, int layer, Matrix m) const
{
    const ScoreSetInfo &s = set(name);
    if (s.isBasis())
        throw StoreError(path() + ": set \"" + name + "\" holds rank bases (ActSVD), not scores");
    if (layer < 0 || layer >= m_impl->layers)
        throw StoreError(path() + ": layer " + std::to_string(layer) + " out of range");
    const std::string p = matrixPath(name, layer, m);
    std::vector<float> v = m_impl->file.readF32(p);
    checkFinite(*this, p, v);
    return v;
}

Store::Basis Store::basis(const std::string &name, int layer, Matrix m) const
{
    const ScoreSetInfo &s = set(name);
    if (!s.isBasis())
        throw StoreError(path() + ": set \"" + name + "\" holds scores, not rank bases");
    if (layer < 0 || layer >= m_impl->layers)
        throw StoreError(path() + ": layer " + std::to_string(layer) + " out of range");
    Basis b;
    const std::string p = matrixPath(name, layer, m);
    b.eigenvalues = m_impl->file.readF64(p + "_eigenvalues");
    b.vectors = m_impl->file.readF32(p + "_eigenvectors");
    checkFinite(*this, p + "_eigenvalues", b.eigenvalues);
    checkFinite(*this, p + "_eigenvectors", b.vectors);
    const auto d = m_impl->file.dims(p + "_eigenvectors");
    b.rows = d.at(0);
    b.columns = d.at(1);
    return b;
}

std::vector<std::pair<std::string, std::string>> Store::summaryPairs() const { return m_impl->pairs; }

SliderAnswer Store::query(const std::string &safety, const std::string &utility, int pIndex, int qIndex,
                          Granularity g) const
{
    const auto &grid = fractionGrid();
    const int G = int(grid.size());
    if (pIndex < 0 || pIndex >= G || qIndex < 0 || qIndex >= G)
        throw StoreError("grid index out of range");
    const std::string dataset = summaryGroup(safety, utility) + (g == Granularity::WholeMatrix ? "/matrix" : "/row");
    auto it = m_impl->summaries.find(dataset);
    if (it == m_impl->summaries.end()) {
        if (!m_impl->file.exists(dataset))
            throw StoreError(path() + ": no slider summary for safety set \"" + safety + "\" and utility set \"" +
                             utility + "\"");
        it = m_impl->summaries.emplace(dataset, m_impl->file.readI64(dataset)).first;
        const size_t expected = size_t(m_impl->layers) * kMatricesPerLayer * size_t(G) * size_t(G);
        if (it->second.size() != expected) {
            m_impl->summaries.erase(it);
            throw StoreError(path() + " (" + dataset + "): the summary has the wrong size");
        }
        // cumulative counts of each matrix: between 0 and its size, never decreasing along either fraction
        for (int l = 0; l < m_impl->layers; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                const std::int64_t n = m_impl->shapes[size_t(m)].numel();
                const std::int64_t *c = it->second.data() + (size_t(l) * kMatricesPerLayer + size_t(m)) * size_t(G) * size_t(G);
                for (int a = 0; a < G; ++a)
                    for (int b = 0; b < G; ++b) {
                        const std::int64_t x = c[size_t(a) * size_t(G) + size_t(b)];
                        if (x < 0 || x > n || (a > 0 && x < c[size_t(a - 1) * size_t(G) + size_t(b)]) ||
                            (b > 0 && x < c[size_t(a) * size_t(G) + size_t(b - 1)])) {
                            m_impl->summaries.erase(it);
                            throw StoreError(path() + " (" + dataset + "): layer " + std::to_string(l) + " " +
                                             std::string(matrixName(Matrix(m))) + " does not hold cumulative counts of a " +
                                             std::to_string(n) + "-entry matrix; the store is corrupt");
                        }
                    }
            }
    }
    const std::vector<std::int64_t> &cum = it->second;
    SliderAnswer a;
    a.cells.resize(size_t(m_impl->layers) * kMatricesPerLayer);
    for (int l = 0; l < m_impl->layers; ++l)
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const MatrixShape &sh = m_impl->shapes[size_t(m)];
            const std::int64_t *c = cum.data() + (size_t(l) * kMatricesPerLayer + size_t(m)) * size_t(G) * size_t(G);
            auto top = [&](int idx) {
                return g == Granularity::WholeMatrix ? fractionCount(grid[size_t(idx)], sh.numel())
                                                     : sh.rows * fractionCount(grid[size_t(idx)], sh.cols);
            };
            SliderCell &cell = a.cells[size_t(l) * kMatricesPerLayer + size_t(m)];
            cell.numel = sh.numel();
            cell.intersection = c[size_t(qIndex) * size_t(G) + size_t(pIndex)];
            cell.removed = top(qIndex) - cell.intersection;
            const std::int64_t same = c[size_t(pIndex) * size_t(G) + size_t(pIndex)];
            const std::int64_t uni = 2 * top(pIndex) - same;
            cell.jaccard = uni > 0 ? double(same) / double(uni) : 0.0;
            a.removed += cell.removed;
            a.numel += cell.numel;
        }
    return a;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

std::string inferRole(const std::string &dataFile)
{
    std::string n = fs::path(dataFile).filename().string();
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    auto has = [&n](const char *w) { return n.find(w) != std::string::npos; };
    if (has("utility") || has("no_safety") || has("alpaca"))
        return "utility";
    if (has("safety") || has("align") || has("harm") || has("refus") || has("advbench"))
        return "safety";
    throw StoreError(dataFile + ": cannot tell from the file name whether it is safety or utility data; give the "
                                "role (--role safety|utility)");
}

namespace {

std::string defaultSetName(const ScoreJob &job, const std::string &dataFile)
{
    const ScoreSettings &s = job.settings;
    std::string stem = fs::path(dataFile).stem().string();
    for (char &c : stem)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
            c = '_';
    std::string name = methodName(s.method) + "-" + stem + "-" + modeName(s.mode) + "-n" + std::to_string(s.nsamples) +
                       "-s" + std::to_string(s.seed);
    if (s.maxLength > 0)
        name += "-len" + std::to_string(s.maxLength);
    if (s.orthogonal)
        name += "-ortho-ru" + std::to_string(s.ru) + "-rs" + std::to_string(s.rs) + (s.paperRanks ? "-paper" : "");
    else if (s.mode == ScoreMode::Sequential) {
        if (s.method == ScoreMethod::ActSvd)
            name += "-r" + std::to_string(s.rank) + (s.removeTop ? "top" : "bottom");
        else
            name += "-sp" + formatFraction(s.sparsity) + (s.topDown ? "top" : "bottom");
    }
    if (job.storeDtype != "bf16" && s.method != ScoreMethod::ActSvd)
        name += "-" + job.storeDtype;
    return name;
}

at::Tensor toStored(const at::Tensor &t, h5::Type type)
{
    switch (type) {
    case h5::Type::F16: return t.to(at::kCPU).to(at::kHalf).contiguous();
    case h5::Type::BF16: return t.to(at::kCPU).to(at::kBFloat16).contiguous();
    default: return t.to(at::kCPU).to(at::kFloat).contiguous();
    }
}

at::Tensor fromVector(std::vector<float> v, std::int64_t rows, std::int64_t cols)
{
    return at::from_blob(v.data(), {rows, cols}, at::kFloat).clone();
}

/** The side file's fp32 copy of a score (sequential jobs with a narrower store dtype; never committed). */
std::string exactPath(const std::string &set, int l, Matrix m)
{
    return "/exact/" + set + "/" + layerName(l) + "/" + std::string(matrixName(m));
}

/**
 * Writes results into the side file, layer by layer. A sequential Wanda/SNIP job prunes on the fp32 score
 * (spec §2.3) whatever the store dtype: when that is narrower, the side file also keeps the fp32 score
 * under /exact (not committed), from which a resumed job replays the pruning exactly.
 */
class SideFileSink : public AttributionSink {
public:
    SideFileSink(h5::File &file, std::string name, h5::Type dtype, bool sequential, at::Device device)
        : m_file(&file), m_name(std::move(name)), m_dtype(dtype), m_keepExact(sequential && dtype != h5::Type::F32),
          m_device(device)
    {
    }

    at::Tensor score(int layer, Matrix m, const at::Tensor &score) override
    {
        const at::Tensor s = toStored(score, m_dtype);
        const std::string p = matrixPath(m_name, layer, m);
        m_file->write(p, {s.size(0), s.size(1)}, m_dtype, s.data_ptr(), true);
        if (m_dtype != h5::Type::F32)
            m_file->setAttr(p, "dtype", h5::typeName(m_dtype));
        if (!m_keepExact)
            return s.to(at::kFloat).to(m_device);
        const at::Tensor exact = toStored(score, h5::Type::F32);
        m_file->write(exactPath(m_name, layer, m), {exact.size(0), exact.size(1)}, h5::Type::F32, exact.data_ptr(),
                     true);
        return exact.to(m_device);
    }

    at::Tensor basis(int layer, Matrix m, const at::Tensor &values, const at::Tensor &vectors) override
    {
        const std::string p = matrixPath(m_name, layer, m);
        const at::Tensor v = values.to(at::kCPU).to(at::kDouble).contiguous();
        const at::Tensor e = vectors.to(at::kCPU).to(at::kFloat).contiguous();
        m_file->write(p + "_eigenvalues", {v.size(0)}, h5::Type::F64, v.data_ptr(), false);
        m_file->write(p + "_eigenvectors", {e.size(0), e.size(1)}, h5::Type::F32, e.data_ptr(), true);
        return e.to(m_device);
    }

    void layerDone(int layer) override
    {
        // the marker follows the data; a resumed job checks every dataset below it anyway (verifiedLayers)
        m_file->flush();
        m_file->setAttr(setGroup(m_name), "layers_done", std::int64_t(layer + 1));
        crashPoint("layer-marked");
        m_file->flush();
        layersDone = layer + 1;
    }

    at::Tensor storedScore(int layer, Matrix m) override { return read(m_keepExact ? exactPath(m_name, layer, m) : matrixPath(m_name, layer, m)); }

    at::Tensor storedBasis(int layer, Matrix m) override { return read(matrixPath(m_name, layer, m) + "_eigenvectors"); }

    /** Copies layer `l` from a previous side file, checking every read (a StoreError where it is not intact). */
    void carry(const h5::File &from, int l, bool basis)
    {
        for (int m = 0; m < kMatricesPerLayer; ++m) {
            const std::string p = matrixPath(m_name, l, Matrix(m));
            if (basis) {
                std::vector<double> values = from.readF64(p + "_eigenvalues");
                std::vector<float> vectors = from.readF32(p + "_eigenvectors");
                const auto d = from.dims(p + "_eigenvectors");
                if (d.size() != 2 || std::int64_t(values.size()) != d[0])
                    throw StoreError(from.path() + " (" + p + "): malformed basis");
                this->basis(l, Matrix(m), at::from_blob(values.data(), {d[0]}, at::kDouble),
                            fromVector(std::move(vectors), d[0], d[1]));
            } else {  // the fp32 copy where there is one: the stored score is its rounding, as before
                const std::string source = m_keepExact ? exactPath(m_name, l, Matrix(m)) : p;
                const auto d = from.dims(source);
                if (d.size() != 2)
                    throw StoreError(from.path() + " (" + source + "): malformed scores");
                score(l, Matrix(m), fromVector(from.readF32(source), d[0], d[1]));
            }
        }
    }

    /** Continues in `file` (the side file reopened), after `done` layers. */
    void retarget(h5::File &file, int done)
    {
        m_file = &file;
        layersDone = done;
    }

    int layersDone = 0;

private:
    at::Tensor read(const std::string &p) const
    {
        const auto d = m_file->dims(p);
        return fromVector(m_file->readF32(p), d.at(0), d.at(1)).to(m_device);
    }

    h5::File *m_file;
    std::string m_name;
    h5::Type m_dtype;
    bool m_keepExact;
    at::Device m_device;
};

} // namespace

namespace {

struct JobSet {
    ScoreSetInfo info;
    CalibrationSet data;
    std::vector<CalibrationExample> examples;
};

/** Where a job keeps its layers until the commit (STORE.partial-SET.h5). */
std::string sideFilePath(const std::string &store, const std::string &set) { return store + ".partial-" + set + ".h5"; }

void checkSetName(const std::string &name)
{
    if (name.find('/') != std::string::npos || name.find("__vs__") != std::string::npos || name.empty())
        throw StoreError("invalid set name \"" + name + "\" (no '/' and no \"__vs__\")");
}

} // namespace

ScoreJobResult runScoreJob(const ScoreJob &job, JobContext *ctx)
{
    const auto t0 = std::chrono::steady_clock::now();
    if (job.storePath.empty())
        throw StoreError("no store file given");
    const ScoreSettings &settings = job.settings;
    const bool orthogonal = settings.orthogonal;
    if (orthogonal && (settings.method != ScoreMethod::ActSvd || settings.mode != ScoreMode::Sequential))
        throw StoreError("the orthogonal projection is computed by a sequential ActSVD job (--method actsvd --mode "
                         "sequential)");
    if (orthogonal && job.utilityDataFile.empty())
        throw StoreError("the sequential orthogonal projection needs a utility data set as well");
    const h5::Type dtype = h5::parseStoreDtype(job.storeDtype);
    const std::string fingerprint = computeModelFingerprint(job.modelDir);
    std::unique_ptr<Store> existing;
    if (fs::exists(job.storePath)) {
        existing = Store::open(job.storePath);
        if (existing->modelFingerprint() != fingerprint)
            throw StoreError(job.storePath + ": this store belongs to another model (" + existing->modelDir() +
                             ", fingerprint " + existing->modelFingerprint() + "); " + job.modelDir +
                             " has fingerprint " + fingerprint + ". Use a new store file for this model.");
    }

    // the sets this job computes: one, or (orthogonal) safety and utility
    std::vector<JobSet> sets(orthogonal ? 2 : 1);
    for (size_t k = 0; k < sets.size(); ++k) {
        const std::string &file = k == 0 ? job.dataFile : job.utilityDataFile;
        ScoreSetInfo &info = sets[k].info;
        info.settings = settings;
        info.role = orthogonal ? (k == 0 ? "safety" : "utility") : job.role.empty() ? inferRole(file) : job.role;
        if (info.role != "safety" && info.role != "utility")
            throw StoreError("role must be safety or utility (got \"" + info.role + "\")");
        const std::string &given = k == 0 ? job.name : job.utilityName;
        info.name = given.empty() ? defaultSetName(job, file) : given;
        checkSetName(info.name);
        sets[k].data = readCalibrationSet(file);
        info.datasetFile = fs::absolute(file).string();
        info.datasetFingerprint = sets[k].data.fingerprint;
        info.datasetFormat = sets[k].data.format;
        info.storeDtype = info.isBasis() ? "fp32" : job.storeDtype;
        info.programVersion = ALIGNSCOPE_VERSION;
    }
    if (orthogonal) {
        if (sets[0].info.name == sets[1].info.name)
            throw StoreError("the safety and utility sets need different names (both \"" + sets[0].info.name + "\")");
        for (size_t k = 0; k < 2; ++k) {
            sets[k].info.partner = sets[1 - k].info.name;
            sets[k].info.partnerDatasetFingerprint = sets[1 - k].info.datasetFingerprint;
        }
    }

    ScoreJobResult result;
    if (existing) {
        size_t found = 0;
        for (auto &js : sets)
            for (const auto &s : existing->sets())
                if (s.name == js.info.name) {
                    if (!sameComputation(s, js.info))
                        throw StoreError(job.storePath + ": a set named \"" + js.info.name +
                                         "\" with other settings or data exists; choose another name");
                    js.info = s;
                    ++found;
                }
        if (found == sets.size()) {
            // a job killed after its commit left its side file: of no use now (unless a job holds it)
            const std::string side = sideFilePath(job.storePath, sets[0].info.name);
            if (fs::exists(side)) {
                try {
                    const StoreLock unused(side, nullptr, false);
                    std::error_code ec;
                    fs::remove(side, ec);
                } catch (const StoreError &) {
                }
            }
            tidyStore(job.storePath);
            result.set = sets[0].info;
            for (const auto &js : sets)
                result.sets.push_back(js.info);
            result.reused = true;
            return result;
        }
        if (found > 0)
            throw StoreError(job.storePath + ": only one set of the pair \"" + sets[0].info.name + "\" / \"" +
                             sets[1].info.name + "\" is in the store; choose other names");
    }

    // one job per set at a time: a second identical job is refused, not mixed into the first one's side file
    const std::string side = sideFilePath(job.storePath, sets[0].info.name);
    const StoreLock jobLock(side, ctx, false);

    auto model = Model::load(job.modelDir, LoadOptions{job.device, job.computeDtype, job.streamLayers});
    auto tok = Tokenizer::load(job.modelDir);
    for (auto &js : sets) {
        const auto rows = selectCalibrationRows(std::int64_t(js.data.rows.size()), settings.nsamples, settings.seed);
        js.examples = tokenizeCalibration(*tok, js.data, rows, settings.maxLength, model->config().maxPositionEmbeddings);
        for (const auto &e : js.examples) {
            js.info.responseTokens += std::max<std::int64_t>(0, e.responseLength());
            js.info.truncatedExamples += e.truncated;
        }
        js.info.examples = std::int64_t(js.examples.size());
        js.info.computeDtype = model->computeDtype();
        js.info.device = model->device();
    }
    LlamaModel &llama = *model->impl().llama;
    const int L = int(llama.config().numLayers);
    std::array<MatrixShape, kMatricesPerLayer> shapes{};
    for (int m = 0; m < kMatricesPerLayer; ++m)
        shapes[size_t(m)] = {llama.config().matrixShape(m).first, llama.config().matrixShape(m).second};

    // The side file: its layers are carried over when it holds the same computation. Always into a new file: one
    // that a failed write (a full disk) left may be damaged where HDF5 would append, and only what reads back
    // intact (every checksum) is kept, as a layer's marker may have reached the disk before its data.
    int firstLayer = L;
    h5::File previous;
    if (fs::exists(side)) {
        try {
            previous = h5::File::open(side, false);
            bool same = previous.stringAttr("/", "model_fingerprint") == fingerprint;
            for (auto &js : sets) {
                const ScoreSetInfo before = readSettings(previous, js.info.name);
                same = same && sameComputation(before, js.info);
                firstLayer = std::min(firstLayer, std::clamp(before.layersDone, 0, L));
                js.info.seconds = before.seconds;
                js.info.created = before.created;
            }
            if (!same)
                previous = h5::File();
        } catch (const StoreError &) {
            previous = h5::File();  // unreadable (killed mid-write): start afresh
        }
    }
    if (!previous.isOpen()) {
        firstLayer = 0;
        for (auto &js : sets) {
            js.info.seconds = 0;
            js.info.created = nowIso();
        }
    }
    const std::string fresh = side + ".new";
    TempFile freshGuard{fresh};
    h5::File sideFile = h5::File::create(fresh);
    writeRoot(sideFile, fingerprint, fs::absolute(job.modelDir).string(), L, shapes);
    for (auto &js : sets) {
        sideFile.createGroups(setGroup(js.info.name));
        writeSettings(sideFile, setGroup(js.info.name), js.info);
    }
    std::vector<std::unique_ptr<SideFileSink>> sinks;
    for (const auto &js : sets)
        sinks.push_back(std::make_unique<SideFileSink>(sideFile, js.info.name,
                                                       js.info.isBasis() ? h5::Type::F32 : dtype,
                                                       settings.mode == ScoreMode::Sequential, llama.options().device));
    if (previous.isOpen()) {
        for (int l = 0; l < firstLayer; ++l) {
            try {
                for (size_t k = 0; k < sets.size(); ++k)
                    sinks[k]->carry(previous, l, sets[k].info.isBasis());
            } catch (const StoreError &) {
                firstLayer = l;
                break;
            }
            for (auto &sink : sinks)
                sink->layerDone(l);
        }
        previous = h5::File();
    }
    sideFile.flush();
    sideFile = h5::File();
    crashPoint("side-carried");
    if (::rename(fresh.c_str(), side.c_str()) != 0)
        throw StoreError(side + ": cannot replace the side file: " + std::strerror(errno));
    freshGuard.path.clear();
    sideFile = h5::File::open(side, true);
    for (auto &sink : sinks)
        sink->retarget(sideFile, firstLayer);
    result.resumedFromLayer = firstLayer;
    const double before = sets[0].info.seconds;
    auto elapsed = [&] { return before + std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    try {
        if (orthogonal)
            runOrthogonalAttribution(llama, sets[0].examples, sets[1].examples, settings, *sinks[0], *sinks[1],
                                     firstLayer, ctx);
        else
            runAttribution(llama, sets[0].examples, settings, *sinks[0], firstLayer, ctx);
    } catch (...) {
        for (const auto &js : sets)
            sideFile.setAttr(setGroup(js.info.name), "seconds", elapsed());
        sideFile.flush();
        throw;
    }
    for (auto &js : sets) {
        js.info.layersDone = L;
        js.info.seconds = elapsed();
        writeSettings(sideFile, setGroup(js.info.name), js.info);
    }
    sideFile.flush();

    // commit, under the store's lock, into the store as it is now: other writers may have added sets meanwhile
    if (ctx)
        ctx->report(0, 1, "writing the store");
    // what the commit adds: the sets, and summaries (two per pair, at most one pair per other set)
    std::uint64_t addedBytes = 0;
    for (const auto &js : sets)
        addedBytes += sideFile.storageBytes(setGroup(js.info.name));
    existing.reset();
    if (fs::exists(job.storePath)) {
        const auto now = Store::open(job.storePath);
        addedBytes += 2 * std::uint64_t(now->sets().size()) * std::uint64_t(L) * kMatricesPerLayer *
                      std::uint64_t(fractionGrid().size() * fractionGrid().size()) * sizeof(std::int64_t);
    }
    bool alreadyThere = false;
    commitStore(job.storePath, addedBytes, ctx, [&](h5::File &out, bool existed) {
        if (existed) {
            if (out.stringAttr("/", "model_fingerprint") != fingerprint)
                throw StoreError(job.storePath + ": this store now belongs to another model (it was replaced while "
                                                 "the job ran)");
            size_t present = 0;
            for (auto &js : sets)
                if (out.exists(setGroup(js.info.name))) {
                    const ScoreSetInfo o = readSettings(out, js.info.name);
                    if (!sameComputation(o, js.info))
                        throw StoreError(job.storePath + ": another job stored a set named \"" + js.info.name +
                                         "\" with other settings or data while this one ran; choose another name");
                    ++present;
                }
            if (present == sets.size()) {  // an identical job committed first
                alreadyThere = true;
                return false;
            }
            if (present > 0)
                throw StoreError(job.storePath + ": another job stored one set of the pair \"" + sets[0].info.name +
                                 "\" / \"" + sets[1].info.name + "\" while this one ran; choose other names");
        } else {
            writeRoot(out, fingerprint, fs::absolute(job.modelDir).string(), L, shapes);
        }
        for (const auto &js : sets) {
            const ScoreSetInfo &info = js.info;
            out.copyFrom(sideFile, setGroup(info.name), setGroup(info.name));
            if (info.isBasis())
                continue;
            for (const std::string &other : out.children("/sets")) {
                if (other == info.name)
                    continue;
                const ScoreSetInfo o = readSettings(out, other);
                if (o.isBasis() || o.settings.method != info.settings.method ||
                    o.settings.mode != info.settings.mode || o.role == info.role)
                    continue;
                const std::string safety = info.role == "safety" ? info.name : other;
                const std::string utility = info.role == "safety" ? other : info.name;
                writeSliderSummary(out, summaryGroup(safety, utility), safety, utility, L, ctx);
                result.summaries.push_back(safety + "|" + utility);
            }
        }
        return true;
    });
    sideFile = h5::File();
    crashPoint("committed");
    std::error_code ec;
    fs::remove(side, ec);
    result.reused = alreadyThere;
    if (alreadyThere) {
        const auto stored = Store::open(job.storePath);
        for (auto &js : sets)
            js.info = stored->set(js.info.name);
    }
    result.set = sets[0].info;
    for (const auto &js : sets)
        result.sets.push_back(js.info);
    if (ctx)
        ctx->report(1, 1, "writing the store");
    return result;
}

} // namespace alignscope
