package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.Node;

/**
 * A pruning granularity: which structure every kernel weight belongs to, and how a mask is chosen at the target
 * sparsity {@code ctx.sparsity()}. Masks are {@code true} for kept weights, indexed like the row-major kernel matrix
 * [rows, cols] (see {@link StructureMap}).
 */
public interface Granularity {
    /** Registry id, e.g. "unstructured", "n-of-m", "dsp-pattern". */
    String id();

    /** The structures of {@code layer} (for drawing, costs and selection). */
    StructureMap structures(Node layer, LayerContext ctx);

    /**
     * True when masks keep or prune whole structures, so that a structure can be an item of the knapsack. False for
     * N:M and DARB, whose structures are groups inside which a fixed number of weights is kept.
     */
    default boolean wholeStructures() {
        return true;
    }

    /** Keep-mask of {@code kernel} (the layer's current weights) at sparsity {@code ctx.sparsity()}. */
    default boolean[] mask(Node layer, float[] kernel, LayerContext ctx, Importance importance) {
        StructureMap map = structures(layer, ctx);
        return Ranking.of(map, importance.scores(layer, kernel, map, ctx)).keep(ctx.sparsity());
    }

    default boolean[] mask(Node layer, LayerContext ctx, Importance importance) {
        return mask(layer, KernelView.of(layer).data(), ctx, importance);
    }
}
