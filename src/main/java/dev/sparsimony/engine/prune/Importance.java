package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.Node;

/** How much a structure matters; larger = more important (pruned last). */
public interface Importance {
    String id();

    /** Importance of every structure of {@code map} for the layer's (possibly already masked) weights. */
    double[] scores(Node layer, float[] kernel, StructureMap map, LayerContext ctx);

    /**
     * A score comparable across layers and structure sizes (used by global selection): L1 per weight, L2 per
     * sqrt(weight); identity for per-weight importances.
     */
    default double normalised(double score, int size) {
        return size == 0 ? score : score / size;
    }
}
