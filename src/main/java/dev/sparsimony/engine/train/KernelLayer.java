package dev.sparsimony.engine.train;

import dev.sparsimony.engine.model.Tensor;
import java.util.ArrayList;
import java.util.List;

/** A layer with a trainable kernel (L2-decayed, optionally masked) and an optional bias: Dense and Conv. */
abstract class KernelLayer extends Layer {
    final Param kernel;
    final Param bias;

    KernelLayer(String node, int inSize, int outSize, Tensor kernel, Tensor bias, float[] mask) {
        super(node, inSize, outSize);
        this.kernel = new Param(node, "kernel", kernel.data().clone(), true, mask);
        this.bias = bias == null ? null : new Param(node, "bias", bias.data().clone(), false, null);
    }

    @Override
    final List<Param> params() {
        List<Param> p = new ArrayList<>(2);
        p.add(kernel);
        if (bias != null) {
            p.add(bias);
        }
        return p;
    }

    /** The trained kernel in the shape of {@code original}. */
    final Tensor trainedKernel(Tensor original) {
        return Tensor.of(kernel.w.clone(), original.shape());
    }

    /** The trained bias in the shape of {@code original}, or null without a bias. */
    final Tensor trainedBias(Tensor original) {
        return bias == null ? null : Tensor.of(bias.w.clone(), original.shape());
    }
}
