package dev.sparsimony.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one NaN/Inf policy of every format: {@link #scan} finds non-finite values in a model's weights (or in data),
 * {@link #check} refuses them with a report unless the policy allows them. Importers and data loaders do not
 * decide this themselves: {@code ModelFiles.load} and {@code DataFiles.load} apply it after reading any format.
 *
 * <p>Constant nodes are not weights and may hold NaN or infinities on purpose (masks, clip bounds): they are not
 * scanned.
 */
public final class NonFinite {
    private NonFinite() {
    }

    /** What to do with non-finite weights or data. */
    public enum Policy {
        /** Refuse with a {@link NonFiniteException} naming where they are (the default). */
        REFUSE,
        /** Accept them (the CLI's --allow-nonfinite, or the user said so in the window). */
        ALLOW
    }

    /** Non-finite values in one tensor: {@code where} is e.g. "layer 'fc1' kernel" or "data 'x.npy'". */
    public record Finding(String where, long nan, long posInf, long negInf, long total) {
        public long count() {
            return nan + posInf + negInf;
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            if (nan > 0) {
                parts.add(String.format("%,d NaN", nan));
            }
            if (posInf > 0) {
                parts.add(String.format("%,d +Inf", posInf));
            }
            if (negInf > 0) {
                parts.add(String.format("%,d -Inf", negInf));
            }
            return where + " (" + String.join(", ", parts) + String.format(" of %,d values)", total);
        }
    }

    /** Non-finite weights of every layer, in graph order. */
    public static List<Finding> scan(Model model) {
        List<Finding> out = new ArrayList<>();
        for (Node n : model.nodes()) {
            if (n.op() instanceof Ops.Constant) {
                continue;
            }
            for (Map.Entry<String, Tensor> w : n.op().weights().entrySet()) {
                Finding f = scan("layer '" + n.name() + "' " + w.getKey(), w.getValue().data(), false);
                if (f != null) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    /** The non-finite values of {@code values}, or null when all are finite; {@code nanOnly} ignores infinities. */
    public static Finding scan(String where, float[] values, boolean nanOnly) {
        long nan = 0;
        long pos = 0;
        long neg = 0;
        for (float v : values) {
            if (v != v) {
                nan++;
            } else if (v == Float.POSITIVE_INFINITY) {
                pos++;
            } else if (v == Float.NEGATIVE_INFINITY) {
                neg++;
            }
        }
        if (nanOnly) {
            pos = 0;
            neg = 0;
        }
        return nan + pos + neg == 0 ? null : new Finding(where, nan, pos, neg, values.length);
    }

    /**
     * Throws {@link NonFiniteException} for findings under {@link Policy#REFUSE}; {@code source} names the file
     * and {@code what} says what holds the values ("weights", "data").
     */
    public static void check(List<Finding> findings, Policy policy, String source, String what) {
        if (findings.isEmpty() || policy == Policy.ALLOW) {
            return;
        }
        throw new NonFiniteException(source + " has NaN or infinite " + what + ": " + summary(findings)
                + "; pass --allow-nonfinite to use it anyway", findings);
    }

    /** "layer 'a' kernel (2 NaN of 9 values), ..." with at most three tensors named. */
    public static String summary(List<Finding> findings) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(3, findings.size()); i++) {
            sb.append(i == 0 ? "" : ", ").append(findings.get(i));
        }
        if (findings.size() > 3) {
            sb.append(" and ").append(findings.size() - 3).append(" more tensors");
        }
        return sb.toString();
    }
}
