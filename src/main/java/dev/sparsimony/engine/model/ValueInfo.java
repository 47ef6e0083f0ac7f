package dev.sparsimony.engine.model;

import java.util.Arrays;

/**
 * A graph input: its name and full shape with the batch axis first; -1 marks the (free) batch size.
 */
public record ValueInfo(String name, int[] shape) {
    public ValueInfo {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The shape with a concrete batch size substituted for -1. */
    public int[] shapeWithBatch(int batch) {
        int[] s = shape.clone();
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0) {
                s[i] = batch;
            }
        }
        return s;
    }

    /** Values per sample: the product of all non-batch dimensions. */
    public int featuresPerSample() {
        long n = 1;
        for (int i = 1; i < shape.length; i++) {
            n *= Math.max(shape[i], 1);
        }
        return Math.toIntExact(n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueInfo v && v.name.equals(name) && Arrays.equals(v.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
