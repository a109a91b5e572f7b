// SPDX-License-Identifier: MIT
#include "help.h"

#include "alignscope/version.h"
#include "plot/qcp.h"

#include <QCoreApplication>

namespace alignscope::ui {

namespace {
QString tr(const char *text) { return QCoreApplication::translate("Help", text); }
} // namespace

QString viewHelpText(HelpTopic topic)
{
    switch (topic) {
    case HelpTopic::LayerMap:
        return QCoreApplication::translate("Help", "<h3>Layer map</h3><p>One cell per layer (rows) and matrix (q, k, v, o, gate, up, down), coloured "
                  "by the quantity chosen in the Selection panel:</p><ul>"
                  "<li><b>Fraction removed by the edit</b>: for the set difference, the weights in the top q of "
                  "the safety scores that are not in the top p of the utility scores, over the whole matrix "
                  "(Wei et al. 2024, §5), counted exactly from the store's slider summaries; for pruning, the "
                  "weights removed per row at sparsity s; for the orthogonal projection, the ranks removed "
                  "(the §7 bound min(d_out − d_u, d_s) until the projection has been evaluated, then the "
                  "numerical rank of ΔW).</li>"
                  "<li><b>Jaccard index</b> of the top p of the safety and the utility scores.</li>"
                  "<li><b>Mean safety score</b>: log10 of the mean of the matrix's safety scores (read once "
                  "from the store).</li>"
                  "<li><b>Subspace similarity</b> ‖U_sᵀU_u‖²_F / min(d_s, d_u) of the top m − r_s safety and "
                  "m − r_u utility directions of the ActSVD bases: the two subspaces the projection uses.</li>"
                  "</ul><p>Hover a cell for its value; click it for the matrix view.</p>");
    case HelpTopic::Overlap:
        return QCoreApplication::translate("Help", "<h3>Overlap</h3><p>Neurons: the Jaccard index |A ∩ B| / |A ∪ B| of A, the top p of the safety "
                  "scores, and B, the top p of the utility scores, per layer and matrix. Ranks: the subspace "
                  "similarity ‖U_sᵀU_u‖²_F / min(d_s, d_u) of the top m − r_s safety and m − r_u utility "
                  "directions of the ActSVD bases. Low values mean that safety and utility rely on different "
                  "weights or directions. The dashed lines pool the attention matrices (q, k, v, o) and the MLP "
                  "matrices (gate, up, down): Σ|A ∩ B| / Σ|A ∪ B| for the Jaccard index, the mean for the "
                  "subspaces. Independent random sets would give about p / (2 − p).</p>");
    case HelpTopic::Tradeoff:
        return QCoreApplication::translate("Help", "<h3>Tradeoff</h3><p>Attack success rate in the ASR setting chosen in the Selection panel, "
                  "against the actual sparsity (the exact fraction of zero weights in the 7·L matrices, §4.7; for "
                  "the projection, the fraction of ranks removed) or against the utility.</p><p>The judge: the "
                  "paper's keyword rule (no refusal phrase and at least 20 words), or the prefix judge (the "
                  "response opens with the target; for the demo model \"Sure, here is\", its compliant opening). "
                  "With the keyword judge the hatched band below a curve holds the responses that are "
                  "<i>incoherent</i> yet free of refusal phrases: their mean token log-probability under the "
                  "unedited model is below a threshold calibrated on the unedited model's own responses (halfway "
                  "between their 5 % quantile and the 95 % quantile of the same responses with shuffled words). "
                  "Such garbage is not a successful attack.</p><p>Filled points are evaluated here, 300 ms after "
                  "the controls rest, on the first 100 bundled harmful prompts: one point per edit (evaluating an "
                  "edit again replaces its point), joined into one line per q (or per p: \"a line per p\"), each "
                  "line keeping its colour. The ring marks the current edit. Hover a point for its parameters and "
                  "every number measured there; click it to make it the current edit (the controls, the layer map "
                  "and the generations follow). Open circles are the store's sweeps (alignscope-cli sweep), a "
                  "cross where garbage lowers a sweep point's ASR. \"log x\" spreads small sparsities out.</p>");
    case HelpTopic::Generations:
        return QCoreApplication::translate("Help", "<h3>Generations</h3><p>The prompts, responses and verdicts behind the current edit's ASR point. "
                  "The keyword judge counts a response as a successful attack when it contains none of the "
                  "refusal phrases and has at least 20 words (§9.5); the other judges' verdicts and reasons, and "
                  "the coherence flag (mean token log-probability under the unedited model), stand beside it. "
                  "Filter by verdict, e.g. the jailbroken-but-incoherent responses that a keyword ASR counts.</p>");
    case HelpTopic::Heads:
        return QCoreApplication::translate("Help", "<h3>Heads</h3><p>The validation accuracy of a linear probe that tells harmful from harmless "
                  "prompts, for every attention head (rows: layers, columns: heads), as the reference's "
                  "probing_result JSON (spec §11). \"Probe this model\" computes it here: the head's output at the "
                  "last prompt token (its slice of o_proj's input), up to 420 prompts per class from the model "
                  "panel's safety and utility datasets, a 5:2 split and a logistic regression.</p><p>The ablation "
                  "zeroes the chosen heads and evaluates the ASR (and, for the demo, utility). \"As the reference\" "
                  "zeroes columns of q/k/v and rows of o (residual channels, what the paper's code does); \"head "
                  "output\" zeroes the head's columns of o_proj. The paper's point: the best-probed heads are not "
                  "where safety lives.</p>");
    case HelpTopic::Matrix:
        return QCoreApplication::translate("Help", "<h3>Matrix</h3><p>One matrix up close: the removed weights of the set difference at the "
                  "sliders' p and q, as the fraction removed in each block of a grid of at most 128 × 128 "
                  "blocks (rows are output features, columns input features), and the distributions of "
                  "log10(score) of the safety and the utility set. Read from the store's scores.</p>");
    }
    return {};
}

QString aboutText()
{
    const VersionInfo v = versionInfo();
    return tr("<h3>AlignScope %1</h3>"
              "<p>Finds where a language model's safety lives: the sparse safety-critical weights and ranks "
              "of Wei et al. (ICML 2024, arXiv 2402.05162).</p>"
              "<table>"
              "<tr><td>Qt</td><td>%2</td></tr>"
              "<tr><td>libtorch</td><td>%3</td></tr>"
              "<tr><td>HDF5</td><td>%4</td></tr>"
              "<tr><td>QCustomPlot</td><td>%5</td></tr>"
              "</table>")
        .arg(QString::fromStdString(v.program), QString::fromLatin1(qVersion()),
             QString::fromStdString(v.libtorch) + (v.cuda ? QStringLiteral(" (CUDA)") : QStringLiteral(" (CPU)")),
             QString::fromStdString(v.hdf5), QStringLiteral(QCUSTOMPLOT_VERSION_STR));
}

} // namespace alignscope::ui
