package dev.sparsimony.engine.infer;

import dev.sparsimony.engine.infer.kernels.NdUtil;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A single-input model bound to native buffers for fast repeated evaluation on the same data size: weights
 * are INDArrays that {@link #setWeight} overwrites in place, every activation buffer is allocated once, and
 * {@link #forward(float[], int, float[])} performs no allocation when n stays the same between calls.
 *
 * <p><b>Threading:</b> an instance is NOT thread-safe (buffers are shared between calls). Use one instance per
 * thread; instances are independent. For throughput on several cores prefer one instance per core with
 * {@link Nd4jRuntime#useSingleThread()} over one instance using ND4J's internal threads.
 */
public final class CompiledModel implements AutoCloseable {
    private final Model model;
    private final int batchSize;
    private final WeightStore weights;
    private final String inputName;
    private final int[] inputSampleShape;
    private final int inputSize;
    private final int outputSize;
    private final int[] outputSampleShape;
    private final Map<String, Integer> nodeIndex = new HashMap<>();
    private final OutputTransform[] transforms;
    private final Set<String> dirty = new HashSet<>();
    private Plan full;
    private Plan other;
    private int otherN = -1;
    private boolean closed;

    private CompiledModel(Model model, int batchSize) {
        Nd4jRuntime.ensureInitialized();
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (model.inputs().size() != 1) {
            throw new ModelException("model '" + model.name() + "' has " + model.inputs().size()
                    + " inputs; fast evaluation supports single-input models only");
        }
        this.model = model;
        this.batchSize = batchSize;
        ValueInfo in = model.inputs().get(0);
        this.inputName = in.name();
        this.inputSampleShape = sampleShape(in);
        this.inputSize = Math.toIntExact(Tensor.numel(inputSampleShape));
        List<Node> nodes = model.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            nodeIndex.put(nodes.get(i).name(), i);
        }
        this.transforms = new OutputTransform[nodes.size()];
        this.weights = new WeightStore(model);
        this.full = new Plan(model, Map.of(inputName, withBatch(batchSize)), weights);
        int[] outShape = full.shape(model.outputs().get(0));
        this.outputSampleShape = outShape.length == 0 ? new int[0] : Arrays.copyOfRange(outShape, 1, outShape.length);
        long outTotal = Tensor.numel(outShape);
        if (outShape.length == 0 || outShape[0] != batchSize) {
            throw new ModelException("model output '" + model.outputs().get(0) + "' has shape "
                    + Arrays.toString(outShape) + ", which does not keep the batch axis first");
        }
        this.outputSize = Math.toIntExact(outTotal / batchSize);
    }

    /**
     * Compiles a single-input model for up to {@code batchSize} samples per {@link #forward} call.
     * Throws ModelException when the model's shapes do not chain or an op is not supported.
     */
    public static CompiledModel compile(Model model, int batchSize) {
        return new CompiledModel(model, batchSize);
    }

    /** The model input's per-sample shape (batch axis removed); dynamic non-batch dimensions are rejected. */
    static int[] sampleShape(ValueInfo in) {
        int[] s = in.shape();
        if (s.length == 0) {
            throw new ModelException("model input '" + in.name() + "' is a scalar; a batch axis is required");
        }
        int[] o = Arrays.copyOfRange(s, 1, s.length);
        for (int d : o) {
            if (d < 0) {
                throw new ModelException("model input '" + in.name() + "' has a free dimension besides the batch: "
                        + Arrays.toString(s));
            }
        }
        return o;
    }

    private int[] withBatch(int n) {
        int[] s = new int[inputSampleShape.length + 1];
        s[0] = n;
        System.arraycopy(inputSampleShape, 0, s, 1, inputSampleShape.length);
        return s;
    }

    public Model model() {
        return model;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Values per input sample. */
    public int inputSize() {
        return inputSize;
    }

    /** Values per sample of the first model output. */
    public int outputSize() {
        return outputSize;
    }

    /** Per-sample shape of the first model output. */
    public int[] outputSampleShape() {
        return outputSampleShape.clone();
    }

    public int[] inputSampleShape() {
        return inputSampleShape.clone();
    }

    // ------------------------------------------------------------------ weights

    /** Copies new values (IR layout, same length) into the node's native weight buffer. */
    public void setWeight(String node, String weight, float[] values) {
        checkOpen();
        INDArray w = weights.get(node, weight);
        if (values.length != w.length()) {
            throw new ModelException("weight '" + weight + "' of layer '" + node + "' has " + w.length()
                    + " values, got " + values.length);
        }
        NdUtil.copyIn(values, 0, values.length, w);
        dirty.add(node + '\u0000' + weight);
        notifyWeights(node);
    }

    /** Restores every weight changed by {@link #setWeight} to the model's original values. */
    public void restoreWeights() {
        checkOpen();
        for (String key : dirty) {
            int sep = key.indexOf('\u0000');
            String node = key.substring(0, sep);
            String weight = key.substring(sep + 1);
            float[] original = model.node(node).op().weights().get(weight).data();
            NdUtil.copyIn(original, 0, original.length, weights.get(node, weight));
            notifyWeights(node);
        }
        dirty.clear();
    }

    private void notifyWeights(String node) {
        int i = nodeIndex.get(node);
        full.weightsChanged(i);
        if (other != null) {
            other.weightsChanged(i);
        }
    }

    // ------------------------------------------------------------------ output transforms

    /** Applies {@code t} in place to the node's output right after the node runs (replaces any previous one). */
    public void setOutputTransform(String node, OutputTransform t) {
        Integer i = nodeIndex.get(node);
        if (i == null) {
            throw new ModelException("model '" + model.name() + "' has no layer named '" + node + "'");
        }
        transforms[i] = t;
    }

    public void clearOutputTransforms() {
        Arrays.fill(transforms, null);
    }

    // ------------------------------------------------------------------ evaluation

    /** Runs n samples (x row-major, n * inputSize values) and returns the first output [n * outputSize]. */
    public float[] forward(float[] x, int n) {
        float[] out = new float[n * outputSize];
        forward(x, n, out);
        return out;
    }

    /** As {@link #forward(float[], int)} but writes into {@code out} (at least n * outputSize long). */
    public void forward(float[] x, int n, float[] out) {
        forward(x, 0, n, out, 0);
    }

    /**
     * Runs samples {@code [first, first + n)} of {@code x} and writes their outputs to {@code out} from sample
     * {@code outFirst} on: the form for evaluating a large data set in cache-sized tiles without copying it.
     */
    public void forward(float[] x, int first, int n, float[] out, int outFirst) {
        if (first < 0 || outFirst < 0) {
            throw new IllegalArgumentException("sample offsets must be non-negative, got " + first + ", " + outFirst);
        }
        if (out.length < (long) (outFirst + n) * outputSize) {
            throw new IllegalArgumentException("output array holds " + out.length + " values, needs "
                    + (long) (outFirst + n) * outputSize);
        }
        Plan p = execute(x, Math.multiplyExact(first, inputSize), n, null, null);
        if (n > 0) {
            NdUtil.copyOut(p.value(model.outputs().get(0)), out, outFirst * outputSize);
        }
    }

    /**
     * Runs n samples and returns the outputs of the named nodes (after their output transforms), each
     * [n * per-sample size] row-major. Graph input names are accepted too.
     */
    public Map<String, float[]> forwardCapture(float[] x, int n, Set<String> nodes) {
        Map<String, float[]> captured = new LinkedHashMap<>();
        boolean[] want = new boolean[transforms.length];
        for (String s : nodes) {
            Integer i = nodeIndex.get(s);
            if (i != null) {
                want[i] = true;
            } else if (!s.equals(inputName)) {
                throw new ModelException("model '" + model.name() + "' has no layer named '" + s + "'");
            }
        }
        if (nodes.contains(inputName) && n > 0) {
            // a copy of the caller's data: the input buffer itself may be overwritten in place by the first op
            captured.put(inputName, java.util.Arrays.copyOf(x, n * inputSize));
        }
        Plan p = execute(x, n, want, captured);
        if (p == null) {
            nodes.forEach(s -> captured.put(s, new float[0]));
        }
        return captured;
    }

    private Plan execute(float[] x, int n, boolean[] want, Map<String, float[]> captured) {
        return execute(x, 0, n, want, captured);
    }

    private Plan execute(float[] x, int xOffset, int n, boolean[] want, Map<String, float[]> captured) {
        checkOpen();
        if (n < 0 || n > batchSize) {
            throw new IllegalArgumentException("n must be in 0.." + batchSize + ", got " + n);
        }
        if (x.length - (long) xOffset < (long) n * inputSize) {
            throw new IllegalArgumentException("input holds " + x.length + " values, needs " + n * inputSize);
        }
        if (n == 0) {
            return null;
        }
        Plan p = planFor(n);
        NdUtil.copyIn(x, xOffset, n * inputSize, p.value(inputName));
        for (int i = 0; i < p.nodeCount(); i++) {
            OpKernel.FusedStep f = p.fused(i);
            if (f != null && fusable(i, f.members(), want)) {
                OutputTransform.Elementwise[] ts = new OutputTransform.Elementwise[f.members() + 1];
                for (int k = 0; k < ts.length; k++) {
                    ts[k] = (OutputTransform.Elementwise) transforms[i + k];
                }
                f.run(ts);
                i += f.members();
                capture(p, i, want, captured);
                continue;
            }
            p.run(i);
            if (transforms[i] == null) {
                capture(p, i, want, captured);
                continue;
            }
            if (!(transforms[i] instanceof OutputTransform.Elementwise)) {
                transforms[i].apply(p.output(i));
                capture(p, i, want, captured);
                continue;
            }
            // one pass over heap chunks for this transform and the in-place element-wise nodes right after it (up
            // to the next node with a transform of its own, whose begin() must see the values before streaming)
            int last = i;
            while (last + 1 < p.nodeCount() && (want == null || !want[last]) && p.fusesWithPrevious(last + 1)
                    && transforms[last + 1] == null) {
                last++;
            }
            OutputTransform.Elementwise t = (OutputTransform.Elementwise) transforms[i];
            int first = i;
            int end = last;
            t.begin(p.output(i));
            NdUtil.streamInPlace(p.output(i), (buf, from, to) -> {
                t.apply(buf, from, to);
                for (int k = first + 1; k <= end; k++) {
                    p.elementwise(k).apply(buf, from, to);
                }
            });
            for (int k = i; k <= last; k++) {
                capture(p, k, want, captured);
            }
            i = last;
        }
        return p;
    }

    /**
     * A fused chain runs as one step unless an intermediate value is to be captured or a member has a transform that
     * is not element-wise (it needs the whole buffer).
     */
    private boolean fusable(int head, int members, boolean[] want) {
        for (int k = head; k <= head + members; k++) {
            if (transforms[k] != null && !(transforms[k] instanceof OutputTransform.Elementwise)) {
                return false;
            }
            if (k < head + members && want != null && want[k]) {
                return false;
            }
        }
        return true;
    }

    private void capture(Plan p, int i, boolean[] want, Map<String, float[]> captured) {
        if (want != null && want[i]) {
            captured.put(model.nodes().get(i).name(), NdUtil.toFloats(p.output(i)));
        }
    }

    Plan planFor(int n) {
        if (n == batchSize) {
            return full;
        }
        if (n != otherN) {
            other = null; // release the previous buffers before allocating new ones
            other = new Plan(model, Map.of(inputName, withBatch(n)), weights);
            otherN = n;
        }
        return other;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this CompiledModel is closed");
        }
    }

    /** Drops the native buffers (they are freed when collected). */
    @Override
    public void close() {
        closed = true;
        full = null;
        other = null;
    }
}
