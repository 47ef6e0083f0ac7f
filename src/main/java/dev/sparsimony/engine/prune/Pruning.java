package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Tensor;

import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Magnitude pruning entry points. A mask is {@code true} (bit set) for a weight that is KEPT; index = position in
 * the flat row-major kernel. Ties in |w| are broken by position (earlier weights pruned first) so results are
 * deterministic.
 */
public final class Pruning {
    private Pruning() {
    }

    /** Checks a sparsity fraction; {@code field} names it in the message. */
    public static double checkSparsity(double sparsity, String field) {
        if (!(sparsity >= 0 && sparsity <= 1)) {
            throw new ModelException(field + " must be in [0, 1], got " + sparsity);
        }
        return sparsity;
    }

    /** Number of weights to prune out of {@code n} for a target sparsity (nearest integer). */
    public static int pruneCount(int n, double sparsity) {
        return (int) Math.min(n, Math.round(sparsity * n));
    }

    /**
     * The model with the globally smallest-|w| fraction {@code sparsity} of all prunable kernels (Dense, Conv)
     * set to zero; biases and other layers unchanged.
     */
    public static Model globalMagnitude(Model model, double sparsity) {
        return apply(model, mask(model, sparsity));
    }

    /** Global magnitude masks per prunable layer (keep = true), keyed by layer name in graph order. */
    public static Map<String, boolean[]> mask(Model model, double sparsity) {
        checkSparsity(sparsity, "sparsity");
        List<Node> layers = model.prunableNodes();
        int total = 0;
        for (Node n : layers) {
            total = Math.addExact(total, KernelView.kernel(n).size());
        }
        // key = (bits of |w|) << 32 | global index: non-negative float bit patterns sort like the floats
        long[] keys = new long[total];
        int g = 0;
        for (Node n : layers) {
            for (float v : KernelView.kernel(n).data()) {
                keys[g] = ((long) Float.floatToIntBits(Math.abs(v)) << 32) | g;
                g++;
            }
        }
        Arrays.sort(keys);
        int k = pruneCount(total, sparsity);
        boolean[] keepAll = new boolean[total];
        Arrays.fill(keepAll, true);
        for (int i = 0; i < k; i++) {
            keepAll[(int) (keys[i] & 0xffffffffL)] = false;
        }
        Map<String, boolean[]> out = new LinkedHashMap<>();
        int off = 0;
        for (Node n : layers) {
            int sz = KernelView.kernel(n).size();
            out.put(n.name(), Arrays.copyOfRange(keepAll, off, off + sz));
            off += sz;
        }
        return out;
    }

    /** Same as {@link #mask(Model, double)} as bit masks (bit i set = weight i kept). */
    public static Map<String, BitSet> bitMask(Model model, double sparsity) {
        Map<String, BitSet> out = new LinkedHashMap<>();
        mask(model, sparsity).forEach((k, v) -> out.put(k, toBits(v)));
        return out;
    }

    /** Per-layer magnitude mask: keeps all but the round(sparsity*n) smallest |w| of one array. */
    public static boolean[] mask(float[] weights, double sparsity) {
        checkSparsity(sparsity, "sparsity");
        int n = weights.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) Float.floatToIntBits(Math.abs(weights[i])) << 32) | i;
        }
        Arrays.sort(keys);
        boolean[] keep = new boolean[n];
        Arrays.fill(keep, true);
        int k = pruneCount(n, sparsity);
        for (int i = 0; i < k; i++) {
            keep[(int) (keys[i] & 0xffffffffL)] = false;
        }
        return keep;
    }

    /** Per-layer magnitude masks, each layer pruned to the same fraction (keep = true). */
    public static Map<String, boolean[]> layerMask(Model model, double sparsity) {
        Map<String, boolean[]> out = new LinkedHashMap<>();
        for (Node n : model.prunableNodes()) {
            out.put(n.name(), mask(KernelView.kernel(n).data(), sparsity));
        }
        return out;
    }

    public static BitSet toBits(boolean[] mask) {
        BitSet b = new BitSet(mask.length);
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                b.set(i);
            }
        }
        return b;
    }

    /** Packs a mask into 64-bit words (bit i of word i/64 = weight i kept), e.g. for drawing or hashing. */
    public static long[] toWords(boolean[] mask) {
        return toBits(mask).toLongArray();
    }

    /** The model with every masked-out kernel weight set to zero (layers missing from {@code masks} unchanged). */
    public static Model apply(Model model, Map<String, boolean[]> masks) {
        Map<String, Node> repl = new LinkedHashMap<>();
        for (Map.Entry<String, boolean[]> e : masks.entrySet()) {
            Node n = model.node(e.getKey());
            Tensor k = KernelView.kernel(n);
            boolean[] m = e.getValue();
            if (m.length != k.size()) {
                throw new ModelException("mask for layer '" + n.name() + "' has " + m.length + " entries, kernel has "
                        + k.size());
            }
            float[] w = k.data().clone();
            applyInPlace(w, m);
            repl.put(n.name(), n.withOp(n.op().withWeight("kernel", k.withData(w))));
        }
        return model.withNodes(repl);
    }

    /** Zeroes {@code w[i]} where {@code keep[i]} is false. */
    public static void applyInPlace(float[] w, boolean[] keep) {
        for (int i = 0; i < w.length; i++) {
            if (!keep[i]) {
                w[i] = 0f;
            }
        }
    }

    /** Fraction of false entries. */
    public static double sparsity(boolean[] keep) {
        int z = 0;
        for (boolean b : keep) {
            if (!b) {
                z++;
            }
        }
        return keep.length == 0 ? 0 : (double) z / keep.length;
    }
}
