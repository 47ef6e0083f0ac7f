package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;

/**
 * A prunable layer's kernel seen as its row-major matrix [rows, cols]: Dense [nIn, nOut], Conv
 * [k1*k2*cIn/g, cOut] (HWIO layout, so the flat kernel array already is this matrix).
 */
public record KernelView(String layer, int rows, int cols, float[] data) {
    public static KernelView of(Node node) {
        if (node.op() instanceof Ops.Dense d) {
            return new KernelView(node.name(), d.nIn(), d.nOut(), d.kernel().data());
        }
        if (node.op() instanceof Ops.Conv c) {
            return new KernelView(node.name(), c.matrixRows(), c.outChannels(), c.kernel().data());
        }
        throw new ModelException("layer '" + node.name() + "' (" + node.op().kind()
                + ") has no prunable kernel (only Dense and Conv layers are pruned)");
    }

    public int size() {
        return data.length;
    }

    public static Tensor kernel(Node node) {
        Tensor k = node.op().weights().get("kernel");
        if (k == null || !node.op().isPrunable()) {
            throw new ModelException("layer '" + node.name() + "' (" + node.op().kind() + ") has no prunable kernel");
        }
        return k;
    }
}
