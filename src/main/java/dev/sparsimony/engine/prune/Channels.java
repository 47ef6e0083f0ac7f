package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;

/**
 * Input channels of a convolution: all weights reading input channel ci (rows r with r % (cIn/g) == ci of the HWIO
 * kernel matrix, across all kernel positions and filters); removing one lets the producing layer drop that output
 * channel. For a Dense layer an input channel is a row.
 */
public final class Channels implements Granularity {
    @Override
    public String id() {
        return "channels";
    }

    @Override
    public StructureMap structures(Node layer, LayerContext ctx) {
        KernelView k = KernelView.of(layer);
        int cin = layer.op() instanceof Ops.Conv c ? c.inChannelsPerGroup() : k.rows();
        int[] of = new int[k.size()];
        for (int i = 0; i < of.length; i++) {
            of[i] = (i / k.cols()) % cin;
        }
        return new StructureMap(id(), k.rows(), k.cols(), of, cin);
    }
}
