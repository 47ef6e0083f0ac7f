package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.Node;

/**
 * Whole columns of the kernel matrix: a Dense output neuron, or a convolution filter (all k*k*cIn/g weights of one
 * output channel; Li et al., "Pruning Filters for Efficient ConvNets", ICLR 2017). Registered as "columns" and
 * "filters".
 */
public final class Columns implements Granularity {
    private final String id;

    public Columns(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public StructureMap structures(Node layer, LayerContext ctx) {
        KernelView k = KernelView.of(layer);
        int[] of = new int[k.size()];
        for (int i = 0; i < of.length; i++) {
            of[i] = i % k.cols();
        }
        return new StructureMap(id, k.rows(), k.cols(), of, k.cols());
    }
}
