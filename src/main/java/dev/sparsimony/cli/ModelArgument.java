package dev.sparsimony.cli;

import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.model.Model;
import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** The MODEL positional parameter of every command that reads one model (a picocli mixin). */
final class ModelArgument {
    @Parameters(index = "0", paramLabel = "MODEL",
            description = "Model file or folder (.onnx, .h5, Keras .json, project folder or model.json).")
    Path path;

    /** Loads the model; unreadable files are a {@code ModelException} with a one-line message. */
    Model load() {
        return ModelFiles.load(path);
    }
}
