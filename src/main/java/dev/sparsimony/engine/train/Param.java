package dev.sparsimony.engine.train;

/**
 * One trainable weight tensor with its gradient and Adam moments. {@code mask} (same length, or null) marks the
 * weights that are kept: masked weights are held at zero by zeroing their gradients and re-masking after each step.
 */
final class Param {
    final String node;
    final String weight;
    final float[] w;
    final float[] g;
    final float[] m;
    final float[] v;
    final boolean[] keep;
    /** Kernels take the L2 penalty, biases do not (Keras kernel_regularizer). */
    final boolean decay;

    Param(String node, String weight, float[] w, boolean decay, float[] mask) {
        this.node = node;
        this.weight = weight;
        this.w = w;
        this.g = new float[w.length];
        this.m = new float[w.length];
        this.v = new float[w.length];
        this.decay = decay;
        if (mask == null) {
            keep = null;
        } else {
            keep = new boolean[w.length];
            for (int i = 0; i < w.length; i++) {
                keep[i] = mask[i] != 0f;
                if (!keep[i]) {
                    w[i] = 0f;
                }
            }
        }
    }
}
