package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.Node;

/** Whole rows of the kernel matrix: a Dense input neuron's outgoing weights (removes the input). */
public final class Rows implements Granularity {
    @Override
    public String id() {
        return "rows";
    }

    @Override
    public StructureMap structures(Node layer, LayerContext ctx) {
        KernelView k = KernelView.of(layer);
        int[] of = new int[k.size()];
        for (int i = 0; i < of.length; i++) {
            of[i] = i / k.cols();
        }
        return new StructureMap(id(), k.rows(), k.cols(), of, k.rows());
    }
}
