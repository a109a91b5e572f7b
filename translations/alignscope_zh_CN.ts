<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Help</name>
    <message>
        <source>&lt;h3&gt;Layer map&lt;/h3&gt;&lt;p&gt;One cell per layer (rows) and matrix (q, k, v, o, gate, up, down), coloured by the quantity chosen in the Selection panel:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;Fraction removed by the edit&lt;/b&gt;: for the set difference, the weights in the top q of the safety scores that are not in the top p of the utility scores, over the whole matrix (Wei et al. 2024, §5), counted exactly from the store&apos;s slider summaries; for pruning, the weights removed per row at sparsity s; for the orthogonal projection, the ranks removed (the §7 bound min(d_out − d_u, d_s) until the projection has been evaluated, then the numerical rank of ΔW).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Jaccard index&lt;/b&gt; of the top p of the safety and the utility scores.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Mean safety score&lt;/b&gt;: log10 of the mean of the matrix&apos;s safety scores (read once from the store).&lt;/li&gt;&lt;li&gt;&lt;b&gt;Subspace similarity&lt;/b&gt; ‖U_sᵀU_u‖²_F / min(d_s, d_u) of the top m − r_s safety and m − r_u utility directions of the ActSVD bases: the two subspaces the projection uses.&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Hover a cell for its value; click it for the matrix view.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;层图&lt;/h3&gt;&lt;p&gt;每层（行）与每个矩阵（q、k、v、o、gate、up、down）各占一格，颜色表示在“选择”面板中选定的量：&lt;/p&gt;&lt;ul&gt;&lt;li&gt;&lt;b&gt;编辑移除的比例&lt;/b&gt;：对集合差，为整个矩阵中位于安全分数前 q、却不在效用分数前 p 的权重（Wei 等，2024，§5），由存储的滑块摘要精确计数；对剪枝，为在稀疏度 s 下每行移除的权重；对正交投影，为移除的秩（在投影被评估之前为 §7 的上界 min(d_out − d_u, d_s)，之后为 ΔW 的数值秩）。&lt;/li&gt;&lt;li&gt;安全与效用分数前 p 的 &lt;b&gt;Jaccard 指数&lt;/b&gt;。&lt;/li&gt;&lt;li&gt;&lt;b&gt;平均安全分数&lt;/b&gt;：矩阵安全分数均值的 log10（从存储中读取一次）。&lt;/li&gt;&lt;li&gt;ActSVD 基中前 m − r_s 个安全方向与前 m − r_u 个效用方向的&lt;b&gt;子空间相似度&lt;/b&gt; ‖U_sᵀU_u‖²_F / min(d_s, d_u)：即投影所用的两个子空间。&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;将鼠标悬停在格子上查看数值；点击格子打开矩阵视图。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Overlap&lt;/h3&gt;&lt;p&gt;Neurons: the Jaccard index |A ∩ B| / |A ∪ B| of A, the top p of the safety scores, and B, the top p of the utility scores, per layer and matrix. Ranks: the subspace similarity ‖U_sᵀU_u‖²_F / min(d_s, d_u) of the top m − r_s safety and m − r_u utility directions of the ActSVD bases. Low values mean that safety and utility rely on different weights or directions. The dashed lines pool the attention matrices (q, k, v, o) and the MLP matrices (gate, up, down): Σ|A ∩ B| / Σ|A ∪ B| for the Jaccard index, the mean for the subspaces. Independent random sets would give about p / (2 − p).&lt;/p&gt;</source>
        <translation>&lt;h3&gt;重叠&lt;/h3&gt;&lt;p&gt;神经元：每层每个矩阵中，A（安全分数前 p）与 B（效用分数前 p）的 Jaccard 指数 |A ∩ B| / |A ∪ B|。秩：ActSVD 基中前 m − r_s 个安全方向与前 m − r_u 个效用方向的子空间相似度 ‖U_sᵀU_u‖²_F / min(d_s, d_u)。数值越低，说明安全与效用依赖不同的权重或方向。虚线汇总注意力矩阵（q、k、v、o）与 MLP 矩阵（gate、up、down）：Jaccard 指数取 Σ|A ∩ B| / Σ|A ∪ B|，子空间取平均。独立的随机集合约为 p / (2 − p)。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Tradeoff&lt;/h3&gt;&lt;p&gt;Attack success rate in the ASR setting chosen in the Selection panel, against the actual sparsity (the exact fraction of zero weights in the 7·L matrices, §4.7; for the projection, the fraction of ranks removed) or against the utility.&lt;/p&gt;&lt;p&gt;The judge: the paper&apos;s keyword rule (no refusal phrase and at least 20 words), or the prefix judge (the response opens with the target; for the demo model &quot;Sure, here is&quot;, its compliant opening). With the keyword judge the hatched band below a curve holds the responses that are &lt;i&gt;incoherent&lt;/i&gt; yet free of refusal phrases: their mean token log-probability under the unedited model is below a threshold calibrated on the unedited model&apos;s own responses (halfway between their 5 % quantile and the 95 % quantile of the same responses with shuffled words). Such garbage is not a successful attack.&lt;/p&gt;&lt;p&gt;Filled points are evaluated here, 300 ms after the controls rest, on the first 100 bundled harmful prompts: one point per edit (evaluating an edit again replaces its point), joined into one line per q (or per p: &quot;a line per p&quot;), each line keeping its colour. The ring marks the current edit. Hover a point for its parameters and every number measured there; click it to make it the current edit (the controls, the layer map and the generations follow). Open circles are the store&apos;s sweeps (alignscope-cli sweep), a cross where garbage lowers a sweep point&apos;s ASR. &quot;log x&quot; spreads small sparsities out.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;权衡&lt;/h3&gt;&lt;p&gt;在选择面板所选 ASR 设置下的攻击成功率，相对于实际稀疏度（7·L 个矩阵中零权重的精确比例，§4.7；投影则为被移除秩的比例）或相对于效用。&lt;/p&gt;&lt;p&gt;评判方式：论文的关键词规则（不含拒绝短语且至少 20 个词），或前缀评判（回答以目标开头；演示模型为其顺从开头“Sure, here is”）。使用关键词评判时，每条线下方的阴影带表示那些&lt;i&gt;不连贯&lt;/i&gt;却不含拒绝短语的回答：它们在未编辑模型下的平均 token 对数概率低于在未编辑模型自身回答上校准的阈值（介于这些回答的 5 % 分位数与打乱词序后同一批回答的 95 % 分位数之间的中点）。这类胡言乱语不算成功攻击。&lt;/p&gt;&lt;p&gt;实心点在控件静止 300 ms 后于此处评估，使用前 100 条内置有害提示：每个编辑一个点（再次评估会替换该点），按每个 q（或每个 p：“每个 p 一条线”）连成一条线，每条线保持其颜色。圆环标记当前编辑。将鼠标悬停在点上可查看其参数与在该处测得的每个数值；单击可使其成为当前编辑（控件、层热图和生成结果随之更新）。空心圆为存储中的扫描（alignscope-cli sweep），叉号表示胡言乱语使扫描点的 ASR 降低之处。“log x”使较小的稀疏度分开显示。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Generations&lt;/h3&gt;&lt;p&gt;The prompts, responses and verdicts behind the current edit&apos;s ASR point. The keyword judge counts a response as a successful attack when it contains none of the refusal phrases and has at least 20 words (§9.5); the other judges&apos; verdicts and reasons, and the coherence flag (mean token log-probability under the unedited model), stand beside it. Filter by verdict, e.g. the jailbroken-but-incoherent responses that a keyword ASR counts.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;生成结果&lt;/h3&gt;&lt;p&gt;当前编辑的 ASR 点背后的提示、回答与判定。关键词评判在回答不含任何拒绝短语且至少有 20 个词时将其计为成功攻击（§9.5）；其他评判的判定与理由以及连贯性标记（未编辑模型下的平均 token 对数概率）列于其旁。可按判定筛选，例如关键词 ASR 会计入的“越狱但不连贯”的回答。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Heads&lt;/h3&gt;&lt;p&gt;The validation accuracy of a linear probe that tells harmful from harmless prompts, for every attention head (rows: layers, columns: heads), as the reference&apos;s probing_result JSON (spec §11). &quot;Probe this model&quot; computes it here: the head&apos;s output at the last prompt token (its slice of o_proj&apos;s input), up to 420 prompts per class from the model panel&apos;s safety and utility datasets, a 5:2 split and a logistic regression.&lt;/p&gt;&lt;p&gt;The ablation zeroes the chosen heads and evaluates the ASR (and, for the demo, utility). &quot;As the reference&quot; zeroes columns of q/k/v and rows of o (residual channels, what the paper&apos;s code does); &quot;head output&quot; zeroes the head&apos;s columns of o_proj. The paper&apos;s point: the best-probed heads are not where safety lives.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;注意力头&lt;/h3&gt;&lt;p&gt;对每个注意力头（行：层，列：头），区分有害与无害提示的线性探针的验证准确率，格式同参考实现的 probing_result JSON（规范 §11）。“探测此模型”在此计算：头在最后一个提示词元处的输出（o_proj 输入中属于它的片段），从模型面板的安全与效用数据集中每类最多取 420 个提示，按 5:2 划分并做逻辑回归。&lt;/p&gt;&lt;p&gt;消融将所选的头置零并评估 ASR（演示模型还评估效用）。“同参考实现”将 q/k/v 的列与 o 的行置零（残差通道，即论文代码的做法）；“头输出”将该头在 o_proj 中的列置零。论文的结论：探测效果最好的头并不是安全所在之处。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Matrix&lt;/h3&gt;&lt;p&gt;One matrix up close: the removed weights of the set difference at the sliders&apos; p and q, as the fraction removed in each block of a grid of at most 128 × 128 blocks (rows are output features, columns input features), and the distributions of log10(score) of the safety and the utility set. Read from the store&apos;s scores.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;矩阵&lt;/h3&gt;&lt;p&gt;近看一个矩阵：在滑块 p 和 q 下集合差移除的权重，以最多 128 × 128 块网格中每块的移除比例表示（行为输出特征，列为输入特征），以及安全集与效用集 log10(分数) 的分布。读取自存储中的分数。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>Selection</name>
    <message>
        <source>Vanilla</source>
        <translation>标准（带系统提示）</translation>
    </message>
    <message>
        <source>No system prompt</source>
        <translation>无系统提示</translation>
    </message>
    <message>
        <source>Adversarial suffixes</source>
        <translation>对抗后缀</translation>
    </message>
    <message>
        <source>Adversarial decoding</source>
        <translation>对抗解码</translation>
    </message>
    <message>
        <source>set difference</source>
        <translation>集合差</translation>
    </message>
    <message>
        <source>top-down pruning</source>
        <translation>自上而下剪枝</translation>
    </message>
    <message>
        <source>bottom-up pruning</source>
        <translation>自下而上剪枝</translation>
    </message>
    <message>
        <source>projection</source>
        <translation>投影</translation>
    </message>
    <message>
        <source>p = %1, q = %2</source>
        <translation>p = %1，q = %2</translation>
    </message>
    <message>
        <source>top-down pruning at s = %1</source>
        <translation>自上而下剪枝，s = %1</translation>
    </message>
    <message>
        <source>bottom-up pruning at s = %1</source>
        <translation>自下而上剪枝，s = %1</translation>
    </message>
    <message>
        <source>projection r_u = %1, r_s = %2</source>
        <translation>投影 r_u = %1，r_s = %2</translation>
    </message>
</context>
<context>
    <name>Stage</name>
    <message>
        <source>coherence threshold</source>
        <translation>连贯性阈值</translation>
    </message>
    <message>
        <source>utility (multiple choice)</source>
        <translation>效用（多项选择）</translation>
    </message>
    <message>
        <source>writing the store</source>
        <translation>正在写入存储</translation>
    </message>
    <message>
        <source>unedited model</source>
        <translation>未编辑模型</translation>
    </message>
    <message>
        <source>decomposing layer</source>
        <translation>分解层</translation>
    </message>
    <message>
        <source>scoring layers</source>
        <translation>为各层评分</translation>
    </message>
    <message>
        <source>scoring layer</source>
        <translation>为层评分</translation>
    </message>
    <message>
        <source>slider summary</source>
        <translation>滑块摘要</translation>
    </message>
    <message>
        <source>safety set</source>
        <translation>安全集</translation>
    </message>
    <message>
        <source>utility set</source>
        <translation>效用集</translation>
    </message>
    <message>
        <source>linear probes</source>
        <translation>线性探针</translation>
    </message>
    <message>
        <source>head outputs</source>
        <translation>注意力头输出</translation>
    </message>
    <message>
        <source>matmul probe</source>
        <translation>矩阵乘法测速</translation>
    </message>
    <message>
        <source>generating</source>
        <translation>生成中</translation>
    </message>
    <message>
        <source>evaluating</source>
        <translation>评估中</translation>
    </message>
    <message>
        <source>coherence</source>
        <translation>连贯性</translation>
    </message>
    <message>
        <source>perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <source>utility</source>
        <translation>效用</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>sweep</source>
        <translation>扫描</translation>
    </message>
    <message>
        <source>point</source>
        <translation>点</translation>
    </message>
</context>
<context>
    <name>StoreSession</name>
    <message>
        <source>The store has no ActSVD bases for the projection: compute ActSVD for the safety and the utility set</source>
        <translation>存储中没有用于投影的 ActSVD 基：请为安全集和效用集计算 ActSVD</translation>
    </message>
    <message>
        <source>Subspace similarity: top %1 safety vs top %2 utility directions</source>
        <translation>子空间相似度：前 %1 个安全方向与前 %2 个效用方向</translation>
    </message>
    <message>
        <source>%1 of %2 ranks (%3)</source>
        <translation>%2 个秩中的 %1 个（%3）</translation>
    </message>
    <message>
        <source>at most %1 of %2 ranks (the §7 bound; exact once evaluated)</source>
        <translation>至多 %2 个秩中的 %1 个（§7 的上界；评估后为精确值）</translation>
    </message>
    <message>
        <source>The store has no ActSVD bases: compute ActSVD for the safety and the utility set</source>
        <translation>存储中没有 ActSVD 基：请为安全集和效用集计算 ActSVD</translation>
    </message>
    <message>
        <source>Removed at p = %1, q = %2 (fraction of the matrix)</source>
        <translation>在 p = %1、q = %2 时移除（占矩阵的比例）</translation>
    </message>
    <message>
        <source>Pruned per row at s = %1 (fraction of the matrix)</source>
        <translation>在 s = %1 下逐行剪枝（占矩阵的比例）</translation>
    </message>
    <message>
        <source>Ranks removed at r_u = %1, r_s = %2 (fraction of the full rank)</source>
        <translation>r_u = %1、r_s = %2 时移除的秩（占满秩的比例）</translation>
    </message>
    <message>
        <source>Bound on the ranks removed at r_u = %1, r_s = %2 (fraction; exact once evaluated)</source>
        <translation>r_u = %1、r_s = %2 时移除秩的上界（比例；评估后为精确值）</translation>
    </message>
    <message>
        <source>Jaccard index of the top %1 (safety vs utility)</source>
        <translation>前 %1 的 Jaccard 指数（安全对效用）</translation>
    </message>
    <message>
        <source>log10 of the mean safety score (%1)</source>
        <translation>平均安全分数的 log10（%1）</translation>
    </message>
    <message>
        <source>Fraction removed</source>
        <translation>移除比例</translation>
    </message>
    <message>
        <source>Fraction of the rank removed</source>
        <translation>移除的秩比例</translation>
    </message>
    <message>
        <source>Jaccard index</source>
        <translation>Jaccard 指数</translation>
    </message>
    <message>
        <source>Reading the scores of %1…</source>
        <translation>正在读取 %1 的分数…</translation>
    </message>
    <message>
        <source>log10 mean safety score</source>
        <translation>平均安全分数的 log10</translation>
    </message>
    <message>
        <source>Reading the ActSVD bases…</source>
        <translation>正在读取 ActSVD 基…</translation>
    </message>
    <message>
        <source>Subspace similarity</source>
        <translation>子空间相似度</translation>
    </message>
</context>
<context>
    <name>alignscope::ui</name>
    <message>
        <source>&lt;h3&gt;AlignScope %1&lt;/h3&gt;&lt;p&gt;Finds where a language model&apos;s safety lives: the sparse safety-critical weights and ranks of Wei et al. (ICML 2024, arXiv 2402.05162).&lt;/p&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;Qt&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;libtorch&lt;/td&gt;&lt;td&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;HDF5&lt;/td&gt;&lt;td&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;QCustomPlot&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation>&lt;h3&gt;AlignScope %1&lt;/h3&gt;&lt;p&gt;找出语言模型的安全性位于何处：Wei 等人（ICML 2024，arXiv 2402.05162）所述的稀疏安全关键权重与秩。&lt;/p&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;Qt&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;libtorch&lt;/td&gt;&lt;td&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;HDF5&lt;/td&gt;&lt;td&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;QCustomPlot&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::AsrPointSet</name>
    <message>
        <source>q = %1</source>
        <translation>q = %1</translation>
    </message>
    <message>
        <source>p = %1</source>
        <translation>p = %1</translation>
    </message>
    <message>
        <source>projection, r_s = %1</source>
        <translation>投影，r_s = %1</translation>
    </message>
    <message>
        <source>projection, r_u = %1</source>
        <translation>投影，r_u = %1</translation>
    </message>
    <message>
        <source>ASR point %1: %2</source>
        <translation>ASR 点 %1：%2</translation>
    </message>
    <message>
        <source>unknown edit &quot;%1&quot;</source>
        <translation>未知编辑“%1”</translation>
    </message>
    <message>
        <source>a set difference needs p and q</source>
        <translation>集合差需要 p 和 q</translation>
    </message>
    <message>
        <source>a pruning needs s</source>
        <translation>剪枝需要 s</translation>
    </message>
    <message>
        <source>a projection needs ru and rs</source>
        <translation>投影需要 ru 和 rs</translation>
    </message>
    <message>
        <source>no ASR</source>
        <translation>没有 ASR</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::ExportDialog</name>
    <message>
        <source>Title above the figure</source>
        <translation>在图上方显示标题</translation>
    </message>
    <message>
        <source>Export figures</source>
        <translation>导出图</translation>
    </message>
    <message>
        <source>This view: %1</source>
        <translation>此视图：%1</translation>
    </message>
    <message>
        <source>This view</source>
        <translation>此视图</translation>
    </message>
    <message>
        <source>Every view with data (a PDF, SVG, PNG and CSV of each)</source>
        <translation>所有有数据的视图（每个视图各导出 PDF、SVG、PNG 和 CSV）</translation>
    </message>
    <message>
        <source>One column (3.25 in)</source>
        <translation>单栏（3.25 英寸）</translation>
    </message>
    <message>
        <source>Two columns (6.75 in)</source>
        <translation>双栏（6.75 英寸）</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source> in</source>
        <translation> 英寸</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> 磅</translation>
    </message>
    <message>
        <source>PDF (vector)</source>
        <translation>PDF（矢量）</translation>
    </message>
    <message>
        <source>SVG (vector)</source>
        <translation>SVG（矢量）</translation>
    </message>
    <message>
        <source>PNG (raster)</source>
        <translation>PNG（位图）</translation>
    </message>
    <message>
        <source>CSV (the plotted data)</source>
        <translation>CSV（所绘数据）</translation>
    </message>
    <message>
        <source> dpi</source>
        <translation> dpi</translation>
    </message>
    <message>
        <source>Automatic (below a narrow figure, else beside)</source>
        <translation>自动（窄图放在下方，否则放在旁边）</translation>
    </message>
    <message>
        <source>Beside the plot</source>
        <translation>图旁</translation>
    </message>
    <message>
        <source>Below the plot</source>
        <translation>图下方</translation>
    </message>
    <message>
        <source>Inside the plot (top right)</source>
        <translation>图内（右上）</translation>
    </message>
    <message>
        <source>Hidden</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>尺寸：</translation>
    </message>
    <message>
        <source>Width:</source>
        <translation>宽度：</translation>
    </message>
    <message>
        <source>Height:</source>
        <translation>高度：</translation>
    </message>
    <message>
        <source>Font size:</source>
        <translation>字号：</translation>
    </message>
    <message>
        <source>Legend:</source>
        <translation>图例：</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>PNG resolution:</source>
        <translation>PNG 分辨率：</translation>
    </message>
    <message>
        <source>Save to:</source>
        <translation>保存到：</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Export the figures into</source>
        <translation>将图导出到</translation>
    </message>
    <message>
        <source>Export figure</source>
        <translation>导出图</translation>
    </message>
    <message>
        <source>%1 file (*.%2)</source>
        <translation>%1 文件 (*.%2)</translation>
    </message>
    <message>
        <source>No view has data yet</source>
        <translation>尚无视图有数据</translation>
    </message>
    <message>
        <source>%1: %2 × %3 in, text %4 pt</source>
        <translation>%1：%2 × %3 英寸，文字 %4 磅</translation>
    </message>
    <message>
        <source>Does not fit: %1</source>
        <translation>放不下：%1</translation>
    </message>
    <message>
        <source>Choose where to save</source>
        <translation>请选择保存位置</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
</context>
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
        <source>Unedited model&apos;s response</source>
        <translation>未编辑模型的回答</translation>
    </message>
    <message>
        <source>Verdict (keyword)</source>
        <translation>判定（关键词）</translation>
    </message>
    <message>
        <source>Other judges, coherence</source>
        <translation>其他判定、连贯性</translation>
    </message>
    <message>
        <source>As the model saw it (chat format in brackets):
%1</source>
        <translation>模型实际看到的提示（方括号内为聊天格式）：
%1</translation>
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
    <message>
        <source>Incoherent</source>
        <translation>不连贯</translation>
    </message>
    <message>
        <source>Jailbroken but incoherent</source>
        <translation>越狱但不连贯</translation>
    </message>
    <message>
        <source>The keyword verdict is the paper&apos;s (a refusal phrase, or fewer than 20 words: refused). A response is incoherent when its mean token log-probability under the unedited model is below the threshold calibrated on the unedited model&apos;s own responses.</source>
        <translation>关键词判定采用论文的规则（出现拒绝短语，或少于 20 个词：拒绝）。当回答在未编辑模型下的平均词元对数概率低于以未编辑模型自身回答校准的阈值时，该回答被标为不连贯。</translation>
    </message>
    <message>
        <source>Select a generation to see its prompt as the model saw it (chat template applied)</source>
        <translation>选择一条生成结果，查看模型实际看到的提示（已套用聊天模板）</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::HeadsView</name>
    <message>
        <source>Open probing results…</source>
        <translation>打开探测结果…</translation>
    </message>
    <message>
        <source>Probe this model</source>
        <translation>探测此模型</translation>
    </message>
    <message>
        <source>Evaluate ablation</source>
        <translation>评估消融</translation>
    </message>
    <message>
        <source>A JSON file {&quot;layer-L-head-H&quot;: accuracy} as the reference&apos;s data/probing_result_7b.json</source>
        <translation>JSON 文件 {&quot;layer-L-head-H&quot;: 准确率}，格式同参考实现的 data/probing_result_7b.json</translation>
    </message>
    <message>
        <source>Train a linear harmful-vs-harmless probe on every head&apos;s output at the last prompt token, with the safety and utility datasets of the model panel</source>
        <translation>在每个注意力头于最后一个提示词元处的输出上训练线性“有害/无害”探针，使用模型面板中的安全与效用数据集</translation>
    </message>
    <message>
        <source>highest accuracy</source>
        <translation>最高准确率</translation>
    </message>
    <message>
        <source>reference 7B draw</source>
        <translation>参考实现的抽取（7B）</translation>
    </message>
    <message>
        <source>reference 13B draw</source>
        <translation>参考实现的抽取（13B）</translation>
    </message>
    <message>
        <source>Which heads: the k of highest accuracy, or the reference&apos;s random draws among the heads at accuracy 1 (7B: from the first 132; seeded here)</source>
        <translation>选择哪些头：准确率最高的 k 个，或参考实现在准确率为 1 的头中的随机抽取（7B：从前 132 个中抽取；此处使用固定种子）</translation>
    </message>
    <message>
        <source>as the reference (residual channels)</source>
        <translation>同参考实现（残差通道）</translation>
    </message>
    <message>
        <source>head output (o_proj columns)</source>
        <translation>头输出（o_proj 的列）</translation>
    </message>
    <message>
        <source>The reference zeroes columns of q/k/v and rows of o, i.e. residual-stream channels; &quot;head output&quot; removes exactly the head&apos;s contribution</source>
        <translation>参考实现将 q/k/v 的列与 o 的行置零，即残差流的通道；“头输出”则恰好移除该头的贡献</translation>
    </message>
    <message>
        <source>Ablate the top</source>
        <translation>消融前</translation>
    </message>
    <message>
        <source>heads:</source>
        <translation>个头：</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>头</translation>
    </message>
    <message>
        <source>Open a probing result (JSON) or probe this model</source>
        <translation>打开探测结果（JSON）或探测此模型</translation>
    </message>
    <message>
        <source>Probing accuracy (validation)</source>
        <translation>探测准确率（验证集）</translation>
    </message>
    <message>
        <source>From %1</source>
        <translation>来自 %1</translation>
    </message>
    <message>
        <source>Attention heads: probing accuracy</source>
        <translation>注意力头：探测准确率</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::JobLane</name>
    <message>
        <source>unknown error</source>
        <translation>未知错误</translation>
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
    <message>
        <source>layer %1, %2: %3
%4</source>
        <translation>第 %1 层，%2：%3
%4</translation>
    </message>
    <message>
        <source>Fixed colour scale: 0 to</source>
        <translation>固定色标：0 到</translation>
    </message>
    <message>
        <source>Keep the colours&apos; meaning while the controls move: 0 to the value on the right. Off: 0 to the largest value shown</source>
        <translation>控件移动时保持颜色含义不变：从 0 到右侧数值。关闭：从 0 到所显示的最大值</translation>
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
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
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
        <source>%1 — AlignScope</source>
        <translation>%1 — AlignScope</translation>
    </message>
    <message>
        <source>Open a Hugging Face model folder</source>
        <translation>打开 Hugging Face 模型文件夹</translation>
    </message>
    <message>
        <source>Cannot compute scores</source>
        <translation>无法计算分数</translation>
    </message>
    <message>
        <source>Cannot open store</source>
        <translation>无法打开存储</translation>
    </message>
    <message>
        <source>Open the HDF5 store with a model&apos;s scores, summaries and sweeps</source>
        <translation>打开包含模型分数、摘要和扫描结果的 HDF5 存储</translation>
    </message>
    <message>
        <source>Open a store</source>
        <translation>打开存储</translation>
    </message>
    <message>
        <source>AlignScope store (*.h5 *.hdf5);;All files (*)</source>
        <translation>AlignScope 存储 (*.h5 *.hdf5);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Matrix</source>
        <translation>矩阵</translation>
    </message>
    <message>
        <source>Open &amp;workspace…</source>
        <translation>打开工作区(&amp;W)…</translation>
    </message>
    <message>
        <source>Open a workspace</source>
        <translation>打开工作区</translation>
    </message>
    <message>
        <source>AlignScope workspace (*.alignscope.json *.json)</source>
        <translation>AlignScope 工作区 (*.alignscope.json *.json)</translation>
    </message>
    <message>
        <source>Cannot open workspace</source>
        <translation>无法打开工作区</translation>
    </message>
    <message>
        <source>Save w&amp;orkspace…</source>
        <translation>保存工作区(&amp;O)…</translation>
    </message>
    <message>
        <source>Save the workspace</source>
        <translation>保存工作区</translation>
    </message>
    <message>
        <source>AlignScope workspace (*.alignscope.json)</source>
        <translation>AlignScope 工作区 (*.alignscope.json)</translation>
    </message>
    <message>
        <source>Cannot save workspace</source>
        <translation>无法保存工作区</translation>
    </message>
    <message>
        <source>Se&amp;lection</source>
        <translation>选择(&amp;L)</translation>
    </message>
    <message>
        <source>Increase p</source>
        <translation>增大 p</translation>
    </message>
    <message>
        <source>Ctrl+Alt+Right</source>
        <translation>Ctrl+Alt+Right</translation>
    </message>
    <message>
        <source>Decrease p</source>
        <translation>减小 p</translation>
    </message>
    <message>
        <source>Ctrl+Alt+Left</source>
        <translation>Ctrl+Alt+Left</translation>
    </message>
    <message>
        <source>Increase q</source>
        <translation>增大 q</translation>
    </message>
    <message>
        <source>Ctrl+Alt+Up</source>
        <translation>Ctrl+Alt+Up</translation>
    </message>
    <message>
        <source>Decrease q</source>
        <translation>减小 q</translation>
    </message>
    <message>
        <source>Ctrl+Alt+Down</source>
        <translation>Ctrl+Alt+Down</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <source>Open probing results</source>
        <translation>打开探测结果</translation>
    </message>
    <message>
        <source>Probing results (*.json);;All files (*)</source>
        <translation>探测结果 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot open probing results</source>
        <translation>无法打开探测结果</translation>
    </message>
    <message>
        <source>Saved %1 (ASR points: %2)</source>
        <translation>已保存 %1（ASR 点：%2）</translation>
    </message>
    <message>
        <source>&amp;Export figures…</source>
        <translation>导出图(&amp;E)…</translation>
    </message>
    <message>
        <source>One view or every view with data, sized for a paper: PDF, SVG, PNG or CSV</source>
        <translation>导出一个视图或所有有数据的视图，尺寸适合论文：PDF、SVG、PNG 或 CSV</translation>
    </message>
    <message>
        <source>Export the &amp;tradeoff…</source>
        <translation>导出权衡图(&amp;T)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <source>&amp;Layer map</source>
        <translation>层热图(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Overlap</source>
        <translation>重叠(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Matrix</source>
        <translation>矩阵(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Heads</source>
        <translation>注意力头(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Generations drawer</source>
        <translation>生成结果抽屉(&amp;G)</translation>
    </message>
    <message>
        <source>Ctrl+G</source>
        <translation>Ctrl+G</translation>
    </message>
    <message>
        <source>&amp;Selection panel</source>
        <translation>选择面板(&amp;S)</translation>
    </message>
    <message>
        <source>Model and &amp;data panel</source>
        <translation>模型与数据面板(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Evaluate now</source>
        <translation>立即评估(&amp;E)</translation>
    </message>
    <message>
        <source>Ctrl+Return</source>
        <translation>Ctrl+Return</translation>
    </message>
    <message>
        <source>&amp;Clear the ASR points</source>
        <translation>清除 ASR 点(&amp;C)</translation>
    </message>
    <message>
        <source>About these &amp;views</source>
        <translation>关于这些视图(&amp;V)</translation>
    </message>
    <message>
        <source>About these views</source>
        <translation>关于这些视图</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>Model and data</source>
        <translation>模型与数据</translation>
    </message>
    <message>
        <source>Re&amp;load store</source>
        <translation>重新加载存储(&amp;L)</translation>
    </message>
    <message>
        <source>Cannot read the store again</source>
        <translation>无法重新读取存储</translation>
    </message>
    <message>
        <source>Read the open store again: what a CLI job or a cluster&apos;s shards committed since</source>
        <translation>重新读取已打开的存储：此后命令行任务或集群分片写入的内容</translation>
    </message>
    <message>
        <source>&amp;Watch store for changes</source>
        <translation>监视存储的变化(&amp;W)</translation>
    </message>
    <message>
        <source>Read the open store again by itself whenever another process commits to it (e.g. the shards of `alignscope-cli slurm submit` as each one ends)</source>
        <translation>每当其他进程写入已打开的存储时自动重新读取（例如 `alignscope-cli slurm submit` 的各个分片结束时）</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::MatrixView</name>
    <message>
        <source>Input column (blocks)</source>
        <translation>输入列（块）</translation>
    </message>
    <message>
        <source>Output row (blocks)</source>
        <translation>输出行（块）</translation>
    </message>
    <message>
        <source>Fraction of the block removed</source>
        <translation>块中被移除的比例</translation>
    </message>
    <message>
        <source>log10(score)</source>
        <translation>log10(分数)</translation>
    </message>
    <message>
        <source>Entries</source>
        <translation>条目数</translation>
    </message>
    <message>
        <source>safety scores</source>
        <translation>安全分数</translation>
    </message>
    <message>
        <source>utility scores</source>
        <translation>效用分数</translation>
    </message>
    <message>
        <source>Click a cell of the layer map to look into that matrix</source>
        <translation>点击层图中的单元格以查看该矩阵</translation>
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
    <message>
        <source>Compute scores</source>
        <translation>计算分数</translation>
    </message>
    <message>
        <source>SNIP</source>
        <translation>SNIP</translation>
    </message>
    <message>
        <source>Wanda</source>
        <translation>Wanda</translation>
    </message>
    <message>
        <source>ActSVD (ranks)</source>
        <translation>ActSVD（秩）</translation>
    </message>
    <message>
        <source>SNIP: |W|·Σ|∇W loss|; Wanda: |W|·‖X‖; ActSVD: the rank bases of W·Xᵀ</source>
        <translation>SNIP：|W|·Σ|∇W 损失|；Wanda：|W|·‖X‖；ActSVD：W·Xᵀ 的秩基</translation>
    </message>
    <message>
        <source>Method:</source>
        <translation>方法：</translation>
    </message>
    <message>
        <source>Calibration examples per dataset (the paper: 128, chosen by numpy&apos;s permutation with seed 0)</source>
        <translation>每个数据集的校准样本数（论文：128，由 numpy 以种子 0 的排列选出）</translation>
    </message>
    <message>
        <source>Examples:</source>
        <translation>样本数：</translation>
    </message>
    <message>
        <source>Score every matrix for safety and for utility in the background; the results go to the model&apos;s store and are reused when the model is opened again</source>
        <translation>在后台为每个矩阵计算安全与效用分数；结果写入模型的存储，再次打开模型时复用</translation>
    </message>
    <message>
        <source>%1 to generate, %2 for gradients</source>
        <translation>生成需 %1，梯度需 %2</translation>
    </message>
    <message>
        <source>Peak memory, float32 on the CPU: generating 256 tokens after a 512-token prompt; weight gradients (SNIP) of one 512-token example</source>
        <translation>峰值内存（CPU 上 float32）：在 512 个词元的提示后生成 256 个词元；一个 512 词元样本的权重梯度（SNIP）</translation>
    </message>
    <message>
        <source>Memory:</source>
        <translation>内存：</translation>
    </message>
    <message>
        <source>From the examples the job will use, tokenized: FLOPs at this machine&apos;s measured matrix-product speed, and the peak memory of weights, activations and gradients</source>
        <translation>根据任务将使用的样本（已分词）估算：以本机实测的矩阵乘法速度计算的 FLOPs，以及权重、激活与梯度的峰值内存</translation>
    </message>
    <message>
        <source>Estimate:</source>
        <translation>估算：</translation>
    </message>
    <message>
        <source>Which examples: the first n of numpy&apos;s default_rng(seed).permutation, as the reference (seed 0)</source>
        <translation>选用哪些样本：numpy 的 default_rng(seed).permutation 的前 n 个，同参考实现（种子 0）</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>种子：</translation>
    </message>
    <message>
        <source>whole examples</source>
        <translation>完整样本</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <source>Cut longer examples to this many tokens (their responses are shortened); the reference keeps every example whole</source>
        <translation>将更长的样本截断为这么多个词元（其回答被缩短）；参考实现保留每个完整样本</translation>
    </message>
    <message>
        <source>Max. length:</source>
        <translation>最大长度：</translation>
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
    <message>
        <source>Jaccard index of the top weights (neurons)</source>
        <translation>前列权重的 Jaccard 指数（神经元）</translation>
    </message>
    <message>
        <source>Subspace similarity of the top directions (ranks)</source>
        <translation>前列方向的子空间相似度（秩）</translation>
    </message>
    <message>
        <source>Weights: the Jaccard index of the top p safety and utility scores. Ranks: the subspace similarity of the ActSVD bases&apos; top m − r_s safety and m − r_u utility directions</source>
        <translation>权重：安全与效用分数前 p 的 Jaccard 指数。秩：ActSVD 基中前 m − r_s 个安全方向与前 m − r_u 个效用方向的子空间相似度</translation>
    </message>
    <message>
        <source>attention (pooled)</source>
        <translation>注意力（合并）</translation>
    </message>
    <message>
        <source>MLP (pooled)</source>
        <translation>MLP（合并）</translation>
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
    <message>
        <source>The safety and utility score sets of the store that the sliders select from</source>
        <translation>滑块所选取的存储中的安全与效用分数集</translation>
    </message>
    <message>
        <source>Scores:</source>
        <translation>分数：</translation>
    </message>
    <message>
        <source>%1 vs %2</source>
        <translation>%1 对 %2</translation>
    </message>
    <message>
        <source>safety: %1
utility: %2</source>
        <translation>安全：%1
效用：%2</translation>
    </message>
    <message>
        <source>(open a store with scores)</source>
        <translation>（打开包含分数的存储）</translation>
    </message>
    <message>
        <source>Jaccard index of the top p</source>
        <translation>前 p 的 Jaccard 指数</translation>
    </message>
    <message>
        <source>What the layer map colours</source>
        <translation>层图着色所表示的量</translation>
    </message>
    <message>
        <source>Layer map:</source>
        <translation>层图：</translation>
    </message>
    <message>
        <source>Fraction removed by the edit</source>
        <translation>编辑移除的比例</translation>
    </message>
    <message>
        <source>Mean safety score</source>
        <translation>平均安全分数</translation>
    </message>
    <message>
        <source>Subspace similarity (r_u, r_s)</source>
        <translation>子空间相似度（r_u, r_s）</translation>
    </message>
    <message>
        <source>Edit and evaluation</source>
        <translation>编辑与评估</translation>
    </message>
    <message>
        <source>Set difference (p, q)</source>
        <translation>集合差（p, q）</translation>
    </message>
    <message>
        <source>Pruning, top-down (s)</source>
        <translation>剪枝，自上而下（s）</translation>
    </message>
    <message>
        <source>Pruning, bottom-up (s)</source>
        <translation>剪枝，自下而上（s）</translation>
    </message>
    <message>
        <source>Orthogonal projection (r_u, r_s)</source>
        <translation>正交投影（r_u, r_s）</translation>
    </message>
    <message>
        <source>The edit the layer map shows and the live evaluation applies: the set difference of the score pair, per-row pruning by its safety scores, or the orthogonal projection with the store&apos;s ActSVD bases</source>
        <translation>层图显示、实时评估所应用的编辑：分数对的集合差、按其安全分数逐行剪枝，或使用存储中 ActSVD 基的正交投影</translation>
    </message>
    <message>
        <source>Vanilla (system prompt)</source>
        <translation>Vanilla（系统提示）</translation>
    </message>
    <message>
        <source>No system prompt</source>
        <translation>无系统提示</translation>
    </message>
    <message>
        <source>Adversarial suffixes (3×)</source>
        <translation>对抗后缀（3×）</translation>
    </message>
    <message>
        <source>Adversarial decoding (5 samples)</source>
        <translation>对抗解码（5 个样本）</translation>
    </message>
    <message>
        <source>The ASR setting of the live evaluation (spec §9.7); suffixes and decoding take 3× and 5× as long</source>
        <translation>实时评估的 ASR 设置（规范 §9.7）；后缀与解码分别需要 3 倍与 5 倍的时间</translation>
    </message>
    <message>
        <source>Edit:</source>
        <translation>编辑：</translation>
    </message>
    <message>
        <source>ASR setting:</source>
        <translation>ASR 设置：</translation>
    </message>
    <message>
        <source>Removed:</source>
        <translation>已移除：</translation>
    </message>
    <message>
        <source>%1 of the weights</source>
        <translation>权重的 %1</translation>
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
    <message>
        <source>The x axis: the edit&apos;s actual sparsity (the removed-rank fraction for a projection), or the utility measured at the same point</source>
        <translation>x 轴：编辑的实际稀疏度（投影时为移除秩的比例），或在同一点测得的效用</translation>
    </message>
    <message>
        <source>Utility (accuracy)</source>
        <translation>效用（准确率）</translation>
    </message>
    <message>
        <source>%1 (sweep)</source>
        <translation>%1（扫描）</translation>
    </message>
    <message>
        <source>prefix</source>
        <translation>前缀</translation>
    </message>
    <message>
        <source>keyword</source>
        <translation>关键词</translation>
    </message>
    <message>
        <source>%1, coherent responses only</source>
        <translation>%1，仅连贯回答</translation>
    </message>
    <message>
        <source>log x</source>
        <translation>对数 x</translation>
    </message>
    <message>
        <source>against sparsity</source>
        <translation>相对稀疏度</translation>
    </message>
    <message>
        <source>against utility</source>
        <translation>相对效用</translation>
    </message>
    <message>
        <source>keyword judge</source>
        <translation>关键词评判</translation>
    </message>
    <message>
        <source>prefix judge</source>
        <translation>前缀评判</translation>
    </message>
    <message>
        <source>Whose verdicts count as a successful attack: the paper&apos;s keyword rule, or the prefix judge (the response opens with the target). With the keyword judge, the hatched band below each line holds the responses that are incoherent yet free of refusal phrases: a broken model&apos;s garbage, not a successful attack</source>
        <translation>以谁的判定作为攻击成功：论文的关键词规则，或前缀评判（回答以目标开头）。使用关键词评判时，每条线下方的阴影带表示不连贯却不含拒绝短语的回答：损坏模型的胡言乱语，而非成功攻击</translation>
    </message>
    <message>
        <source>a line per q</source>
        <translation>每个 q 一条线</translation>
    </message>
    <message>
        <source>a line per p</source>
        <translation>每个 p 一条线</translation>
    </message>
    <message>
        <source>Which evaluated points are joined: those of one q (the x axis then follows p), or those of one p; a projection&apos;s per r_s or per r_u</source>
        <translation>连接哪些已评估的点：同一 q 的点（此时 x 轴随 p 变化），或同一 p 的点；投影则按 r_s 或 r_u</translation>
    </message>
    <message>
        <source>A logarithmic x axis: small sparsities spread out (points at 0 are not shown)</source>
        <translation>对数 x 轴：较小的稀疏度被拉开（位于 0 的点不显示）</translation>
    </message>
    <message>
        <source>sweep %1</source>
        <translation>扫描 %1</translation>
    </message>
    <message>
        <source>unedited model</source>
        <translation>未编辑模型</translation>
    </message>
    <message>
        <source>
actual sparsity %1</source>
        <translation>
实际稀疏度 %1</translation>
    </message>
    <message>
        <source>
ASR, keyword judge %1</source>
        <translation>
ASR，关键词评判 %1</translation>
    </message>
    <message>
        <source>
ASR, prefix judge %1</source>
        <translation>
ASR，前缀评判 %1</translation>
    </message>
    <message>
        <source>
incoherent yet keyword-successful %1</source>
        <translation>
不连贯却按关键词成功 %1</translation>
    </message>
    <message>
        <source>
utility %1</source>
        <translation>
效用 %1</translation>
    </message>
    <message>
        <source>set difference, %1</source>
        <translation>集合差，%1</translation>
    </message>
    <message>
        <source>p %1</source>
        <translation>p %1</translation>
    </message>
    <message>
        <source>q %1</source>
        <translation>q %1</translation>
    </message>
    <message>
        <source>r_u %1</source>
        <translation>r_u %1</translation>
    </message>
    <message>
        <source>r_s %1</source>
        <translation>r_s %1</translation>
    </message>
    <message>
        <source>s %1</source>
        <translation>s %1</translation>
    </message>
    <message>
        <source>evaluated here</source>
        <translation>在此评估</translation>
    </message>
    <message>
        <source>
ranks removed %1</source>
        <translation>
移除的秩 %1</translation>
    </message>
    <message>
        <source>
%1 prompts</source>
        <translation>
%1 条提示</translation>
    </message>
    <message>
        <source>
(utility and coherence still being measured)</source>
        <translation>
（效用与连贯性仍在测量中）</translation>
    </message>
    <message>
        <source>current edit</source>
        <translation>当前编辑</translation>
    </message>
    <message>
        <source>incoherent yet refusal-free (hatched)</source>
        <translation>不连贯却无拒绝（阴影）</translation>
    </message>
    <message>
        <source>No evaluated points yet: they appear here when the controls rest</source>
        <translation>尚无已评估的点：控件静止后它们会出现在这里</translation>
    </message>
    <message>
        <source>Removed-rank fraction (projection); actual sparsity</source>
        <translation>移除的秩比例（投影）；实际稀疏度</translation>
    </message>
    <message>
        <source>Actual sparsity (fraction of zero weights)</source>
        <translation>实际稀疏度（零权重比例）</translation>
    </message>
    <message>
        <source>ASR (%1, %2)</source>
        <translation>ASR（%1，%2）</translation>
    </message>
    <message>
        <source>
click: make it the current edit</source>
        <translation>
单击：设为当前编辑</translation>
    </message>
    <message>
        <source>%1 (random control, seed %2)</source>
        <translation>%1（随机对照，种子 %2）</translation>
    </message>
    <message>
        <source>sweep %1: random weights, as many per matrix as this set difference removes</source>
        <translation>扫描 %1：随机权重，每个矩阵与此集合差移除的数量相同</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::ViewSet</name>
    <message>
        <source>Click a cell of the layer map to look into that matrix</source>
        <translation>点击层图中的单元格以查看该矩阵</translation>
    </message>
    <message>
        <source>Cannot probe the heads</source>
        <translation>无法探测注意力头</translation>
    </message>
    <message>
        <source>Heads ablated: %1 (%2)</source>
        <translation>消融的注意力头：%1（%2）</translation>
    </message>
    <message>
        <source>Cannot evaluate the ablation</source>
        <translation>无法评估消融</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>Computing %1 scores: the views fill when the job ends</source>
        <translation>正在计算 %1 分数：任务结束后视图将显示结果</translation>
    </message>
    <message>
        <source>Open a probing result (JSON) or probe this model</source>
        <translation>打开探测结果（JSON）或探测此模型</translation>
    </message>
    <message>
        <source>%1: cannot create the folder</source>
        <translation>%1：无法创建文件夹</translation>
    </message>
    <message>
        <source>No view has data to export yet</source>
        <translation>还没有视图有可导出的数据</translation>
    </message>
    <message>
        <source>No scores computed for this model yet: Compute scores in the Model and data panel</source>
        <translation>尚未为此模型计算分数：请在“模型与数据”面板中点击“计算分数”</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::Workspace</name>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Estimating the score job</source>
        <translation>正在估算评分任务</translation>
    </message>
    <message>
        <source>about %1 and %2 of memory (%3 examples, %4 tokens)</source>
        <translation>约 %1，内存 %2（%3 个样本，%4 个词元）</translation>
    </message>
    <message>
        <source>— (%1)</source>
        <translation>—（%1）</translation>
    </message>
    <message>
        <source>A score job is running; cancel it or wait for it to end</source>
        <translation>评分任务正在运行；请取消或等待其结束</translation>
    </message>
    <message>
        <source>Open a model first</source>
        <translation>请先打开一个模型</translation>
    </message>
    <message>
        <source>Choose a safety and a utility dataset</source>
        <translation>请选择安全数据集和效用数据集</translation>
    </message>
    <message>
        <source>%1: no such file</source>
        <translation>%1：文件不存在</translation>
    </message>
    <message>
        <source>%1 has no weights to score</source>
        <translation>%1 没有可评分的权重</translation>
    </message>
    <message>
        <source>Scoring (%1)</source>
        <translation>评分（%1）</translation>
    </message>
    <message>
        <source>Cannot open store</source>
        <translation>无法打开存储</translation>
    </message>
    <message>
        <source>%1: done; the scores are in %2</source>
        <translation>%1：完成；分数位于 %2</translation>
    </message>
    <message>
        <source>%1: cancelled; the store is as it was (a new start resumes the interrupted set)</source>
        <translation>%1：已取消；存储保持不变（重新开始将继续中断的集合）</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 失败：%2</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 失败</translation>
    </message>
    <message>
        <source>%1 started</source>
        <translation>%1 已开始</translation>
    </message>
    <message>
        <source>%1 belongs to the model in %2, which cannot be opened: %3</source>
        <translation>%1 属于 %2 中的模型，但该模型无法打开：%3</translation>
    </message>
    <message>
        <source>Opened store %1 (score sets: %2)</source>
        <translation>已打开存储 %1（分数集：%2）</translation>
    </message>
    <message>
        <source>Reading the store</source>
        <translation>正在读取存储</translation>
    </message>
    <message>
        <source>The store has no safety/utility score pair of one method yet</source>
        <translation>该存储中还没有同一方法的安全/效用分数对</translation>
    </message>
    <message>
        <source>Reading the ActSVD bases…</source>
        <translation>正在读取 ActSVD 基…</translation>
    </message>
    <message>
        <source>Jaccard index of the top %1</source>
        <translation>前 %1 的 Jaccard 指数</translation>
    </message>
    <message>
        <source>%1: ASR %2 (keyword judge)</source>
        <translation>%1：ASR %2（关键词评判）</translation>
    </message>
    <message>
        <source>Evaluating %1</source>
        <translation>正在评估 %1</translation>
    </message>
    <message>
        <source>Evaluation failed: %1</source>
        <translation>评估失败：%1</translation>
    </message>
    <message>
        <source>%1: ASR %2 on %3 prompts (keyword judge)</source>
        <translation>%1：%3 条提示上的 ASR 为 %2（关键词评判）</translation>
    </message>
    <message>
        <source>, %1 (prefix judge)</source>
        <translation>，%1（前缀评判）</translation>
    </message>
    <message>
        <source>, %1 of the ranks removed</source>
        <translation>，移除了 %1 的秩</translation>
    </message>
    <message>
        <source>, actual sparsity %1</source>
        <translation>，实际稀疏度 %1</translation>
    </message>
    <message>
        <source>, utility %1</source>
        <translation>，效用 %1</translation>
    </message>
    <message>
        <source>, incoherent yet successful %1</source>
        <translation>，不连贯却成功 %1</translation>
    </message>
    <message>
        <source>%1 (%2): ASR %3, keyword judge</source>
        <translation>%1（%2）：ASR %3，关键词评判</translation>
    </message>
    <message>
        <source> — the unedited model&apos;s responses and the coherence follow</source>
        <translation> — 未编辑模型的回答与连贯性稍后给出</translation>
    </message>
    <message>
        <source>%1 is evaluated when the controls rest</source>
        <translation>控件静止后将评估 %1</translation>
    </message>
    <message>
        <source>No generations yet</source>
        <translation>尚无生成结果</translation>
    </message>
    <message>
        <source>%1 probes %2 layers × %3 heads; the open model has %4 × %5</source>
        <translation>%1 探测了 %2 层 × %3 个头；打开的模型为 %4 × %5</translation>
    </message>
    <message>
        <source>Opened probing results %1</source>
        <translation>已打开探测结果 %1</translation>
    </message>
    <message>
        <source>Open a model with weights first</source>
        <translation>请先打开带权重的模型</translation>
    </message>
    <message>
        <source>The heads are being probed already</source>
        <translation>注意力头已在探测中</translation>
    </message>
    <message>
        <source>Choose a safety (harmful) and a utility (harmless) dataset in the model panel</source>
        <translation>请在模型面板中选择安全（有害）与效用（无害）数据集</translation>
    </message>
    <message>
        <source>Probing the heads</source>
        <translation>正在探测注意力头</translation>
    </message>
    <message>
        <source>Probing the heads: done</source>
        <translation>探测注意力头：完成</translation>
    </message>
    <message>
        <source>Probing the heads failed</source>
        <translation>探测注意力头失败</translation>
    </message>
    <message>
        <source>Probing the heads: cancelled</source>
        <translation>探测注意力头：已取消</translation>
    </message>
    <message>
        <source>An ablation is being evaluated already</source>
        <translation>消融已在评估中</translation>
    </message>
    <message>
        <source>Evaluating the head ablation</source>
        <translation>正在评估头消融</translation>
    </message>
    <message>
        <source>%1: %2 weights zeroed. ASR %3 on %4 prompts</source>
        <translation>%1：%2 个权重被置零。%4 个提示上的 ASR 为 %3</translation>
    </message>
    <message>
        <source>, prefix judge %1</source>
        <translation>，前缀判定 %1</translation>
    </message>
    <message>
        <source>, incoherent %1</source>
        <translation>，不连贯 %1</translation>
    </message>
    <message>
        <source>Evaluating the ablation failed</source>
        <translation>评估消融失败</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Evaluating %1…</source>
        <translation>正在评估 %1…</translation>
    </message>
    <message>
        <source>Open a store with safety and utility scores first</source>
        <translation>请先打开包含安全与效用分数的存储</translation>
    </message>
    <message>
        <source>No matrix %1 in layer %2</source>
        <translation>第 %2 层中没有矩阵 %1</translation>
    </message>
    <message>
        <source>Layer %1, %2: %4 removed at p = %5, q = %6</source>
        <translation>第 %1 层，%2：在 p = %5、q = %6 时移除 %4</translation>
    </message>
    <message>
        <source>Reading layer %1, %2</source>
        <translation>正在读取第 %1 层，%2</translation>
    </message>
    <message>
        <source>%1 of %2 weights</source>
        <translation>%2 个权重中的 %1 个</translation>
    </message>
    <message>
        <source>%1: cannot write (%2)</source>
        <translation>%1：无法写入（%2）</translation>
    </message>
    <message>
        <source>not JSON (%1 at offset %2)</source>
        <translation>不是 JSON（%1，位置 %2）</translation>
    </message>
    <message>
        <source>not an AlignScope workspace</source>
        <translation>不是 AlignScope 工作区</translation>
    </message>
    <message>
        <source>written by a newer AlignScope (version %1)</source>
        <translation>由更新版本的 AlignScope 写入（版本 %1）</translation>
    </message>
    <message>
        <source>the probing result does not match its shape</source>
        <translation>探测结果与其形状不符</translation>
    </message>
    <message>
        <source>Opened workspace %1</source>
        <translation>已打开工作区 %1</translation>
    </message>
    <message>
        <source>%1: %2, about %3 left</source>
        <translation>%1：%2，约剩 %3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>No store is open.</source>
        <translation>没有打开的存储。</translation>
    </message>
    <message>
        <source>The store changed on disk and cannot be read again: %1</source>
        <translation>存储在磁盘上已更改，无法重新读取：%1</translation>
    </message>
    <message>
        <source>%1 %2/%3 points</source>
        <translation>%1 %2/%3 个点</translation>
    </message>
    <message>
        <source>The store changed on disk: read again</source>
        <translation>存储在磁盘上已更改：已重新读取</translation>
    </message>
    <message>
        <source>The store changed on disk: read again (sweeps: %1)</source>
        <translation>存储在磁盘上已更改：已重新读取（扫描：%1）</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>AlignScope: where does a model&apos;s safety live?</source>
        <translation>AlignScope：模型的安全性在哪里？</translation>
    </message>
    <message>
        <source>A Hugging Face model folder to open</source>
        <translation>要打开的 Hugging Face 模型文件夹</translation>
    </message>
    <message>
        <source>Quit after &lt;ms&gt; milliseconds (screenshots, smoke tests)</source>
        <translation>&lt;ms&gt; 毫秒后退出（截图、冒烟测试）</translation>
    </message>
    <message>
        <source>Open a store (and its model) at start</source>
        <translation>启动时打开一个存储（及其模型）</translation>
    </message>
    <message>
        <source>Show this view beside the tradeoff: 0 layer map, 1 overlap, 2 matrix, 3 heads</source>
        <translation>在权衡图旁显示此视图：0 层热图，1 重叠，2 矩阵，3 注意力头</translation>
    </message>
    <message>
        <source>With --store: show the matrix view of layer L, matrix M (0 q … 6 down)</source>
        <translation>与 --store 一起使用：显示第 L 层矩阵 M（0 q … 6 down）的矩阵视图</translation>
    </message>
    <message>
        <source>Open a workspace (model, store, sliders, views) at start</source>
        <translation>启动时打开一个工作区（模型、存储、滑块、视图）</translation>
    </message>
    <message>
        <source>Show a probing-result JSON in the heads view</source>
        <translation>在注意力头视图中显示探测结果 JSON</translation>
    </message>
    <message>
        <source>Evaluate these set-difference edits of the store&apos;s score pair one after the other, e.g. 0.05:0.1,0.2:0.1 (p:q)</source>
        <translation>依次评估存储中分数对的这些集合差编辑，例如 0.05:0.1,0.2:0.1（p:q）</translation>
    </message>
    <message>
        <source>Open File ▸ Export figures for the tradeoff at start</source>
        <translation>启动时为权衡图打开“文件 ▸ 导出图”</translation>
    </message>
</context>
</TS>
