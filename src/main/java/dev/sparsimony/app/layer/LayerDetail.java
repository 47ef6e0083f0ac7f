package dev.sparsimony.app.layer;

import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Tensor;

/**
 * What the layer views draw for one prunable layer, as primitive arrays ready for ChartFX (no boxing, no copies
 * in the views). The kernel is seen as its row-major matrix [rows, cols] (Dense [nIn, nOut], Conv
 * [k1*k2*cIn/g, cOut]); matrices larger than {@link #MAX_CELLS} per axis are reduced block-wise before drawing.
 *
 * @param gridRows    rows of the drawn grid (after reduction)
 * @param gridCols    columns of the drawn grid (after reduction)
 * @param rowStep     kernel rows per grid row
 * @param colStep     kernel columns per grid column
 * @param x           grid column centres in kernel column units (length gridCols)
 * @param y           grid row centres in kernel row units (length gridRows)
 * @param weights     current (pruned) weight per grid cell, row-major; of a block, the value of largest magnitude
 * @param kept        fraction of unpruned weights per grid cell (1 kept, 0 pruned), row-major
 * @param zLimit      largest weight magnitude of the unpruned kernel: colour scale is [-zLimit, zLimit]
 * @param binCentres  histogram bin centres over [-zLimit, zLimit]
 * @param keptCounts  kept (non-zero) weights per bin
 * @param prunedCounts pruned weights per bin, at their original (unpruned) values
 */
public record LayerDetail(String layer, String kind, String weightShape, int rows, int cols, int gridRows,
                          int gridCols, int rowStep, int colStep, double[] x, double[] y, double[] weights,
                          double[] kept, double zLimit, double[] binCentres, double[] keptCounts,
                          double[] prunedCounts, long total, long keptTotal) {
    /** Largest grid side drawn without reduction; keeps heat maps fast for large conv kernels. */
    public static final int MAX_CELLS = 256;
    public static final int BINS = 61;

    public double sparsity() {
        return total == 0 ? 0 : 1.0 - (double) keptTotal / total;
    }

    /** Computes the views' data from a layer before and after pruning (same node name, same kernel shape). */
    public static LayerDetail of(Node original, Node current) {
        Tensor k0 = original.op().weights().get("kernel");
        Tensor k1 = current.op().weights().get("kernel");
        if (k0 == null || k1 == null) {
            throw new IllegalArgumentException("layer '" + original.name() + "' has no kernel");
        }
        int cols = k0.dim(-1);
        int rows = k0.size() / Math.max(cols, 1);
        float[] w0 = k0.data();
        float[] w1 = k1.data();

        int rowStep = (rows + MAX_CELLS - 1) / MAX_CELLS;
        int colStep = (cols + MAX_CELLS - 1) / MAX_CELLS;
        int gr = (rows + rowStep - 1) / rowStep;
        int gc = (cols + colStep - 1) / colStep;
        double[] weights = new double[gr * gc];
        double[] keptCells = new double[gr * gc];
        int[] cellCount = new int[gr * gc];
        double zLimit = 0;
        long keptTotal = 0;
        for (int r = 0; r < rows; r++) {
            int cr = r / rowStep;
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                int cell = cr * gc + c / colStep;
                float v = w1[i];
                zLimit = Math.max(zLimit, Math.abs(w0[i]));
                if (Math.abs(v) > Math.abs(weights[cell])) {
                    weights[cell] = v;
                }
                if (v != 0f) {
                    keptCells[cell]++;
                    keptTotal++;
                }
                cellCount[cell]++;
            }
        }
        for (int i = 0; i < keptCells.length; i++) {
            keptCells[i] /= Math.max(cellCount[i], 1);
        }
        if (zLimit == 0) {
            zLimit = 1;
        }
        double[] x = new double[gc];
        for (int c = 0; c < gc; c++) {
            x[c] = c * colStep + (Math.min(cols, (c + 1) * colStep) - c * colStep - 1) / 2.0;
        }
        double[] y = new double[gr];
        for (int r = 0; r < gr; r++) {
            y[r] = r * rowStep + (Math.min(rows, (r + 1) * rowStep) - r * rowStep - 1) / 2.0;
        }

        double[] centres = new double[BINS];
        double width = 2 * zLimit / BINS;
        for (int b = 0; b < BINS; b++) {
            centres[b] = -zLimit + (b + 0.5) * width;
        }
        double[] keptCounts = new double[BINS];
        double[] prunedCounts = new double[BINS];
        for (int i = 0; i < w0.length; i++) {
            if (w1[i] != 0f) {
                keptCounts[bin(w1[i], zLimit, width)]++;
            } else {
                prunedCounts[bin(w0[i], zLimit, width)]++;
            }
        }
        return new LayerDetail(original.name(), original.op().kind(), k0.shapeString(), rows, cols, gr, gc,
                rowStep, colStep, x, y, weights, keptCells, zLimit, centres, keptCounts, prunedCounts, w0.length,
                keptTotal);
    }

    private static int bin(double v, double zLimit, double width) {
        int b = (int) Math.floor((v + zLimit) / width);
        return Math.max(0, Math.min(BINS - 1, b));
    }
}
