package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.Node;

/**
 * One resource that the structures of a layer consume, i.e. what pruning each structure saves
 * (DSP, BRAM from the hardware model; parameters, MACs, bytes from the compression engine).
 * The knapsack only sees the resulting vectors: it never knows what a DSP is.
 */
public interface StructureCost {
    /** Resource name as shown to users, e.g. "DSP", "BRAM", "params", "MACs", "bytes". */
    String resource();

    /**
     * Cost of keeping each structure of {@code map} ({@code result[s]} for structure s), for layer {@code layer}
     * whose output has shape {@code outputShape} (batch axis included, batch 1).
     */
    double[] costs(Node layer, int[] outputShape, StructureMap map);

    /** Cost of the layer that no pruning of these structures can remove (e.g. a BRAM word only partly freed). */
    default double fixedCost(Node layer, int[] outputShape, StructureMap map) {
        return 0;
    }
}
