// SPDX-License-Identifier: MIT
// The store's database guarantees (docs/STORE_FORMAT.md, "Writers" and "Integrity"), each checked against
// an independent run or a file forged behind the library's back:
//  - sequential Wanda/SNIP prune on fp32 scores whatever the store dtype (spec §2.3): a bf16 store holds the
//    bf16 rounding of the fp32 store's scores;
//  - a resumed job keeps only what reads back intact (checksums), whatever the side file's marker says;
//  - writers take the store's lock: a second one waits or is refused naming the holder, two jobs at once
//    both land, and what killed writers left (STORE.tmp-PID, a stale lock) is cleaned up;
//  - a store is validated on open (layer counts, shapes, datasets, finite scores), and a flipped bit in any
//    dataset is an error naming it; a random bit-flip campaign finds no silently wrong value.
#include "alignscope/fraction_grid.h"
#include "alignscope/jobs.h"
#include "alignscope/runtime.h"
#include "alignscope/store.h"
#include "store/commit.h"
#include "store/h5.h"
#include "tinymodel.h"

#include <hdf5.h>
#include <unistd.h>

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <cstring>
#include <limits>
#include <optional>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

using namespace alignscope;
namespace fs = std::filesystem;

namespace {

struct Fixture {
    QTemporaryDir dir;
    std::string model, safety, utility;
    Fixture()
    {
        test::TinySpec spec;
        spec.vocab = 260;
        spec.layers = 4;
        spec.kvHeads = 2;
        model = path("model");
        fs::create_directories(model);
        test::writeTinyModel(model, spec, test::tinyWeights(spec));
        test::writeByteTokenizer(model);
        safety = path("safety_short.csv");
        utility = path("utility.csv");
        test::writeText(safety, test::calibrationCsv("harmful", 12));
        test::writeText(utility, test::calibrationCsv("useful", 12));
    }
    std::string path(const char *name) const { return dir.filePath(QString::fromLatin1(name)).toStdString(); }
    ScoreJob job(const std::string &data, const std::string &store, ScoreMethod m = ScoreMethod::Wanda) const
    {
        ScoreJob j;
        j.modelDir = model;
        j.dataFile = data;
        j.storePath = store;
        j.settings.method = m;
        j.settings.nsamples = 8;
        return j;
    }
    ScoreJob sequential(const std::string &store, ScoreMethod m = ScoreMethod::Wanda) const
    {
        ScoreJob j = job(safety, store, m);
        j.settings.mode = ScoreMode::Sequential;
        j.settings.sparsity = 0.3;
        return j;
    }
};

using test::storeContents;

QString errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const std::exception &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

/** Rewrites a dataset's bytes through the HDF5 library (valid chunk checksums), leaving its attributes as they were. */
void rewriteBehindTheStore(const std::string &file, const std::string &dataset, const std::function<void(std::vector<char> &)> &change)
{
    const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    QVERIFY(f >= 0);
    const hid_t d = H5Dopen2(f, dataset.c_str(), H5P_DEFAULT);
    QVERIFY(d >= 0);
    const hid_t t = H5Dget_type(d);
    const hid_t s = H5Dget_space(d);
    std::vector<char> bytes(size_t(H5Sget_simple_extent_npoints(s)) * H5Tget_size(t));
    QVERIFY(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) >= 0);
    change(bytes);
    QVERIFY(H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) >= 0);
    H5Sclose(s);
    H5Tclose(t);
    H5Dclose(d);
    H5Fclose(f);
}

/** Where a dataset's first chunk lies in the file, and its size. */
std::pair<std::uint64_t, std::uint64_t> firstChunk(const std::string &file, const std::string &dataset)
{
    const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t d = H5Dopen2(f, dataset.c_str(), H5P_DEFAULT);
    hsize_t offset[4] = {};
    unsigned mask = 0;
    haddr_t addr = 0;
    hsize_t size = 0;
    const hid_t space = H5Dget_space(d);
    const herr_t rc = H5Dget_chunk_info(d, space, 0, offset, &mask, &addr, &size);
    H5Sclose(space);
    H5Dclose(d);
    H5Fclose(f);
    return rc < 0 ? std::pair<std::uint64_t, std::uint64_t>{0, 0} : std::pair<std::uint64_t, std::uint64_t>{addr, size};
}

void flipBit(const std::string &file, std::uint64_t byte, int bit)
{
    std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
    io.seekg(std::streamoff(byte));
    char c = 0;
    io.read(&c, 1);
    c = char(c ^ (1 << bit));
    io.seekp(std::streamoff(byte));
    io.write(&c, 1);
}

std::vector<std::string> leftovers(const std::string &dir)
{
    std::vector<std::string> out;
    for (const auto &e : fs::directory_iterator(dir)) {
        const std::string n = e.path().filename().string();
        if (n.find(".tmp-") != std::string::npos || n.find(".lock") != std::string::npos ||
            n.find(".partial-") != std::string::npos)
            out.push_back(n);
    }
    return out;
}

} // namespace

class TestStoreIntegrity : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { configureThreads(1); }

    void sequentialJobsPruneOnFp32Scores_data()
    {
        QTest::addColumn<int>("method");
        QTest::addRow("wanda") << int(ScoreMethod::Wanda);
        QTest::addRow("snip") << int(ScoreMethod::Snip);
    }

    void sequentialJobsPruneOnFp32Scores()
    {
        QFETCH(int, method);
        Fixture f;
        ScoreJob exact = f.sequential(f.path("fp32.h5"), ScoreMethod(method));
        exact.storeDtype = "fp32";
        ScoreJob rounded = f.sequential(f.path("bf16.h5"), ScoreMethod(method));
        rounded.storeDtype = "bf16";
        const std::string name = exact.name = rounded.name = "seq";
        runScoreJob(exact);
        runScoreJob(rounded);
        auto a = Store::open(exact.storePath), b = Store::open(rounded.storePath);
        // independent of the code under test: the bf16 rounding (nearest even) of each fp32 score
        for (int l = 0; l < 4; ++l)
            for (int m = 0; m < kMatricesPerLayer; ++m) {
                std::vector<float> want = a->scores(name, l, Matrix(m));
                for (float &x : want) {
                    std::uint32_t u;
                    std::memcpy(&u, &x, 4);
                    u = (u + 0x7fffu + ((u >> 16) & 1u)) & 0xffff0000u;
                    std::memcpy(&x, &u, 4);
                }
                QVERIFY2(b->scores(name, l, Matrix(m)) == want,
                         qPrintable(QStringLiteral("layer %1 %2").arg(l).arg(QLatin1String(matrixName(Matrix(m))))));
            }
        QCOMPARE(leftovers(f.dir.path().toStdString()), std::vector<std::string>());
    }

    void resumeKeepsOnlyWhatReadsBackIntact_data()
    {
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<QString>("damage");
        QTest::addColumn<int>("resumeAt");
        for (const char *dtype : {"bf16", "fp32"}) {
            QTest::addRow("%s intact", dtype) << dtype << "none" << 3;
            QTest::addRow("%s data rewritten", dtype) << dtype << "rewrite" << 1;
            QTest::addRow("%s bit flipped", dtype) << dtype << "flip" << 1;
            QTest::addRow("%s marker ahead", dtype) << dtype << "marker" << 3;
            QTest::addRow("%s dataset missing", dtype) << dtype << "missing" << 2;
        }
    }

    void resumeKeepsOnlyWhatReadsBackIntact()
    {
        QFETCH(QString, dtype);
        QFETCH(QString, damage);
        QFETCH(int, resumeAt);
        Fixture f;
        ScoreJob job = f.sequential(f.path("s.h5"));
        job.storeDtype = dtype.toStdString();
        ScoreJob reference = job;
        reference.storePath = f.path("ref.h5");
        const std::string name = runScoreJob(reference).set.name;

        CancellationToken token;
        JobContext ctx(
            [&token](const ProgressEvent &e) {
                if (e.stage == "scoring layer 3")
                    token.cancel();
            },
            &token, 0.0);
        QVERIFY_THROWS_EXCEPTION(Cancelled, runScoreJob(job, &ctx));
        const std::string side = job.storePath + ".partial-" + name + ".h5";
        QVERIFY(fs::exists(side));
        // the dataset a resumed job reads back for layer 1: the fp32 copy of a bf16 job, else the score
        const std::string layer1 = (dtype == QLatin1String("bf16") ? "/exact/" + name : "/sets/" + name) + "/layer_001/q";
        if (damage == QLatin1String("rewrite")) {
            rewriteBehindTheStore(side, layer1, [](std::vector<char> &b) { b[5] ^= 0x10; });
        } else if (damage == QLatin1String("flip")) {
            const auto [addr, size] = firstChunk(side, layer1);
            QVERIFY(size > 0);
            flipBit(side, addr + size / 2, 3);
        } else if (damage == QLatin1String("marker")) {
            h5::File::open(side, true).setAttr("/sets/" + name, "layers_done", std::int64_t(4));
        } else if (damage == QLatin1String("missing")) {
            auto file = h5::File::open(side, true);
            file.remove((dtype == QLatin1String("bf16") ? "/exact/" + name : "/sets/" + name) + "/layer_002/down");
        }
        token.reset();
        const ScoreJobResult r = runScoreJob(job);
        QCOMPARE(r.resumedFromLayer, resumeAt);
        QVERIFY(storeContents(job.storePath) == storeContents(reference.storePath));
        QCOMPARE(leftovers(f.dir.path().toStdString()), std::vector<std::string>());
    }

    void aSecondWriterWaitsOrIsRefusedNamingTheHolder()
    {
        Fixture f;
        const std::string store = f.path("w.h5");
        {
            std::optional<StoreLock> held;
            held.emplace(store);
            QVERIFY(StoreLock::holder(store).find("pid " + std::to_string(::getpid())) != std::string::npos);
            const QString refused = errorOf([&] { StoreLock again(store, nullptr, false); });
            QVERIFY2(refused.contains(QStringLiteral("is being written by pid %1 on ").arg(::getpid())), qPrintable(refused));
            // a waiting writer says whom it waits for and gets the lock once it is free
            CancellationToken token;
            std::vector<std::string> stages;
            std::atomic<bool> acquired{false};
            JobContext ctx([&](const ProgressEvent &e) { stages.push_back(e.stage); }, &token, 0.0);
            std::thread waiter([&] {
                const StoreLock mine(store, &ctx, true);
                acquired = true;
            });
            QTest::qSleep(300);
            QVERIFY(!acquired);
            held.reset();
            waiter.join();
            QVERIFY(acquired);
            QVERIFY(!stages.empty() && stages[0].find("waiting for the store, which pid") == 0);
        }
        QVERIFY(StoreLock::holder(store).empty());
        QCOMPARE(leftovers(f.dir.path().toStdString()), std::vector<std::string>());

        // a waiting writer is cancellable
        {
            const StoreLock held(store);
            CancellationToken token;
            JobContext ctx([](const ProgressEvent &) {}, &token, 0.0);
            std::thread cancel([&] {
                QTest::qSleep(200);
                token.cancel();
            });
            QVERIFY_THROWS_EXCEPTION(Cancelled, StoreLock(store, &ctx, true));
            cancel.join();
        }

        // an identical job already running (its side file locked) is refused, naming the holder
        const std::string name = runScoreJob(f.job(f.safety, f.path("probe.h5"))).set.name;
        {
            const StoreLock running(store + ".partial-" + name + ".h5");
            const QString msg = errorOf([&] { runScoreJob(f.job(f.safety, store)); });
            QVERIFY2(msg.contains(QStringLiteral(".partial-")) && msg.contains(QStringLiteral("is being written by pid")),
                     qPrintable(msg));
        }
        QVERIFY(!fs::exists(store));
    }

    void twoJobsAtOnceBothLand()
    {
        // before the lock, one of two concurrent commits was lost in 3 of 10 runs
        for (int round = 0; round < 4; ++round) {
            Fixture f;
            const std::string store = f.path("both.h5");
            std::string errA, errB;
            std::thread a([&] { errA = errorOf([&] { runScoreJob(f.job(f.safety, store)); }).toStdString(); });
            std::thread b([&] { errB = errorOf([&] { runScoreJob(f.job(f.utility, store)); }).toStdString(); });
            a.join();
            b.join();
            QVERIFY2(errA.empty() && errB.empty(), (errA + errB).c_str());
            const auto s = Store::open(store);
            QCOMPARE(s->sets().size(), size_t(2));
            QCOMPARE(s->summaryPairs().size(), size_t(1));  // the second commit saw the first set
            QCOMPARE(leftovers(f.dir.path().toStdString()), std::vector<std::string>());
        }
    }

    void whatKilledWritersLeftIsCleanedUp()
    {
        Fixture f;
        const std::string store = f.path("k.h5");
        runScoreJob(f.job(f.safety, store));
        test::writeText(store + ".tmp-4242", std::string(100000, 'x'));  // a commit killed after its copy
        test::writeText(store + ".lock", "pid 4242 on elsewhere since yesterday: killed");  // nobody holds it
        test::writeText(store + ".tmp-notmine", "kept");                                      // not a copy of ours
        QVERIFY(StoreLock::holder(store).empty());
        runScoreJob(f.job(f.utility, store));
        QVERIFY(!fs::exists(store + ".tmp-4242"));
        QVERIFY(!fs::exists(store + ".lock"));
        QVERIFY(fs::exists(store + ".tmp-notmine"));
        QCOMPARE(Store::open(store)->sets().size(), size_t(2));
        // a commit that fails leaves the store and no copy behind
        const std::string before = [&] {
            std::ifstream in(store, std::ios::binary);
            return std::string(std::istreambuf_iterator<char>(in), {});
        }();
        ScoreJob clash = f.job(f.utility, store);
        clash.settings.nsamples = 4;
        clash.name = Store::open(store)->sets()[1].name;
        QVERIFY(!errorOf([&] { runScoreJob(clash); }).isEmpty());
        std::ifstream in(store, std::ios::binary);
        QVERIFY(std::string(std::istreambuf_iterator<char>(in), {}) == before);
        QVERIFY(!fs::exists(store + ".lock"));
    }

    void openValidatesTheStore_data()
    {
        QTest::addColumn<QString>("forgery");
        QTest::addColumn<QString>("message");
        QTest::addRow("num_layers 1000") << "num_layers" << "the set has 4 of 1000 layers";
        QTest::addRow("num_layers 0") << "num_layers0" << "num_layers = 0 is not a model's layer count";
        QTest::addRow("huge shapes") << "shapes" << "(/model/shapes): q is 1073741824 × 32";
        QTest::addRow("shapes that do not fit") << "misfit" << "do not fit together";
        QTest::addRow("4×4 score matrix") << "small" << "/layer_002/up): not 48 × 32";
        QTest::addRow("set not finished") << "layers_done" << "the set has 3 of 4 layers";
        QTest::addRow("unknown role") << "role" << "role \"attack\" is neither";
        QTest::addRow("summary of a missing set") << "summary" << "the summary names a set";
        QTest::addRow("NaN score") << "nan" << "/layer_001/k): 1 values are not finite";
        QTest::addRow("score rewritten, checksum kept") << "rewrite" << "/layer_003/o): checksum mismatch";
        // found by fuzz_store: INT64_MIN in a summary overflowed the set-difference count
        QTest::addRow("summary count out of range") << "summary-count" << "does not hold cumulative counts";
    }

    void openValidatesTheStore()
    {
        QFETCH(QString, forgery);
        QFETCH(QString, message);
        static Fixture f;  // one reference store for every row
        const std::string good = f.path("good.h5");
        static std::string safetyName;
        if (!fs::exists(good)) {
            safetyName = runScoreJob(f.job(f.safety, good)).set.name;
            runScoreJob(f.job(f.utility, good));
        }
        const std::string bad = f.path("bad.h5");
        fs::copy_file(good, bad, fs::copy_options::overwrite_existing);
        const std::string set = "/sets/" + safetyName;
        {
            auto file = h5::File::open(bad, true);
            if (forgery == QLatin1String("num_layers"))
                file.setAttr("/", "num_layers", std::int64_t(1000));
            else if (forgery == QLatin1String("num_layers0"))
                file.setAttr("/", "num_layers", std::int64_t(0));
            else if (forgery == QLatin1String("shapes") || forgery == QLatin1String("misfit")) {
                std::vector<std::int64_t> s = file.readI64("/model/shapes");
                if (forgery == QLatin1String("shapes"))
                    s[0] = std::int64_t(1) << 30;  // 40 GB of scores, had it been believed
                else
                    s[13] += 1;  // down's columns
                file.write("/model/shapes", {7, 2}, h5::Type::I64, s.data(), false);
            } else if (forgery == QLatin1String("small")) {
                std::vector<std::uint16_t> v(16, 0x3f80);
                file.write(set + "/layer_002/up", {4, 4}, h5::Type::BF16, v.data(), true);
            } else if (forgery == QLatin1String("layers_done"))
                file.setAttr(set, "layers_done", std::int64_t(3));
            else if (forgery == QLatin1String("role"))
                file.setAttr(set, "role", std::string("attack"));
            else if (forgery == QLatin1String("summary")) {
                const std::string summary = "/summaries/" + file.children("/summaries").at(0);
                file.setAttr(summary, "utility", std::string("gone"));
            } else if (forgery == QLatin1String("summary-count")) {
                const std::string m = "/summaries/" + file.children("/summaries").at(0) + "/matrix";
                const auto dims = file.dims(m);
                std::vector<std::int64_t> v = file.readI64(m);
                v[v.size() / 2] = std::numeric_limits<std::int64_t>::min();
                file.write(m, dims, h5::Type::I64, v.data(), false);
            } else if (forgery == QLatin1String("nan")) {
                const std::string k = set + "/layer_001/k";
                const auto dims = file.dims(k);
                std::vector<float> v = file.readF32(k);
                std::vector<std::uint16_t> b(v.size());
                for (size_t i = 0; i < v.size(); ++i) {
                    std::uint32_t u;
                    std::memcpy(&u, &v[i], 4);
                    b[i] = std::uint16_t(u >> 16);
                }
                b[7] = 0x7fc0;  // bf16 NaN, with a valid checksum
                file.write(k, dims, h5::Type::BF16, b.data(), true);
                file.setAttr(k, "dtype", std::string("bf16"));
            }
        }
        if (forgery == QLatin1String("rewrite"))
            rewriteBehindTheStore(bad, set + "/layer_003/o", [](std::vector<char> &b) { b[100] ^= 1; });
        const QString msg = errorOf([&] {
            const auto s = Store::open(bad);
            storeContents(bad);
        });
        QVERIFY2(msg.contains(QString::fromStdString(bad)) && msg.contains(message), qPrintable(msg));
    }

    void aFlippedBitIsAnErrorNamingTheDataset_data()
    {
        QTest::addColumn<QString>("dataset");
        QTest::addRow("bf16 scores") << "SET/layer_001/v";
        QTest::addRow("slider summary") << "SUMMARY/matrix";
        QTest::addRow("eigenvectors") << "BASIS/layer_000/gate_eigenvectors";
        QTest::addRow("eigenvalues") << "BASIS/layer_002/q_eigenvalues";
        QTest::addRow("text attribute") << "TEXT";
    }

    void aFlippedBitIsAnErrorNamingTheDataset()
    {
        QFETCH(QString, dataset);
        static Fixture f;
        const std::string good = f.path("flip.h5");
        static std::string setName, basisName;
        if (!fs::exists(good)) {
            setName = runScoreJob(f.job(f.safety, good)).set.name;
            runScoreJob(f.job(f.utility, good));
            basisName = runScoreJob(f.job(f.safety, good, ScoreMethod::ActSvd)).set.name;
        }
        std::string path = dataset.toStdString();
        const auto pair = Store::open(good)->summaryPairs().at(0);
        auto replace = [&](const std::string &key, const std::string &value) {
            if (path.compare(0, key.size(), key) == 0)
                path = value + path.substr(key.size());
        };
        replace("SET", "/sets/" + setName);
        replace("BASIS", "/sets/" + basisName);
        replace("SUMMARY", "/summaries/" + pair.first + "__vs__" + pair.second);
        const std::string bad = f.path("flipped.h5");
        if (dataset == QLatin1String("TEXT")) {
            // a string attribute (the safety set's data file): its bytes live in HDF5's global heap, which
            // has no checksum of its own; the object's attrs_crc32 covers them
            std::ifstream in(good, std::ios::binary);
            const std::string bytes((std::istreambuf_iterator<char>(in)), {});
            const auto at = bytes.find(f.safety);
            QVERIFY(at != std::string::npos);
            fs::copy_file(good, bad, fs::copy_options::overwrite_existing);
            flipBit(bad, at + f.safety.size() - 6, 1);
            const QString msg = errorOf([&] { Store::open(bad); });
            QVERIFY2(msg.contains(QStringLiteral("checksum mismatch in its attributes")), qPrintable(msg));
            return;
        }
        const auto [addr, size] = firstChunk(good, path);
        QVERIFY2(size > 0, path.c_str());
        for (int k = 0; k < 3; ++k) {  // three places in the chunk
            fs::copy_file(good, bad, fs::copy_options::overwrite_existing);
            flipBit(bad, addr + (size - 1) * std::uint64_t(k) / 2, k * 3);
            const QString msg = errorOf([&] { storeContents(bad); });
            QVERIFY2(msg.contains(QString::fromStdString(path)) && msg.contains(QStringLiteral("checksum")), qPrintable(msg));
        }
    }

    void randomBitFlipsNeverGiveWrongValues()
    {
        // A small campaign (the full one: tests/campaign/): flip one random bit anywhere in a store; reading
        // everything must give an error or exactly the original values.
        Fixture f;
        const std::string good = f.path("campaign.h5");
        runScoreJob(f.job(f.safety, good));
        runScoreJob(f.job(f.utility, good));
        const std::vector<double> want = storeContents(good);
        const auto bytes = fs::file_size(good);
        std::mt19937_64 rng(20261203);
        int errors = 0, same = 0;
        const std::string bad = f.path("campaign-bad.h5");
        for (int i = 0; i < 60; ++i) {
            fs::copy_file(good, bad, fs::copy_options::overwrite_existing);
            const std::uint64_t at = rng() % bytes;
            flipBit(bad, at, int(rng() % 8));
            std::vector<double> got;
            const QString msg = errorOf([&] { got = storeContents(bad); });
            if (!msg.isEmpty()) {
                QVERIFY2(msg.contains(QString::fromStdString(bad)), qPrintable(msg));
                ++errors;
            } else {
                QVERIFY2(got == want, qPrintable(QStringLiteral("a flip at byte %1 changed values silently").arg(at)));
                ++same;
            }
        }
        qInfo("60 flipped bits: %d errors, %d harmless (unused bytes or metadata that was not read)", errors, same);
    }
};

QTEST_APPLESS_MAIN(TestStoreIntegrity)
#include "tst_store_integrity.moc"
