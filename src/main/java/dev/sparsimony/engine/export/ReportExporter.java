package dev.sparsimony.engine.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointCodec;
import dev.sparsimony.engine.explore.DesignResult;
import dev.sparsimony.engine.explore.LayerResult;
import dev.sparsimony.engine.explore.LayerSpec;
import dev.sparsimony.engine.explore.Pareto;
import dev.sparsimony.engine.explore.PointResult;
import dev.sparsimony.engine.explore.Provenance;
import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.hardware.LayerEstimate;
import dev.sparsimony.engine.hardware.LayerHwConfig;
import dev.sparsimony.engine.io.AtomicFiles;
import dev.sparsimony.engine.metric.Quality;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.quantize.FixedPoint;
import dev.sparsimony.engine.quantize.QuantizerSpec;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML report of a design point (report.html: inline CSS and SVG, no outside references), the
 * per-layer table as CSV (report.csv), the Pareto plots as SVG and PNG (accuracy against DSP, BRAM, LUT and
 * latency: a sweep's results when one is given, else the point beside its unpruned design), the design point
 * (point.json) and its provenance (provenance.json).
 */
final class ReportExporter implements Exporter {
    static final String HTML = "report.html";
    static final String CSV = "report.csv";
    static final String PROVENANCE = "provenance.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int W = 640;
    private static final int H = 400;
    private static final Color ALL = new Color(0x9a, 0xa5, 0xb1, 150);
    private static final Color INFEASIBLE = new Color(0xe0, 0x9a, 0x9a, 150);
    private static final Color FRONT = new Color(0x1f, 0x5f, 0xa8);
    private static final Color CHOSEN = new Color(0xd6, 0x3b, 0x2f);
    private static final Color REFERENCE = new Color(0x55, 0x55, 0x55);

    /** The resources the plots put against accuracy: objective id, file suffix, axis title. */
    private static final String[][] AXES = {
        {"dsp", "dsp", "DSP slices"},
        {"bram18", "bram", "BRAM (18 Kb blocks)"},
        {"lut", "lut", "LUTs"},
        {"latency", "latency", "latency (clock cycles)"},
    };

    @Override
    public String id() {
        return "report";
    }

    @Override
    public String description() {
        return "HTML report and CSV of the per-layer choices and figures, Pareto plots (SVG, PNG), point and"
                + " provenance";
    }

    @Override
    public boolean needsData() {
        return true;
    }

    /** One row of the per-layer table. */
    record Row(String layer, String type, String granularity, String targetSparsity, double sparsity, long weights,
               long nonZeros, String weightType, String biasType, String resultType, int bits, String reuse,
               String strategy, long dsp, long bram18, long lut, long ff, long latency, long storageBits) {
    }

    @Override
    public void write(ExportJob job, Path dir, AtomicFiles.Batch files) {
        List<Row> rows = rows(job);
        Map<String, Plot> plots = plots(job);
        Map<String, String> svgs = new LinkedHashMap<>();
        plots.forEach((file, plot) -> {
            String svg = plot.svg(W, H);
            svgs.put(file, svg);
            files.add(dir.resolve(file + ".svg"), svg);
            files.add(dir.resolve(file + ".png"), plot.png(W, H));
        });
        files.add(dir.resolve(CSV), csv(job, rows));
        files.add(dir.resolve(NativeExporter.POINT), DesignPointCodec.write(job.point()));
        files.add(dir.resolve(PROVENANCE), provenanceJson(job));
        files.add(dir.resolve(HTML), html(job, rows, svgs));
    }

    // ------------------------------------------------------------------ the per-layer table

    static List<Row> rows(ExportJob job) {
        DesignPoint c = job.point().canonical();
        Map<String, LayerEstimate> est = new LinkedHashMap<>();
        job.estimate().layers().forEach(l -> est.put(l.name(), l));
        Map<String, LayerResult> res = new LinkedHashMap<>();
        if (job.result() != null) {
            job.result().layers().forEach(l -> res.put(l.layer(), l));
        }
        Map<String, FixedPoint> outputTypes = OnnxWriter.outputTypes(job.compressed());
        List<Row> rows = new ArrayList<>();
        for (Node n : job.compressed().nodes()) {
            LayerEstimate e = est.get(n.name());
            LayerResult r = res.get(n.name());
            if (e == null && r == null) {
                continue;
            }
            boolean weighted = n.op().isPrunable();
            LayerSpec ls = c.layers().get(n.name());
            String gran = "";
            String target = "";
            String wt = "";
            String bt = "";
            String rt = outputTypes.containsKey(n.name()) ? outputTypes.get(n.name()).hlsType() : "";
            String reuse = "";
            String strategy = e == null ? "" : e.strategy();
            if (weighted) {
                boolean exempt = ls != null && ls.exemptFromPruning();
                gran = exempt ? "exempt" : ls != null && ls.granularity() != null ? ls.granularity()
                        : c.prune().granularity();
                if (!exempt && "layer".equals(c.prune().selectionOrDefault())) {
                    Double s = ls != null && ls.sparsity() != null ? ls.sparsity() : c.prune().sparsity();
                    target = pct(s == null ? 0 : s);
                } else if (!exempt) {
                    target = c.prune().selectionOrDefault();
                }
                LayerHwConfig h = job.hardware().layer(n.name());
                QuantizerSpec wq = ls != null && ls.weights() != null ? ls.weights() : c.weights();
                wt = describe(wq, h.weight());
                bt = h.bias().hlsType();
                rt = h.result().hlsType();
                int used = e == null ? h.reuseFactor() : e.reuseFactor();
                reuse = used == h.reuseFactor() ? String.valueOf(used) : h.reuseFactor() + " -> " + used;
                strategy = h.strategy().label();
            }
            rows.add(new Row(n.name(), e != null ? e.kind() : n.op().kind(), gran, target,
                    r == null ? Double.NaN : r.sparsity(), r == null ? 0 : r.weights(), r == null ? 0 : r.nonZeros(),
                    wt, bt, rt, r == null ? 0 : r.bitsPerWeight(), reuse, strategy, e == null ? 0 : e.dsp(),
                    e == null ? 0 : e.bram18(), e == null ? 0 : e.lut(), e == null ? 0 : e.ff(),
                    e == null ? 0 : e.latencyCycles(), r == null ? 0 : r.storedBits()));
        }
        return rows;
    }

    /** A weight quantizer in words: its fixed type, or e.g. "po2 4 bits (costed as ap_fixed<16,6>)". */
    private static String describe(QuantizerSpec q, FixedPoint costedAs) {
        if (q == null || q.absent()) {
            return "float (costed as " + costedAs.hlsType() + ")";
        }
        return switch (q.type()) {
            case "fixed" -> q.fixed().hlsType();
            case "po2" -> "po2 " + q.bits() + " bits (costed as " + costedAs.hlsType() + ")";
            case "kmeans" -> "k-means " + q.clusters() + " clusters (costed as " + costedAs.hlsType() + ")";
            default -> q.type() + " (costed as " + costedAs.hlsType() + ")";
        };
    }

    static String csv(ExportJob job, List<Row> rows) {
        StringBuilder sb = new StringBuilder("layer,type,granularity,target_sparsity,sparsity,weights,non_zeros,"
                + "weight_type,bias_type,result_type,bits,reuse_factor,strategy,dsp,bram18,lut,ff,latency_cycles,"
                + "storage_bits\n");
        for (Row r : rows) {
            sb.append(String.join(",", cell(r.layer()), cell(r.type()), cell(r.granularity()),
                    cell(r.targetSparsity()), Double.isNaN(r.sparsity()) ? "" : String.format(Locale.ROOT, "%.6f",
                            r.sparsity()), num(r.weights()), num(r.nonZeros()), cell(r.weightType()),
                    cell(r.biasType()), cell(r.resultType()), r.bits() == 0 ? "" : String.valueOf(r.bits()),
                    cell(r.reuse()), cell(r.strategy()), String.valueOf(r.dsp()), String.valueOf(r.bram18()),
                    String.valueOf(r.lut()), String.valueOf(r.ff()), String.valueOf(r.latency()),
                    num(r.storageBits()))).append('\n');
        }
        FpgaEstimate e = job.estimate();
        DesignResult d = job.result();
        sb.append(String.join(",", "total", "", "", "", d == null ? "" : String.format(Locale.ROOT, "%.6f",
                        d.sparsity()), "", d == null ? "" : String.valueOf(d.params()), "", "", "", "", "", "",
                String.valueOf(e.dsp()), String.valueOf(e.bram18()), String.valueOf(e.lut()), String.valueOf(e.ff()),
                String.valueOf(e.latencyCycles()), d == null ? "" : String.valueOf(d.storage().bestBits())))
                .append('\n');
        return sb.toString();
    }

    private static String num(long v) {
        return v == 0 ? "" : String.valueOf(v);
    }

    /** RFC 4180 quoting where a cell needs it (types hold commas: ap_fixed<16,6>). */
    private static String cell(String s) {
        if (s == null) {
            return "";
        }
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    // ------------------------------------------------------------------ plots

    /** Plot file stem -> plot. */
    static Map<String, Plot> plots(ExportJob job) {
        Map<String, Plot> out = new LinkedHashMap<>();
        Quality q = job.result().quality();
        boolean accuracy = q.metric() == Quality.Metric.ACCURACY;
        String yLabel = accuracy ? "top-1 accuracy" : "top-1 agreement with the unpruned model";
        String name = job.point().name() == null || job.point().name().isBlank() ? "this point" : job.point().name();
        FpgaEstimate e = job.estimate();
        for (String[] axis : AXES) {
            double chosenX = switch (axis[0]) {
                case "dsp" -> e.dsp();
                case "bram18" -> e.bram18();
                case "lut" -> e.lut();
                default -> e.latencyCycles();
            };
            List<Plot.Series> series = new ArrayList<>();
            String title;
            if (!job.sweep().isEmpty()) {
                List<PointResult> ok = job.sweep().stream().filter(PointResult::ok).toList();
                List<PointResult> feasible = ok.stream().filter(PointResult::feasible).toList();
                List<PointResult> infeasible = ok.stream().filter(r -> !r.feasible()).toList();
                series.add(points("sweep results (" + feasible.size() + ")", feasible, axis[0], ALL));
                if (!infeasible.isEmpty()) {
                    series.add(points("do not fit or miss a constraint (" + infeasible.size() + ")", infeasible,
                            axis[0], INFEASIBLE));
                }
                double[][] v = new double[feasible.size()][];
                for (int i = 0; i < v.length; i++) {
                    v[i] = new double[] {feasible.get(i).accuracy(), feasible.get(i).objective(axis[0])};
                }
                int[] front = v.length == 0 ? new int[0] : Pareto.front(v, new boolean[] {true, false});
                List<PointResult> f = new ArrayList<>();
                for (int i : front) {
                    f.add(feasible.get(i));
                }
                Plot.Series fs = points("Pareto front (" + f.size() + ")", f, axis[0], FRONT);
                series.add(new Plot.Series(fs.name(), fs.x(), fs.y(), FRONT, Plot.Marker.CIRCLE, 4.5, true, null));
                title = yLabel.substring(0, 1).toUpperCase(Locale.ROOT) + yLabel.substring(1) + " against "
                        + axis[2];
            } else {
                if (job.reference() != null) {
                    FpgaEstimate re = job.reference().hardware();
                    double rx = switch (axis[0]) {
                        case "dsp" -> re.dsp();
                        case "bram18" -> re.bram18();
                        case "lut" -> re.lut();
                        default -> re.latencyCycles();
                    };
                    series.add(new Plot.Series("unpruned, same types and hardware", new double[] {rx},
                            new double[] {job.reference().quality().value()}, REFERENCE, Plot.Marker.CIRCLE, 6,
                            false, List.of("unpruned")));
                }
                title = yLabel.substring(0, 1).toUpperCase(Locale.ROOT) + yLabel.substring(1) + " against "
                        + axis[2];
            }
            series.add(new Plot.Series("chosen point", new double[] {chosenX}, new double[] {q.value()}, CHOSEN,
                    Plot.Marker.DIAMOND, 7, false, List.of(name)));
            out.put("pareto-accuracy-" + axis[1], new Plot(title, axis[2], yLabel, true, series));
        }
        return out;
    }

    private static Plot.Series points(String name, List<PointResult> rs, String objective, Color color) {
        double[] x = new double[rs.size()];
        double[] y = new double[rs.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rs.get(i).objective(objective);
            y[i] = rs.get(i).accuracy();
        }
        return new Plot.Series(name, x, y, color, Plot.Marker.DOT, 2.6, false, null);
    }

    // ------------------------------------------------------------------ provenance

    static String provenanceJson(ExportJob job) {
        Provenance p = job.provenance();
        ObjectNode o = JSON.createObjectNode();
        o.put("key", job.point().key());
        o.put("model", p.model());
        o.put("model_sha256", p.modelSha256());
        o.put("data", p.data());
        o.put("data_sha256", p.dataSha256());
        o.put("engine", p.engine());
        o.put("seed", p.seed());
        if (p.solver() != null) {
            o.put("solver", p.solver());
        }
        if (!job.sweep().isEmpty()) {
            // a folder when the sweep was read from one; the window's exploration is in memory
            o.put("sweep", job.options().sweepDir() == null ? "window exploration"
                    : job.options().sweepDir().toString());
            o.put("sweep_points", job.sweep().size());
        }
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ HTML

    static String html(ExportJob job, List<Row> rows, Map<String, String> svgs) {
        DesignPoint c = job.point().canonical();
        FpgaEstimate e = job.estimate();
        DesignResult d = job.result();
        Quality q = d.quality();
        Provenance p = job.provenance();
        String pointName = job.point().name() == null || job.point().name().isBlank() ? "(unnamed)"
                : job.point().name();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>").append(esc(job.original().name())).append(" · ").append(esc(pointName))
                .append(" · Sparsimony report</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(job.original().name())).append(" <span class=\"sub\">design point ")
                .append(esc(pointName)).append(" · key ").append(esc(job.point().key())).append("</span></h1>\n");

        h.append("<section class=\"cards\">\n");
        card(h, q.metric() == Quality.Metric.ACCURACY ? "accuracy" : "agreement", pct(q.value()),
                job.reference() == null ? String.format(Locale.ROOT, "%,d samples", q.samples())
                        : "unpruned " + pct(job.reference().quality().value()));
        card(h, "DSP", String.format(Locale.ROOT, "%,d", e.dsp()), util(e.dspPercent(), e.device().dsp()));
        card(h, "BRAM18", String.format(Locale.ROOT, "%,d", e.bram18()), util(e.bramPercent(), e.device().bram18()));
        card(h, "LUT", String.format(Locale.ROOT, "%,d", e.lut()), util(e.lutPercent(), e.device().lut()));
        card(h, "FF", String.format(Locale.ROOT, "%,d", e.ff()), util(e.ffPercent(), e.device().ff()));
        card(h, "latency", String.format(Locale.ROOT, "%,d cycles", e.latencyCycles()),
                String.format(Locale.ROOT, "%.1f ns at %.0f MHz, II %,d", e.latencyNs(), e.clockMhz(),
                        e.intervalCycles()));
        card(h, "storage", bytes(d.storage().bestBits()), String.format(Locale.ROOT, "%.1fx smaller than float32",
                d.storage().compressionRatio()));
        card(h, "sparsity", pct(d.sparsity()), String.format(Locale.ROOT, "%,d of %,d weights kept", d.params(),
                rows.stream().mapToLong(Row::weights).sum()));
        h.append("</section>\n");
        h.append("<p class=\"").append(e.fits() ? "ok" : "bad").append("\">")
                .append(e.fits() ? "Fits the " + esc(e.device().name()) + "." : "Does not fit the "
                        + esc(e.device().name()) + ": " + esc(String.join("; ", e.fitProblems())) + ".")
                .append("</p>\n");

        h.append("<h2>Choices</h2>\n<table class=\"kv\">\n");
        kv(h, "device", e.device().name() + " (" + e.device().part() + ", " + e.device().family() + ")");
        kv(h, "clock", String.format(Locale.ROOT, "%.0f MHz (period %.3g ns), %s", e.clockMhz(), 1000 / e.clockMhz(),
                e.io().label()));
        kv(h, "strategy, reuse factor", c.hardware().strategy() + ", " + c.hardware().reuseFactor()
                + (Boolean.TRUE.equals(c.hardware().strictReuse()) ? " (strict)" : ""));
        kv(h, "precision", c.hardware().precision());
        kv(h, "pruning", pruning(c));
        kv(h, "weights / biases / outputs", quantizer(c.weights()) + " / " + quantizer(c.biases()) + " / "
                + quantizer(c.outputs()));
        if (!c.depthShrink().isEmpty()) {
            kv(h, "depth shrinking", String.join(", ", c.depthShrink()));
        }
        h.append("</table>\n");

        h.append("<h2>Layers</h2>\n<div class=\"wide\"><table class=\"grid\">\n<tr><th>layer</th><th>type</th><th>granularity</th>"
                + "<th>target</th><th>sparsity</th><th>non-zeros</th><th>weight type</th><th>bias type</th>"
                + "<th>result type</th><th>bits</th><th>RF</th><th>strategy</th><th>DSP</th><th>BRAM18</th>"
                + "<th>LUT</th><th>FF</th><th>latency</th><th>storage</th></tr>\n");
        for (Row r : rows) {
            h.append("<tr><td>").append(esc(r.layer())).append("</td><td>").append(esc(r.type())).append("</td><td>")
                    .append(esc(r.granularity())).append("</td><td class=\"n\">").append(esc(r.targetSparsity()))
                    .append("</td><td class=\"n\">").append(Double.isNaN(r.sparsity()) ? "" : pct(r.sparsity()))
                    .append("</td><td class=\"n\">").append(r.weights() == 0 ? "" : String.format(Locale.ROOT,
                            "%,d / %,d", r.nonZeros(), r.weights()))
                    .append("</td><td>").append(esc(r.weightType())).append("</td><td>").append(esc(r.biasType()))
                    .append("</td><td>").append(esc(r.resultType())).append("</td><td class=\"n\">")
                    .append(r.bits() == 0 ? "" : r.bits()).append("</td><td class=\"n\">").append(esc(r.reuse()))
                    .append("</td><td>").append(esc(r.strategy())).append("</td>");
            for (long v : new long[] {r.dsp(), r.bram18(), r.lut(), r.ff(), r.latency()}) {
                h.append("<td class=\"n\">").append(String.format(Locale.ROOT, "%,d", v)).append("</td>");
            }
            h.append("<td class=\"n\">").append(r.storageBits() == 0 ? "" : bytes(r.storageBits()))
                    .append("</td></tr>\n");
        }
        h.append("<tr class=\"total\"><td>total</td><td></td><td></td><td></td><td class=\"n\">")
                .append(pct(d.sparsity())).append("</td><td class=\"n\">")
                .append(String.format(Locale.ROOT, "%,d", d.params())).append("</td><td></td><td></td><td></td>"
                        + "<td></td><td></td><td></td>");
        for (long v : new long[] {e.dsp(), e.bram18(), e.lut(), e.ff(), e.latencyCycles()}) {
            h.append("<td class=\"n\">").append(String.format(Locale.ROOT, "%,d", v)).append("</td>");
        }
        h.append("<td class=\"n\">").append(bytes(d.storage().bestBits())).append("</td></tr>\n</table></div>\n");
        h.append("<p class=\"note\">RF \"a -&gt; b\": the chosen reuse factor is not valid for the layer; hls4ml uses"
                + " the closest valid one, b, and so does the estimate. Storage: the smallest of dense, CSR,"
                + " relative-index and Huffman coding of the kept weights and the biases.</p>\n");
        if (!e.notes().isEmpty()) {
            h.append("<ul class=\"notes\">\n");
            for (String n : e.notes()) {
                h.append("<li>").append(esc(n)).append("</li>\n");
            }
            h.append("</ul>\n");
        }

        h.append("<h2>Pareto plots</h2>\n<div class=\"plots\">\n");
        svgs.forEach((file, svg) -> h.append("<figure>").append(svg.substring(svg.indexOf("<svg")))
                .append("<figcaption><a href=\"").append(file).append(".svg\">").append(file).append(".svg</a> · <a href=\"")
                .append(file).append(".png\">").append(file).append(".png</a></figcaption></figure>\n"));
        h.append("</div>\n");

        h.append("<h2>Provenance</h2>\n<table class=\"kv\">\n");
        kv(h, "model", p.model());
        kv(h, "model SHA-256", p.modelSha256());
        kv(h, "data", p.data() + (q.samples() > 0 ? String.format(Locale.ROOT, " (%,d samples)", q.samples()) : ""));
        kv(h, "data SHA-256", p.dataSha256());
        kv(h, "engine", "Sparsimony " + p.engine());
        kv(h, "seed", String.valueOf(p.seed()));
        if (p.solver() != null) {
            kv(h, "knapsack", p.solver());
        }
        if (!job.sweep().isEmpty()) {
            kv(h, "sweep", (job.options().sweepDir() == null ? "window exploration" : job.options().sweepDir())
                    + String.format(Locale.ROOT, " (%,d results)", job.sweep().size()));
        }
        h.append("</table>\n");
        h.append("<h2>Design point</h2>\n<pre>").append(esc(DesignPointCodec.write(job.point()))).append("</pre>\n");
        h.append("<p class=\"note\">Re-run: <code>sparsimony evaluate ").append(esc(p.model()))
                .append(" --config point.json</code>; hardware: <code>sparsimony estimate ").append(esc(p.model()))
                .append(" --config point.json</code>.</p>\n</body>\n</html>\n");
        return h.toString();
    }

    private static String pruning(DesignPoint c) {
        var ps = c.prune();
        StringBuilder sb = new StringBuilder(ps.granularity());
        if (ps.params() != null && !ps.params().isEmpty()) {
            sb.append(" ").append(ps.params());
        }
        sb.append(", ").append(ps.importance()).append(" importance, ").append(ps.selectionOrDefault())
                .append(" selection");
        if ("knapsack".equals(ps.selectionOrDefault())) {
            sb.append(", budgets ").append(ps.budgets()).append(" (").append(ps.budgetBasis()).append(")");
        } else {
            sb.append(", sparsity ").append(pct(ps.sparsityOrZero()));
        }
        long overrides = c.layers().size();
        if (overrides > 0) {
            sb.append("; ").append(overrides).append(" layer").append(overrides == 1 ? "" : "s")
                    .append(" with their own settings (see the table)");
        }
        return sb.toString();
    }

    private static String quantizer(QuantizerSpec q) {
        if (q == null || q.absent()) {
            return "float";
        }
        return switch (q.type()) {
            case "fixed" -> q.fixed().hlsType();
            case "po2" -> "po2 " + q.bits() + " bits";
            case "kmeans" -> "k-means " + q.clusters();
            default -> q.type();
        };
    }

    private static void card(StringBuilder h, String title, String value, String sub) {
        h.append("<div class=\"card\"><div class=\"t\">").append(esc(title)).append("</div><div class=\"v\">")
                .append(esc(value)).append("</div><div class=\"s\">").append(esc(sub)).append("</div></div>\n");
    }

    private static void kv(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n");
    }

    private static String util(double percent, long available) {
        return String.format(Locale.ROOT, "%.1f %% of %,d", percent, available);
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * v);
    }

    private static String bytes(long bits) {
        long b = (bits + 7) / 8;
        return b >= 10_000 ? String.format(Locale.ROOT, "%,.1f KiB", b / 1024.0) : String.format(Locale.ROOT, "%,d B", b);
    }

    static String esc(String s) {
        return s == null ? "" : Canvas.Svg.escape(s);
    }

    private static final String CSS = """
            body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222; margin: 24px 32px;
                   max-width: 1500px; font-size: 14px; }
            h1 { font-size: 22px; margin: 0 0 16px; } h1 .sub { font-weight: normal; color: #666; font-size: 15px; }
            h2 { font-size: 17px; margin: 28px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
            .cards { display: flex; flex-wrap: wrap; gap: 10px; }
            .card { border: 1px solid #d8dde3; border-radius: 6px; padding: 8px 14px; min-width: 130px;
                    background: #f8fafc; }
            .card .t { color: #666; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
            .card .v { font-size: 20px; font-weight: bold; margin: 2px 0; } .card .s { color: #555; font-size: 12px; }
            .ok { color: #1b6e2f; } .bad { color: #b3261e; font-weight: bold; }
            table { border-collapse: collapse; } .kv th { text-align: left; padding: 3px 16px 3px 0; color: #555;
                    font-weight: normal; } .kv td { padding: 3px 0; }
            .grid { font-size: 12.5px; } .grid th, .grid td { border: 1px solid #dde2e7; padding: 3px 6px; white-space: nowrap; }
            .grid th { background: #eef2f6; font-weight: 600; } .grid td.n { text-align: right; }
            .grid tr.total td { font-weight: bold; background: #f6f8fa; }
            .wide { overflow-x: auto; max-width: 100%; }
            .note, .notes { color: #555; font-size: 12.5px; }
            .plots { display: flex; flex-wrap: wrap; gap: 12px; } figure { margin: 0; }
            figcaption { font-size: 12px; color: #555; text-align: center; }
            pre { background: #f6f8fa; border: 1px solid #e1e4e8; padding: 10px; font-size: 12.5px; overflow: auto; }
            """;
}
