package dev.sparsimony.engine.train;

import dev.sparsimony.engine.model.Op;
import java.util.List;

/**
 * One trainable stage of a sequential network working on flat batch buffers: sample {@code s} of a batch
 * occupies {@code [s * inSize, (s + 1) * inSize)} of the input, in the row-major order of the IR tensor.
 */
abstract class Layer {
    final String node;
    final int inSize;
    final int outSize;

    Layer(String node, int inSize, int outSize) {
        this.node = node;
        this.inSize = inSize;
        this.outSize = outSize;
    }

    /** Writes all of {@code y[0, n * outSize)} from {@code x}. */
    abstract void forward(float[] x, float[] y, int n);

    /**
     * Adds this batch's parameter gradients to the params' {@code g} and, when {@code dx} is not null, writes all of
     * {@code dx[0, n * inSize)} (the loss gradient with respect to the input). {@code y} is the forward output.
     */
    abstract void backward(float[] x, float[] y, float[] dy, float[] dx, int n);

    /** Switches between training (batch statistics) and inference behaviour; only batch norms differ. */
    void training(boolean on) {
    }

    List<Param> params() {
        return List.of();
    }

    /** The op with the trained weights written back. */
    Op toOp(Op original) {
        return original;
    }
}
