package dev.sparsimony.engine.train;

import dev.sparsimony.engine.model.Ops;

/**
 * Inference-mode batch normalisation kept frozen during training: y = scale[c] * x + shift[c] with the stored
 * statistics and affine parameters, gradients passed through (dx = scale * dy). Freezing BN while fine-tuning a
 * pruned network keeps the statistics that hls4ml folds into the preceding layer valid.
 */
final class BatchNormLayer extends Layer {
    private final int[] channelOf;
    private final float[] scale;
    private final float[] shift;

    BatchNormLayer(String node, Ops.BatchNorm op, int[] inShape, int size) {
        super(node, size, size);
        int c = op.channels();
        scale = new float[c];
        shift = new float[c];
        float[] g = op.gamma().data();
        float[] b = op.beta().data();
        float[] m = op.mean().data();
        float[] v = op.variance().data();
        for (int i = 0; i < c; i++) {
            scale[i] = (float) (g[i] / Math.sqrt(v[i] + (double) op.epsilon()));
            shift[i] = b[i] - scale[i] * m[i];
        }
        // channel of every element of one sample, from the row-major strides of the shape (batch axis excluded)
        int axis = op.channelAxis(inShape.length);
        int inner = 1;
        for (int a = axis + 1; a < inShape.length; a++) {
            inner *= inShape[a];
        }
        channelOf = new int[size];
        for (int e = 0; e < size; e++) {
            channelOf[e] = (e / inner) % c;
        }
    }

    @Override
    void forward(float[] x, float[] y, int n) {
        for (int s = 0; s < n; s++) {
            int o = s * inSize;
            for (int e = 0; e < inSize; e++) {
                int c = channelOf[e];
                y[o + e] = scale[c] * x[o + e] + shift[c];
            }
        }
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int n) {
        if (dx == null) {
            return;
        }
        for (int s = 0; s < n; s++) {
            int o = s * inSize;
            for (int e = 0; e < inSize; e++) {
                dx[o + e] = scale[channelOf[e]] * dy[o + e];
            }
        }
    }
}
