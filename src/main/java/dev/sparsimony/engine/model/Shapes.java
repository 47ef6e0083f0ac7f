package dev.sparsimony.engine.model;

import java.util.Arrays;

/** Shape arithmetic shared by the ops' shape inference. */
public final class Shapes {
    private Shapes() {
    }

    static Tensor sameShape(Tensor old, Tensor replacement, String name) {
        if (old != null && !Arrays.equals(old.shape(), replacement.shape())) {
            throw new ModelException("weight '" + name + "' must keep shape " + old.shapeString() + ", got "
                    + replacement.shapeString());
        }
        return replacement;
    }

    /** Normalises a possibly negative axis; throws when out of range. */
    public static int axis(int axis, int rank, String what) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ModelException(what + " axis " + axis + " out of range for rank " + rank);
        }
        return a;
    }

    /**
     * Rejects window attributes no framework defines: a stride or dilation below 1 (a zero stride divides by zero,
     * a zero dilation silently collapses the window), negative pads, an empty window. The first entries of
     * {@code window} are the spatial sizes (a kernel's trailing channel dimensions are ignored).
     */
    public static void checkWindow(String what, int[] window, int[] strides, int[] dilations, int[] padsBegin,
                                   int[] padsEnd) {
        for (int i = 0; i < strides.length; i++) {
            if (strides[i] < 1 || dilations[i] < 1 || padsBegin[i] < 0 || padsEnd[i] < 0 || window[i] < 1) {
                throw new ModelException(what + " needs windows, strides and dilations of at least 1 and pads of at"
                        + " least 0, got window " + Arrays.toString(Arrays.copyOf(window, strides.length))
                        + ", strides " + Arrays.toString(strides) + ", dilations " + Arrays.toString(dilations)
                        + ", pads " + Arrays.toString(padsBegin) + " / " + Arrays.toString(padsEnd));
            }
        }
    }

    /** Output length of a sliding window (convolution or pooling). */
    public static int windowOutput(int in, int k, int stride, int dilation, int padBegin, int padEnd,
                                   boolean ceil, String what) {
        if (k < 1 || stride < 1 || dilation < 1 || padBegin < 0 || padEnd < 0) {
            throw new ModelException(what + " needs a window, strides and dilations of at least 1 and pads of at"
                    + " least 0, got window " + k + ", stride " + stride + ", dilation " + dilation + ", pads "
                    + padBegin + "/" + padEnd);
        }
        // long arithmetic: a damaged file's dilation or pad must not wrap around to a plausible size
        long eff = (long) (k - 1) * dilation + 1;
        long padded = (long) in + padBegin + padEnd;
        long span = padded - eff;
        if (span < 0) {
            throw new ModelException(what + " window " + eff + " (size " + k + ", dilation " + dilation
                    + ") is larger than its padded input " + padded);
        }
        long o = ceil ? (span + stride - 1) / stride + 1 : span / stride + 1;
        // ONNX/PyTorch rule: the last window must start inside the input or left padding
        if (ceil && (o - 1) * stride >= (long) in + padBegin) {
            o--;
        }
        if (o > Integer.MAX_VALUE) {
            throw new ModelException(what + " output length " + o + " is too large");
        }
        return (int) o;
    }

    /** NumPy broadcasting of two shapes. */
    public static int[] broadcast(int[] a, int[] b, String what) {
        int n = Math.max(a.length, b.length);
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new ModelException(what + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            o[i] = da == 1 ? db : da;
        }
        return o;
    }

    /** NumPy matmul shape rule (1-D operands promoted and the added axis removed). */
    public static int[] matmul(int[] a, int[] b) {
        if (a.length == 0 || b.length == 0) {
            throw new ModelException("MatMul does not take scalars");
        }
        int[] a2 = a.length == 1 ? new int[] {1, a[0]} : a;
        int[] b2 = b.length == 1 ? new int[] {b[0], 1} : b;
        if (a2[a2.length - 1] != b2[b2.length - 2]) {
            throw new ModelException("MatMul inner dimensions differ: " + Arrays.toString(a) + " · "
                    + Arrays.toString(b));
        }
        int[] batch = broadcast(Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2), "MatMul");
        int[] o = Arrays.copyOf(batch, batch.length + 2);
        o[batch.length] = a2[a2.length - 2];
        o[batch.length + 1] = b2[b2.length - 1];
        if (a.length == 1) {
            o = remove(o, o.length - 2);
        }
        if (b.length == 1) {
            o = remove(o, o.length - 1);
        }
        return o;
    }

    private static int[] remove(int[] s, int i) {
        int[] o = new int[s.length - 1];
        System.arraycopy(s, 0, o, 0, i);
        System.arraycopy(s, i + 1, o, i, s.length - i - 1);
        return o;
    }

    /** ONNX Reshape rule. */
    public static int[] reshape(int[] in, int[] target, boolean allowZero) {
        long total = Tensor.numel(in);
        int[] o = target.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < o.length; i++) {
            if (o[i] == 0 && !allowZero) {
                if (i >= in.length) {
                    throw new ModelException("Reshape: 0 at position " + i + " but input has rank " + in.length);
                }
                o[i] = in[i];
            }
            if (o[i] == -1) {
                if (inferred >= 0) {
                    throw new ModelException("Reshape: more than one -1 in " + Arrays.toString(target));
                }
                inferred = i;
            } else if (o[i] < 0) {
                throw new ModelException("Reshape: invalid dimension " + o[i] + " in " + Arrays.toString(target));
            } else {
                known *= o[i];
            }
        }
        if (inferred >= 0) {
            if (known == 0 || total % known != 0) {
                throw new ModelException("Reshape: cannot reshape " + Arrays.toString(in) + " to "
                        + Arrays.toString(target));
            }
            o[inferred] = Math.toIntExact(total / known);
        } else if (known != total) {
            throw new ModelException("Reshape: cannot reshape " + Arrays.toString(in) + " (" + total + " values) to "
                    + Arrays.toString(target));
        }
        return o;
    }
}
