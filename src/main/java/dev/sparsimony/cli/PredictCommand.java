package dev.sparsimony.cli;

import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.data.DataOptions;
import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.io.InputValues;
import dev.sparsimony.engine.io.npy.Npy;
import dev.sparsimony.engine.io.npy.NpyArray;
import dev.sparsimony.engine.io.onnx.OnnxTensors;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.NonFinite;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsimony predict MODEL --input X [--input Y ...] --output OUT}. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run the model on inputs and write every output as a float32 .npy file.")
final class PredictCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelArgument modelArg;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "[NAME=]FILE",
            description = "One per graph input, bound in the graph's order, or by name as NAME=FILE: .npy, ONNX"
                    + " TensorProto .pb, or any data file 'evaluate' reads (.npz, .csv, .dat, MNIST idx).")
    List<String> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "Y.npy|DIR",
            description = "Where to write: a .npy file for a model with one output, otherwise a folder that gets"
                    + " one <output name>.npy per output (created if missing).")
    Path output;

    @Override
    public Integer call() throws Exception {
        List<String> names = new ArrayList<>();
        List<Tensor> values = new ArrayList<>();
        for (String spec : inputs) {
            Path file = Path.of(spec);
            String name = null;
            int eq = spec.indexOf('=');
            if (eq > 0 && !Files.exists(file)) {
                name = spec.substring(0, eq);
                file = Path.of(spec.substring(eq + 1));
            }
            names.add(name);
            values.add(readInput(file, modelArg.policy()));
        }
        InputValues given = new InputValues(names, values);
        Model model = modelArg.load(given);
        List<String> declared = model.inputs().stream().map(ValueInfo::name).toList();
        Map<String, Tensor> bound = given.bind(declared, String.valueOf(modelArg.path.getFileName()));
        Map<String, Tensor> feed = new LinkedHashMap<>();
        for (ValueInfo v : model.inputs()) {
            Tensor t = bound.get(v.name());
            if (t == null) {
                throw new ModelException("no --input for model input '" + v.name() + "' " + shape(v.shape())
                        + " (the model's inputs, in order: " + String.join(", ", declared) + ")");
            }
            feed.put(v.name(), fit(v, t, model.inputs().size() == 1));
        }
        Map<String, Path> targets = targets(model.outputs());
        Map<String, Tensor> out = Inference.predictAll(model, feed);
        var w = spec.commandLine().getOut();
        for (Map.Entry<String, Path> e : targets.entrySet()) {
            Tensor y = out.get(e.getKey());
            Npy.write(e.getValue(), NpyArray.ofFloats(y));
            w.printf("wrote %s: output '%s' shape %s%n", e.getValue(), e.getKey(), y.shapeString());
        }
        return 0;
    }

    /**
     * Output file per model output, checked before anything runs: one output and a path that is not a folder is
     * that file; otherwise a folder (made when missing) gets one {@code <name>.npy} per output.
     */
    private Map<String, Path> targets(List<String> outputs) {
        Map<String, Path> t = new LinkedHashMap<>();
        boolean npy = !Files.isDirectory(output)
                && output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
        if (npy && outputs.size() == 1) {
            writableFile(output);
            t.put(outputs.get(0), output);
            return t;
        }
        if (npy || Files.exists(output) && !Files.isDirectory(output)) {
            throw new ModelException("the model has " + outputs.size() + " outputs (" + String.join(", ", outputs)
                    + "): give a folder as --output, not the file " + output);
        }
        try {
            Files.createDirectories(output);
        } catch (java.io.IOException e) {
            throw new ModelException("cannot create output folder " + output + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(output)) {
            throw new ModelException("output folder " + output + " is not writable");
        }
        Set<String> used = new HashSet<>();
        for (String o : outputs) {
            String base = o.replaceAll("[^A-Za-z0-9._-]", "_");
            String f = base + ".npy";
            for (int k = 2; !used.add(f.toLowerCase(Locale.ROOT)); k++) {
                f = base + "_" + k + ".npy";
            }
            Path p = output.resolve(f);
            writableFile(p);
            t.put(o, p);
        }
        return t;
    }

    private static void writableFile(Path p) {
        Path parent = p.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new ModelException("output folder does not exist: " + parent);
        }
        if (Files.exists(p) ? !Files.isRegularFile(p) || !Files.isWritable(p) : !Files.isWritable(parent)) {
            throw new ModelException("cannot write " + p + " (not writable)");
        }
    }

    /**
     * The value as the model input takes it: as given when the ranks agree; a single input whose values per sample
     * match is reshaped (a data file's [N, 784] rows to a model's [N, 1, 28, 28]).
     */
    private static Tensor fit(ValueInfo v, Tensor t, boolean only) {
        int[] d = v.shape();
        if (t.rank() == d.length || !only || t.rank() == 0 || d.length == 0) {
            return t;
        }
        long per = 1;
        int[] target = d.clone();
        target[0] = t.dim(0);
        for (int i = 1; i < d.length; i++) {
            per *= Math.max(d[i], 0);
        }
        long have = t.dim(0) == 0 ? 0 : t.size() / t.dim(0);
        if (per != have || d[0] > 0 && d[0] != t.dim(0) && t.dim(0) % d[0] != 0) {
            throw new ModelException("input '" + v.name() + "' has shape " + t.shapeString()
                    + " but the model expects " + shape(d) + " (" + per + " values per sample)");
        }
        return t.reshape(target);
    }

    private static String shape(int[] s) {
        return java.util.Arrays.toString(s).replace("-1", "N");
    }

    static Tensor readInput(Path p, NonFinite.Policy policy) {
        if (!Files.exists(p)) {
            throw new ModelException("input file not found: " + p);
        }
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        Tensor t;
        if (n.endsWith(".npy")) {
            t = Npy.read(p).toTensor();
        } else if (n.endsWith(".pb")) {
            t = OnnxTensors.read(p).tensor();
        } else {
            return DataFiles.load(p, DataOptions.DEFAULT.withoutLabels(), policy).x();
        }
        NonFinite.Finding f = NonFinite.scan("input '" + p.getFileName() + "'", t.data(), false);
        NonFinite.check(f == null ? List.of() : List.of(f), policy, String.valueOf(p.getFileName()), "values");
        return t;
    }
}
