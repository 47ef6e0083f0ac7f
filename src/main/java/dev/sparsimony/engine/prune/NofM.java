package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;

/**
 * N:M fine-grained structured sparsity: in every group of M consecutive weights along the input dimension (M rows
 * of one column), keep the N of largest magnitude (Mishra et al., "Accelerating Sparse Deep Neural Networks",
 * 2021: 2:4 on NVIDIA Ampere sparse tensor cores). The sparsity is fixed at 1 - N/M (a trailing partial group keeps
 * min(N, its size)); the requested sparsity is ignored. Structures = the groups.
 */
public final class NofM implements Granularity {
    private final int n;
    private final int m;

    public NofM(int n, int m) {
        if (m < 1 || n < 0 || n >= m) {
            throw new ModelException("N:M sparsity needs 0 <= N < M, got N=" + n + ", M=" + m);
        }
        this.n = n;
        this.m = m;
    }

    @Override
    public String id() {
        return "n-of-m";
    }

    @Override
    public boolean wholeStructures() {
        return false;
    }

    @Override
    public StructureMap structures(Node layer, LayerContext ctx) {
        KernelView k = KernelView.of(layer);
        int groupsPerCol = (k.rows() + m - 1) / m;
        int[] of = new int[k.size()];
        for (int r = 0; r < k.rows(); r++) {
            for (int c = 0; c < k.cols(); c++) {
                of[r * k.cols() + c] = c * groupsPerCol + r / m;
            }
        }
        return new StructureMap(n + ":" + m, k.rows(), k.cols(), of, groupsPerCol * k.cols());
    }

    @Override
    public boolean[] mask(Node layer, float[] w, LayerContext ctx, Importance importance) {
        KernelView k = KernelView.of(layer);
        int rows = k.rows();
        int cols = k.cols();
        boolean[] keep = new boolean[w.length];
        int[] idx = new int[m];
        for (int c = 0; c < cols; c++) {
            for (int r0 = 0; r0 < rows; r0 += m) {
                int g = Math.min(m, rows - r0);
                for (int j = 0; j < g; j++) {
                    idx[j] = (r0 + j) * cols + c;
                }
                // selection of the min(n, g) largest |w| (insertion sort on g <= M entries; ties: earlier row kept)
                for (int a = 1; a < g; a++) {
                    int v = idx[a];
                    int b = a - 1;
                    while (b >= 0 && Math.abs(w[idx[b]]) < Math.abs(w[v])) {
                        idx[b + 1] = idx[b];
                        b--;
                    }
                    idx[b + 1] = v;
                }
                for (int j = 0; j < Math.min(n, g); j++) {
                    keep[idx[j]] = true;
                }
            }
        }
        return keep;
    }
}
