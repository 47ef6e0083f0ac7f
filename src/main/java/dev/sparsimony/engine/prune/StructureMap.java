package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.ModelException;

/**
 * Which pruning structure every weight of a layer's kernel belongs to. The kernel is seen as its row-major matrix
 * [rows, cols] (Dense [nIn, nOut]; Conv [k1*k2*cIn/g, cOut]); {@code structureOf[r * cols + c]} is a structure id in
 * [0, count) or -1 for a weight that belongs to no structure (never pruned by this granularity).
 * Structures are pruned whole: a mask keeps or zeroes every weight of a structure together.
 */
public record StructureMap(String granularity, int rows, int cols, int[] structureOf, int count) {
    public StructureMap {
        if (structureOf.length != rows * cols) {
            throw new ModelException("structure map of " + rows + "x" + cols + " needs " + rows * cols + " entries");
        }
    }

    /** Number of weights in each structure. */
    public int[] sizes() {
        int[] s = new int[count];
        for (int id : structureOf) {
            if (id >= 0) {
                s[id]++;
            }
        }
        return s;
    }
}
