package dev.sparsimony.engine.data;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import java.util.Arrays;

/**
 * Turns an array into class indices: [N] or [N,1] of non-negative integers, or one-hot rows [N,k] (each row
 * all 0/1 with exactly one 1, converted by argmax). Anything else is an error naming the first bad value.
 */
public final class Labels {
    private Labels() {
    }

    public static int[] fromTensor(Tensor t, String what) {
        int[] s = t.shape();
        float[] d = t.data();
        if (s.length == 1 || (s.length == 2 && s[1] == 1)) {
            int[] r = new int[s[0]];
            for (int i = 0; i < r.length; i++) {
                r[i] = index(d[i], i, what);
            }
            return r;
        }
        if (s.length == 2) {
            int n = s[0];
            int k = s[1];
            int[] r = new int[n];
            for (int i = 0; i < n; i++) {
                int one = -1;
                for (int j = 0; j < k; j++) {
                    float v = d[i * k + j];
                    if (v == 1f && one < 0) {
                        one = j;
                    } else if (v != 0f) {
                        throw new ModelException("labels in " + what + " are " + s[0] + "x" + s[1]
                                + " but not one-hot: row " + i + " is " + row(d, i, k)
                                + " (labels must be class indices or rows with a single 1)");
                    }
                }
                if (one < 0) {
                    throw new ModelException("labels in " + what + " are " + s[0] + "x" + s[1]
                            + " but not one-hot: row " + i + " has no 1");
                }
                r[i] = one;
            }
            return r;
        }
        throw new ModelException("labels in " + what + " have shape " + Arrays.toString(s)
                + "; expected [N] class indices or [N, classes] one-hot rows");
    }

    /** True when the tensor could be labels (integers >= 0 in [N]/[N,1], or one-hot [N,k]). */
    public static boolean looksLikeLabels(Tensor t) {
        try {
            fromTensor(t, "");
            return true;
        } catch (ModelException e) {
            return false;
        }
    }

    private static int index(float v, int i, String what) {
        if (v != Math.rint(v) || Float.isNaN(v)) {
            throw new ModelException("label " + i + " in " + what + " is " + v
                    + ", not an integer class index");
        }
        if (v < 0) {
            throw new ModelException("label " + i + " in " + what + " is " + (long) v
                    + "; class indices must be non-negative");
        }
        if (v > Integer.MAX_VALUE) {
            throw new ModelException("label " + i + " in " + what + " is " + v + ", too large for a class index");
        }
        return (int) v;
    }

    private static String row(float[] d, int i, int k) {
        StringBuilder sb = new StringBuilder("[");
        for (int j = 0; j < Math.min(k, 12); j++) {
            sb.append(j == 0 ? "" : ", ").append(d[i * k + j]);
        }
        return sb.append(k > 12 ? ", ...]" : "]").toString();
    }
}
