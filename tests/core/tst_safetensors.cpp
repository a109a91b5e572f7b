// SPDX-License-Identifier: MIT
// safetensors: a round trip through the writer, and a matrix of corrupt files, each with the
// message it must give (file name first, then the problem) — never a crash or a huge allocation.
#include "alignscope/safetensors.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace alignscope;

namespace {

QByteArray le64(quint64 v)
{
    QByteArray b(8, '\0');
    for (int i = 0; i < 8; ++i)
        b[i] = char((v >> (8 * i)) & 0xff);
    return b;
}

/** A file made of an 8-byte length (the header's own unless `len` is given), a header and data. */
QByteArray rawFile(const QByteArray &header, int dataBytes, qint64 len = -1)
{
    return le64(len < 0 ? quint64(header.size()) : quint64(len)) + header + QByteArray(dataBytes, '\x01');
}

std::string errorOf(const QString &path)
{
    try {
        SafetensorsFile f(path.toStdString());
    } catch (const ModelError &e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void roundTrip()
    {
        const float a[6] = {1, 2, 3, 4, 5, 6};
        const std::uint16_t b[3] = {0x3f80, 0x4000, 0xc040};  // bf16 1, 2, -3
        const std::int64_t c[1] = {-7};
        const QString path = m_dir.filePath(QStringLiteral("rt.safetensors"));
        writeSafetensors(path.toStdString(),
                         {{"b.bf16", DType::BF16, {3}, b, sizeof b},
                          {"a.f32", DType::F32, {2, 3}, a, sizeof a},
                          {"c.i64", DType::I64, {1, 1}, c, sizeof c},
                          {"empty", DType::F32, {0, 4}, nullptr, 0}},
                         {{"format", "pt"}});
        SafetensorsFile f(path.toStdString());
        const auto &h = f.header();
        QCOMPARE(int(h.tensors.size()), 4);
        QCOMPARE(h.metadata.at("format"), std::string("pt"));
        QCOMPARE(h.dataStart % 8, 0u);
        const TensorInfo *ta = h.find("a.f32");
        QVERIFY(ta);
        QCOMPARE(ta->shape, (std::vector<std::int64_t>{2, 3}));
        QCOMPARE(std::memcmp(f.data(*ta), a, sizeof a), 0);
        const TensorInfo *tb = h.find("b.bf16");
        QCOMPARE(tb->dtype, DType::BF16);
        QCOMPARE(std::memcmp(f.data(*tb), b, sizeof b), 0);
        QCOMPARE(std::memcmp(f.data(*h.find("c.i64")), c, sizeof c), 0);
        QCOMPARE(h.find("empty")->numel(), 0);
        QVERIFY(!h.find("nope"));
        // every tensor starts aligned to its element size, so it can be used in place
        for (const auto &t : h.tensors)
            QCOMPARE(reinterpret_cast<std::uintptr_t>(f.data(t)) % dtypeSize(t.dtype), 0u);
        // in-memory writes are private: the file is unchanged
        reinterpret_cast<float *>(f.data(*ta))[0] = 42.0f;
        SafetensorsFile again(path.toStdString());
        QCOMPARE(reinterpret_cast<const float *>(again.data(*again.header().find("a.f32")))[0], 1.0f);
    }

    void writerChecksSizes()
    {
        const float a[2] = {1, 2};
        const QString path = m_dir.filePath(QStringLiteral("bad.safetensors"));
        QVERIFY_THROWS_EXCEPTION(ModelError, writeSafetensors(path.toStdString(), {{"a", DType::F32, {3}, a, sizeof a}}));
        QVERIFY(!QFile::exists(path));
    }

    void corrupt_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        const QByteArray ok = R"({"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}})";
        auto entry = [](const char *e) -> QByteArray { return QByteArray(R"({"w":)") + e + "}"; };
        QTest::addRow("empty file") << QByteArray() << "too small for a safetensors file (0 bytes";
        QTest::addRow("5 bytes") << QByteArray("\x10\0\0\0\0", 5) << "too small for a safetensors file (5 bytes";
        QTest::addRow("header past end") << rawFile(ok, 16, 4096) << "header length 4096 runs past the end of the file";
        QTest::addRow("absurd header") << rawFile(ok, 16, qint64(1) << 40) << "absurd header size 1099511627776";
        QTest::addRow("max u64 header") << le64(~0ull) + ok + QByteArray(16, 0) << "absurd header size";
        QTest::addRow("not JSON") << rawFile("{\"w\": [", 16) << "header is not valid JSON";
        QTest::addRow("binary garbage") << rawFile(QByteArray("\xff\xfe\x00\x01", 4), 0) << "header is not valid JSON";
        QTest::addRow("array header") << rawFile("[1,2]", 16) << "header must be a JSON object";
        QTest::addRow("entry not object") << rawFile(R"({"w": 3})", 16) << "tensor 'w': entry is not an object";
        QTest::addRow("missing dtype") << rawFile(entry(R"({"shape":[4],"data_offsets":[0,16]})"), 16)
                                       << "tensor 'w': missing dtype";
        QTest::addRow("unknown dtype") << rawFile(entry(R"({"dtype":"Q4","shape":[4],"data_offsets":[0,16]})"), 16)
                                       << "tensor 'w': unknown dtype 'Q4'";
        QTest::addRow("missing shape") << rawFile(entry(R"({"dtype":"F32","data_offsets":[0,16]})"), 16)
                                       << "tensor 'w': missing shape";
        QTest::addRow("negative dim") << rawFile(entry(R"({"dtype":"F32","shape":[-4],"data_offsets":[0,16]})"), 16)
                                      << "shape [-4] must hold non-negative integers";
        QTest::addRow("float dim") << rawFile(entry(R"({"dtype":"F32","shape":[2.5],"data_offsets":[0,16]})"), 16)
                                   << "must hold non-negative integers";
        QTest::addRow("huge shape") << rawFile(entry(R"({"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]})"), 16)
                                    << "is impossibly large";
        QTest::addRow("missing offsets") << rawFile(entry(R"({"dtype":"F32","shape":[4]})"), 16)
                                         << "data_offsets must be [begin, end]";
        QTest::addRow("three offsets") << rawFile(entry(R"({"dtype":"F32","shape":[4],"data_offsets":[0,8,16]})"), 16)
                                       << "data_offsets must be [begin, end]";
        QTest::addRow("negative offset") << rawFile(entry(R"({"dtype":"F32","shape":[4],"data_offsets":[-16,0]})"), 16)
                                         << "data_offsets must be [begin, end]";
        QTest::addRow("reversed offsets") << rawFile(entry(R"({"dtype":"F32","shape":[0],"data_offsets":[16,0]})"), 16)
                                          << "end before they begin";
        QTest::addRow("offsets out of range") << rawFile(entry(R"({"dtype":"F32","shape":[4],"data_offsets":[8,24]})"), 16)
                                              << "data_offsets [8, 24] out of range: the data section has 16 bytes";
        QTest::addRow("truncated data") << rawFile(ok, 10) << "out of range: the data section has 10 bytes";
        QTest::addRow("size mismatch") << rawFile(entry(R"({"dtype":"BF16","shape":[4],"data_offsets":[0,16]})"), 16)
                                       << "byte size 16 does not match shape [4] of BF16 (8 bytes)";
        QTest::addRow("overlap") << rawFile(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},)"
                                            R"("b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})", 16)
                                 << "tensors 'a' and 'b' overlap";
        // found by fuzz_safetensors: a number beyond 64 bits made the JSON parser throw a different exception
        QTest::addRow("number overflow") << rawFile(R"({"a":4444444444e444444444444444444})", 0) << "header is not valid JSON";
        QTest::addRow("bad metadata") << rawFile(R"({"__metadata__":{"format":3}})", 0)
                                      << "__metadata__ value of 'format' is not a string";
    }
    void corrupt()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        const QString path = m_dir.filePath(QStringLiteral("corrupt.safetensors"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(bytes);
        f.close();
        const QString got = QString::fromStdString(errorOf(path));
        QVERIFY2(got.startsWith(path + QStringLiteral(": ")), qPrintable(got));
        QVERIFY2(got.contains(message), qPrintable(got));
    }

    void notAFile()
    {
        const QString missing = m_dir.filePath(QStringLiteral("missing.safetensors"));
        QVERIFY(QString::fromStdString(errorOf(missing)).contains(QStringLiteral("cannot open")));
        QVERIFY(QString::fromStdString(errorOf(m_dir.path())).contains(QStringLiteral("not a regular file")));
    }
};

QTEST_APPLESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
