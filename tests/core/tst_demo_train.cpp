// SPDX-License-Identifier: MIT
// A miniature run of the demo pipeline (a few steps, a tiny model, a few evaluation prompts) keeps
// the training path alive in CI; the shipped models are never retrained here.
#include "alignscope/demo.h"
#include "alignscope/model.h"
#include "alignscope/runtime.h"
#include "alignscope/tokenizer.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace alignscope;

class TestDemoTrain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void miniature()
    {
        configureThreads(1);
        QTemporaryDir dir;
        DemoTrainOptions o;
        o.baseSteps = 3;
        o.alignSteps = 2;
        o.batch = 4;
        o.hidden = 32;
        o.intermediate = 48;
        o.layers = 1;
        o.heads = 2;
        o.evalLimit = 3;
        const DemoTrainResult r = trainDemoModels(dir.path().toStdString(), o);
        for (const std::string &d : {r.baseDir, r.chatDir}) {
            const ModelInfo info = inspectModel(d);  // a valid Hugging Face folder
            QCOMPARE(info.config.numLayers, std::int64_t(1));
            QCOMPARE(info.storedDtype, std::string("F32"));
            auto tok = Tokenizer::load(d);
            QCOMPARE(tok->vocabSize(), info.config.vocabSize);
            QVERIFY(std::filesystem::file_size(d + "/model.safetensors") < 10u << 20);
            auto model = Model::load(d);
            QCOMPARE(model->eosIds(), std::vector<std::int64_t>{tok->eosId()});
        }
        for (const DemoEvaluation &e : {r.base, r.chat}) {
            QCOMPARE(e.harmfulPrompts, 3);
            QCOMPARE(e.utilityPrompts, 3);
            for (double v : {e.asrSystem, e.asrNoSystem, e.complySystem, e.benignComply, e.utility})
                QVERIFY(v >= 0 && v <= 1);
        }
        QVERIFY(r.baseFinalLoss > 0);
    }
};

QTEST_APPLESS_MAIN(TestDemoTrain)
#include "tst_demo_train.moc"
