package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.hardware.Device;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.hardware.FpgaModel;
import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.hardware.LayerHwConfig;
import dev.sparsimony.engine.knapsack.KnapsackResult;
import dev.sparsimony.engine.knapsack.KnapsackSolver;
import dev.sparsimony.engine.knapsack.MipSolver;
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
import java.util.function.BooleanSupplier;

/**
 * Applies design points to one model and one validation data set and measures them: quality, sparsity, storage and
 * the hardware estimate with the point's own settings. Built for many points: the model is compiled once
 * ({@link CompiledModel}, once per distinct depth-shrink choice), every layer has a scratch kernel/bias array that is
 * overwritten per point, structure rankings (sort orders) are computed once per (layer, granularity, importance) and
 * shared between evaluators through {@link Shared}, and quantization works in place.
 *
 * <p>Threads: an evaluator is a per-thread workspace (compiled model, scratch buffers); it is not thread-safe. The
 * {@link Shared} state (rankings) is immutable once built and may be shared by any number of evaluators.
 * {@link #cancel()} may be called from any thread.
 */
public final class DesignPointEvaluator implements AutoCloseable {
    /** Relative index width for the sparse storage estimate (EIE uses 4 bits; Deep Compression 4 for FC). */
    public static final int RELATIVE_INDEX_BITS = 4;

    /**
     * State that every evaluator of one model may share: structure rankings (immutable once built; built once,
     * whichever worker needs one first).
     */
    public static final class Shared {
        final java.util.concurrent.ConcurrentHashMap<RankingKey, Ranking> rankings =
                new java.util.concurrent.ConcurrentHashMap<>();
    }

    private final Model original;
    private final Dataset data;
    private Shared shared = new Shared();
    private DeviceCatalogue catalogue = DeviceCatalogue.builtIn();
    private boolean computeHardware = true;
    private volatile BooleanSupplier cancelled = () -> false;
    private final List<Runnable> interrupts = new java.util.concurrent.CopyOnWriteArrayList<>();
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

    /** Shares rankings with other evaluators of the same model (sweep workers). */
    public DesignPointEvaluator share(Shared s) {
        this.shared = s;
        return this;
    }

    /** The device catalogue points name their device in (default: the built-in one). */
    public DesignPointEvaluator catalogue(DeviceCatalogue c) {
        this.catalogue = c;
        return this;
    }

    /** The hardware estimate per point can be skipped when only quality is needed. */
    public DesignPointEvaluator computeHardware(boolean on) {
        this.computeHardware = on;
        return this;
    }

    /**
     * A check the evaluator polls between tiles of the validation data and while the knapsack MIP runs; when it
     * turns true the running evaluation stops with {@link Cancelled}.
     */
    public DesignPointEvaluator cancelWhen(BooleanSupplier c) {
        this.cancelled = c;
        return this;
    }

    /** Stops a running knapsack solve at once (called by whoever made the cancel check true). */
    public void interrupt() {
        interrupts.forEach(Runnable::run);
    }

    /** Thrown when an evaluation stops because its cancel check turned true. */
    public static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
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

    /**
     * A point whose quality is already known (computed for a point with the same {@link DesignPoint#accuracyKey()}):
     * applied and measured for everything but quality, which costs no inference.
     */
    public DesignResult evaluateKnownQuality(DesignPoint point, Quality quality) {
        Prepared pr = apply(point);
        return summarise(point, pr, pr.last, quality);
    }

    public Compressed evaluateWithModel(DesignPoint point) {
        DesignResult r = evaluate(point);
        return new Compressed(r, build(point, prepared.get(point.canonical().depthShrink())));
    }

    /** The compressed model (pruned, quantized weights and biases; output types recorded in metadata). */
    public Model compress(DesignPoint point) {
        return build(point, apply(point));
    }

    /**
     * The pruning masks of a point by prunable layer (true = kept): the weights pruning left non-zero, taken before
     * quantization, so a kept weight that quantizes to zero still counts as kept. For exports (masks.npz).
     */
    public Map<String, boolean[]> masks(DesignPoint point) {
        DesignPoint c = point.canonical();
        Prepared pr = prepare(c.depthShrink());
        pr.captureMasks = true;
        try {
            apply(c);
        } finally {
            pr.captureMasks = false;
        }
        Map<String, boolean[]> out = new LinkedHashMap<>();
        for (int i = 0; i < pr.layers.size(); i++) {
            out.put(pr.layers.get(i).name(), pr.masks[i]);
        }
        return out;
    }

    /** Checks every field of a point against the model; throws ModelException naming the bad field. */
    public void validate(DesignPoint point) {
        DesignPoint c = point.canonical();
        resolve(c, prepare(c.depthShrink()));
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
        String shrinkKey;
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
        final Map<GlobalKey, GlobalOrder> global = new HashMap<>();
        final Map<String, FpgaEstimate> unpruned = new HashMap<>();
        /** The knapsack's status and the estimate made while checking its budgets, for the last point. */
        String solver;
        FpgaEstimate estimate;
        final Map<GranularityKey, Granularity> granularities = new HashMap<>();
        final Map<String, WeightQuantizer> quantizers = new HashMap<>();
        final Map<String, QuantizeOutput> transforms = new HashMap<>();
        final java.util.Set<Object> validated = new java.util.HashSet<>();
        Resolved last;
        /** When set, {@link #quantize} records which weights pruning kept (for {@link #masks}). */
        boolean captureMasks;
        boolean[][] masks;
    }

    private Prepared prepare(List<String> shrink) {
        Prepared pr = prepared.get(shrink);
        if (pr != null) {
            return pr;
        }
        pr = new Prepared();
        pr.shrinkKey = String.join(",", shrink);
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
    /** A granularity with its parameters and, for the structures that follow the hardware, width and RF. */
    private record GranularityKey(String id, Map<String, Double> params, int bits, int rf) {
    }

    /** A ranking: depth-shrink choice, layer, granularity, importance (records: no string building per point). */
    private record RankingKey(String shrink, int layer, GranularityKey granularity, String importance) {
    }

    private record GlobalKey(List<GranularityKey> granularities, String importance, String exempt) {
    }

    private record Resolved(DesignPoint point, Granularity[] gran, GranularityKey[] granKey, LayerContext[] ctx,
                            boolean[] exempt, Importance importance, double[] sparsity, WeightQuantizer[] wq,
                            FixedPoint[] bq, Map<String, FixedPoint> oq, HardwareConfig hw, LayerHwConfig[] layerHw,
                            FixedPoint[] dataIn, Device device) {
    }

    private Resolved resolve(DesignPoint canonical, Prepared pr) {
        DesignPoint p = canonical;
        PruneSpec ps = p.prune();
        for (String l : p.layers().keySet()) {
            if (!pr.model.hasNode(l)) {
                throw new ModelException("layers." + l + ": the model has no layer named '" + l + "'"
                        + (p.depthShrink().isEmpty() ? "" : " (after depth shrinking)"));
            }
        }
        String sel = ps.selectionOrDefault();
        Importance imp;
        try {
            imp = Importances.create(ps.importance());
        } catch (ModelException e) {
            throw new ModelException("prune.importance: " + e.getMessage(), e);
        }
        HardwareConfig hw = PointHardware.config(p);
        Device device = PointHardware.device(p, catalogue);
        boolean followsHardware = p.pruningFollowsHardware();
        Map<String, FixedPoint> dataPrecision = FpgaModel.inputPrecisions(pr.model, hw);
        int L = pr.layers.size();
        Granularity[] gran = new Granularity[L];
        GranularityKey[] keys = new GranularityKey[L];
        LayerContext[] ctx = new LayerContext[L];
        boolean[] exempt = new boolean[L];
        double[] sp = new double[L];
        WeightQuantizer[] wq = new WeightQuantizer[L];
        FixedPoint[] bq = new FixedPoint[L];
        LayerHwConfig[] layerHw = new LayerHwConfig[L];
        FixedPoint[] dataIn = new FixedPoint[L];
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
            String lf = "layers." + layer.name();
            LayerSpec ls = p.layers().get(layer.name());
            exempt[i] = ls != null && ls.exemptFromPruning();
            String field = ls != null && ls.granularity() != null ? lf : "prune";
            String gid = ls != null && ls.granularity() != null ? ls.granularity() : ps.granularity();
            Map<String, Double> params = ls != null && ls.params() != null ? ls.params() : ps.params();
            Double s = ls != null && ls.sparsity() != null ? ls.sparsity() : ps.sparsity();
            sp[i] = exempt[i] || s == null ? 0 : s;
            QuantizerSpec wspec = ls != null && ls.weights() != null ? ls.weights() : p.weights();
            String wfield = ls != null && ls.weights() != null ? lf + ".weights" : "weights";
            String wkey = wspec + "|" + p.seed();
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
            bq[i] = bspec.fixedOnly(ls != null && ls.biases() != null ? lf + ".biases" : "biases");
            if (ls != null && ls.outputs() != null) {
                FixedPoint o = ls.outputs().fixedOnly(lf + ".outputs");
                if (o == null) {
                    oq.remove(layer.name());
                } else {
                    oq.put(layer.name(), o);
                }
            }
            // the layer as the hardware builds it: its weight width and (hls4ml-corrected) reuse factor are what
            // the dsp-pattern and bram-block structures and the knapsack's hardware costs follow
            try {
                layerHw[i] = FpgaModel.effectiveLayer(layer, hw);
            } catch (ModelException e) {
                if (followsHardware) {
                    throw new ModelException(lf + ".reuseFactor: " + e.getMessage(), e);
                }
                // an invalid reuse factor in strict mode fails the hardware estimate, not a pruning that ignores it
                layerHw[i] = hw.layer(layer.name());
            }
            dataIn[i] = dataPrecision.get(layer.name());
            int bits = layerHw[i].weight().width();
            int rf = layerHw[i].reuseFactor();
            try {
                ctx[i] = new LayerContext(pr.model, pr.shapes.get(layer.name()), sp[i], bits, rf);
            } catch (ModelException e) {
                throw new ModelException(lf + ": " + e.getMessage(), e);
            }
            boolean hwStructures = Granularities.registration(gid).usesHardware();
            GranularityKey key = new GranularityKey(gid, params, hwStructures ? bits : 0, hwStructures ? rf : 0);
            Granularity g = pr.granularities.get(key);
            try {
                if (g == null) {
                    g = Granularities.create(gid, params);
                    pr.granularities.put(key, g);
                }
                if (g.wholeStructures()) {
                    ranking(pr, i, g, key, imp, ctx[i]); // cached; validates sizes against this layer
                } else if (pr.validated.add(List.of(i, key))) {
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
                if (!exempt[i] && !gran[i].wholeStructures()) {
                    throw new ModelException("prune.granularity: " + gran[i].id() + " keeps part of each structure,"
                            + " so it cannot be selected by the knapsack; use layer or global selection");
                }
            }
        }
        return new Resolved(p, gran, keys, ctx, exempt, imp, sp, wq, bq, oq, hw, layerHw, dataIn, device);
    }

    /** Layer outputs typed by the global output quantizer: weighted layers, BatchNorm, non-ReLU activations. */
    private static boolean quantizesOutput(Node nd) {
        if (nd.op() instanceof Ops.Activation a) {
            // ReLU / linear of an on-grid value stays on the grid: skip the pass
            return a.activation() != ActivationKind.RELU && a.activation() != ActivationKind.LINEAR;
        }
        return nd.op().isPrunable() || nd.op() instanceof Ops.BatchNorm;
    }

    private Ranking ranking(Prepared pr, int i, Granularity g, GranularityKey gkey, Importance imp,
                            LayerContext ctx) {
        RankingKey key = new RankingKey(pr.shrinkKey, i, gkey, imp.id());
        return shared.rankings.computeIfAbsent(key, k -> {
            Node layer = pr.layers.get(i);
            StructureMap map = g.structures(layer, ctx);
            return Ranking.of(map, imp.scores(layer, KernelView.of(layer).data(), map, ctx));
        });
    }

    // ------------------------------------------------------------------ applying a point to the scratch arrays

    private Prepared apply(DesignPoint point) {
        DesignPoint p = point.canonical();
        Prepared pr = prepare(p.depthShrink());
        Resolved rv = resolve(p, pr);
        pr.last = rv;
        pr.solver = null;
        pr.estimate = null;
        switch (p.prune().selectionOrDefault()) {
            case "layer" -> {
                restoreKernels(pr);
                for (int i = 0; i < pr.layers.size(); i++) {
                    pruneLayer(pr, rv, i, rv.sparsity()[i]);
                }
                quantize(pr, rv);
            }
            case "global" -> {
                restoreKernels(pr);
                pruneGlobal(pr, rv, p.prune().sparsityOrZero());
                quantize(pr, rv);
            }
            case "knapsack" -> pruneKnapsack(pr, rv, p.prune());
            default -> throw new IllegalStateException();
        }
        return pr;
    }

    private static void restoreKernels(Prepared pr) {
        for (int i = 0; i < pr.layers.size(); i++) {
            float[] src = KernelView.kernel(pr.layers.get(i)).data();
            System.arraycopy(src, 0, pr.kernel[i], 0, src.length);
        }
    }

    /** Weight and bias quantization of the (pruned) scratch kernels, in place. */
    private static void quantize(Prepared pr, Resolved rv) {
        if (pr.captureMasks) {
            pr.masks = new boolean[pr.layers.size()][];
        }
        for (int i = 0; i < pr.layers.size(); i++) {
            if (pr.captureMasks) {
                boolean[] keep = new boolean[pr.kernel[i].length];
                for (int k = 0; k < keep.length; k++) {
                    keep[k] = pr.kernel[i][k] != 0f;
                }
                pr.masks[i] = keep;
            }
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
    }

    private void pruneLayer(Prepared pr, Resolved rv, int i, double s) {
        if (rv.exempt()[i]) {
            return;
        }
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
        StringBuilder exemptKey = new StringBuilder();
        for (int i = 0; i < L; i++) {
            allWhole &= rv.exempt()[i] || rv.gran()[i].wholeStructures();
            exemptKey.append(rv.exempt()[i] ? 'x' : '-');
        }
        if (!allWhole) {
            // per-layer sparsities from the global magnitude ranking of the layers that may be pruned, then each
            // layer's own granularity
            Model m = exemptKey.indexOf("x") >= 0 ? globalWithout(pr, rv) : pr.model;
            Map<String, boolean[]> mask = Pruning.mask(m, s);
            for (int i = 0; i < L; i++) {
                boolean[] k = mask.get(pr.layers.get(i).name());
                pruneLayer(pr, rv, i, k == null ? 0 : Pruning.sparsity(k));
            }
            return;
        }
        GlobalKey key = new GlobalKey(List.of(rv.granKey()), rv.importance().id(), exemptKey.toString());
        GlobalOrder go = pr.global.get(key);
        if (go == null) {
            List<double[]> entries = new ArrayList<>();
            int total = 0;
            for (int i = 0; i < L; i++) {
                if (rv.exempt()[i]) {
                    continue;
                }
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

    /** The model whose prunable layers are only the non-exempt ones (exempt layers become weightless stand-ins). */
    private static Model globalWithout(Prepared pr, Resolved rv) {
        List<Node> nodes = new ArrayList<>();
        java.util.Set<String> exempt = new java.util.HashSet<>();
        for (int i = 0; i < pr.layers.size(); i++) {
            if (rv.exempt()[i]) {
                exempt.add(pr.layers.get(i).name());
            }
        }
        for (Node nd : pr.model.nodes()) {
            nodes.add(exempt.contains(nd.name()) ? nd.withOp(new Ops.Identity()) : nd);
        }
        return pr.model.withGraph(nodes, pr.model.outputs());
    }

    /** The knapsack's items: every structure of every layer that may be pruned, with values and cost rows. */
    private static final class Items {
        Ranking[] rk;
        int[] offset;
        double[] values;
        double[][] costs;
        int count;
    }

    /**
     * Knapsack selection (Ramhorst et al. 2023, hls4ml dsp_aware_pruning): keep the most important structures
     * within every budget. Hardware budgets are costed with the point's own device and settings, and relative to
     * the point's unpruned design as the hardware model estimates it (non-prunable parts count as fixed). The
     * answer is then estimated with those settings; where rounding in the model (partly freed BRAM words,
     * ceil(n/RF) multiplier limits) puts it over a budget, that budget is tightened by the excess and the knapsack
     * solved again, so the estimate of the result never exceeds the budget.
     */
    private void pruneKnapsack(Prepared pr, Resolved rv, PruneSpec ps) {
        int L = pr.layers.size();
        List<String> resources = new ArrayList<>(new TreeMap<>(ps.budgets()).keySet());
        Items it = new Items();
        it.rk = new Ranking[L];
        it.offset = new int[L + 1];
        for (int i = 0; i < L; i++) {
            it.offset[i] = it.count;
            if (!rv.exempt()[i]) {
                it.rk[i] = ranking(pr, i, rv.gran()[i], rv.granKey()[i], rv.importance(), rv.ctx()[i]);
                it.count += it.rk[i].map().count();
            }
        }
        it.offset[L] = it.count;
        it.values = new double[it.count];
        it.costs = new double[resources.size()][it.count];
        double[] allItems = new double[resources.size()];
        double[] fixedItems = new double[resources.size()];
        boolean anyHardware = resources.stream().anyMatch(ResourceCosts::isHardware);
        for (int i = 0; i < L; i++) {
            if (it.rk[i] == null) {
                continue;
            }
            Node layer = pr.layers.get(i);
            double[] sc = it.rk[i].scores();
            double max = 0;
            for (double v : sc) {
                max = Math.max(max, v);
            }
            // hls4ml (dsp_aware_pruning masking.py): values normalised by the layer's largest, so no layer dominates
            for (int st = 0; st < sc.length; st++) {
                it.values[it.offset[i] + st] = max > 0 ? sc[st] / max : 0;
            }
            // hardware costs are those of the quantized weights, as the estimate will see them
            Node costed = anyHardware ? quantizedLayer(pr, rv, i) : layer;
            for (int r = 0; r < resources.size(); r++) {
                StructureCost cost = ResourceCosts.create(resources.get(r), rv.ctx()[i], rv.layerHw()[i],
                        rv.dataIn()[i], rv.device(), rv.hw());
                int[] outShape = pr.shapes.get(layer.name());
                double[] c = cost.costs(costed, outShape, it.rk[i].map());
                System.arraycopy(c, 0, it.costs[r], it.offset[i], c.length);
                for (double v : c) {
                    allItems[r] += v;
                }
                fixedItems[r] += cost.fixedCost(costed, outShape, it.rk[i].map());
            }
        }
        FpgaEstimate unpruned = anyHardware ? unprunedEstimate(pr, rv) : null;
        double[] limit = new double[resources.size()];
        double[] budgets = new double[resources.size()];
        String basis = ps.budgetBasis() == null ? "unpruned" : ps.budgetBasis();
        for (int r = 0; r < resources.size(); r++) {
            String res = resources.get(r);
            double b = ps.budgets().get(res);
            boolean hwRes = ResourceCosts.isHardware(res);
            // what no mask can change: hardware outside the items (other layers, exempt layers, shared units)
            double fixed = hwRes ? ResourceCosts.total(unpruned, res) - allItems[r] : fixedItems[r];
            double whole = hwRes ? ResourceCosts.total(unpruned, res) : allItems[r] + fixedItems[r];
            double abs = switch (basis) {
                case "absolute" -> {
                    if (!(b >= 0) || Double.isInfinite(b)) {
                        throw new ModelException("prune.budgets." + res + " must be a non-negative count, got " + b);
                    }
                    yield b;
                }
                case "device" -> {
                    if (!hwRes) {
                        throw new ModelException("prune.budgets." + res + ": a budget relative to the device needs a"
                                + " device resource (DSP, BRAM, LUT), not " + res);
                    }
                    checkFraction(res, b, "of the device");
                    yield b * ResourceCosts.capacity(rv.device(), res);
                }
                default -> {
                    checkFraction(res, b, "of the unpruned design");
                    yield b * whole;
                }
            };
            if (abs < fixed - 1e-9) {
                throw new ModelException("prune.budgets." + res + ": " + fmt(abs) + " " + res + " cannot be reached;"
                        + " the least any pruning reaches is " + fmt(fixed) + " (what pruning these structures cannot"
                        + " remove)");
            }
            limit[r] = abs;
            budgets[r] = abs - fixed;
        }
        KnapsackSolver solver;
        try {
            solver = KnapsackSolvers.create("auto".equals(ps.solver()) ? null : ps.solver(), resources.size());
        } catch (ModelException e) {
            throw new ModelException("prune.solver: " + e.getMessage(), e);
        }
        String status = null;
        for (int attempt = 0; ; attempt++) {
            KnapsackResult kr = solveCancellable(solver, new KnapsackProblem(it.values, it.costs, budgets));
            status = status == null || status.equals(KnapsackResult.OPTIMAL) ? kr.status() : status;
            restoreKernels(pr);
            for (int i = 0; i < L; i++) {
                if (it.rk[i] == null) {
                    continue;
                }
                for (int st = 0; st < it.rk[i].map().count(); st++) {
                    if (!kr.chosen()[it.offset[i] + st]) {
                        it.rk[i].zeroStructure(st, pr.kernel[i]);
                    }
                }
            }
            quantize(pr, rv);
            if (!anyHardware) {
                break;
            }
            FpgaEstimate e = estimate(pr, rv);
            pr.estimate = e;
            boolean over = false;
            for (int r = 0; r < resources.size(); r++) {
                String res = resources.get(r);
                if (ResourceCosts.isHardware(res)) {
                    double excess = ResourceCosts.total(e, res) - limit[r];
                    if (excess > 1e-9) {
                        over = true;
                        // below what the answer itself cost the knapsack, so the next answer must differ (a cut of
                        // the budget alone can leave the same answer feasible: 118 DSP against 117.98 did, 8 times)
                        double used = 0;
                        for (int j = 0; j < kr.chosen().length; j++) {
                            used += kr.chosen()[j] ? it.costs[r][j] : 0;
                        }
                        budgets[r] = Math.max(0, Math.min(budgets[r], used) - excess);
                    }
                }
            }
            if (!over) {
                break;
            }
            if (attempt >= MAX_BUDGET_REPAIRS) {
                throw new ModelException("prune.budgets: the hardware estimate of the knapsack's answer stays over"
                        + " its budget after " + MAX_BUDGET_REPAIRS + " tightenings (" + overText(e, resources, limit)
                        + ")");
            }
        }
        pr.solver = status;
    }

    /** Tightenings of a hardware budget whose solution the estimate puts over it (each removes the excess). */
    private static final int MAX_BUDGET_REPAIRS = 8;

    private static void checkFraction(String res, double b, String of) {
        if (!(b >= 0 && b <= 1)) {
            throw new ModelException("prune.budgets." + res + " must be a fraction in [0, 1] " + of + ", got " + b
                    + " (for counts set prune.budgetBasis to absolute)");
        }
    }

    private static String overText(FpgaEstimate e, List<String> resources, double[] limit) {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < resources.size(); r++) {
            if (ResourceCosts.isHardware(resources.get(r))) {
                sb.append(sb.length() == 0 ? "" : ", ").append(resources.get(r)).append(' ')
                        .append(fmt(ResourceCosts.total(e, resources.get(r)))).append(" of ").append(fmt(limit[r]));
            }
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.format(java.util.Locale.ROOT, "%,d", (long) v)
                : String.format(java.util.Locale.ROOT, "%,.2f", v);
    }

    private KnapsackResult solveCancellable(KnapsackSolver solver, KnapsackProblem problem) {
        if (solver instanceof MipSolver mip) {
            Runnable stop = mip::interrupt;
            interrupts.add(stop);
            try {
                if (cancelled.getAsBoolean()) {
                    mip.interrupt();
                }
                return mip.solveReported(problem);
            } finally {
                interrupts.remove(stop);
            }
        }
        return solver.solveReported(problem);
    }

    /** Layer i with its unpruned weights quantized as the point says (what the hardware sees before pruning). */
    private static Node quantizedLayer(Prepared pr, Resolved rv, int i) {
        Node l = pr.layers.get(i);
        if (rv.wq()[i] == null) {
            return l;
        }
        Tensor k = KernelView.kernel(l);
        float[] q = k.data().clone();
        rv.wq()[i].quantize(q);
        return l.withOp(l.op().withWeight("kernel", k.withData(q)));
    }

    /** The hardware estimate of the point's unpruned design (its quantization and settings), cached per settings. */
    private FpgaEstimate unprunedEstimate(Prepared pr, Resolved rv) {
        DesignPoint p = rv.point();
        Map<String, LayerSpec> ls = new TreeMap<>();
        p.layers().forEach((k, v) -> ls.put(k, v.withGranularity(null, null).withSparsity(null).withExempt(null)));
        String key = DesignPointCodec.hash(p.withPrune(PruneSpec.none()).withLayers(ls));
        return pr.unpruned.computeIfAbsent(key, k -> {
            Map<String, Node> repl = new LinkedHashMap<>();
            for (int i = 0; i < pr.layers.size(); i++) {
                repl.put(pr.layers.get(i).name(), quantizedLayer(pr, rv, i));
            }
            return FpgaModel.estimate(pr.model.withNodes(repl), rv.hw(), rv.device());
        });
    }

    /** The hardware estimate of the scratch kernels as they are now (pruned and quantized), with its notes. */
    private FpgaEstimate estimate(Prepared pr, Resolved rv) {
        return PointHardware.estimate(buildWeights(pr), rv.point(), rv.device());
    }

    private static FpgaEstimate withTypeNote(FpgaEstimate e, DesignPoint p) {
        return e.notes().stream().anyMatch(n -> n.startsWith("weights without")) ? e
                : PointHardware.withNote(e, PointHardware.typeNote(p));
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

        @Override
        public boolean rangeOnly() {
            return true;
        }

        /** The same check from bounds of the values (a fused conv chain with a max pooling). */
        @Override
        public void beginRange(float min, float max) {
            inRange = limit > 0 && (proven || Math.abs(min) < limit && Math.abs(max) < limit);
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
        BooleanSupplier stop = cancelled;
        for (int s = 0, t = 0; s < n; s += batch, t++) {
            if (stop.getAsBoolean()) {
                if (first != null) {
                    first.transform.proven = false;
                }
                throw new Cancelled();
            }
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
        FpgaEstimate hw = null;
        if (computeHardware) {
            hw = pr.estimate != null ? withTypeNote(pr.estimate, rv.point()) : estimate(pr, rv);
        }
        return new DesignResult(p, quality, layers, sparsity, totalNz, macs, storage, hw, pr.solver);
    }

    /** The prepared model with the scratch kernels and biases as they are now (copies). */
    private static Model buildWeights(Prepared pr) {
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
        return pr.model.withNodes(repl);
    }

    private Model build(DesignPoint p, Prepared pr) {
        Model m = buildWeights(pr);
        Map<String, String> md = new LinkedHashMap<>(m.metadata());
        md.put("sparsimony.designPoint", p.name() == null ? "" : p.name());
        if (pr.last != null) {
            pr.last.oq().forEach((node, t) -> md.put("sparsimony.outputType." + node, t.hlsType()));
        }
        return m.withMetadata(md);
    }

    /**
     * The pruning structures of every prunable layer under a point (for drawing), keyed by layer name: the same
     * granularity, parameters, weight width and effective reuse factor the evaluator prunes with. Unstructured and
     * exempt layers have none.
     */
    public static Map<String, StructureMap> structures(Model model, DesignPoint point) {
        DesignPoint c = point.canonical();
        HardwareConfig hw = PointHardware.config(c);
        Map<String, int[]> shapes = model.inferShapes(1);
        Map<String, StructureMap> out = new LinkedHashMap<>();
        for (Node layer : model.prunableNodes()) {
            LayerSpec ls = c.layers().get(layer.name());
            if (ls != null && ls.exemptFromPruning()) {
                continue;
            }
            String gid = ls != null && ls.granularity() != null ? ls.granularity() : c.prune().granularity();
            if (gid.equals("unstructured")) {
                continue;
            }
            Map<String, Double> params = ls != null && ls.params() != null ? ls.params() : c.prune().params();
            Double s = ls != null && ls.sparsity() != null ? ls.sparsity() : c.prune().sparsity();
            LayerHwConfig lc = FpgaModel.effectiveLayer(layer, hw);
            LayerContext ctx = new LayerContext(model, shapes.get(layer.name()), s == null ? 0 : s,
                    lc.weight().width(), lc.reuseFactor());
            out.put(layer.name(), Granularities.create(gid, params).structures(layer, ctx));
        }
        return out;
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
