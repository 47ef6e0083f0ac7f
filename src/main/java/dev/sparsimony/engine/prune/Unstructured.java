package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.Node;

/** Every weight is its own structure (Han et al., "Learning both Weights and Connections", NeurIPS 2015). */
public final class Unstructured implements Granularity {
    @Override
    public String id() {
        return "unstructured";
    }

    @Override
    public StructureMap structures(Node layer, LayerContext ctx) {
        KernelView k = KernelView.of(layer);
        int[] of = new int[k.size()];
        for (int i = 0; i < of.length; i++) {
            of[i] = i;
        }
        return new StructureMap(id(), k.rows(), k.cols(), of, of.length);
    }
}
