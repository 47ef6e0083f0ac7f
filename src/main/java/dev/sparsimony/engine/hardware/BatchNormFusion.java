package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Quantization;
import dev.sparsimony.engine.model.Tensor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The BatchNorm layers hls4ml folds into the Dense or Conv before them (its optimizer pass
 * {@code fuse_batch_normalization}), so that they cost nothing and the layer before computes with
 * {@code scale·W} and {@code scale·b + shift}. The rule changed with the versions (hls4ml
 * {@code model/optimizer/passes/dense_bn_fuse.py} v0.4, {@code bn_fuse.py} v0.5 to v1.3):
 * <ul>
 *   <li>v0.4: Dense only; v0.5-v0.7: Dense, Conv1D, Conv2D by class name (a depthwise conv is another class);
 *       v0.8: by {@code isinstance}, so a depthwise conv too; in all of these, only when the layer before has no
 *       weight or bias quantizer (QKeras);</li>
 *   <li>v1.0 on: only when the layer before has no result type of its own ({@code 'auto'}, as
 *       {@code config_from_keras_model(granularity='name')} writes; a {@code Model} default of
 *       {@code fixed<16,6>} types it, and then nothing is fused), its weights are not binary, and the scales and
 *       biases are compatible: not both quantized, unless one side is all ones (scales) or all zeros (biases).</li>
 * </ul>
 * Always: the layer before feeds only this BatchNorm and is not a model output (hls4ml's output-use check), and
 * the BatchNorm normalises that layer's output channels.
 */
public final class BatchNormFusion {
    private BatchNormFusion() {
    }

    /**
     * BatchNorm node name to the name of the layer it is folded into, in graph order.
     *
     * @param unspecifiedResults Dense/Conv layers whose result type is {@code 'auto'} in the configuration
     */
    public static Map<String, String> fused(Model model, Hls4mlVersion version, Set<String> unspecifiedResults) {
        Map<String, String> out = new LinkedHashMap<>();
        if (version.atLeast(1, 0, 0) && unspecifiedResults.isEmpty()) {
            return out; // the common case of a design point (typed results, v1): nothing to look at, per point
        }
        Map<String, Integer> uses = new HashMap<>();
        Map<String, Node> byName = new HashMap<>();
        for (Node n : model.nodes()) {
            byName.put(n.name(), n);
            for (String in : n.inputs()) {
                uses.merge(in, 1, Integer::sum);
            }
        }
        Set<String> outputs = new HashSet<>(model.outputs());
        Map<String, Map<String, Quantization>> records = new HashMap<>();
        for (Quantization q : Quantization.of(model)) {
            records.computeIfAbsent(q.layer(), k -> new HashMap<>()).put(q.tensor(), q);
        }
        for (Node n : model.nodes()) {
            if (!(n.op() instanceof Ops.BatchNorm bn) || n.inputs().size() != 1) {
                continue;
            }
            String parentName = n.inputs().get(0);
            Node parent = byName.get(parentName); // null for a graph input
            if (parent == null || uses.getOrDefault(parentName, 0) != 1 || outputs.contains(parentName)
                    || !kindFuses(parent.op(), version) || !channelsMatch(parent.op(), bn)) {
                continue;
            }
            Map<String, Quantization> pr = records.getOrDefault(parentName, Map.of());
            Map<String, Quantization> br = records.getOrDefault(n.name(), Map.of());
            boolean fuses;
            if (!version.atLeast(1, 0, 0)) {
                fuses = !pr.containsKey("kernel") && !pr.containsKey("bias");
            } else {
                double[][] affine = bn.affine();
                boolean noWq = !pr.containsKey("kernel");
                boolean noBq = !pr.containsKey("bias");
                boolean noSq = !br.containsKey("gamma") && !br.containsKey("scale");
                boolean noBnBq = !br.containsKey("beta") && !br.containsKey("bias");
                boolean binary = pr.containsKey("kernel") && "binary".equals(pr.get("kernel").kind());
                Tensor w = kernel(parent.op());
                Tensor b = bias(parent.op());
                boolean scaleOk = noWq && noSq || noWq && all(w.data(), 1f) || noSq && all(affine[0], 1);
                boolean biasOk = noBq && noBnBq || noBq && (b == null || all(b.data(), 0f)) || noBnBq
                        && all(affine[1], 0);
                fuses = unspecifiedResults.contains(parentName) && !binary && scaleOk && biasOk;
            }
            if (fuses) {
                out.put(n.name(), parentName);
            }
        }
        return out;
    }

    /** The layer before with the BatchNorm folded in: kernel scale·W per output channel, bias scale·b + shift. */
    public static Op fold(Op parent, Ops.BatchNorm bn) {
        double[][] affine = bn.affine();
        Tensor w = kernel(parent);
        Tensor b = bias(parent);
        int outC = w.dim(w.rank() - 1);
        float[] kw = w.data().clone();
        for (int i = 0; i < kw.length; i++) {
            kw[i] = (float) (affine[0][i % outC] * kw[i]);
        }
        float[] kb = new float[outC];
        for (int c = 0; c < outC; c++) {
            kb[c] = (float) (affine[0][c] * (b == null ? 0 : b.data()[c]) + affine[1][c]);
        }
        Tensor nw = Tensor.of(kw, w.shape());
        Tensor nb = Tensor.of(kb, outC);
        if (parent instanceof Ops.Dense) {
            return new Ops.Dense(nw, nb);
        }
        Ops.Conv c = (Ops.Conv) parent;
        return new Ops.Conv(nw, nb, c.strides(), c.dilations(), c.padsBegin(), c.padsEnd(), c.groups(), c.layout());
    }

    private static boolean kindFuses(Op op, Hls4mlVersion v) {
        if (op instanceof Ops.Dense) {
            return true;
        }
        if (!(op instanceof Ops.Conv c) || !v.atLeast(0, 5, 0)) {
            return false;
        }
        // v0.5-v0.7 match the class names Conv1D/Conv2D; a depthwise conv is DepthwiseConv2D there
        boolean depthwise = c.groups() > 1;
        return !depthwise || v.atLeast(0, 8, 0) && c.groups() == c.outChannels();
    }

    /** The BatchNorm's channel axis is the layer's output-channel axis and it has that many channels. */
    private static boolean channelsMatch(Op parent, Ops.BatchNorm bn) {
        Tensor w = kernel(parent);
        if (w == null || bn.channels() != w.dim(w.rank() - 1)) {
            return false;
        }
        if (parent instanceof Ops.Dense) {
            return true;
        }
        Ops.Conv c = (Ops.Conv) parent;
        int rank = c.kernel().rank(); // batch + spatial axes + channels
        return bn.channelAxis(rank) == c.layout().channelAxis(rank);
    }

    private static Tensor kernel(Op op) {
        return op instanceof Ops.Dense d ? d.kernel() : op instanceof Ops.Conv c ? c.kernel() : null;
    }

    private static Tensor bias(Op op) {
        return op instanceof Ops.Dense d ? d.bias() : op instanceof Ops.Conv c ? c.bias() : null;
    }

    private static boolean all(float[] v, float x) {
        for (float f : v) {
            if (f != x) {
                return false;
            }
        }
        return true;
    }

    private static boolean all(double[] v, double x) {
        for (double f : v) {
            if (f != x) {
                return false;
            }
        }
        return true;
    }
}
