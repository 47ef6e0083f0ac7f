package dev.sparsimony.app.layer;

import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.prune.StructureMap;

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
 * @param granularity  granularity of {@code structures}, or null
 * @param structures   per grid cell: {@code colour + (kept ? STRUCTURE_COLOURS : 0)} where colour cycles over
 *                     {@link #STRUCTURE_COLOURS} neighbouring structures, or null without a structure map
 * @param rowAxis      what a kernel row is ("input" for Dense, "k·k·cIn" for Conv)
 * @param colAxis      what a kernel column is ("output" for Dense, "output channel" for Conv)
 */
public record LayerDetail(String layer, String kind, String weightShape, int rows, int cols, int gridRows,
                          int gridCols, int rowStep, int colStep, double[] x, double[] y, double[] weights,
                          double[] kept, double zLimit, double[] binCentres, double[] keptCounts,
                          double[] prunedCounts, long total, long keptTotal, String granularity,
                          double[] structures, String rowAxis, String colAxis) {
    /** Distinct colours used to tell neighbouring structures apart. */
    public static final int STRUCTURE_COLOURS = 6;
    /** Largest grid side drawn without reduction; keeps heat maps fast for large conv kernels. */
    public static final int MAX_CELLS = 256;
    public static final int BINS = 61;

    public double sparsity() {
        return total == 0 ? 0 : 1.0 - (double) keptTotal / total;
    }

    /** Computes the views' data from a layer before and after pruning (same node name, same kernel shape). */
    public static LayerDetail of(Node original, Node current) {
        return of(original, current, null);
    }

    /**
     * As {@link #of(Node, Node)}, also colouring the cells by pruning structure ({@code map} from the engine's
     * granularity, same matrix view as the kernel), or without when {@code map} is null.
     */
    public static LayerDetail of(Node original, Node current, StructureMap map) {
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
        double[] structures = null;
        if (map != null && map.rows() == rows && map.cols() == cols) {
            // a reduced cell shows the structure of its first weight
            int[] cellIds = new int[gr * gc];
            for (int r = 0; r < gr; r++) {
                for (int c = 0; c < gc; c++) {
                    cellIds[r * gc + c] = map.structureOf()[(r * rowStep) * cols + c * colStep];
                }
            }
            int[] colour = colours(cellIds, gr, gc, map.count());
            structures = new double[gr * gc];
            for (int i = 0; i < cellIds.length; i++) {
                int id = cellIds[i];
                boolean kept = keptCells[i] >= 0.5;
                structures[i] = (id < 0 ? 0 : colour[id]) + (kept ? STRUCTURE_COLOURS : 0) + 0.5;
            }
        }
        return new LayerDetail(original.name(), original.op().kind(), k0.shapeString(), rows, cols, gr, gc,
                rowStep, colStep, x, y, weights, keptCells, zLimit, centres, keptCounts, prunedCounts, w0.length,
                keptTotal, map == null ? null : map.granularity(), structures,
                original.op() instanceof Ops.Conv c ? (c.spatialRank() == 2 ? "k·k·cIn" : "k·cIn") : "input",
                original.op() instanceof Ops.Conv ? "output channel" : "output");
    }

    /**
     * Colours structures so that structures touching on the grid differ (greedy colouring of the adjacency graph in
     * id order; falls back to id modulo the palette when a structure has more differently coloured neighbours).
     */
    static int[] colours(int[] cellIds, int gr, int gc, int count) {
        int[] colour = new int[count];
        java.util.Arrays.fill(colour, -1);
        // neighbour pairs (a < b), packed into longs, sorted and de-duplicated
        long[] pairs = new long[2 * cellIds.length];
        int np = 0;
        for (int r = 0; r < gr; r++) {
            for (int c = 0; c < gc; c++) {
                int a = cellIds[r * gc + c];
                if (a < 0) {
                    continue;
                }
                if (c + 1 < gc) {
                    np = addPair(pairs, np, a, cellIds[r * gc + c + 1]);
                }
                if (r + 1 < gr) {
                    np = addPair(pairs, np, a, cellIds[(r + 1) * gc + c]);
                }
            }
        }
        long[] sorted = java.util.Arrays.copyOf(pairs, np);
        java.util.Arrays.sort(sorted);
        // adjacency in both directions (CSR)
        int[] degree = new int[count + 1];
        long prev = -1;
        int ne = 0;
        for (long p : sorted) {
            if (p != prev) {
                degree[(int) (p >>> 32)]++;
                degree[(int) p]++;
                sorted[ne++] = p;
                prev = p;
            }
        }
        int[] start = new int[count + 1];
        for (int i = 0; i < count; i++) {
            start[i + 1] = start[i] + degree[i];
        }
        int[] fill = start.clone();
        int[] adj = new int[start[count]];
        for (int e = 0; e < ne; e++) {
            int a = (int) (sorted[e] >>> 32);
            int b = (int) sorted[e];
            adj[fill[a]++] = b;
            adj[fill[b]++] = a;
        }
        for (int id = 0; id < count; id++) {
            int used = 0;
            for (int k = start[id]; k < start[id + 1]; k++) {
                int nc = colour[adj[k]];
                if (nc >= 0) {
                    used |= 1 << nc;
                }
            }
            int free = Integer.numberOfTrailingZeros(~used);
            colour[id] = free < STRUCTURE_COLOURS ? free : id % STRUCTURE_COLOURS;
        }
        return colour;
    }

    private static int addPair(long[] pairs, int np, int a, int b) {
        if (b < 0 || a == b) {
            return np;
        }
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        pairs[np] = ((long) lo << 32) | hi;
        return np + 1;
    }

    private static int bin(double v, double zLimit, double width) {
        int b = (int) Math.floor((v + zLimit) / width);
        return Math.max(0, Math.min(BINS - 1, b));
    }
}
