package dev.sparsimony.fuzz;

import java.nio.file.Path;
import java.util.List;

/**
 * One file format under fuzzing: a generator of valid seed files and the call that loads a file as the user's
 * command would. A new format (a search space, a session file...) is one class like this plus one line in
 * {@link FuzzFormats#ALL}.
 */
public interface FuzzFormat {
    /** Short name for reports, e.g. "onnx". */
    String name();

    /** Writes valid seed files into {@code dir} (a fresh folder per seed set) and says which file to damage. */
    List<Seed> seeds(Path dir) throws Exception;

    /**
     * Loads {@code path} and uses what it read as the user's command would; returns normally or throws the engine's
     * one-line {@code ModelException}. Anything else (another exception, an error, a hang) is a finding.
     */
    void load(Path path) throws Exception;

    /** True when the damaged file is text (JSON, CSV): text mutations apply as well as byte mutations. */
    default boolean text(Seed seed) {
        return false;
    }

    /**
     * A seed: the file whose bytes the fuzzer damages, and the path given to {@link #load} (the same file, or e.g.
     * the Keras JSON beside a damaged weights file, a model folder whose tensor file is damaged).
     */
    record Seed(String label, Path damage, Path load) {
        public static Seed of(String label, Path file) {
            return new Seed(label, file, file);
        }
    }
}
