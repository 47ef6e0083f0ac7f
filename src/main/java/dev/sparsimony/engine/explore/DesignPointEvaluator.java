package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.infer.CompiledModel;
import dev.sparsimony.engine.infer.OutputTransform;
import dev.sparsimony.engine.infer.kernels.NdUtil;
import dev.sparsimony.engine.knapsack.KnapsackProblem;
import dev.sparsimony.engine.knapsack.KnapsackSolvers;
import dev.sparsimony.engine.metric.Accuracy;
import dev.sparsimony.engine.metric.Fidelity;
import dev.sparsimony.engine.metric.Quality;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.prune.Granularities;
import dev.sparsimony.engine.prune.Granularity;
import dev.sparsimony.engine.prune.Importance;
import dev.sparsimony.engine.prune.Importances;
import dev.sparsimony.engine.prune.KernelView;
import dev.sparsimony.engine.prune.LayerContext;
import dev.sparsimony.engine.prune.Pruning;
import dev.sparsimony.engine.prune.Ranking;
import dev.sparsimony.engine.prune.StructureCost;
import dev.sparsimony.engine.prune.StructureCosts;
import dev.sparsimony.engine.prune.StructureMap;
import dev.sparsimony.engine.quantize.FixedPoint;
import dev.sparsimony.engine.quantize.Quantizer;
import dev.sparsimony.engine.quantize.QuantizerSpec;
import dev.sparsimony.engine.quantize.WeightQuantizer;
import dev.sparsimony.engine.quantize.WeightQuantizers;
import dev.sparsimony.engine.storage.Storage;
import dev.sparsimony.engine.storage.StorageReport;
import dev.sparsimony.engine.transform.DepthShrinker;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies design points to one model and one validation data set and measures them. Built for many points: the
 * model is compiled once ({@link CompiledModel}, once per distinct depth-shrink choice), every layer has a scratch
 * kernel/bias array that is overwritten per point, structure rankings (sort orders) are computed once per
 * (layer, granularity, importance) and re-used, and quantization works in place. Not thread-safe: use one
 * evaluator per thread.
 */
public final class DesignPointEvaluator implements AutoCloseable {
    /** Relative index width for the sparse storage estimate (EIE uses 4 bits; Deep Compression 4 for FC). */
    public static final int RELATIVE_INDEX_BITS = 4;

    private final Model original;
    private final Dataset data;
    private final float[] x;
    private final int n;
    private final int batch;
    private final Map<List<String>, Prepared> prepared = new HashMap<>();
    private float[] reference;
    private double[] tileInputMax;
    private boolean computeStorage = true;

    /** A point's outcome together with the compressed model. */
    public record Compressed(DesignResult result, Model model) {
    }

    /** Evaluates in tiles of {@link #tileFor} samples. */
    public DesignPointEvaluator(Model model, Dataset data) {
        this(model, data, tileFor(model));
    }

    /** Bytes of activations one tile should hold: well inside a per-core L2 cache, with room for weights. */
    static final long TILE_BYTES = 288 << 10;

    /**
     * Samples per forward call: enough activations to fill {@link #TILE_BYTES} (so every layer's output is still
     * in cache when the next layer, the output quantization and the activation read it), at least 64 (so the
     * per-call costs stay small). jet-mlp: 1,128 bytes of values per sample, so 261 samples; the point rate is
     * flat from 150 to 500 samples and about 20 % lower with all 10,000 at once (TileSizeBench).
     */
    public static int tileFor(Model model) {
        long floats = 0;
        try {
            for (int[] s : model.inferShapes(1).values()) {
                floats += Math.max(0, Tensor.numel(s));
            }
        } catch (RuntimeException e) {
            return 256; // shapes are checked with a clear message when the model is compiled
        }
        return (int) Math.max(64, Math.min(100_000, TILE_BYTES / Math.max(1, 4 * floats)));
    }

    /** @param maxBatch the largest number of samples per forward call (memory bound) */
    public DesignPointEvaluator(Model model, Dataset data, int maxBatch) {
        this.original = model;
        this.data = data;
        this.x = data.x().data();
        this.n = data.size();
        if (n == 0) {
            throw new ModelException("validation data '" + data.name() + "' has no samples");
        }
        this.batch = Math.max(1, Math.min(n, maxBatch));
    }

    /** Storage accounting (Huffman etc.) per point can be skipped when only quality is needed. */
    public DesignPointEvaluator computeStorage(boolean on) {
        this.computeStorage = on;
        return this;
    }

    public Model model() {
        return original;
    }

    // ------------------------------------------------------------------ public entry points

    public DesignResult evaluate(DesignPoint point) {
        Prepared pr = apply(point);
        return measure(point, pr);
    }

    public Compressed evaluateWithModel(DesignPoint point) {
        DesignResult r = evaluate(point);
        return new Compressed(r, build(point, prepared.get(point.depthShrink())));
    }

    /** The compressed model (pruned, quantized weights and biases; output types recorded in metadata). */
    public Model compress(DesignPoint point) {
        return build(point, apply(point));
    }

    /** Checks every field of a point against the model; throws ModelException naming the bad field. */
    public void validate(DesignPoint point) {
        Prepared pr = prepare(point.depthShrink());
        resolve(point, pr);
    }

    @Override
    public void close() {
        prepared.values().forEach(p -> {
            if (p.compiled != null) {
                p.compiled.close();
            }
            if (p.logits != null) {
                p.logits.close();
            }
        });
        prepared.clear();
    }

    // ------------------------------------------------------------------ preparation (once per shrink set)

    private static final class Prepared {
        Model model;
        Map<String, int[]> shapes;
        List<Node> layers;
        float[][] kernel;
        float[][] bias;
        CompiledModel compiled;
        float[] out;
        Node softmax;
        CompiledModel logits;
        float[] logitsOut;
        final Map<String, Ranking> rankings = new HashMap<>();
        final Map<String, GlobalOrder> global = new HashMap<>();
        final Map<String, Granularity> granularities = new HashMap<>();
        final Map<String, WeightQuantizer> quantizers = new HashMap<>();
        final Map<String, QuantizeOutput> transforms = new HashMap<>();
        final java.util.Set<String> validated = new java.util.HashSet<>();
        Resolved last;
    }

    private Prepared prepare(List<String> shrink) {
        Prepared pr = prepared.get(shrink);
        if (pr != null) {
            return pr;
        }
        pr = new Prepared();
        try {
            pr.model = DepthShrinker.merge(original, shrink);
        } catch (ModelException e) {
            throw new ModelException("depthShrink: " + e.getMessage(), e);
        }
        pr.shapes = pr.model.inferShapes(1);
        pr.layers = pr.model.prunableNodes();
        pr.kernel = new float[pr.layers.size()][];
        pr.bias = new float[pr.layers.size()][];
        for (int i = 0; i < pr.layers.size(); i++) {
            Node l = pr.layers.get(i);
            pr.kernel[i] = new float[KernelView.kernel(l).size()];
            Tensor b = l.op().weights().get("bias");
            pr.bias[i] = b == null ? null : new float[b.size()];
        }
        prepared.put(List.copyOf(shrink), pr);
        return pr;
    }

    private CompiledModel compiled(Prepared pr) {
        if (pr.compiled == null) {
            pr.compiled = CompiledModel.compile(pr.model, batch);
            if (pr.compiled.inputSize() != data.featuresPerSample()) {
                throw new ModelException("validation data '" + data.name() + "' has " + data.featuresPerSample()
                        + " values per sample but the model input takes " + pr.compiled.inputSize());
            }
            pr.out = new float[n * pr.compiled.outputSize()];
            pr.softmax = trailingSoftmax(pr.model, pr.compiled);
        }
        return pr.compiled;
    }

    /**
     * The compiled model whose outputs a point's quality is read from: for top-1 accuracy of a model that ends in
     * a softmax over its class axis (whose output the point does not quantize), the same model without that
     * softmax. Softmax is strictly increasing in each logit, so the arg-max of the logits is the predicted class;
     * skipping it saves its exponentials (an eighth of a jet-mlp point) and the float ties exp can create between
     * close logits. Both models share nothing but their input, so each receives the point's weights.
     */
    private CompiledModel qualityModel(Prepared pr, Resolved rv) {
        CompiledModel full = compiled(pr);
        if (!data.hasLabels() || pr.softmax == null || rv.oq().containsKey(pr.softmax.name())) {
            return full;
        }
        if (pr.logits == null) {
            Model m = pr.model.withGraph(pr.model.nodes().stream().filter(nd -> nd != pr.softmax).toList(),
                    List.of(pr.softmax.inputs().get(0)));
            pr.logits = CompiledModel.compile(m, batch);
            pr.logitsOut = new float[n * pr.logits.outputSize()];
        }
        return pr.logits;
    }

    /** The model's softmax output node when it normalises each sample's class vector, else null. */
    private static Node trailingSoftmax(Model m, CompiledModel cm) {
        if (m.outputs().size() != 1 || cm.outputSampleShape().length != 1 || cm.outputSize() < 2) {
            return null;
        }
        for (Node nd : m.nodes()) {
            if (nd.name().equals(m.outputs().get(0)) && nd.op() instanceof Ops.Softmax sm
                    && (sm.axis() == 1 || sm.axis() == -1) && nd.inputs().size() == 1) {
                return nd;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ resolution of a point per layer

    /** Everything a point means for each layer of the prepared model. */
    private record Resolved(Granularity[] gran, String[] granKey, LayerContext[] ctx, Importance importance,
                            double[] sparsity, WeightQuantizer[] wq, FixedPoint[] bq, Map<String, FixedPoint> oq) {
    }

    private Resolved resolve(DesignPoint p, Prepared pr) {
        PruneSpec ps = p.prune();
        for (String l : p.layers().keySet()) {
            if (!pr.model.hasNode(l)) {
                throw new ModelException("layers." + l + ": the model has no layer named '" + l + "'"
                        + (p.depthShrink().isEmpty() ? "" : " (after depth shrinking)"));
            }
        }
        String sel = ps.selectionOrDefault();
        if (!List.of("layer", "global", "knapsack").contains(sel)) {
            throw new ModelException("prune.selection must be layer, global or knapsack, got '" + sel + "'");
        }
        if (ps.sparsity() != null) {
            Pruning.checkSparsity(ps.sparsity(), "prune.sparsity");
        }
        Importance imp;
        try {
            imp = Importances.create(ps.importance());
        } catch (ModelException e) {
            throw new ModelException("prune.importance: " + e.getMessage(), e);
        }
        int L = pr.layers.size();
        Granularity[] gran = new Granularity[L];
        String[] keys = new String[L];
        LayerContext[] ctx = new LayerContext[L];
        double[] sp = new double[L];
        WeightQuantizer[] wq = new WeightQuantizer[L];
        FixedPoint[] bq = new FixedPoint[L];
        Map<String, FixedPoint> oq = new LinkedHashMap<>();
        FixedPoint globalOut = p.outputs().fixedOnly("outputs");
        if (globalOut != null) {
            for (Node nd : pr.model.nodes()) {
                if (quantizesOutput(nd)) {
                    oq.put(nd.name(), globalOut);
                }
            }
        }
        for (int i = 0; i < L; i++) {
            Node layer = pr.layers.get(i);
            LayerSpec ls = p.layers().get(layer.name());
            String field = ls != null && ls.granularity() != null ? "layers." + layer.name() : "prune";
            String gid = ls != null && ls.granularity() != null ? ls.granularity() : ps.granularity();
            Map<String, Double> params = ls != null && ls.params() != null ? ls.params() : ps.params();
            Double s = ls != null && ls.sparsity() != null ? ls.sparsity() : ps.sparsity();
            if (ls != null && ls.sparsity() != null) {
                Pruning.checkSparsity(ls.sparsity(), "layers." + layer.name() + ".sparsity");
            }
            sp[i] = s == null ? 0 : s;
            QuantizerSpec wspec = ls != null && ls.weights() != null ? ls.weights() : p.weights();
            String wfield = ls != null && ls.weights() != null ? "layers." + layer.name() + ".weights" : "weights";
            String wkey = wspec.toString() + "|" + p.seed();
            WeightQuantizer q = pr.quantizers.get(wkey);
            if (q == null && !wspec.absent()) {
                try {
                    q = WeightQuantizers.create(wspec, p.seed());
                } catch (ModelException e) {
                    throw new ModelException(wfield + ": " + e.getMessage(), e);
                }
                pr.quantizers.put(wkey, q);
            }
            wq[i] = q;
            QuantizerSpec bspec = ls != null && ls.biases() != null ? ls.biases() : p.biases();
            bq[i] = bspec.fixedOnly(ls != null && ls.biases() != null ? "layers." + layer.name() + ".biases" : "biases");
            if (ls != null && ls.outputs() != null) {
                FixedPoint o = ls.outputs().fixedOnly("layers." + layer.name() + ".outputs");
                if (o == null) {
                    oq.remove(layer.name());
                } else {
                    oq.put(layer.name(), o);
                }
            }
            int bits = q == null ? 32 : q.bitsPerWeight();
            int rf = ls != null && ls.reuseFactor() != null ? ls.reuseFactor()
                    : (int) Math.round(params.getOrDefault("rf", 1.0)) <= 0 ? 1
                    : (int) Math.round(params.getOrDefault("rf", 1.0));
            try {
                ctx[i] = new LayerContext(pr.model, pr.shapes.get(layer.name()), sp[i], bits, rf);
            } catch (ModelException e) {
                throw new ModelException("layers." + layer.name() + ": " + e.getMessage(), e);
            }
            String key = gid + new TreeMap<>(params) + "|b" + bits + "|rf" + rf;
            Granularity g = pr.granularities.get(key);
            try {
                if (g == null) {
                    g = Granularities.create(gid, params);
                    pr.granularities.put(key, g);
                }
                if (g.wholeStructures()) {
                    ranking(pr, i, g, key, imp, ctx[i]); // cached; validates sizes against this layer
                } else if (pr.validated.add(layer.name() + "|" + key)) {
                    g.structures(layer, ctx[i]);
                }
            } catch (ModelException e) {
                throw new ModelException(field + ".granularity: " + e.getMessage(), e);
            }
            gran[i] = g;
            keys[i] = key;
        }
        // per-layer output overrides for non-prunable layers
        for (Map.Entry<String, LayerSpec> e : p.layers().entrySet()) {
            if (e.getValue().outputs() != null && !pr.model.node(e.getKey()).op().isPrunable()) {
                FixedPoint o = e.getValue().outputs().fixedOnly("layers." + e.getKey() + ".outputs");
                if (o == null) {
                    oq.remove(e.getKey());
                } else {
                    oq.put(e.getKey(), o);
                }
            }
        }
        if (sel.equals("knapsack")) {
            if (ps.budgets().isEmpty()) {
                throw new ModelException("prune.budgets: knapsack selection needs at least one budget");
            }
            for (int i = 0; i < L; i++) {
                if (!gran[i].wholeStructures()) {
                    throw new ModelException("prune.granularity: " + gran[i].id() + " keeps part of each structure,"
                            + " so it cannot be selected by the knapsack; use layer or global selection");
                }
            }
        } else if (ps.sparsity() == null && p.layers().values().stream().noneMatch(l -> l.sparsity() != null)
                && !ps.granularity().equals("n-of-m")) {
            // nothing to prune: fine (quantization-only point)
        }
        return new Resolved(gran, keys, ctx, imp, sp, wq, bq, oq);
    }

    /** Layer outputs typed by the global output quantizer: weighted layers, BatchNorm, non-ReLU activations. */
    private static boolean quantizesOutput(Node nd) {
        if (nd.op() instanceof Ops.Activation a) {
            // ReLU / linear of an on-grid value stays on the grid: skip the pass
            return a.activation() != ActivationKind.RELU && a.activation() != ActivationKind.LINEAR;
        }
        return nd.op().isPrunable() || nd.op() instanceof Ops.BatchNorm;
    }

    private Ranking ranking(Prepared pr, int i, Granularity g, String gkey, Importance imp, LayerContext ctx) {
        String key = pr.layers.get(i).name() + "|" + gkey + "|" + imp.id();
        Ranking r = pr.rankings.get(key);
        if (r == null) {
            Node layer = pr.layers.get(i);
            StructureMap map = g.structures(layer, ctx);
            r = Ranking.of(map, imp.scores(layer, KernelView.of(layer).data(), map, ctx));
            pr.rankings.put(key, r);
        }
        return r;
    }

    // ------------------------------------------------------------------ applying a point to the scratch arrays

    private Prepared apply(DesignPoint p) {
        Prepared pr = prepare(p.depthShrink());
        Resolved rv = resolve(p, pr);
        pr.last = rv;
        int L = pr.layers.size();
        for (int i = 0; i < L; i++) {
            float[] src = KernelView.kernel(pr.layers.get(i)).data();
            System.arraycopy(src, 0, pr.kernel[i], 0, src.length);
        }
        switch (p.prune().selectionOrDefault()) {
            case "layer" -> {
                for (int i = 0; i < L; i++) {
                    pruneLayer(pr, rv, i, rv.sparsity()[i]);
                }
            }
            case "global" -> pruneGlobal(pr, rv, p.prune().sparsityOrZero());
            case "knapsack" -> pruneKnapsack(pr, rv, p.prune());
            default -> throw new IllegalStateException();
        }
        for (int i = 0; i < L; i++) {
            if (rv.wq()[i] != null) {
                rv.wq()[i].quantize(pr.kernel[i]);
            }
            Tensor b = pr.layers.get(i).op().weights().get("bias");
            if (b != null) {
                System.arraycopy(b.data(), 0, pr.bias[i], 0, b.size());
                if (rv.bq()[i] != null) {
                    new Quantizer(rv.bq()[i]).quantize(pr.bias[i]);
                }
            }
        }
        return pr;
    }

    private void pruneLayer(Prepared pr, Resolved rv, int i, double s) {
        Granularity g = rv.gran()[i];
        if (g.wholeStructures()) {
            if (s > 0) {
                Ranking r = ranking(pr, i, g, rv.granKey()[i], rv.importance(), rv.ctx()[i]);
                r.zeroFirst(r.pruneCount(s), pr.kernel[i]);
            }
        } else {
            boolean[] keep = g.mask(pr.layers.get(i), pr.kernel[i], rv.ctx()[i].withSparsity(s), rv.importance());
            Pruning.applyInPlace(pr.kernel[i], keep);
        }
    }

    /** One ranking across layers by size-normalised importance. */
    private static final class GlobalOrder {
        int[] layer;
        int[] structure;
        int[] size;
        int total;
    }

    private void pruneGlobal(Prepared pr, Resolved rv, double s) {
        int L = pr.layers.size();
        boolean allWhole = true;
        for (Granularity g : rv.gran()) {
            allWhole &= g.wholeStructures();
        }
        if (!allWhole) {
            // per-layer sparsities from the global magnitude ranking, then each layer's own granularity
            Map<String, boolean[]> m = Pruning.mask(pr.model, s);
            for (int i = 0; i < L; i++) {
                pruneLayer(pr, rv, i, Pruning.sparsity(m.get(pr.layers.get(i).name())));
            }
            return;
        }
        String key = String.join(";", rv.granKey()) + "|" + rv.importance().id();
        GlobalOrder go = pr.global.get(key);
        if (go == null) {
            List<double[]> entries = new ArrayList<>();
            int total = 0;
            for (int i = 0; i < L; i++) {
                Ranking r = ranking(pr, i, rv.gran()[i], rv.granKey()[i], rv.importance(), rv.ctx()[i]);
                double[] sc = r.scores();
                for (int st = 0; st < sc.length; st++) {
                    entries.add(new double[] {rv.importance().normalised(sc[st], r.size(st)), i, st, r.size(st)});
                }
                total += pr.kernel[i].length;
            }
            entries.sort((a, b) -> {
                int c = Double.compare(a[0], b[0]);
                if (c != 0) {
                    return c;
                }
                c = Double.compare(a[1], b[1]);
                return c != 0 ? c : Double.compare(a[2], b[2]);
            });
            go = new GlobalOrder();
            go.layer = entries.stream().mapToInt(e -> (int) e[1]).toArray();
            go.structure = entries.stream().mapToInt(e -> (int) e[2]).toArray();
            go.size = entries.stream().mapToInt(e -> (int) e[3]).toArray();
            go.total = total;
            pr.global.put(key, go);
        }
        int target = Pruning.pruneCount(go.total, s);
        int pruned = 0;
        for (int k = 0; k < go.layer.length; k++) {
            int next = pruned + go.size[k];
            if (pruned >= target || Math.abs(next - target) > Math.abs(pruned - target)) {
                break;
            }
            pruned = next;
            int i = go.layer[k];
            ranking(pr, i, rv.gran()[i], rv.granKey()[i], rv.importance(), rv.ctx()[i])
                    .zeroStructure(go.structure[k], pr.kernel[i]);
        }
    }

    private void pruneKnapsack(Prepared pr, Resolved rv, PruneSpec ps) {
        int L = pr.layers.size();
        List<String> resources = new ArrayList<>(new TreeMap<>(ps.budgets()).keySet());
        Ranking[] rk = new Ranking[L];
        int items = 0;
        for (int i = 0; i < L; i++) {
            rk[i] = ranking(pr, i, rv.gran()[i], rv.granKey()[i], rv.importance(), rv.ctx()[i]);
            items += rk[i].map().count();
        }
        double[] values = new double[items];
        double[][] costs = new double[resources.size()][items];
        double[] fixed = new double[resources.size()];
        double[] all = new double[resources.size()];
        int off = 0;
        for (int i = 0; i < L; i++) {
            Node layer = pr.layers.get(i);
            double[] sc = rk[i].scores();
            double max = 0;
            for (double v : sc) {
                max = Math.max(max, v);
            }
            // hls4ml (dsp_aware_pruning masking.py): values normalised by the layer's largest, so no layer dominates
            for (int st = 0; st < sc.length; st++) {
                values[off + st] = max > 0 ? sc[st] / max : 0;
            }
            for (int r = 0; r < resources.size(); r++) {
                StructureCost cost = StructureCosts.create(resources.get(r), rv.ctx()[i]);
                int[] outShape = pr.shapes.get(layer.name());
                double[] c = cost.costs(layer, outShape, rk[i].map());
                System.arraycopy(c, 0, costs[r], off, c.length);
                double f = cost.fixedCost(layer, outShape, rk[i].map());
                fixed[r] += f;
                all[r] += f;
                for (double v : c) {
                    all[r] += v;
                }
            }
            off += sc.length;
        }
        double[] budgets = new double[resources.size()];
        boolean relative = Boolean.TRUE.equals(ps.relativeBudgets());
        for (int r = 0; r < resources.size(); r++) {
            String res = resources.get(r);
            double b = ps.budgets().get(res);
            if (!(b >= 0) || (relative && b > 1)) {
                throw new ModelException("prune.budgets." + res + " must be " + (relative ? "in [0, 1]" : "non-negative")
                        + ", got " + b);
            }
            double abs = relative ? b * all[r] : b;
            if (abs < fixed[r] - 1e-9) {
                throw new ModelException("prune.budgets." + res + ": budget " + abs + " is below " + fixed[r]
                        + ", the least any mask can reach (every structure pruned)");
            }
            budgets[r] = abs - fixed[r];
        }
        KnapsackProblem problem = new KnapsackProblem(values, costs, budgets);
        boolean[] keep;
        try {
            keep = KnapsackSolvers.create(ps.solver(), resources.size()).solve(problem);
        } catch (ModelException e) {
            throw new ModelException("prune.solver: " + e.getMessage(), e);
        }
        off = 0;
        for (int i = 0; i < L; i++) {
            int c = rk[i].map().count();
            for (int st = 0; st < c; st++) {
                if (!keep[off + st]) {
                    rk[i].zeroStructure(st, pr.kernel[i]);
                }
            }
            off += c;
        }
    }

    // ------------------------------------------------------------------ measuring

    /** In-place ap_fixed rounding of a node output, run on the heap chunks {@link CompiledModel} streams. */
    static final class QuantizeOutput implements OutputTransform.Elementwise {
        final Quantizer q;
        final float limit;
        /** Whether the output being streamed is known finite and inside the type (no scan per run needed). */
        boolean inRange;
        /** Set per tile when an interval bound already proves {@link #inRange} (first layer only). */
        boolean proven;

        QuantizeOutput(FixedPoint t) {
            q = new Quantizer(t);
            limit = (float) q.inRangeLimit();
        }

        @Override
        public void begin(INDArray output) {
            inRange = limit > 0 && (proven || NdUtil.allFiniteBelow(output, limit));
        }

        /** The same check on heap parts (a fused conv chain): a predictable scan, no native call. */
        @Override
        public void begin(float[][] parts, int len) {
            boolean ok = limit > 0;
            if (ok && !proven) {
                for (float[] p : parts) {
                    for (int i = 0; i < len && ok; i++) {
                        ok = Math.abs(p[i]) < limit;
                    }
                }
            }
            inRange = ok;
        }

        @Override
        public void apply(float[] buf, int from, int to) {
            if (inRange) {
                q.quantizeInRange(buf, from, to);
            } else {
                q.quantize(buf, from, to);
            }
        }

        /** Rounding inside the type is non-decreasing; a wrap-around overflow is not. */
        @Override
        public boolean nonDecreasing() {
            return inRange;
        }
    }

    private static String outputKey(String node, FixedPoint type) {
        return node + "|" + type;
    }

    private DesignResult measure(DesignPoint p, Prepared pr) {
        Resolved rv = pr.last;
        CompiledModel cm = qualityModel(pr, rv);
        for (int i = 0; i < pr.layers.size(); i++) {
            String name = pr.layers.get(i).name();
            cm.setWeight(name, "kernel", pr.kernel[i]);
            if (pr.bias[i] != null) {
                cm.setWeight(name, "bias", pr.bias[i]);
            }
        }
        cm.clearOutputTransforms();
        for (Map.Entry<String, FixedPoint> e : rv.oq().entrySet()) {
            QuantizeOutput t = pr.transforms.computeIfAbsent(outputKey(e.getKey(), e.getValue()),
                    kk -> new QuantizeOutput(e.getValue()));
            cm.setOutputTransform(e.getKey(), t);
        }
        int outSize = cm.outputSize();
        float[] out = cm == pr.logits ? pr.logitsOut : pr.out;
        forwardAll(cm, out, outSize, firstLayerBound(pr));
        Quality quality;
        if (data.hasLabels()) {
            quality = Quality.accuracy(Accuracy.top1(out, outSize, data.labels()), n);
        } else {
            quality = Quality.fidelity(Fidelity.of(reference(outSize), out, outSize), n);
        }
        return summarise(p, pr, rv, quality);
    }

    private void forwardAll(CompiledModel cm, float[] out, int outSize) {
        forwardAll(cm, out, outSize, null);
    }

    private void forwardAll(CompiledModel cm, float[] out, int outSize, FirstLayerBound first) {
        for (int s = 0, t = 0; s < n; s += batch, t++) {
            if (first != null) {
                first.transform.proven = first.bound(tileInputMax()[t]) < first.transform.limit;
            }
            cm.forward(x, s, Math.min(batch, n - s), out, s);
        }
        if (first != null) {
            first.transform.proven = false;
        }
    }

    /**
     * The first weighted layer's output is an affine map of the data: |y_o| <= max|x| * sum_r |W[r][o]| + |b_o|, and
     * max|x| per tile is known once. When that bound lies inside the output type, the range scan of the tile is
     * skipped (on jet-mlp it always does: 30 against 32; the later layers' bounds are ten times their range).
     */
    private record FirstLayerBound(QuantizeOutput transform, double gain, double bias) {
        /** Float sums are rounded: inflate the bound by far more than n * 2^-24 relative. */
        private static final double MARGIN = 1 + 0x1p-10;

        double bound(double inputMax) {
            return (inputMax * gain + bias) * MARGIN; // NaN (NaN data or weights) proves nothing
        }
    }

    private FirstLayerBound firstLayerBound(Prepared pr) {
        String input = pr.model.inputs().get(0).name();
        for (int i = 0; i < pr.layers.size(); i++) {
            Node layer = pr.layers.get(i);
            QuantizeOutput t = pr.transforms.get(outputKey(layer.name(), pr.last.oq().get(layer.name())));
            if (!layer.inputs().equals(List.of(input)) || t == null || t.limit <= 0) {
                continue;
            }
            int cols = KernelView.of(layer).cols();
            double[] colSum = new double[cols];
            float[] k = pr.kernel[i];
            for (int j = 0; j < k.length; j++) {
                colSum[j % cols] += Math.abs(k[j]);
            }
            double gain = 0;
            for (double v : colSum) {
                gain = v > gain || v != v ? v : gain;
            }
            double bias = pr.bias[i] == null ? 0 : maxAbs(pr.bias[i], 0, pr.bias[i].length);
            return new FirstLayerBound(t, gain, bias);
        }
        return null;
    }

    /** max |x| over each tile of the validation inputs (NaN when the tile holds a NaN), computed once. */
    private double[] tileInputMax() {
        if (tileInputMax == null) {
            int in = data.featuresPerSample();
            double[] m = new double[(n + batch - 1) / batch];
            for (int t = 0; t < m.length; t++) {
                m[t] = maxAbs(x, t * batch * in, Math.min(n, (t + 1) * batch) * in);
            }
            tileInputMax = m;
        }
        return tileInputMax;
    }

    /** max |a[i]| over [from, to); NaN when one of them is NaN (a bound from it then proves nothing). */
    private static double maxAbs(float[] a, int from, int to) {
        double max = 0;
        for (int i = from; i < to; i++) {
            float v = Math.abs(a[i]);
            max = v > max || v != v ? v : max;
        }
        return max;
    }

    /** Outputs of the original (uncompressed, unshrunk) model, computed once. */
    private float[] reference(int outSize) {
        if (reference == null) {
            Prepared base = prepare(List.of());
            CompiledModel cm = compiled(base);
            cm.restoreWeights();
            cm.clearOutputTransforms();
            reference = new float[n * outSize];
            forwardAll(cm, reference, outSize);
        }
        return reference;
    }

    private DesignResult summarise(DesignPoint p, Prepared pr, Resolved rv, Quality quality) {
        List<LayerResult> layers = new ArrayList<>();
        long totalW = 0;
        long totalNz = 0;
        long macs = 0;
        StorageReport storage = StorageReport.ZERO;
        for (int i = 0; i < pr.layers.size(); i++) {
            Node layer = pr.layers.get(i);
            float[] w = pr.kernel[i];
            int nz = Storage.nonZeros(w);
            WeightQuantizer q = rv.wq()[i];
            int bits = q == null ? 32 : q.bitsPerWeight();
            long overhead = q == null ? 0 : q.overheadBits();
            int cols = KernelView.of(layer).cols();
            int rows = w.length / cols;
            long positions = rv.ctx()[i].outputPositions(layer);
            long layerMacs = nz * positions;
            int biasN = pr.bias[i] == null ? 0 : pr.bias[i].length;
            int biasBits = rv.bq()[i] == null ? 32 : rv.bq()[i].width();
            long biasStore = (long) biasN * biasBits;
            long dense = Storage.denseBits(w.length, bits) + overhead + biasStore;
            StorageReport sr;
            if (computeStorage) {
                int idx = Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, cols - 1)));
                int ptr = Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, nz)));
                long csr = Storage.csrBits(w, rows, cols, bits, idx, ptr) + overhead + biasStore;
                long rel = Storage.relativeIndexBits(w, bits, RELATIVE_INDEX_BITS) + overhead + biasStore;
                long huf = Storage.huffmanBits(w, RELATIVE_INDEX_BITS, overhead) + biasStore;
                sr = new StorageReport(32L * (w.length + biasN), dense, csr, rel, huf);
            } else {
                sr = new StorageReport(32L * (w.length + biasN), dense, dense, dense, dense);
            }
            storage = storage.plus(sr);
            layers.add(new LayerResult(layer.name(), w.length, nz, w.length == 0 ? 0 : 1.0 - (double) nz / w.length,
                    bits, layerMacs, dense, sr.bestBits()));
            totalW += w.length;
            totalNz += nz;
            macs += layerMacs;
        }
        double sparsity = totalW == 0 ? 0 : 1.0 - (double) totalNz / totalW;
        return new DesignResult(p, quality, List.copyOf(layers), sparsity, totalNz, macs, storage);
    }

    private Model build(DesignPoint p, Prepared pr) {
        Map<String, Node> repl = new LinkedHashMap<>();
        for (int i = 0; i < pr.layers.size(); i++) {
            Node l = pr.layers.get(i);
            Tensor k = KernelView.kernel(l);
            var op = l.op().withWeight("kernel", k.withData(pr.kernel[i].clone()));
            if (pr.bias[i] != null) {
                op = op.withWeight("bias", l.op().weights().get("bias").withData(pr.bias[i].clone()));
            }
            repl.put(l.name(), l.withOp(op));
        }
        Model m = pr.model.withNodes(repl);
        Map<String, String> md = new LinkedHashMap<>(m.metadata());
        md.put("sparsimony.designPoint", p.name() == null ? "" : p.name());
        if (pr.last != null) {
            pr.last.oq().forEach((node, t) -> md.put("sparsimony.outputType." + node, t.hlsType()));
        }
        return m.withMetadata(md);
    }

    /** Kernel values after the last applied point (for tests and views); a copy. */
    public Map<String, float[]> lastKernels() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Prepared pr : prepared.values()) {
            if (pr.last != null) {
                for (int i = 0; i < pr.layers.size(); i++) {
                    out.put(pr.layers.get(i).name(), Arrays.copyOf(pr.kernel[i], pr.kernel[i].length));
                }
            }
        }
        return out;
    }
}
