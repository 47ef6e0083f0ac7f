package dev.sparsimony.engine.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Reads one data file format into a {@link Dataset}. One class per format, registered in {@link DataFiles}. */
public interface DataLoader {
    /** Short format name for messages, e.g. "CSV". */
    String formatName();

    /** File name patterns, for dialogs and messages, e.g. "*.csv". */
    List<String> extensions();

    /**
     * True when this loader should read the file.
     *
     * @param head the file's first bytes (up to 64), after gunzipping when the file is gzip-compressed
     */
    boolean accepts(Path path, byte[] head);

    /**
     * Reads x and, unless {@code options.ignoreLabels()}, the labels the format's rule finds. Scaling is applied
     * by {@link DataFiles}, not here. Content errors are {@link dev.sparsimony.engine.model.ModelException}s.
     */
    Dataset load(Path path, DataOptions options) throws IOException;
}
