package dev.sparsimony.engine.train;

import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An IR model compiled into trainable {@link Layer}s with their batch buffers. Layers run in graph order; each reads
 * the model input or an earlier layer's output, and an element-wise Add may join two of them (residual blocks), so a
 * value can have several readers, whose gradients are summed. The last layer's output is taken as logits: a final
 * Softmax node is fused into the cross-entropy loss (its gradient is p - onehot).
 */
final class Network {
    private final Model source;
    final List<Layer> layers = new ArrayList<>();
    private final List<Node> layerNodes = new ArrayList<>();
    final List<Param> params = new ArrayList<>();
    final int inSize;
    final int classes;
    /** Values read by each layer: 0 is the model input, v &gt; 0 the output of layer v - 1. */
    private final List<int[]> reads = new ArrayList<>();
    /** Number of layers reading each value. */
    private int[] readers = new int[0];
    private int capacity;
    /** Value buffers: acts[0] is the batch input, acts[v] the output of layer v - 1. */
    private float[][] acts = new float[0][];
    private float[][] grads = new float[0][];
    private float[] scratch = new float[0];
    private float[] probs = new float[0];

    private Network(Model model, Map<String, float[]> masks, boolean trainBatchNorm) {
        this.source = model;
        if (model.inputs().size() != 1 || model.outputs().size() != 1) {
            throw new ModelException("the trainer needs a model with one input and one output; '" + model.name()
                    + "' has " + model.inputs().size() + " and " + model.outputs().size());
        }
        Map<String, int[]> shapes = model.inferShapes(1);
        String prev = model.inputs().get(0).name();
        Map<String, Integer> valueOf = new HashMap<>();
        valueOf.put(prev, 0);
        Map<String, float[]> unused = new HashMap<>(masks == null ? Map.of() : masks);
        boolean softmaxSeen = false;
        for (Node node : model.nodes()) {
            if (softmaxSeen) {
                throw new ModelException("the trainer needs Softmax to be the last layer; layer '" + node.name()
                        + "' follows it");
            }
            boolean add = node.op() instanceof Ops.Binary b && b.op() == Ops.BinaryKind.ADD
                    && node.inputs().size() == 2;
            if (!add && node.inputs().size() != 1 || node.inputs().stream().anyMatch(v -> !valueOf.containsKey(v))) {
                throw new ModelException("the trainer cannot read the inputs " + node.inputs() + " of layer '"
                        + node.name() + "': every layer reads one earlier layer (or the model input), an Add two");
            }
            if (add && !Arrays.equals(shapes.get(node.inputs().get(0)), shapes.get(node.inputs().get(1)))) {
                throw new ModelException("the trainer adds values of equal shape only (layer '" + node.name() + "')");
            }
            prev = node.inputs().get(0);
            int[] inShape = shapes.get(prev);
            int[] outShape = shapes.get(node.name());
            int in = size(inShape);
            int out = size(outShape);
            Op op = node.op();
            Layer layer;
            if (op instanceof Ops.Dense d) {
                layer = new DenseLayer(node.name(), d, in, mask(unused, node, d.kernel().size()));
            } else if (add) {
                layer = new ReshapeLayer(node.name(), in);
            } else if (op instanceof Ops.Conv c) {
                layer = new ConvLayer(node.name(), c, inShape, outShape, mask(unused, node, c.kernel().size()));
            } else if (op instanceof Ops.Pool p) {
                layer = new PoolLayer(node.name(), p, inShape, outShape);
            } else if (op instanceof Ops.BatchNorm bn) {
                layer = new BatchNormLayer(node.name(), bn, inShape, in, trainBatchNorm);
            } else if (op instanceof Ops.GlobalPool gp && inShape.length <= 4) {
                layer = new GlobalPoolLayer(node.name(), gp, inShape);
            } else if (op instanceof Ops.Flatten || op instanceof Ops.Identity
                    || (op instanceof Ops.Reshape && outShape[0] == 1 && in == out)) {
                layer = new ReshapeLayer(node.name(), in);
            } else if (op instanceof Ops.Activation a && ActivationLayer.SUPPORTED.contains(a.activation())) {
                layer = new ActivationLayer(node.name(), a, in);
            } else if (op instanceof Ops.Softmax s) {
                int axis = s.axis() < 0 ? s.axis() + inShape.length : s.axis();
                if (axis != inShape.length - 1) {
                    throw new ModelException("the trainer needs the final Softmax over the last axis (layer '"
                            + node.name() + "')");
                }
                softmaxSeen = true;
                layer = null;
            } else {
                throw new ModelException("the trainer cannot train layer '" + node.name() + "' ("
                        + op.kind() + "); it supports Dense, Conv1D/Conv2D (grouped and depthwise too), MaxPool/AvgPool"
                        + " (also global), BatchNorm, Flatten, Reshape, Add, ReLU, LeakyReLU, Clip (ReLU6), Tanh, "
                        + "Sigmoid, Linear and a final Softmax");
            }
            if (layer != null) {
                layers.add(layer);
                layerNodes.add(node);
                params.addAll(layer.params());
                reads.add(node.inputs().stream().mapToInt(valueOf::get).toArray());
                valueOf.put(node.name(), layers.size());
            } else {
                valueOf.put(node.name(), valueOf.get(prev));
            }
            prev = node.name();
        }
        readers = new int[layers.size() + 1];
        for (int[] r : reads) {
            for (int v : r) {
                readers[v]++;
            }
        }
        if (!prev.equals(model.outputs().get(0))) {
            throw new ModelException("the trainer needs the model output to be its last layer; '" + model.name()
                    + "' outputs '" + model.outputs().get(0) + "'");
        }
        if (!unused.isEmpty()) {
            throw new ModelException("weight masks name layers that are not Dense/Conv layers of the model: "
                    + unused.keySet());
        }
        int[] outShape = shapes.get(prev);
        if (outShape.length != 2) {
            throw new ModelException("the trainer needs a class-score output of shape [batch, classes]; '"
                    + model.name() + "' outputs shape " + Arrays.toString(outShape));
        }
        inSize = size(shapes.get(model.inputs().get(0).name()));
        classes = outShape[1];
    }

    static Network compile(Model model, Map<String, float[]> masks) {
        return new Network(model, masks, false);
    }

    /** With {@code trainBatchNorm} the batch norms learn (batch statistics) instead of staying frozen. */
    static Network compile(Model model, Map<String, float[]> masks, boolean trainBatchNorm) {
        return new Network(model, masks, trainBatchNorm);
    }

    private static float[] mask(Map<String, float[]> unused, Node node, int kernelSize) {
        float[] m = unused.remove(node.name());
        if (m != null && m.length != kernelSize) {
            throw new ModelException("the weight mask of layer '" + node.name() + "' has " + m.length
                    + " values but its kernel has " + kernelSize);
        }
        return m;
    }

    private static int size(int[] shapeWithBatch1) {
        long n = 1;
        for (int i = 1; i < shapeWithBatch1.length; i++) {
            n *= shapeWithBatch1[i];
        }
        return Math.toIntExact(n);
    }

    private void ensureCapacity(int n) {
        if (n <= capacity) {
            return;
        }
        acts = new float[layers.size() + 1][];
        grads = new float[layers.size() + 1][];
        int widest = 0;
        for (int i = 0; i < layers.size(); i++) {
            acts[i + 1] = new float[n * layers.get(i).outSize];
            grads[i + 1] = new float[n * layers.get(i).outSize];
            widest = Math.max(widest, layers.get(i).inSize);
        }
        scratch = new float[n * widest];
        probs = new float[n * classes];
        capacity = n;
    }

    /** Logits of {@code n} samples (a view of an internal buffer, valid until the next call); inference mode. */
    float[] forward(float[] x, int n) {
        return forward(x, n, false);
    }

    /** The forward pass in training mode (batch norms on batch statistics, updating their moving averages). */
    float[] forward(float[] x, int n, boolean training) {
        ensureCapacity(n);
        acts[0] = x;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            l.training(training);
            int[] r = reads.get(i);
            if (r.length == 2) {
                float[] a = acts[r[0]];
                float[] b = acts[r[1]];
                float[] y = acts[i + 1];
                for (int k = 0, len = n * l.outSize; k < len; k++) {
                    y[k] = a[k] + b[k];
                }
            } else {
                l.forward(acts[r[0]], acts[i + 1], n);
            }
        }
        return acts[layers.size()];
    }

    /**
     * Forward pass (training mode), softmax cross-entropy and backward pass: adds d(mean loss)/dw to the params'
     * gradients. Returns {sum of per-sample losses, number of correct top-1 predictions}.
     */
    double[] lossAndGradients(float[] x, int[] labels, int n) {
        float[] logits = forward(x, n, true);
        double[] stats = softmaxCrossEntropy(logits, labels, 0, n, probs);
        int last = layers.size();
        float[] d = layers.isEmpty() ? null : grads[last];
        float inv = 1f / n;
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < classes; c++) {
                int i = s * classes + c;
                d[i] = (probs[i] - (c == labels[s] ? 1f : 0f)) * inv;
            }
        }
        // values read by several layers collect their gradient as a sum; a single reader writes it directly
        for (int v = 1; v < last; v++) {
            if (readers[v] > 1) {
                java.util.Arrays.fill(grads[v], 0, n * layers.get(v - 1).outSize, 0f);
            }
        }
        for (int i = last - 1; i >= 0; i--) {
            Layer l = layers.get(i);
            int[] r = reads.get(i);
            float[] dy = grads[i + 1];
            int len = n * l.inSize;
            for (int k = 0; k < r.length; k++) {
                int v = r[k];
                if (r.length == 2) {
                    if (v > 0) {
                        accumulate(v, dy, len, true);
                    }
                    continue;
                }
                float[] dx = v == 0 ? null : readers[v] == 1 ? grads[v] : scratch;
                l.backward(acts[v], acts[i + 1], dy, dx, n);
                if (dx == scratch) {
                    accumulate(v, scratch, len, false);
                }
            }
        }
        return stats;
    }

    private void accumulate(int v, float[] g, int len, boolean copyWhenSingle) {
        float[] t = grads[v];
        if (readers[v] == 1 && copyWhenSingle) {
            System.arraycopy(g, 0, t, 0, len);
            return;
        }
        for (int k = 0; k < len; k++) {
            t[k] += g[k];
        }
    }

    /**
     * Softmax of each row of logits into {@code probs} (may be null), labels read from {@code labels[offset + s]}.
     * Returns {sum of -log p[label], number correct}. Computed in double with the max subtracted.
     */
    double[] softmaxCrossEntropy(float[] logits, int[] labels, int offset, int n, float[] out) {
        double loss = 0;
        int correct = 0;
        for (int s = 0; s < n; s++) {
            int base = s * classes;
            float mx = Float.NEGATIVE_INFINITY;
            int arg = 0;
            for (int c = 0; c < classes; c++) {
                if (logits[base + c] > mx) {
                    mx = logits[base + c];
                    arg = c;
                }
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += StrictMath.exp(logits[base + c] - mx);
            }
            int label = labels[offset + s];
            loss += StrictMath.log(sum) - (logits[base + label] - mx);
            if (arg == label) {
                correct++;
            }
            if (out != null) {
                for (int c = 0; c < classes; c++) {
                    out[base + c] = (float) (StrictMath.exp(logits[base + c] - mx) / sum);
                }
            }
        }
        return new double[] {loss, correct};
    }

    /** The source model with the current weights written back into its Dense/Conv nodes. */
    Model toModel() {
        Map<String, Node> replaced = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            Node node = layerNodes.get(i);
            Op op = layers.get(i).toOp(node.op());
            if (op != node.op()) {
                replaced.put(node.name(), node.withOp(op));
            }
        }
        return source.withNodes(replaced);
    }
}
