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
 * Builds Keras-style sequential models in the IR (channels-last feature maps, HWIO kernels, stride-1 convolution
 * with 'same' or 'valid' padding, non-overlapping max pooling), initialised with {@link Initializers#glorotUniform}.
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
        nodes.add(new Node(name, op, List.of(last)));
        int[] withBatch = new int[shape.length + 1];
        withBatch[0] = 1;
        System.arraycopy(shape, 0, withBatch, 1, shape.length);
        int[] out = op.outputShape(List.of(withBatch));
        shape = Arrays.copyOfRange(out, 1, out.length);
        last = name;
        return this;
    }

    public SequentialBuilder dense(String name, int units) {
        int nIn = shape[shape.length - 1];
        return add(name, new Ops.Dense(Tensor.zeros(nIn, units), Tensor.zeros(units)));
    }

    /** 2-D convolution, stride 1, square kernel; 'same' pads (k - 1) / 2 before and the rest after, as TF does. */
    public SequentialBuilder conv2d(String name, int filters, int kernel, Padding padding) {
        if (shape.length != 3) {
            throw new ModelException("conv2d needs a [height, width, channels] input, got " + Arrays.toString(shape));
        }
        int before = padding == Padding.SAME ? (kernel - 1) / 2 : 0;
        int after = padding == Padding.SAME ? kernel - 1 - before : 0;
        Tensor k = Tensor.zeros(kernel, kernel, shape[2], filters);
        return add(name, new Ops.Conv(k, Tensor.zeros(filters), new int[] {1, 1}, new int[] {1, 1},
                new int[] {before, before}, new int[] {after, after}, 1, Layout.CHANNELS_LAST));
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
