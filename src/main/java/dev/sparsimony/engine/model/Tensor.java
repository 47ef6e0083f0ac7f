package dev.sparsimony.engine.model;

import java.util.Arrays;

/**
 * A dense float tensor in row-major (C) order.
 *
 * <p>Immutable by contract: the array returned by {@link #data()} must not be modified by callers.
 * No defensive copy is made because weight tensors are large and read on hot paths (pruning,
 * quantization, evaluation); code that needs to change values builds a new tensor.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    public Tensor(int[] shape, float[] data) {
        this.shape = shape.clone();
        long n = numel(shape);
        if (n != data.length) {
            throw new ModelException("tensor of shape " + Arrays.toString(shape) + " needs " + n
                    + " values, got " + data.length);
        }
        this.data = data;
    }

    public static Tensor of(float[] data, int... shape) {
        return new Tensor(shape, data);
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(shape, new float[Math.toIntExact(numel(shape))]);
    }

    public static Tensor scalar(float v) {
        return new Tensor(new int[0], new float[] {v});
    }

    /** Number of values of a shape; a product beyond 2^62 (e.g. a damaged file's [65536]^4) is an error, not 0. */
    public static long numel(int[] shape) {
        long n = 1;
        boolean zero = false;
        for (int d : shape) {
            if (d < 0) {
                throw new ModelException("negative dimension in shape " + Arrays.toString(shape));
            }
            zero |= d == 0;
            // the product of the non-zero dimensions must stay exact; a zero anywhere makes the tensor empty
            try {
                n = d == 0 ? n : Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new ModelException("shape " + Arrays.toString(shape) + " has too many values to be held");
            }
        }
        return zero ? 0 : n;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    /** The backing array (do not modify). */
    public float[] data() {
        return data;
    }

    public int size() {
        return data.length;
    }

    public Tensor reshape(int... newShape) {
        return new Tensor(newShape, data);
    }

    /** Same shape, new values (length must match). */
    public Tensor withData(float[] newData) {
        return new Tensor(shape, newData);
    }

    public boolean hasNonFinite() {
        for (float v : data) {
            if (!Float.isFinite(v)) {
                return true;
            }
        }
        return false;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
