package dev.sparsimony.engine.io.npy;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import java.util.Arrays;

/**
 * One NumPy array as read from or written to a {@code .npy} file. Values are always held in C (row-major) order,
 * whatever the file's order: as {@code float[]} for floating dtypes (f2/f4/f8; f8 is narrowed to float32 precision)
 * or as {@code long[]} for integer and bool dtypes (u8 values above 2^63-1 wrap, as in a Java long).
 *
 * @param dtype  NumPy type descriptor with byte order, e.g. {@code "<f4"}, {@code ">i2"}, {@code "|u1"},
 *               {@code "|b1"}; it is the type written by {@link Npy#write}
 * @param shape  dimensions; empty for a 0-d (scalar) array
 * @param floats values of a floating array, null otherwise
 * @param longs  values of an integer or bool array, null otherwise
 */
public record NpyArray(String dtype, int[] shape, float[] floats, long[] longs) {
    public NpyArray {
        DType t = DType.parse(dtype, "array");
        dtype = t.descr();
        shape = shape.clone();
        long n = Tensor.numel(shape);
        if (t.isFloat()) {
            if (floats == null || longs != null) {
                throw new ModelException("a " + t.name() + " array holds float values");
            }
            if (floats.length != n) {
                throw new ModelException("array of shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                        + floats.length);
            }
        } else {
            if (longs == null || floats != null) {
                throw new ModelException("a " + t.name() + " array holds integer values");
            }
            if (longs.length != n) {
                throw new ModelException("array of shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                        + longs.length);
            }
        }
    }

    /** A little-endian float32 array with the tensor's shape and values (shared, not copied). */
    public static NpyArray ofFloats(Tensor t) {
        return new NpyArray("<f4", t.shape(), t.data(), null);
    }

    /** A little-endian int64 array; without a shape, a 1-D array of the values. */
    public static NpyArray ofInts(int[] values, int... shape) {
        int[] s = shape.length == 0 ? new int[] {values.length} : shape;
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = values[i];
        }
        return new NpyArray("<i8", s, null, l);
    }

    /** A little-endian int64 array of the given values and shape. */
    public static NpyArray ofLongs(long[] values, int... shape) {
        return new NpyArray("<i8", shape.length == 0 ? new int[] {values.length} : shape, null, values);
    }

    /** The same values stored with another dtype when written (float to float, integer to integer). */
    public NpyArray withDtype(String newDtype) {
        DType t = DType.parse(newDtype, "array");
        if (t.isFloat() != isFloat()) {
            throw new ModelException("cannot relabel a " + type().name() + " array as " + t.name());
        }
        return new NpyArray(t.descr(), shape, floats, longs);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    public int size() {
        return isFloat() ? floats.length : longs.length;
    }

    public boolean isFloat() {
        return floats != null;
    }

    DType type() {
        return DType.parse(dtype, "array");
    }

    /** NumPy's name of the element type, e.g. "float32", "int64", "bool". */
    public String typeName() {
        return type().name();
    }

    /** The values as a float32 tensor of the same shape (any numeric dtype; integers are converted). */
    public Tensor toTensor() {
        if (isFloat()) {
            return new Tensor(shape, floats);
        }
        float[] f = new float[longs.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = longs[i];
        }
        return new Tensor(shape, f);
    }

    /**
     * The values as ints (row-major); floating values must be integral and every value must fit an int,
     * otherwise a {@link ModelException} says which element is not.
     */
    public int[] toInts() {
        int[] r = new int[size()];
        for (int i = 0; i < r.length; i++) {
            if (isFloat()) {
                float v = floats[i];
                if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                    throw new ModelException("array element " + i + " is " + v + ", not an integer");
                }
                r[i] = (int) v;
            } else {
                long v = longs[i];
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw new ModelException("array element " + i + " (" + v + ") does not fit a 32-bit integer");
                }
                r[i] = (int) v;
            }
        }
        return r;
    }

    /** Shape as NumPy prints it in messages, e.g. "10000x16". */
    public String shapeString() {
        return Npy.shapeText(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && a.dtype.equals(dtype) && Arrays.equals(a.shape, shape)
                && Arrays.equals(a.floats, floats) && Arrays.equals(a.longs, longs);
    }

    @Override
    public int hashCode() {
        return dtype.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
