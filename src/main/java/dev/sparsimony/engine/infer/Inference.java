package dev.sparsimony.engine.infer;

import dev.sparsimony.engine.infer.kernels.NdUtil;
import dev.sparsimony.engine.model.BatchAxis;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Batched inference of a {@link Model} on ND4J (CPU). Runtime tensors carry the batch as axis 0. */
public final class Inference {
    /** Samples per pass in {@link #predict}: bounds activation memory for large data sets. */
    public static final int CHUNK = 1024;

    private Inference() {
    }

    /**
     * Runs the whole graph once on the given inputs (by graph input name, full shapes with batch) and returns
     * every model output by name. NaN/Inf propagate into the results; they do not throw.
     */
    public static Map<String, Tensor> run(Model model, Map<String, Tensor> inputs) {
        Nd4jRuntime.ensureInitialized();
        for (ValueInfo v : model.inputs()) {
            Tensor t = inputs.get(v.name());
            if (t == null) {
                throw new ModelException("no data given for model input '" + v.name() + "'");
            }
            checkShape(v, t.shape());
        }
        return runOnce(model, inputs, new WeightStore(model));
    }

    private static Map<String, Tensor> runOnce(Model model, Map<String, Tensor> inputs, WeightStore weights) {
        Map<String, int[]> shapes = new HashMap<>();
        for (ValueInfo v : model.inputs()) {
            shapes.put(v.name(), inputs.get(v.name()).shape());
        }
        Plan plan = new Plan(model, shapes, weights);
        for (ValueInfo v : model.inputs()) {
            Tensor t = inputs.get(v.name());
            if (t.size() > 0) {
                NdUtil.copyIn(t.data(), 0, t.size(), plan.value(v.name()));
            }
        }
        for (int i = 0; i < plan.nodeCount(); i++) {
            plan.run(i);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String o : model.outputs()) {
            out.put(o, new Tensor(plan.shape(o), NdUtil.toFloats(plan.value(o))));
        }
        return out;
    }

    private static long perSample(int[] s) {
        long n = 1;
        for (int i = 1; i < s.length; i++) {
            n *= Math.max(s[i], 0);
        }
        return n;
    }

    /**
     * Runs the model on whole input tensors as the user gave them (full shapes, batch included) and returns every
     * output by name. How the batch is handled is inferred ({@link BatchAxis}), never assumed:
     * <ul>
     *   <li>every output provably keeps the batch: the inputs with a free batch are cut into chunks of at most
     *       {@link #CHUNK} samples (bounded memory) and the outputs joined along axis 0;</li>
     *   <li>the model declares a fixed batch b (a keras2onnx export with batch 1 that flattens at axis 0) and the
     *       data holds a multiple of b samples: it runs b samples at a time, outputs joined along axis 0 (stacked on
     *       a new axis 0 when a sample's output has no leading axis of b);</li>
     *   <li>otherwise the model runs once on the tensors as given and the outputs are what it computes (a Transpose
     *       moving the batch, a zero-sized axis).</li>
     * </ul>
     */
    public static Map<String, Tensor> predictAll(Model model, Map<String, Tensor> inputs) {
        Nd4jRuntime.ensureInitialized();
        int n = -1;
        boolean sameN = true;
        int fixed = -1;
        for (ValueInfo v : model.inputs()) {
            Tensor t = inputs.get(v.name());
            if (t == null) {
                throw new ModelException("no data given for model input '" + v.name() + "'");
            }
            int[] d = v.shape();
            if (t.rank() != d.length) {
                throw new ModelException("input '" + v.name() + "' has shape " + t.shapeString()
                        + " but the model expects " + Arrays.toString(d) + " (-1 = any)");
            }
            if (d.length > 0) {
                sameN &= n < 0 || n == t.dim(0);
                n = t.dim(0);
                fixed = d[0] > 0 ? d[0] : fixed;
            }
        }
        for (ValueInfo v : model.inputs()) {
            int[] d = v.shape();
            int[] a = inputs.get(v.name()).shape();
            if (d.length > 0 && d[0] > 0) {
                d[0] = a[0]; // a declared fixed batch is checked below (it may run in several passes)
            }
            checkShape(new ValueInfo(v.name(), d), a);
        }
        WeightStore weights = new WeightStore(model);
        if (n > 0 && sameN && BatchAxis.outputsKeepBatch(model) && allFree(model)) {
            return chunked(model, inputs, n, Math.max(1, chunkFor(model)), weights);
        }
        if (n > 0 && sameN && fixed > 0 && n != fixed && n % fixed == 0 && allFixed(model, fixed)) {
            return chunked(model, inputs, n, fixed, weights);
        }
        return runOnce(model, inputs, weights);
    }

    private static boolean allFree(Model model) {
        return model.inputs().stream().allMatch(v -> v.shape().length > 0 && v.shape()[0] < 0);
    }

    private static boolean allFixed(Model model, int batch) {
        return model.inputs().stream().allMatch(v -> v.shape().length > 0 && v.shape()[0] == batch);
    }

    /** Runs samples [s, s + chunk) at a time and joins every output along axis 0. */
    private static Map<String, Tensor> chunked(Model model, Map<String, Tensor> inputs, int n, int chunk,
                                               WeightStore weights) {
        Map<String, java.util.List<Tensor>> parts = new LinkedHashMap<>();
        for (int s = 0; s < n; s += chunk) {
            int m = Math.min(chunk, n - s);
            Map<String, Tensor> slice = new HashMap<>();
            for (ValueInfo v : model.inputs()) {
                slice.put(v.name(), rows(inputs.get(v.name()), s, m));
            }
            for (Map.Entry<String, Tensor> e : runOnce(model, slice, weights).entrySet()) {
                parts.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue());
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        parts.forEach((k, v) -> out.put(k, join(v, chunk)));
        return out;
    }

    /** Rows [from, from + m) of axis 0. */
    private static Tensor rows(Tensor t, int from, int m) {
        if (from == 0 && m == t.dim(0)) {
            return t;
        }
        int per = t.dim(0) == 0 ? 0 : t.size() / t.dim(0);
        int[] s = t.shape();
        s[0] = m;
        return new Tensor(s, Arrays.copyOfRange(t.data(), from * per, (from + m) * per));
    }

    /** Parts joined along axis 0, or stacked on a new axis 0 when they do not start with the chunk's rows. */
    private static Tensor join(java.util.List<Tensor> parts, int chunk) {
        if (parts.size() == 1 && parts.get(0).rank() > 0) {
            return parts.get(0);
        }
        Tensor first = parts.get(0);
        boolean concat = first.rank() > 0;
        long total = 0;
        for (Tensor p : parts) {
            concat &= p.rank() == first.rank()
                    && Arrays.equals(Arrays.copyOfRange(p.shape(), 1, p.rank()),
                    Arrays.copyOfRange(first.shape(), 1, first.rank()));
            total += p.size();
        }
        float[] all = new float[Math.toIntExact(total)];
        int at = 0;
        int rows = 0;
        for (Tensor p : parts) {
            System.arraycopy(p.data(), 0, all, at, p.size());
            at += p.size();
            rows += concat ? p.dim(0) : 1;
        }
        int[] s;
        if (concat) {
            s = first.shape();
            s[0] = rows;
        } else {
            s = new int[first.rank() + 1];
            s[0] = parts.size();
            System.arraycopy(first.shape(), 0, s, 1, first.rank());
        }
        return new Tensor(s, all);
    }

    private static void checkShape(ValueInfo v, int[] actual) {
        int[] declared = v.shape();
        boolean ok = declared.length == actual.length;
        for (int i = 1; ok && i < declared.length; i++) {
            ok = declared[i] < 0 || declared[i] == actual[i];
        }
        if (!ok) {
            throw new ModelException("input '" + v.name() + "' has shape " + Arrays.toString(actual) + " ("
                    + perSample(actual) + " values per sample) but the model expects "
                    + Arrays.toString(declared).replace("-1", "N") + " (" + perSample(declared) + " values per sample)");
        }
    }

    /**
     * Single-input, first-output convenience: x is [N, ...]. When x's per-sample size equals the model input's
     * but the shape differs, x is reshaped (e.g. [N,784] to [N,1,28,28]). Large N is processed in chunks.
     */
    public static Tensor predict(Model model, Tensor x) {
        Nd4jRuntime.ensureInitialized();
        if (model.inputs().size() != 1) {
            throw new ModelException("model '" + model.name() + "' has " + model.inputs().size()
                    + " inputs; prediction on one data array needs a single-input model");
        }
        ValueInfo in = model.inputs().get(0);
        int[] sample = CompiledModel.sampleShape(in);
        checkWidth(in, sample, x);
        int n = x.dim(0);
        if (!(in.shape()[0] < 0 && BatchAxis.outputsKeepBatch(model))) {
            // outputs that do not provably keep the batch, or a declared fixed batch: run as predictAll decides
            int[] full = new int[sample.length + 1];
            full[0] = n;
            System.arraycopy(sample, 0, full, 1, sample.length);
            return predictAll(model, Map.of(in.name(), x.reshape(full))).get(model.outputs().get(0));
        }
        int chunk = Math.max(1, Math.min(n, chunkFor(model)));
        CompiledModel cm;
        try {
            cm = CompiledModel.compile(model, chunk);
        } catch (ModelException e) {
            // models exported with a fixed batch (often 1, with Reshape targets baked in) run in that batch size
            int fixed = in.shape()[0];
            if (fixed <= 0 || fixed == chunk) {
                throw e;
            }
            chunk = fixed;
            cm = CompiledModel.compile(model, chunk);
        }
        try (CompiledModel c = cm) {
            int inSize = c.inputSize();
            int outSize = c.outputSize();
            float[] out = new float[Math.multiplyExact(n, outSize)];
            float[] xs = x.data();
            float[] buf = new float[chunk * outSize];
            float[] xin = null;
            for (int start = 0; start < n; start += chunk) {
                int m = Math.min(chunk, n - start);
                float[] src;
                if (start == 0) {
                    src = xs;
                } else {
                    if (xin == null) {
                        xin = new float[chunk * inSize];
                    }
                    System.arraycopy(xs, start * inSize, xin, 0, m * inSize);
                    src = xin;
                }
                if (m < chunk && in.shape()[0] == chunk) {
                    // pad the last chunk to the fixed batch
                    float[] padded = new float[chunk * inSize];
                    System.arraycopy(src, 0, padded, 0, m * inSize);
                    c.forward(padded, chunk, buf);
                } else {
                    c.forward(src, m, buf);
                }
                System.arraycopy(buf, 0, out, start * outSize, m * outSize);
            }
            int[] os = c.outputSampleShape();
            int[] shape = new int[os.length + 1];
            shape[0] = n;
            System.arraycopy(os, 0, shape, 1, os.length);
            return new Tensor(shape, out);
        }
    }

    /** Native memory aimed at per predict chunk (activations plus the largest im2col buffer). */
    static final long CHUNK_BYTES = 512L << 20;

    /**
     * Samples per chunk: {@link #CHUNK}, fewer when one sample's activations (plus the largest window-column
     * buffer of a Conv/Pool) would exceed {@link #CHUNK_BYTES} at that batch (large CNNs).
     */
    static int chunkFor(Model model) {
        Map<String, int[]> shapes;
        try {
            shapes = model.inferShapes(1);
        } catch (RuntimeException e) {
            return CHUNK; // the real compile reports the problem
        }
        long values = 0;
        for (int[] s : shapes.values()) {
            values += Tensor.numel(s);
        }
        long cols = 0;
        for (dev.sparsimony.engine.model.Node node : model.nodes()) {
            long outSize = Tensor.numel(shapes.get(node.name()));
            if (node.op() instanceof dev.sparsimony.engine.model.Ops.Conv c) {
                cols = Math.max(cols, outSize / c.outChannels() * c.matrixRows() * c.groups());
            } else if (node.op() instanceof dev.sparsimony.engine.model.Ops.Pool p) {
                cols = Math.max(cols, outSize * Tensor.numel(p.kernel()));
            }
        }
        long perSample = Math.max(1, 4 * (values + cols));
        return (int) Math.max(1, Math.min(CHUNK, CHUNK_BYTES / perSample));
    }

    /** Throws the user-facing width error when the data does not match the model input. */
    static void checkWidth(ValueInfo in, int[] sample, Tensor x) {
        if (x.rank() < 1) {
            throw new ModelException("data for model input '" + in.name() + "' has no sample axis");
        }
        long expected = Tensor.numel(sample);
        long n = x.dim(0);
        long width = n == 0 ? Tensor.numel(Arrays.copyOfRange(x.shape(), 1, x.rank())) : x.size() / n;
        if (width != expected) {
            throw new ModelException("data has " + width + " values per sample but model input '" + in.name()
                    + "' expects shape " + Arrays.toString(sample) + " (" + expected + " values)");
        }
    }
}
