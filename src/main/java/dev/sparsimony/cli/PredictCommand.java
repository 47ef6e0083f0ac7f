package dev.sparsimony.cli;

import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.io.npy.Npy;
import dev.sparsimony.engine.io.npy.NpyArray;
import dev.sparsimony.engine.io.onnx.OnnxTensors;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsimony predict MODEL --input X --output Y.npy}. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run the model on inputs and write its outputs as a .npy file.")
final class PredictCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelArgument modelArg;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "X",
            description = "Inputs: .npy, ONNX TensorProto .pb, or any data file 'evaluate' reads (.npz, .csv, .dat, MNIST idx).")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "Y.npy", description = "Where to write the outputs (float32 .npy).")
    Path output;

    @Override
    public Integer call() throws Exception {
        Model model = modelArg.load();
        Tensor x = readInput(input);
        Tensor y = Inference.predict(model, x);
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new ModelException("output folder does not exist: " + parent);
        }
        Npy.write(output, NpyArray.ofFloats(y));
        spec.commandLine().getOut().printf("wrote %s: shape %s%n", output, y.shapeString());
        return 0;
    }

    static Tensor readInput(Path p) throws Exception {
        if (!Files.exists(p)) {
            throw new ModelException("input file not found: " + p);
        }
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".npy")) {
            return Npy.read(p).toTensor();
        }
        if (n.endsWith(".pb")) {
            return OnnxTensors.read(p).tensor();
        }
        return DataFiles.load(p).x();
    }
}
