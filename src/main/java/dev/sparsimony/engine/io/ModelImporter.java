package dev.sparsimony.engine.io;

import dev.sparsimony.engine.model.Model;
import java.io.IOException;
import java.nio.file.Path;

/** Reads one model file format into the IR. One class per format, registered in {@link ModelFiles}. */
public interface ModelImporter {
    /** Short format name for messages, e.g. "ONNX". */
    String formatName();

    /** File name patterns this importer takes, for dialogs and messages, e.g. "*.onnx". */
    java.util.List<String> extensions();

    /** True when this importer should handle the path (by extension and, where cheap, by content). */
    boolean accepts(Path path);

    /**
     * Reads the model. Throws {@link dev.sparsimony.engine.model.ModelException} with a one-line,
     * user-facing message for anything wrong with the file's content.
     */
    Model load(Path path) throws IOException;

    /**
     * Reads the model for a run on known input values (see {@link ModelFiles#load(Path,
     * dev.sparsimony.engine.model.NonFinite.Policy, InputValues)}); formats whose layers never need them ignore them.
     */
    default Model load(Path path, InputValues inputs) throws IOException {
        return load(path);
    }
}
