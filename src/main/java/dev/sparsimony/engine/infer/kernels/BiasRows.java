package dev.sparsimony.engine.infer.kernels;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fills an output viewed as [rows, width] with the bias in every row, so that a following sgemm with beta = 1 adds
 * the product to it: the bias costs one write pass instead of a broadcast add (OpenBLAS's beta = 0 path clears C in
 * a pass of its own anyway). The rows are copied from a heap tile of up to {@link DenseKernel#TILE} floats (L1
 * resident), rebuilt lazily after the bias changed.
 */
final class BiasRows {
    private final INDArray bias;
    private final FloatBuffer out;
    private final int base;
    private final int total;
    private final float[] tile;
    private boolean stale = true;

    /** @param out a dense array of rows x bias.length values */
    BiasRows(INDArray bias, INDArray out) {
        this.bias = bias;
        this.out = NdUtil.nio(out);
        this.base = NdUtil.base(out);
        this.total = Math.toIntExact(out.length());
        int width = Math.max(1, Math.toIntExact(bias.length()));
        int tileRows = Math.max(1, Math.min(total / width, DenseKernel.TILE / width));
        this.tile = new float[tileRows * width];
    }

    void fill() {
        if (stale) {
            float[] b = NdUtil.toFloats(bias);
            for (int o = 0; o < tile.length; o += b.length) {
                System.arraycopy(b, 0, tile, o, b.length);
            }
            stale = false;
        }
        for (int o = 0; o < total; o += tile.length) {
            out.put(base + o, tile, 0, Math.min(tile.length, total - o));
        }
    }

    /** The bias buffer was overwritten: rebuild the tile before the next fill. */
    void biasChanged() {
        stale = true;
    }
}
