package dev.sparsimony.engine.train;

/** Flatten, Identity and batch-preserving Reshape: the row-major data of each sample is unchanged. */
final class ReshapeLayer extends Layer {
    ReshapeLayer(String node, int size) {
        super(node, size, size);
    }

    @Override
    void forward(float[] x, float[] y, int n) {
        System.arraycopy(x, 0, y, 0, n * inSize);
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int n) {
        if (dx != null) {
            System.arraycopy(dy, 0, dx, 0, n * inSize);
        }
    }
}
