package dev.sparsimony.engine.prune;

import java.util.Arrays;

/**
 * Structures of one layer sorted by ascending importance (ties by id), precomputed once so that a mask for any
 * sparsity is a prefix of the order: pruning the least important structures first. Immutable once built (the
 * member index is built on first use and published through one volatile field), so sweep workers share rankings.
 */
public final class Ranking {
    private final StructureMap map;
    private final int[] order;
    private final int[] sizes;
    private final double[] scores;
    /** {start, members}: structure s owns members[start[s] .. start[s+1]). */
    private volatile int[][] csr;

    private Ranking(StructureMap map, int[] order, int[] sizes, double[] scores) {
        this.map = map;
        this.order = order;
        this.sizes = sizes;
        this.scores = scores;
    }

    public static Ranking of(StructureMap map, double[] scores) {
        int n = map.count();
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> {
            int c = Double.compare(scores[a], scores[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = idx[i];
        }
        return new Ranking(map, order, map.sizes(), scores.clone());
    }

    public StructureMap map() {
        return map;
    }

    /** Structure ids, least important first. */
    public int[] order() {
        return order.clone();
    }

    public double[] scores() {
        return scores.clone();
    }

    /**
     * How many structures (a prefix of the order) to prune for {@code sparsity} of all the layer's weights: the
     * prefix whose pruned-weight count is nearest the target, so the result is within one structure of it.
     */
    public int pruneCount(double sparsity) {
        int target = Pruning.pruneCount(map.structureOf().length, sparsity);
        int pruned = 0;
        int k = 0;
        while (k < order.length) {
            int next = pruned + sizes[order[k]];
            if (Math.abs(next - target) > Math.abs(pruned - target) || (pruned >= target)) {
                break;
            }
            pruned = next;
            k++;
        }
        return k;
    }

    public boolean[] keep(double sparsity) {
        boolean[] keep = new boolean[map.structureOf().length];
        keepInto(pruneCount(sparsity), keep);
        return keep;
    }

    /** Weight indices of every structure (CSR: structure s owns members[start[s] .. start[s+1])). */
    private int[][] index() {
        int[][] c = csr;
        if (c != null) {
            return c;
        }
        int[] of = map.structureOf();
        int[] st = new int[map.count() + 1];
        for (int id : of) {
            if (id >= 0) {
                st[id + 1]++;
            }
        }
        for (int i = 0; i < map.count(); i++) {
            st[i + 1] += st[i];
        }
        int[] mem = new int[st[map.count()]];
        int[] fill = java.util.Arrays.copyOf(st, map.count());
        for (int i = 0; i < of.length; i++) {
            if (of[i] >= 0) {
                mem[fill[of[i]]++] = i;
            }
        }
        c = new int[][] {st, mem};
        csr = c;
        return c;
    }

    /** Zeroes, in place and without allocation, the weights of the first {@code k} structures of the order. */
    public void zeroFirst(int k, float[] w) {
        int[][] c = index();
        for (int i = 0; i < k; i++) {
            zero(c, order[i], w);
        }
    }

    /** Zeroes the weights of structure {@code s}. */
    public void zeroStructure(int s, float[] w) {
        zero(index(), s, w);
    }

    private static void zero(int[][] c, int s, float[] w) {
        int[] start = c[0];
        int[] members = c[1];
        for (int j = start[s]; j < start[s + 1]; j++) {
            w[members[j]] = 0f;
        }
    }

    public int size(int structure) {
        return sizes[structure];
    }

    /** Writes the mask that prunes the first {@code k} structures of the order into {@code keep}. */
    public void keepInto(int k, boolean[] keep) {
        boolean[] prunedStruct = new boolean[map.count()];
        for (int i = 0; i < k; i++) {
            prunedStruct[order[i]] = true;
        }
        int[] of = map.structureOf();
        for (int i = 0; i < of.length; i++) {
            keep[i] = of[i] < 0 || !prunedStruct[of[i]];
        }
    }
}
