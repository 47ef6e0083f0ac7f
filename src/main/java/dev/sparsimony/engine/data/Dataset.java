package dev.sparsimony.engine.data;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.util.Arrays;

/**
 * Validation data: inputs {@code x} with the sample axis first, and optional class labels (indices).
 * Without labels, quality is measured as fidelity against the original model.
 * Load one from a file with {@link DataFiles#load}.
 *
 * @param labels class index per sample, or null when the data carries no labels
 */
public record Dataset(String name, Tensor x, int[] labels) {
    public Dataset {
        if (x.rank() < 1) {
            throw new ModelException("data '" + name + "' has no sample axis");
        }
        if (labels != null && labels.length != x.dim(0)) {
            throw new ModelException("data '" + name + "' has " + x.dim(0) + " samples but " + labels.length
                    + " labels");
        }
    }

    public int size() {
        return x.dim(0);
    }

    public boolean hasLabels() {
        return labels != null;
    }

    /** Values per sample. */
    public int featuresPerSample() {
        int n = 1;
        for (int i = 1; i < x.rank(); i++) {
            n *= x.dim(i);
        }
        return n;
    }

    /** Number of classes the labels mention (largest label + 1), or 0 without labels. */
    public int labelClasses() {
        if (labels == null) {
            return 0;
        }
        int m = -1;
        for (int l : labels) {
            m = Math.max(m, l);
        }
        return m + 1;
    }

    /** The first {@code n} samples (all of them when there are fewer). */
    public Dataset head(int n) {
        if (n < 0) {
            throw new ModelException("cannot take " + n + " samples of data '" + name + "'");
        }
        if (n >= size()) {
            return this;
        }
        int per = featuresPerSample();
        int[] shape = x.shape();
        shape[0] = n;
        return new Dataset(name, new Tensor(shape, Arrays.copyOf(x.data(), n * per)),
                labels == null ? null : Arrays.copyOf(labels, n));
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive). */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new ModelException("samples " + from + ".." + to + " are outside data '" + name + "' ("
                    + size() + " samples)");
        }
        int per = featuresPerSample();
        int[] shape = x.shape();
        shape[0] = to - from;
        return new Dataset(name, new Tensor(shape, Arrays.copyOfRange(x.data(), from * per, to * per)),
                labels == null ? null : Arrays.copyOfRange(labels, from, to));
    }

    /** x multiplied by {@code factor} (e.g. 1/255 for 8-bit pixels); labels unchanged. */
    public Dataset scaled(float factor) {
        if (factor == 1f) {
            return this;
        }
        if (!Float.isFinite(factor)) {
            throw new ModelException("data scale factor must be a finite number, got " + factor);
        }
        float[] d = x.data();
        float[] o = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            o[i] = d[i] * factor;
        }
        return new Dataset(name, x.withData(o), labels);
    }

    public Dataset withLabels(int[] newLabels) {
        return new Dataset(name, x, newLabels == null ? null : newLabels.clone());
    }

    /**
     * x reshaped to the model input's per-sample shape ([N, dims of the input after the batch axis]); the values
     * are not reordered, so the data must already be in the model's layout (e.g. channels-last for Keras).
     * A per-sample dimension of -1 in the input is inferred when it is the only one.
     */
    public Dataset forInput(ValueInfo input) {
        int[] s = input.shape();
        if (s.length == 0) {
            throw new ModelException("model input '" + input.name() + "' has no batch axis");
        }
        int per = featuresPerSample();
        int[] target = new int[s.length];
        target[0] = size();
        long known = 1;
        int free = -1;
        for (int i = 1; i < s.length; i++) {
            if (s[i] < 0) {
                if (free >= 0) {
                    throw new ModelException("model input '" + input.name() + "' has more than one free dimension "
                            + Arrays.toString(s) + "; data cannot be fitted to it");
                }
                free = i;
            } else {
                known *= s[i];
                target[i] = s[i];
            }
        }
        if (free >= 0) {
            if (known == 0 || per % known != 0) {
                throw new ModelException("data '" + name + "' has " + per + " values per sample, which does not fit"
                        + " model input '" + input.name() + "' " + Arrays.toString(s));
            }
            target[free] = (int) (per / known);
        } else if (known != per) {
            throw new ModelException("data '" + name + "' has " + per + " values per sample but model input '"
                    + input.name() + "' expects " + known);
        }
        if (Arrays.equals(target, x.shape())) {
            return this;
        }
        return new Dataset(name, x.reshape(target), labels);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dataset d && d.name.equals(name) && d.x.equals(x) && Arrays.equals(d.labels, labels);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + x.hashCode();
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ", x" + x.shapeString() + (labels == null ? ", no labels" : ", labels") + "]";
    }
}
