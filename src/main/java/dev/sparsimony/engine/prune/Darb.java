package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.Node;

/**
 * DARB, density-adaptive regular-block pruning (Ren et al., "DARB: A Density-Adaptive Regular-Block Pruning for
 * Deep Neural Networks", AAAI 2020). Each row's density is measured by magnitude pruning of the layer at the target
 * sparsity: a row keeping k weights is cut into k contiguous, equal (+-1) blocks, and in each block only the
 * largest-|w| weight survives (block-max masking). Rows of equal density form one group sharing one block size
 * (cols / k), which keeps the decoder regular; a row with density 0 is one fully pruned block.
 * Because the per-row counts come from the layer's magnitude mask, the kept total equals the target exactly.
 * Structures = the blocks (one weight of each is kept), so this granularity is not a knapsack item type.
 */
public final class Darb implements Granularity {
    @Override
    public String id() {
        return "darb";
    }

    @Override
    public boolean wholeStructures() {
        return false;
    }

    @Override
    public StructureMap structures(Node layer, LayerContext ctx) {
        KernelView k = KernelView.of(layer);
        return structures(k, k.data(), ctx.sparsity());
    }

    static StructureMap structures(KernelView k, float[] w, double sparsity) {
        int rows = k.rows();
        int cols = k.cols();
        boolean[] keep = Pruning.mask(w, sparsity);
        int[] of = new int[w.length];
        int id = 0;
        for (int r = 0; r < rows; r++) {
            int blocks = 0;
            for (int c = 0; c < cols; c++) {
                if (keep[r * cols + c]) {
                    blocks++;
                }
            }
            if (blocks == 0) {
                for (int c = 0; c < cols; c++) {
                    of[r * cols + c] = id;
                }
                id++;
                continue;
            }
            // block j covers columns [j*cols/blocks, (j+1)*cols/blocks)
            for (int j = 0; j < blocks; j++) {
                int from = (int) ((long) j * cols / blocks);
                int to = (int) ((long) (j + 1) * cols / blocks);
                for (int c = from; c < to; c++) {
                    of[r * cols + c] = id;
                }
                id++;
            }
        }
        return new StructureMap("darb", rows, cols, of, id);
    }

    @Override
    public boolean[] mask(Node layer, float[] w, LayerContext ctx, Importance importance) {
        KernelView k = KernelView.of(layer);
        StructureMap map = structures(k, w, ctx.sparsity());
        int rows = k.rows();
        int cols = k.cols();
        boolean[] keep = new boolean[w.length];
        boolean[] rowKept = Pruning.mask(w, ctx.sparsity());
        int[] of = map.structureOf();
        for (int r = 0; r < rows; r++) {
            boolean any = false;
            for (int c = 0; c < cols; c++) {
                any |= rowKept[r * cols + c];
            }
            if (!any) {
                continue;
            }
            int c = 0;
            while (c < cols) {
                int s = of[r * cols + c];
                int best = r * cols + c;
                while (c < cols && of[r * cols + c] == s) {
                    if (Math.abs(w[r * cols + c]) > Math.abs(w[best])) {
                        best = r * cols + c;
                    }
                    c++;
                }
                keep[best] = true;
            }
        }
        return keep;
    }
}
