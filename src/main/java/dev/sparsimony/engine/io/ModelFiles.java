package dev.sparsimony.engine.io;

import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.NonFinite;
import dev.sparsimony.engine.model.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Entry point for loading a model from any supported file: picks the importer. */
public final class ModelFiles {
    private static final List<ModelImporter> IMPORTERS = new ArrayList<>();

    private ModelFiles() {
    }

    /** Registers an importer (one line per format, done in {@link #importers()}'s static set-up). */
    public static synchronized void register(ModelImporter importer) {
        IMPORTERS.add(importer);
    }

    public static synchronized List<ModelImporter> importers() {
        Registrations.ensure();
        return List.copyOf(IMPORTERS);
    }

    /**
     * Loads a model, with one-line errors for missing, unreadable or unsupported files; NaN or infinite weights are
     * refused ({@link NonFinite.Policy#REFUSE}).
     */
    public static Model load(Path path) {
        return load(path, NonFinite.Policy.REFUSE);
    }

    /** Loads a model; non-finite weights are refused with a {@code NonFiniteException} or allowed by the policy. */
    public static Model load(Path path, NonFinite.Policy policy) {
        return load(path, policy, InputValues.NONE);
    }

    /**
     * Loads a model for a run on known input values: importers whose layers need constant operands (ONNX graphs
     * that pass Conv weights or Reshape targets as graph inputs, like the ONNX backend tests) take the given values
     * for them; the graph inputs stay inputs of the model and are fed the same values.
     */
    public static Model load(Path path, NonFinite.Policy policy, InputValues inputs) {
        Model m = read(path, inputs);
        NonFinite.check(NonFinite.scan(m), policy, String.valueOf(path.getFileName()), "weights");
        return m;
    }

    private static Model read(Path path, InputValues inputs) {
        if (!Files.exists(path)) {
            throw new ModelException("model file not found: " + path);
        }
        if (!Files.isDirectory(path) && !Files.isRegularFile(path)) {
            // a named pipe or device would block the reader forever
            throw new ModelException("model path " + path + " is not a regular file or folder (a pipe or a device?)");
        }
        if (!Files.isReadable(path)) {
            throw new ModelException("model file is not readable: " + path);
        }
        for (ModelImporter imp : importers()) {
            if (imp.accepts(path)) {
                try {
                    return inputs.isEmpty() ? imp.load(path) : imp.load(path, inputs);
                } catch (ModelException e) {
                    throw e;
                } catch (NoSuchFileException e) {
                    throw new ModelException(imp.formatName() + ": file not found: " + e.getFile());
                } catch (IOException e) {
                    throw new ModelException(imp.formatName() + ": cannot read " + path.getFileName() + ": "
                            + e.getMessage(), e);
                } catch (OutOfMemoryError e) {
                    throw new ModelException("model " + path.getFileName() + " is too large for the memory given to"
                            + " Sparsimony (raise -Xmx)", e);
                } catch (RuntimeException e) {
                    throw new ModelException(imp.formatName() + ": " + path.getFileName() + " is corrupt or not a "
                            + imp.formatName() + " model (" + Problems.inUserWords(e) + ")", e);
                } catch (StackOverflowError e) {
                    throw new ModelException(path.getFileName() + " is corrupt: its structure is nested too deeply", e);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (ModelImporter imp : importers()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(imp.formatName()).append(' ')
                    .append(String.join("/", imp.extensions()));
        }
        throw new ModelException("unsupported model file " + path.getFileName() + "; supported: " + sb);
    }
}
