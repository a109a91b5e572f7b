<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>alignscope::ui::GenerationsModel</name>
    <message>
        <source>jailbroken</source>
        <translation>gebrochen</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>verweigert</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>Einstellung</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Urteil</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::GenerationsView</name>
    <message>
        <source>All verdicts</source>
        <translation>Alle Urteile</translation>
    </message>
    <message>
        <source>Jailbroken</source>
        <translation>Gebrochen</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Verweigert</translation>
    </message>
    <message>
        <source>All settings</source>
        <translation>Alle Einstellungen</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Zeigen:</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <source>No generations</source>
        <translation>Keine Generierungen</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::LayerMapView</name>
    <message>
        <source>Matrix</source>
        <translation>Matrix</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <source>No data</source>
        <translation>Keine Daten</translation>
    </message>
    <message>
        <source>Layer map</source>
        <translation>Schichtkarte</translation>
    </message>
    <message>
        <source>Layer map: %1</source>
        <translation>Schichtkarte: %1</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::LinePlotView</name>
    <message>
        <source>No model loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <source>No data</source>
        <translation>Keine Daten</translation>
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
        <translation>Schichtkarte</translation>
    </message>
    <message>
        <source>Overlap</source>
        <translation>Überlappung</translation>
    </message>
    <message>
        <source>Tradeoff</source>
        <translation>Zielkonflikt</translation>
    </message>
    <message>
        <source>Generations</source>
        <translation>Generierungen</translation>
    </message>
    <message>
        <source>Selection</source>
        <translation>Auswahl</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel the running job</source>
        <translation>Den laufenden Auftrag abbrechen</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>Modell &amp;öffnen…</translation>
    </message>
    <message>
        <source>Open &amp;store…</source>
        <translation>&amp;Speicher öffnen…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>Score stores are not supported by this version yet</source>
        <translation>Score-Speicher werden von dieser Version noch nicht unterstützt</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Export figure…</source>
        <translation>Abbildung &amp;exportieren…</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>The language changes when AlignScope is started again.</source>
        <translation>Die Sprache ändert sich beim nächsten Start von AlignScope.</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemvorgabe</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About AlignScope</source>
        <translation>Über &amp;AlignScope</translation>
    </message>
    <message>
        <source>About AlignScope</source>
        <translation>Über AlignScope</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>Cannot open model</source>
        <translation>Modell kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>Liste leeren</translation>
    </message>
    <message>
        <source>&lt;h3&gt;AlignScope %1&lt;/h3&gt;&lt;p&gt;Finds where a language model&apos;s safety lives: the sparse safety-critical weights and ranks of Wei et al. (ICML 2024, arXiv 2402.05162).&lt;/p&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;Qt&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;libtorch&lt;/td&gt;&lt;td&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;HDF5&lt;/td&gt;&lt;td&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;QCustomPlot&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation>&lt;h3&gt;AlignScope %1&lt;/h3&gt;&lt;p&gt;Findet, wo die Sicherheit eines Sprachmodells sitzt: die dünn besetzten sicherheitskritischen Gewichte und Ränge nach Wei et al. (ICML 2024, arXiv 2402.05162).&lt;/p&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;Qt&lt;/td&gt;&lt;td&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;libtorch&lt;/td&gt;&lt;td&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;HDF5&lt;/td&gt;&lt;td&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;QCustomPlot&lt;/td&gt;&lt;td&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</translation>
    </message>
    <message>
        <source>No scores computed for this model yet</source>
        <translation>Für dieses Modell wurden noch keine Scores berechnet</translation>
    </message>
    <message>
        <source>No evaluated points yet</source>
        <translation>Noch keine ausgewerteten Punkte</translation>
    </message>
    <message>
        <source>No generations yet</source>
        <translation>Noch keine Generierungen</translation>
    </message>
    <message>
        <source>%1 — AlignScope</source>
        <translation>%1 — AlignScope</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <source>Open a Hugging Face model folder</source>
        <translation>Einen Hugging-Face-Modellordner öffnen</translation>
    </message>
    <message>
        <source>Export figure</source>
        <translation>Abbildung exportieren</translation>
    </message>
    <message>
        <source>PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg);;CSV data (*.csv)</source>
        <translation>PNG-Bild (*.png);;PDF-Dokument (*.pdf);;SVG-Zeichnung (*.svg);;CSV-Daten (*.csv)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1: unknown file type</source>
        <translation>%1: unbekannter Dateityp</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <source>Model &amp; data</source>
        <translation>Modell &amp; Daten</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::ModelPanel</name>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>Modell öffnen…</translation>
    </message>
    <message>
        <source>Calibration data</source>
        <translation>Kalibrierdaten</translation>
    </message>
    <message>
        <source>CSV, JSON or JSONL file</source>
        <translation>CSV-, JSON- oder JSONL-Datei</translation>
    </message>
    <message>
        <source>Safety:</source>
        <translation>Sicherheit:</translation>
    </message>
    <message>
        <source>Choose the safety dataset</source>
        <translation>Sicherheitsdatensatz wählen</translation>
    </message>
    <message>
        <source>Utility:</source>
        <translation>Nutzen:</translation>
    </message>
    <message>
        <source>Choose the utility dataset</source>
        <translation>Nutzendatensatz wählen</translation>
    </message>
    <message>
        <source>Datasets (*.csv *.json *.jsonl *.txt);;All files (*)</source>
        <translation>Datensätze (*.csv *.json *.jsonl *.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation>Architektur:</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>Schichten:</translation>
    </message>
    <message>
        <source>Hidden size:</source>
        <translation>Verborgene Größe:</translation>
    </message>
    <message>
        <source>MLP size:</source>
        <translation>MLP-Größe:</translation>
    </message>
    <message>
        <source>Heads:</source>
        <translation>Köpfe:</translation>
    </message>
    <message>
        <source>%1 (%2 key/value)</source>
        <translation>%1 (%2 Key/Value)</translation>
    </message>
    <message>
        <source>Vocabulary:</source>
        <translation>Vokabular:</translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation>Parameter:</translation>
    </message>
    <message>
        <source>Scored matrices:</source>
        <translation>Bewertete Matrizen:</translation>
    </message>
    <message>
        <source>%1 (%2 weights)</source>
        <translation>%1 (%2 Gewichte)</translation>
    </message>
    <message>
        <source>Stored dtype:</source>
        <translation>Gespeicherter Datentyp:</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::OverlapView</name>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Jaccard index</source>
        <translation>Jaccard-Index</translation>
    </message>
    <message>
        <source>Safety vs utility overlap</source>
        <translation>Überlappung Sicherheit vs. Nutzen</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::PlotView</name>
    <message>
        <source>Export figure…</source>
        <translation>Abbildung exportieren…</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::SliderPanel</name>
    <message>
        <source>Set difference</source>
        <translation>Mengendifferenz</translation>
    </message>
    <message>
        <source>p (utility top):</source>
        <translation>p (Nutzen-Spitze):</translation>
    </message>
    <message>
        <source>q (safety top):</source>
        <translation>q (Sicherheits-Spitze):</translation>
    </message>
    <message>
        <source>Actual sparsity:</source>
        <translation>Tatsächliche Sparsität:</translation>
    </message>
    <message>
        <source>Weights among the top p of the utility score are kept</source>
        <translation>Gewichte unter den obersten p des Nutzen-Scores bleiben erhalten</translation>
    </message>
    <message>
        <source>Weights among the top q of the safety score, and not kept for utility, are removed</source>
        <translation>Gewichte unter den obersten q des Sicherheits-Scores, die nicht für den Nutzen erhalten bleiben, werden entfernt</translation>
    </message>
    <message>
        <source>Pruning</source>
        <translation>Pruning</translation>
    </message>
    <message>
        <source>Sparsity s:</source>
        <translation>Sparsität s:</translation>
    </message>
    <message>
        <source>Orthogonal projection</source>
        <translation>Orthogonale Projektion</translation>
    </message>
    <message>
        <source>r_u:</source>
        <translation>r_u:</translation>
    </message>
    <message>
        <source>r_s:</source>
        <translation>r_s:</translation>
    </message>
    <message>
        <source>The protected utility subspace has dimension m − r_u (the reference code&apos;s --rank_pos)</source>
        <translation>Der geschützte Nutzen-Unterraum hat die Dimension m − r_u (--rank_pos des Referenzcodes)</translation>
    </message>
    <message>
        <source>The safety subspace has dimension m − r_s (the reference code&apos;s --rank_neg)</source>
        <translation>Der Sicherheits-Unterraum hat die Dimension m − r_s (--rank_neg des Referenzcodes)</translation>
    </message>
</context>
<context>
    <name>alignscope::ui::TradeoffView</name>
    <message>
        <source>Actual sparsity</source>
        <translation>Tatsächliche Sparsität</translation>
    </message>
    <message>
        <source>Attack success rate</source>
        <translation>Angriffserfolgsrate</translation>
    </message>
    <message>
        <source>ASR tradeoff</source>
        <translation>ASR-Zielkonflikt</translation>
    </message>
</context>
</TS>
