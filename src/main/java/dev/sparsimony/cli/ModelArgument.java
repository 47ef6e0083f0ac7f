package dev.sparsimony.cli;

import dev.sparsimony.engine.io.InputValues;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.NonFinite;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The MODEL positional parameter of every command that reads one model, and the NaN/Inf policy (a picocli mixin). */
final class ModelArgument {
    @Parameters(index = "0", paramLabel = "MODEL",
            description = "Model file or folder (.onnx, .h5, Keras .json, project folder or model.json).")
    Path path;

    @Option(names = "--allow-nonfinite",
            description = "Use weights and data that hold NaN or infinite values (refused by default, with a report"
                    + " of where they are).")
    boolean allowNonFinite;

    NonFinite.Policy policy() {
        return allowNonFinite ? NonFinite.Policy.ALLOW : NonFinite.Policy.REFUSE;
    }

    /** Loads the model; unreadable files are a {@code ModelException} with a one-line message. */
    Model load() {
        return ModelFiles.load(path, policy());
    }

    /** Loads the model for a run on known input values (weights passed as graph inputs are taken from them). */
    Model load(InputValues inputs) {
        return ModelFiles.load(path, policy(), inputs);
    }

    /** Another model (e.g. a reference) under the same policy. */
    Model load(Path other) {
        return ModelFiles.load(other, policy());
    }
}
