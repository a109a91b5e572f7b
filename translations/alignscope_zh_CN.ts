<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>alignscope::ui::GenerationsModel</name>
    <message>
        <source>jailbroken</source>
        <translation>已越狱</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>判定</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::GenerationsView</name>
    <message>
        <source>All verdicts</source>
        <translation>全部判定</translation>
    </message>
    <message>
        <source>Jailbroken</source>
        <translation>已越狱</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>All settings</source>
        <translation>全部设置</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>No generations</source>
        <translation>没有生成结果</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::LayerMapView</name>
    <message>
        <source>Matrix</source>
        <translation>矩阵</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>No data</source>
        <translation>没有数据</translation>
    </message>
    <message>
        <source>Layer map</source>
        <translation>层热图</translation>
    </message>
    <message>
        <source>Layer map: %1</source>
        <translation>层热图：%1</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::LinePlotView</name>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>No data</source>
        <translation>没有数据</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::MainWindow</name>
    <message>
        <source>AlignScope</source>
        <translation>AlignScope</translation>
    </message>
    <message>
        <source>Layer map</source>
        <translation>层热图</translation>
    </message>
    <message>
        <source>Overlap</source>
        <translation>重叠</translation>
    </message>
    <message>
        <source>Tradeoff</source>
        <translation>权衡</translation>
    </message>
    <message>
        <source>Generations</source>
        <translation>生成结果</translation>
    </message>
    <message>
        <source>Selection</source>
        <translation>选择</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel the running job</source>
        <translation>取消正在运行的任务</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;store…</source>
        <translation>打开存储(&amp;S)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>Score stores are not supported by this version yet</source>
        <translation>此版本尚不支持分数存储</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Export figure…</source>
        <translation>导出图表(&amp;E)…</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>The language changes when AlignScope is started again.</source>
        <translation>语言将在下次启动 AlignScope 时生效。</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About AlignScope</source>
        <translation>关于 AlignScope(&amp;A)</translation>
    </message>
    <message>
        <source>About AlignScope</source>
        <translation>关于 AlignScope</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
        <source>Cannot open model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>清除列表</translation>
    </message>
    <message>
        <source>&lt;h3&gt;AlignScope %1&lt;/h3&gt;&lt;p&gt;Finds where a language model&apos;s safety lives: the sparse safety-critical weights and ranks of Wei et al. (ICML 2024, arXiv 2402.05162).&lt;/p&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;Qt&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;libtorch&lt;/td&gt;&lt;td&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;HDF5&lt;/td&gt;&lt;td&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;QCustomPlot&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation>&lt;h3&gt;AlignScope %1&lt;/h3&gt;&lt;p&gt;找出语言模型的安全性位于何处：Wei 等人（ICML 2024，arXiv 2402.05162）所述的稀疏安全关键权重与秩。&lt;/p&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;Qt&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;libtorch&lt;/td&gt;&lt;td&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;HDF5&lt;/td&gt;&lt;td&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;QCustomPlot&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</translation>
    </message>
    <message>
        <source>No scores computed for this model yet</source>
        <translation>尚未为此模型计算分数</translation>
    </message>
    <message>
        <source>No evaluated points yet</source>
        <translation>尚无评估点</translation>
    </message>
    <message>
        <source>No generations yet</source>
        <translation>尚无生成结果</translation>
    </message>
    <message>
        <source>%1 — AlignScope</source>
        <translation>%1 — AlignScope</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>Open a Hugging Face model folder</source>
        <translation>打开 Hugging Face 模型文件夹</translation>
    </message>
    <message>
        <source>Export figure</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg);;CSV data (*.csv)</source>
        <translation>PNG 图像 (*.png);;PDF 文档 (*.pdf);;SVG 矢量图 (*.svg);;CSV 数据 (*.csv)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>%1: unknown file type</source>
        <translation>%1：未知文件类型</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <source>Model &amp; data</source>
        <translation>模型与数据</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::ModelPanel</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <source>Calibration data</source>
        <translation>校准数据</translation>
    </message>
    <message>
        <source>CSV, JSON or JSONL file</source>
        <translation>CSV、JSON 或 JSONL 文件</translation>
    </message>
    <message>
        <source>Safety:</source>
        <translation>安全：</translation>
    </message>
    <message>
        <source>Choose the safety dataset</source>
        <translation>选择安全数据集</translation>
    </message>
    <message>
        <source>Utility:</source>
        <translation>效用：</translation>
    </message>
    <message>
        <source>Choose the utility dataset</source>
        <translation>选择效用数据集</translation>
    </message>
    <message>
        <source>Datasets (*.csv *.json *.jsonl *.txt);;All files (*)</source>
        <translation>数据集 (*.csv *.json *.jsonl *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation>架构：</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>层数：</translation>
    </message>
    <message>
        <source>Hidden size:</source>
        <translation>隐藏维度：</translation>
    </message>
    <message>
        <source>MLP size:</source>
        <translation>MLP 维度：</translation>
    </message>
    <message>
        <source>Heads:</source>
        <translation>注意力头：</translation>
    </message>
    <message>
        <source>%1 (%2 key/value)</source>
        <translation>%1（%2 个键/值头）</translation>
    </message>
    <message>
        <source>Vocabulary:</source>
        <translation>词表：</translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation>参数量：</translation>
    </message>
    <message>
        <source>Scored matrices:</source>
        <translation>评分矩阵：</translation>
    </message>
    <message>
        <source>%1 (%2 weights)</source>
        <translation>%1（%2 个权重）</translation>
    </message>
    <message>
        <source>Stored dtype:</source>
        <translation>存储数据类型：</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::OverlapView</name>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Jaccard index</source>
        <translation>Jaccard 指数</translation>
    </message>
    <message>
        <source>Safety vs utility overlap</source>
        <translation>安全与效用的重叠</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::PlotView</name>
    <message>
        <source>Export figure…</source>
        <translation>导出图表…</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::SliderPanel</name>
    <message>
        <source>Set difference</source>
        <translation>集合差</translation>
    </message>
    <message>
        <source>p (utility top):</source>
        <translation>p（效用前列）：</translation>
    </message>
    <message>
        <source>q (safety top):</source>
        <translation>q（安全前列）：</translation>
    </message>
    <message>
        <source>Actual sparsity:</source>
        <translation>实际稀疏度：</translation>
    </message>
    <message>
        <source>Weights among the top p of the utility score are kept</source>
        <translation>效用分数前 p 的权重被保留</translation>
    </message>
    <message>
        <source>Weights among the top q of the safety score, and not kept for utility, are removed</source>
        <translation>安全分数前 q 且未因效用而保留的权重被移除</translation>
    </message>
    <message>
        <source>Pruning</source>
        <translation>剪枝</translation>
    </message>
    <message>
        <source>Sparsity s:</source>
        <translation>稀疏度 s：</translation>
    </message>
    <message>
        <source>Orthogonal projection</source>
        <translation>正交投影</translation>
    </message>
    <message>
        <source>r_u:</source>
        <translation>r_u：</translation>
    </message>
    <message>
        <source>r_s:</source>
        <translation>r_s：</translation>
    </message>
    <message>
        <source>The protected utility subspace has dimension m − r_u (the reference code&apos;s --rank_pos)</source>
        <translation>受保护的效用子空间维度为 m − r_u（参考代码的 --rank_pos）</translation>
    </message>
    <message>
        <source>The safety subspace has dimension m − r_s (the reference code&apos;s --rank_neg)</source>
        <translation>安全子空间维度为 m − r_s（参考代码的 --rank_neg）</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::TradeoffView</name>
    <message>
        <source>Actual sparsity</source>
        <translation>实际稀疏度</translation>
    </message>
    <message>
        <source>Attack success rate</source>
        <translation>攻击成功率</translation>
    </message>
    <message>
        <source>ASR tradeoff</source>
        <translation>ASR 权衡</translation>
    </message>
</context>
</TS>
