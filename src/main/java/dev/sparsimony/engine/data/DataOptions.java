package dev.sparsimony.engine.data;

import java.nio.file.Path;

/**
 * How to read a data file; {@link #DEFAULT} suits most files.
 *
 * @param labelColumn  CSV: name (header) or 0-based index of the label column, or "first"/"last";
 *                     NPZ: key of the labels array. Null: the rules of docs/file-formats.md
 * @param labelsFile   a separate labels file (.npy, .npz, idx, .csv, .dat/.txt; indices or one-hot rows);
 *                     null: look for the companion file the format's rule names
 * @param scale        factor applied to x after loading (e.g. 1/255f for 8-bit pixels); 1 keeps raw values
 * @param ignoreLabels true to load x only, whatever labels the file or its companions hold
 */
public record DataOptions(String labelColumn, Path labelsFile, float scale, boolean ignoreLabels) {
    public static final DataOptions DEFAULT = new DataOptions(null, null, 1f, false);

    public DataOptions withLabelColumn(String column) {
        return new DataOptions(column, labelsFile, scale, ignoreLabels);
    }

    public DataOptions withLabelsFile(Path file) {
        return new DataOptions(labelColumn, file, scale, ignoreLabels);
    }

    public DataOptions withScale(float factor) {
        return new DataOptions(labelColumn, labelsFile, factor, ignoreLabels);
    }

    public DataOptions withoutLabels() {
        return new DataOptions(labelColumn, labelsFile, scale, true);
    }
}
