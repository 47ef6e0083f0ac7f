package dev.sparsimony.engine.train;

import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Weight initialisation of fresh models, seeded and deterministic. */
public final class Initializers {
    private Initializers() {
    }

    /**
     * Glorot/Xavier uniform kernels (Glorot and Bengio, AISTATS 2010): U(-l, l) with l = sqrt(6 / (fanIn + fanOut)),
     * fans as in Keras' {@code compute_fans} for HWIO kernels (receptive field times the last two dimensions);
     * biases zero. This is Keras' default for Dense and Conv layers. Layers are filled in graph order from one
     * {@link SplittableRandom} stream, so a seed fixes every weight.
     */
    public static Model glorotUniform(Model model, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Node> replaced = new LinkedHashMap<>();
        for (Node node : model.prunableNodes()) {
            Tensor k = node.op().weights().get("kernel");
            int[] s = k.shape();
            long receptive = 1;
            for (int i = 0; i < s.length - 2; i++) {
                receptive *= s[i];
            }
            double fanIn = receptive * s[s.length - 2];
            double fanOut = receptive * s[s.length - 1];
            double limit = Math.sqrt(6.0 / (fanIn + fanOut));
            float[] w = new float[k.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
            }
            var op = node.op().withWeight("kernel", k.withData(w));
            Tensor b = node.op().weights().get("bias");
            if (b != null) {
                op = op.withWeight("bias", Tensor.zeros(b.shape()));
            }
            replaced.put(node.name(), node.withOp(op));
        }
        return model.withNodes(replaced);
    }
}
