package dev.sparsimony.engine.io.onnx;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import java.util.Arrays;

/**
 * A constant value met while importing (initializer, Constant node, or a folded sub-graph).
 * Floating-point types keep {@code float} values, integer and bool types keep {@code long} values (shape
 * arithmetic needs exact int64). A tensor made by {@code ConstantOfShape} stays a lazy fill until its values
 * are needed, so that weight generators (ONNX "light" models) do not hold every weight twice.
 */
final class Const {
    final int[] shape;
    final int dtype;
    private float[] f;
    private long[] l;
    private final double fill;
    private final boolean isFill;

    private Const(int[] shape, int dtype, float[] f, long[] l, double fill, boolean isFill) {
        this.shape = shape.clone();
        this.dtype = dtype;
        this.f = f;
        this.l = l;
        this.fill = fill;
        this.isFill = isFill;
        long n = Tensor.numel(shape);
        if (!isFill && (f != null ? f.length : l.length) != n) {
            throw new ModelException("tensor of shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                    + (f != null ? f.length : l.length));
        }
    }

    static Const ofFloats(int[] shape, float[] v) {
        return new Const(shape, OnnxTensors.FLOAT, v, null, 0, false);
    }

    static Const ofFloats(int[] shape, int dtype, float[] v) {
        return new Const(shape, dtype, v, null, 0, false);
    }

    static Const ofLongs(int[] shape, int dtype, long[] v) {
        return new Const(shape, dtype, null, v, 0, false);
    }

    static Const ofInt64(long... v) {
        return new Const(new int[] {v.length}, OnnxTensors.INT64, null, v, 0, false);
    }

    static Const filled(int[] shape, int dtype, double value) {
        return new Const(shape, dtype, null, null, value, true);
    }

    boolean isInteger() {
        return !OnnxTensors.isFloatType(dtype);
    }

    boolean isFill() {
        return isFill;
    }

    double fillValue() {
        return fill;
    }

    int rank() {
        return shape.length;
    }

    int size() {
        return Math.toIntExact(Tensor.numel(shape));
    }

    /** Values as floats (materialises a fill). */
    float[] floats() {
        if (f != null) {
            return f;
        }
        float[] o = new float[size()];
        if (isFill) {
            Arrays.fill(o, (float) fill);
            if (!isInteger()) {
                f = o; // cache: the array is needed again by the caller anyway
            }
            return o;
        }
        for (int i = 0; i < o.length; i++) {
            o[i] = l[i];
        }
        return o;
    }

    /** Values as longs (floats truncated toward zero, as ONNX Cast does). */
    long[] longs() {
        if (l != null) {
            return l;
        }
        long[] o = new long[size()];
        if (isFill) {
            Arrays.fill(o, (long) fill);
            return o;
        }
        for (int i = 0; i < o.length; i++) {
            o[i] = (long) f[i];
        }
        return o;
    }

    double get(int i) {
        if (isFill) {
            return fill;
        }
        return f != null ? f[i] : l[i];
    }

    Tensor toTensor() {
        return new Tensor(shape, floats());
    }

    /** Same values, another shape (element count must match). */
    Const reshape(int[] newShape) {
        if (Tensor.numel(newShape) != size()) {
            throw new ModelException("cannot reshape a constant of shape " + Arrays.toString(shape) + " to "
                    + Arrays.toString(newShape));
        }
        return isFill ? filled(newShape, dtype, fill) : new Const(newShape, dtype, f, l, 0, false);
    }

    int[] intsOf(String what) {
        return toInts(longs(), what);
    }

    /** Narrows integer values to int, naming {@code what} in the error when one does not fit. */
    static int[] toInts(long[] v, String what) {
        int[] o = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] > Integer.MAX_VALUE || v[i] < Integer.MIN_VALUE) {
                throw new ModelException(what + " value " + v[i] + " is out of range");
            }
            o[i] = (int) v[i];
        }
        return o;
    }
}
