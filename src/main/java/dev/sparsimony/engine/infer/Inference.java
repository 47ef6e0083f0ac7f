package dev.sparsimony.engine.infer;

import dev.sparsimony.engine.infer.kernels.NdUtil;
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
        Map<String, int[]> shapes = new HashMap<>();
        for (ValueInfo v : model.inputs()) {
            Tensor t = inputs.get(v.name());
            if (t == null) {
                throw new ModelException("no data given for model input '" + v.name() + "'");
            }
            checkShape(v, t.shape());
            shapes.put(v.name(), t.shape());
        }
        Plan plan = new Plan(model, shapes, new WeightStore(model));
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

    private static void checkShape(ValueInfo v, int[] actual) {
        int[] declared = v.shape();
        boolean ok = declared.length == actual.length;
        for (int i = 1; ok && i < declared.length; i++) {
            ok = declared[i] < 0 || declared[i] == actual[i];
        }
        if (!ok) {
            throw new ModelException("input '" + v.name() + "' has shape " + Arrays.toString(actual)
                    + " but the model expects " + Arrays.toString(declared) + " (-1 = any)");
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
