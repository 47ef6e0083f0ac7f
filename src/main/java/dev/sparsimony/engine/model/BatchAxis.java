package dev.sparsimony.engine.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which values of a model carry the batch on axis 0, inferred rather than assumed. A graph input carries it when
 * its first dimension is free (-1); each node's output does when its op says so ({@link Op#keepsBatch}) for inputs
 * that carry it or are constant. A value that depends on the samples but not per sample (Flatten at axis 0, a
 * Transpose moving axis 0, a Softmax across samples) is "mixed", and so is everything computed from it.
 *
 * <p>When every output carries the batch, a large data set may be cut into chunks and the outputs joined along
 * axis 0 (the answer does not depend on the cut); otherwise the model runs on the batch it is given, or one
 * sample at a time when it declares a fixed batch.
 */
public final class BatchAxis {
    /** How a value relates to the samples. */
    public enum Kind {
        /** Does not depend on the inputs. */
        CONSTANT,
        /** Axis 0 indexes the samples (a sample may own several consecutive rows, e.g. after Flatten(axis=2)). */
        BATCH,
        /** Depends on the samples, but not one sample per slice of axis 0. */
        MIXED
    }

    private BatchAxis() {
    }

    /** The kind of every value (graph inputs and node outputs). */
    public static Map<String, Kind> analyse(Model model) {
        Map<String, int[]> shapes = model.inferShapes(1);
        Map<String, Kind> kind = new HashMap<>();
        for (ValueInfo v : model.inputs()) {
            int[] s = v.shape();
            kind.put(v.name(), s.length > 0 && s[0] < 0 ? Kind.BATCH : Kind.MIXED);
        }
        for (Node n : model.nodes()) {
            kind.put(n.name(), kindOf(n, shapes, kind));
        }
        return kind;
    }

    private static Kind kindOf(Node n, Map<String, int[]> shapes, Map<String, Kind> kind) {
        List<int[]> in = new ArrayList<>();
        boolean[] batched = new boolean[n.inputs().size()];
        boolean anyBatch = false;
        for (int k = 0; k < batched.length; k++) {
            String s = n.inputs().get(k);
            Kind ks = kind.get(s);
            if (ks == Kind.MIXED) {
                return Kind.MIXED;
            }
            batched[k] = ks == Kind.BATCH;
            anyBatch |= batched[k];
            in.add(shapes.get(s));
        }
        if (!anyBatch) {
            return Kind.CONSTANT;
        }
        return n.op().keepsBatch(in, batched) ? Kind.BATCH : Kind.MIXED;
    }

    /** True when every model output carries the batch (or is constant) and some input has a free batch. */
    public static boolean outputsKeepBatch(Model model) {
        Map<String, Kind> k = analyse(model);
        boolean anyFree = model.inputs().stream().anyMatch(v -> k.get(v.name()) == Kind.BATCH);
        return anyFree && model.outputs().stream().allMatch(o -> k.get(o) != Kind.MIXED);
    }

    // ------------------------------------------------------------------ rules shared by the ops

    /** Input 0 carries the batch and every other input is a constant that does not broadcast along axis 0. */
    static boolean perSample(List<int[]> in, boolean[] batched) {
        if (!batched[0]) {
            return false;
        }
        int rank = in.get(0).length;
        if (rank == 0) {
            return false;
        }
        for (int k = 1; k < batched.length; k++) {
            if (batched[k] || !constantBesideBatch(in.get(k), rank)) {
                return false;
            }
        }
        return true;
    }

    /** A constant of shape {@code c} broadcast against a batched operand of rank {@code rank} leaves axis 0 alone. */
    static boolean constantBesideBatch(int[] c, int rank) {
        return c.length < rank || (c.length == rank && c[0] == 1);
    }

    /** Element-wise with NumPy broadcasting: batched operands of the full rank, constants beside the batch. */
    static boolean elementwise(List<int[]> in, boolean[] batched, int outRank) {
        for (int k = 0; k < batched.length; k++) {
            int[] s = in.get(k);
            if (batched[k] ? s.length != outRank : !constantBesideBatch(s, outRank)) {
                return false;
            }
        }
        return outRank > 0;
    }
}
