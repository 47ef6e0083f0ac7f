package dev.sparsimony.engine.data;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;

/**
 * Validation data: inputs {@code x} with the sample axis first, and optional class labels (indices).
 * Without labels, quality is measured as fidelity against the original model.
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
        return size() == 0 ? 0 : x.size() / size();
    }
}
