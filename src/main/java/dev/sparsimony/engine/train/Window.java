package dev.sparsimony.engine.train;

/**
 * A 1-D or 2-D sliding window (conv or pooling) seen as 2-D: a 1-D window has height 1, as in {@link Geometry}.
 * Window position (i, j) at output (oh, ow) reads input row {@code oh * sh - ph + i * dh}, column
 * {@code ow * sw - pw + j * dw} (outside the input: padding).
 */
record Window(int kh, int kw, int sh, int sw, int dh, int dw, int ph, int pw) {
    /** From the IR's per-axis arrays (spatial axes only); {@code dilations} null means 1. */
    static Window of(int[] kernel, int[] strides, int[] dilations, int[] padsBegin) {
        boolean two = kernel.length == 2;
        int last = kernel.length - 1;
        return new Window(two ? kernel[0] : 1, kernel[last], two ? strides[0] : 1, strides[last],
                two && dilations != null ? dilations[0] : 1, dilations != null ? dilations[last] : 1,
                two ? padsBegin[0] : 0, padsBegin[last]);
    }

    /** Input row read by window row {@code i} at output row {@code oh}. */
    int row(int oh, int i) {
        return oh * sh - ph + i * dh;
    }

    /** Input column read by window column {@code j} at output column {@code ow}. */
    int col(int ow, int j) {
        return ow * sw - pw + j * dw;
    }
}
