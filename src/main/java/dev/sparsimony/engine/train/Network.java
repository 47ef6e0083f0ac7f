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
 * A sequential IR model compiled into trainable {@link Layer}s with their batch buffers. The last layer's output
 * is taken as logits: a final Softmax node is fused into the cross-entropy loss (its gradient is p - onehot).
 */
final class Network {
    private final Model source;
    final List<Layer> layers = new ArrayList<>();
    private final List<Node> layerNodes = new ArrayList<>();
    final List<Param> params = new ArrayList<>();
    final int inSize;
    final int classes;
    private int capacity;
    private float[][] acts = new float[0][];
    private float[][] grads = new float[0][];
    private float[] probs = new float[0];

    private Network(Model model, Map<String, float[]> masks) {
        this.source = model;
        if (model.inputs().size() != 1 || model.outputs().size() != 1) {
            throw new ModelException("the trainer needs a model with one input and one output; '" + model.name()
                    + "' has " + model.inputs().size() + " and " + model.outputs().size());
        }
        Map<String, int[]> shapes = model.inferShapes(1);
        String prev = model.inputs().get(0).name();
        Map<String, float[]> unused = new HashMap<>(masks == null ? Map.of() : masks);
        boolean softmaxSeen = false;
        for (Node node : model.nodes()) {
            if (softmaxSeen) {
                throw new ModelException("the trainer needs Softmax to be the last layer; layer '" + node.name()
                        + "' follows it");
            }
            if (node.inputs().size() != 1 || !node.inputs().get(0).equals(prev)) {
                throw new ModelException("the trainer handles sequential models only: layer '" + node.name()
                        + "' reads " + node.inputs() + " instead of the previous layer '" + prev + "'");
            }
            int[] inShape = shapes.get(prev);
            int[] outShape = shapes.get(node.name());
            int in = size(inShape);
            int out = size(outShape);
            Op op = node.op();
            Layer layer;
            if (op instanceof Ops.Dense d) {
                layer = new DenseLayer(node.name(), d, in, mask(unused, node, d.kernel().size()));
            } else if (op instanceof Ops.Conv c) {
                if (c.groups() != 1) {
                    throw new ModelException("the trainer does not support grouped convolution (layer '"
                            + node.name() + "', " + c.groups() + " groups)");
                }
                layer = new ConvLayer(node.name(), c, inShape, outShape, mask(unused, node, c.kernel().size()));
            } else if (op instanceof Ops.Pool p) {
                layer = new PoolLayer(node.name(), p, inShape, outShape);
            } else if (op instanceof Ops.BatchNorm bn) {
                layer = new BatchNormLayer(node.name(), bn, inShape, in);
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
                        + op.kind() + "); it supports Dense, Conv1D/Conv2D, MaxPool/AvgPool (also global), BatchNorm "
                        + "(kept frozen), Flatten, Reshape, ReLU, LeakyReLU, Tanh, Sigmoid, Linear and a final Softmax");
            }
            if (layer != null) {
                layers.add(layer);
                layerNodes.add(node);
                params.addAll(layer.params());
            }
            prev = node.name();
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
        return new Network(model, masks);
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
        acts = new float[layers.size()][];
        grads = new float[layers.size()][];
        for (int i = 0; i < layers.size(); i++) {
            acts[i] = new float[n * layers.get(i).outSize];
            grads[i] = new float[n * layers.get(i).outSize];
        }
        probs = new float[n * classes];
        capacity = n;
    }

    /** Logits of {@code n} samples (a view of an internal buffer, valid until the next call). */
    float[] forward(float[] x, int n) {
        ensureCapacity(n);
        float[] cur = x;
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).forward(cur, acts[i], n);
            cur = acts[i];
        }
        return cur;
    }

    /**
     * Forward pass, softmax cross-entropy and backward pass: adds d(mean loss)/dw to the params' gradients.
     * Returns {sum of per-sample losses, number of correct top-1 predictions}.
     */
    double[] lossAndGradients(float[] x, int[] labels, int n) {
        float[] logits = forward(x, n);
        double[] stats = softmaxCrossEntropy(logits, labels, 0, n, probs);
        float[] d = layers.isEmpty() ? null : grads[layers.size() - 1];
        float inv = 1f / n;
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < classes; c++) {
                int i = s * classes + c;
                d[i] = (probs[i] - (c == labels[s] ? 1f : 0f)) * inv;
            }
        }
        for (int i = layers.size() - 1; i >= 0; i--) {
            float[] in = i == 0 ? x : acts[i - 1];
            float[] dx = i == 0 ? null : grads[i - 1];
            layers.get(i).backward(in, acts[i], grads[i], dx, n);
        }
        return stats;
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
