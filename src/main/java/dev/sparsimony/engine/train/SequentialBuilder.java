package dev.sparsimony.engine.train;

import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds Keras-style models in the IR (channels-last feature maps, HWIO kernels, convolutions with 'same' or 'valid'
 * padding, depthwise convolutions, batch norms, non-overlapping max pooling), initialised with
 * {@link Initializers#glorotUniform}. Layers chain one after the other; {@link #add} joins the current value with an
 * earlier one (a residual connection, the only branch).
 */
public final class SequentialBuilder {
    /** Keras padding modes. */
    public enum Padding { SAME, VALID }

    private final String inputName;
    private final int[] inputShape;
    private final List<Node> nodes = new ArrayList<>();
    private int[] shape; // per sample, without batch
    private String last;

    private SequentialBuilder(String inputName, int[] sampleShape) {
        this.inputName = inputName;
        this.inputShape = sampleShape.clone();
        this.shape = sampleShape.clone();
        this.last = inputName;
    }

    /** Starts a model whose input is named {@code name} with per-sample shape {@code sampleShape}. */
    public static SequentialBuilder input(String name, int... sampleShape) {
        return new SequentialBuilder(name, sampleShape);
    }

    private SequentialBuilder add(String name, dev.sparsimony.engine.model.Op op) {
        return node(name, op, List.of(last));
    }

    private SequentialBuilder node(String name, dev.sparsimony.engine.model.Op op, List<String> inputs) {
        nodes.add(new Node(name, op, inputs));
        int[] withBatch = new int[shape.length + 1];
        withBatch[0] = 1;
        System.arraycopy(shape, 0, withBatch, 1, shape.length);
        int[] out = op.outputShape(inputs.stream().map(i -> withBatch).toList());
        shape = Arrays.copyOfRange(out, 1, out.length);
        last = name;
        return this;
    }

    /** Channels of the current value (its last axis). */
    public int channels() {
        return shape[shape.length - 1];
    }

    /** The name of the current (last) value, to {@link #add} it back later. */
    public String last() {
        return last;
    }

    /** Element-wise sum of the current value and the earlier value {@code other} (same shape): a residual Add. */
    public SequentialBuilder add(String name, String other) {
        return node(name, new Ops.Binary(Ops.BinaryKind.ADD), List.of(other, last));
    }

    public SequentialBuilder dense(String name, int units) {
        return dense(name, units, true);
    }

    /** Dense layer; without a bias when a batch norm follows (as Keras models write it: use_bias=False). */
    public SequentialBuilder dense(String name, int units, boolean bias) {
        int nIn = shape[shape.length - 1];
        return add(name, new Ops.Dense(Tensor.zeros(nIn, units), bias ? Tensor.zeros(units) : null));
    }

    /** 2-D convolution, stride 1, square kernel; 'same' pads (k - 1) / 2 before and the rest after, as TF does. */
    public SequentialBuilder conv2d(String name, int filters, int kernel, Padding padding) {
        return conv2d(name, filters, kernel, 1, padding, true);
    }

    /**
     * 2-D convolution with a square kernel and stride; 'same' pads as TensorFlow: total max((ceil(n/s) - 1)·s + k -
     * n, 0), half of it (rounded down) before.
     */
    public SequentialBuilder conv2d(String name, int filters, int kernel, int stride, Padding padding, boolean bias) {
        return conv(name, filters, kernel, stride, padding, bias, 1);
    }

    /** Depthwise 2-D convolution (depth multiplier 1): one kxk filter per channel, groups = channels. */
    public SequentialBuilder depthwiseConv2d(String name, int kernel, int stride, Padding padding, boolean bias) {
        return conv(name, shape[2], kernel, stride, padding, bias, shape[2]);
    }

    private SequentialBuilder conv(String name, int filters, int kernel, int stride, Padding padding, boolean bias,
                                   int groups) {
        if (shape.length != 3) {
            throw new ModelException("conv2d needs a [height, width, channels] input, got " + Arrays.toString(shape));
        }
        int[] before = new int[2];
        int[] after = new int[2];
        for (int a = 0; a < 2; a++) {
            int n = shape[a];
            int total = padding == Padding.SAME ? Math.max(((n + stride - 1) / stride - 1) * stride + kernel - n, 0)
                    : 0;
            before[a] = total / 2;
            after[a] = total - before[a];
        }
        Tensor k = Tensor.zeros(kernel, kernel, shape[2] / groups, filters);
        return add(name, new Ops.Conv(k, bias ? Tensor.zeros(filters) : null, new int[] {stride, stride},
                new int[] {1, 1}, before, after, groups, Layout.CHANNELS_LAST));
    }

    /** Batch normalisation over the channels (last axis), Keras' initial state: gamma 1, beta 0, mean 0, variance 1. */
    public SequentialBuilder batchNorm(String name) {
        int c = shape[shape.length - 1];
        float[] ones = new float[c];
        Arrays.fill(ones, 1f);
        return add(name, new Ops.BatchNorm(Tensor.of(ones, c), Tensor.zeros(c), Tensor.zeros(c), Tensor.of(ones.clone(), c),
                1e-3f, Layout.CHANNELS_LAST));
    }

    /** ReLU6 = min(max(x, 0), 6) (MobileNet's activation), as Clip(0, 6). */
    public SequentialBuilder relu6(String name) {
        return add(name, new Ops.Activation(ActivationKind.CLIP, 0f, 6f));
    }

    /** Global average pooling over the spatial axes (Keras GlobalAveragePooling2D: the spatial axes dropped). */
    public SequentialBuilder globalAvgPool(String name) {
        return add(name, new Ops.GlobalPool(Ops.PoolKind.AVG, Layout.CHANNELS_LAST, false));
    }

    /** Max pooling with a square window and the same stride, 'valid' padding (Keras MaxPooling2D default). */
    public SequentialBuilder maxPool2d(String name, int size) {
        return add(name, new Ops.Pool(Ops.PoolKind.MAX, new int[] {size, size}, new int[] {size, size},
                new int[] {0, 0}, new int[] {0, 0}, false, false, Layout.CHANNELS_LAST));
    }

    public SequentialBuilder flatten(String name) {
        return add(name, new Ops.Flatten(1));
    }

    public SequentialBuilder relu(String name) {
        return add(name, Ops.Activation.of(ActivationKind.RELU));
    }

    public SequentialBuilder softmax(String name) {
        return add(name, new Ops.Softmax(-1, false));
    }

    /** The model with Glorot-uniform kernels and zero biases drawn from {@code seed}. */
    public Model build(String modelName, long seed, Map<String, String> metadata) {
        int[] in = new int[inputShape.length + 1];
        in[0] = -1;
        System.arraycopy(inputShape, 0, in, 1, inputShape.length);
        Model m = new Model(modelName, List.of(new ValueInfo(inputName, in)), nodes, List.of(last), metadata);
        return Initializers.glorotUniform(m, seed);
    }

    public Model build(String modelName, long seed) {
        return build(modelName, seed, Map.of());
    }
}
