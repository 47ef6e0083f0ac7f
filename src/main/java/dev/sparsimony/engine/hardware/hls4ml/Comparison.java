package dev.sparsimony.engine.hardware.hls4ml;

import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.hardware.IoType;
import dev.sparsimony.engine.hardware.LayerEstimate;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.QuantOps;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An estimate set against an HLS synthesis report of the same design, layer by layer (each layer's function
 * instance of the report, matched by kind in design order) and in total, with what the top-level function adds
 * between layers as a row of its own.
 *
 * @param rows  one per model layer the report has an instance for (or the estimate costs)
 * @param top   what the top-level function adds: report total minus its instances, against the estimate's
 *              top-level registers and cycles
 * @param total the whole design
 * @param unmatched report instances no layer of the model corresponds to
 */
public record Comparison(List<Row> rows, Row top, Row total, List<CsynthReport.Instance> unmatched,
                         CsynthReport report, FpgaEstimate estimate, List<String> notes) {
    public Comparison {
        rows = List.copyOf(rows);
        unmatched = List.copyOf(unmatched);
        notes = List.copyOf(notes);
    }

    /** Kinds of layers as both sides name them. */
    enum Kind { DENSE, CONV, ACTIVATION, SOFTMAX, BATCHNORM, POOL, GLOBAL_POOL, MERGE, CONCAT, PAD, RESIZE, OTHER }

    /** One metric: the estimate, the report (-1 when the report has none) and the error. */
    public record Metric(long estimate, long report) {
        public boolean known() {
            return report >= 0;
        }

        /** (estimate - report) / report; NaN when the report has no value or it is zero. */
        public double relativeError() {
            return !known() || report == 0 ? (estimate == 0 && report == 0 ? 0 : Double.NaN)
                    : (estimate - report) / (double) report;
        }

        public long difference() {
            return known() ? estimate - report : 0;
        }
    }

    /**
     * One layer (or the top level, or the total).
     *
     * @param layer    the model's layer name
     * @param instance the report's instance name ("" when none)
     * @param estimateRow the layer's estimate (null for the top and total rows)
     * @param reportInstance the matched instance (null when none)
     */
    public record Row(String layer, String kind, String instance, Metric latency, Metric interval, Metric dsp,
                      Metric bram, Metric ff, Metric lut, LayerEstimate estimateRow,
                      CsynthReport.Instance reportInstance) {
    }

    static Kind kindOfFunction(String f) {
        if (f.startsWith("dense")) {
            return Kind.DENSE;
        }
        if (f.startsWith("conv") || f.startsWith("pointwise") || f.startsWith("depthwise")) {
            return Kind.CONV;
        }
        if (f.startsWith("softmax")) {
            return Kind.SOFTMAX;
        }
        if (f.startsWith("normalize") || f.startsWith("batchnorm")) {
            return Kind.BATCHNORM;
        }
        if (f.contains("global")) {
            return Kind.GLOBAL_POOL;
        }
        if (f.contains("pooling")) {
            return Kind.POOL;
        }
        if (List.of("add", "subtract", "multiply", "average", "maximum", "minimum", "dot").contains(f)) {
            return Kind.MERGE;
        }
        if (f.startsWith("concatenate")) {
            return Kind.CONCAT;
        }
        if (f.startsWith("zeropad")) {
            return Kind.PAD;
        }
        if (f.startsWith("resize")) {
            return Kind.RESIZE;
        }
        if (List.of("relu", "leaky_relu", "elu", "selu", "sigmoid", "tanh", "linear", "hard_sigmoid", "hard_tanh",
                "softplus", "softsign", "binary_tanh", "ternary_tanh", "prelu", "thresholded_relu", "relu6")
                .contains(f)) {
            return Kind.ACTIVATION;
        }
        return Kind.OTHER;
    }

    /** The kind of a model layer as hls4ml builds it; null for layers hls4ml builds no function for. */
    static Kind kindOf(Op op) {
        if (op instanceof Ops.Dense) {
            return Kind.DENSE;
        }
        if (op instanceof Ops.Conv) {
            return Kind.CONV;
        }
        if (op instanceof Ops.Activation || op instanceof Ops.PRelu || op instanceof Ops.ThresholdedRelu
                || op instanceof QuantOps.Quant || op instanceof QuantOps.BipolarQuant) {
            return Kind.ACTIVATION;
        }
        if (op instanceof Ops.Softmax) {
            return Kind.SOFTMAX;
        }
        if (op instanceof Ops.BatchNorm) {
            return Kind.BATCHNORM;
        }
        if (op instanceof Ops.Pool) {
            return Kind.POOL;
        }
        if (op instanceof Ops.GlobalPool) {
            return Kind.GLOBAL_POOL;
        }
        if (op instanceof Ops.Binary) {
            return Kind.MERGE;
        }
        if (op instanceof Ops.Concat) {
            return Kind.CONCAT;
        }
        if (op instanceof Ops.Pad) {
            return Kind.PAD;
        }
        if (op instanceof Ops.Upsample) {
            return Kind.RESIZE;
        }
        return null;
    }

    /** Sets the estimate of {@code model} against the report, layer by layer. */
    public static Comparison of(Model model, FpgaEstimate e, CsynthReport r) {
        List<String> notes = new ArrayList<>();
        Map<Kind, List<CsynthReport.Instance>> byKind = new EnumMap<>(Kind.class);
        for (CsynthReport.Instance i : r.instances()) {
            byKind.computeIfAbsent(kindOfFunction(i.function()), k -> new ArrayList<>()).add(i);
        }
        Map<String, LayerEstimate> est = new LinkedHashMap<>();
        e.layers().forEach(l -> est.put(l.name(), l));
        List<Row> rows = new ArrayList<>();
        dev.sparsimony.engine.hardware.Calibration cal = e.calibration();
        long fifoFf = 0;
        long fifoLut = 0;
        long fifoBram = 0;
        for (LayerEstimate l : e.layers()) {
            dev.sparsimony.engine.hardware.CostTerms t = l.terms();
            fifoFf += t.fifoFf(cal);
            fifoLut += t.fifoLut(cal);
            fifoBram += t.fifoBram();
        }
        CsynthReport.Resources matched = CsynthReport.Resources.ZERO;
        long matchedLatency = 0;
        for (Node n : model.nodes()) {
            LayerEstimate le = est.get(n.name());
            Kind k = kindOf(n.op());
            List<CsynthReport.Instance> q = k == null ? null : byKind.get(k);
            CsynthReport.Instance inst = q == null || q.isEmpty() ? null : q.remove(0);
            if (inst == null && (le == null || le.dsp() + le.bram18() + le.lut() + le.ff() + le.latencyCycles() == 0)) {
                continue; // wiring on both sides
            }
            if (inst != null) {
                matched = matched.plus(inst.resources());
                matchedLatency += Math.max(0, inst.latencyMax());
            }
            rows.add(row(n.name(), le, inst, cal));
        }
        List<CsynthReport.Instance> unmatched = new ArrayList<>();
        byKind.values().forEach(unmatched::addAll);
        for (CsynthReport.Instance u : unmatched) {
            notes.add("report instance " + u.name() + " (" + u.function() + ") has no layer of the model");
            matched = matched.plus(u.resources());
            matchedLatency += Math.max(0, u.latencyMax());
        }
        boolean perLayer = !r.instances().isEmpty();
        CsynthReport.Resources topRes = r.total().minus(matched);
        boolean parallel = e.io() == IoType.PARALLEL;
        // FIFOs (io_stream) are the top level's in the report: the estimate's move there too
        Row top = new Row("(top level)", "top level", "", new Metric(e.topLatency(),
                perLayer && parallel ? r.latencyMax() - matchedLatency : -1), new Metric(1, -1),
                new Metric(0, perLayer ? topRes.dsp() : -1), new Metric(fifoBram, perLayer ? topRes.bram18() : -1),
                new Metric(e.topFf() + fifoFf, perLayer ? topRes.ff() : -1),
                new Metric(fifoLut, perLayer ? topRes.lut() : -1), null, null);
        Row total = new Row("total", "", "", new Metric(e.latencyCycles(), r.latencyMax()),
                new Metric(e.intervalCycles(), r.intervalMax()), new Metric(e.dsp(), r.total().dsp()),
                new Metric(e.bram18(), r.total().bram18()), new Metric(e.ff(), r.total().ff()),
                new Metric(e.lut(), r.total().lut()), null, null);
        if (!perLayer) {
            notes.add("the report has no per-instance tables (XML summary only): totals are compared");
        }
        return new Comparison(rows, top, total, unmatched, r, e, notes);
    }

    private static Row row(String name, LayerEstimate le, CsynthReport.Instance i,
                           dev.sparsimony.engine.hardware.Calibration cal) {
        long none = -1;
        boolean has = i != null;
        long lat = le == null ? 0 : le.latencyCycles();
        dev.sparsimony.engine.hardware.CostTerms t = le == null ? new dev.sparsimony.engine.hardware.CostTerms()
                : le.terms();
        return new Row(name, le == null ? "" : le.kind(), has ? i.name() : "",
                new Metric(lat, has ? i.latencyMax() : none),
                new Metric(le == null ? 1 : le.intervalCycles(), has ? i.intervalMax() : none),
                new Metric(le == null ? 0 : le.dsp(), has ? i.resources().dsp() : none),
                new Metric(le == null ? 0 : le.bram18() - t.fifoBram(), has ? i.resources().bram18() : none),
                new Metric(le == null ? 0 : le.ff() - t.fifoFf(cal), has ? i.resources().ff() : none),
                new Metric(le == null ? 0 : le.lut() - t.fifoLut(cal), has ? i.resources().lut() : none), le, i);
    }
}
