package dev.sparsimony.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.io.npyjson.ProjectFormat;
import dev.sparsimony.engine.metric.Evaluator;
import dev.sparsimony.engine.metric.Quality;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsimony evaluate MODEL --data DATA}: top-1 accuracy, or fidelity against a reference model. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Measure a model on validation data: top-1 accuracy when the data has labels, "
                + "otherwise fidelity (top-1 agreement and output MSE) against --reference.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelArgument modelArg;

    @Option(names = {"-d", "--data"}, paramLabel = "DATA",
            description = "Validation data (.npz, .npy, .csv, .dat, MNIST idx). Default: validation.npz beside the model.")
    Path data;

    @Option(names = {"-r", "--reference"}, paramLabel = "MODEL",
            description = "Reference model for fidelity (used when the data has no labels, or always with --fidelity).")
    Path reference;

    @Option(names = "--fidelity", description = "Measure fidelity against --reference even when labels exist.")
    boolean fidelity;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N samples.")
    Integer limit;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Model model = modelArg.load();
        Path dataPath = data != null ? data : ProjectFormat.defaultValidationData(modelArg.path).orElseThrow(
                () -> new ModelException("no --data given and no validation.npz beside " + modelArg.path));
        Dataset ds = DataFiles.load(dataPath, dev.sparsimony.engine.data.DataOptions.DEFAULT, modelArg.policy());
        if (limit != null) {
            if (limit <= 0) {
                throw new ModelException("--limit must be positive, got " + limit);
            }
            ds = ds.head(Math.min(limit, ds.size()));
        }
        long t0 = System.nanoTime();
        Quality q;
        if (fidelity || !ds.hasLabels()) {
            if (reference == null) {
                throw new ModelException(fidelity ? "--fidelity needs --reference MODEL"
                        : "data " + dataPath.getFileName() + " has no labels: give --reference MODEL to measure fidelity");
            }
            q = Evaluator.evaluate(model, modelArg.load(reference), ds);
        } else {
            q = Evaluator.evaluate(model, ds);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        var out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper om = new ObjectMapper();
            var node = om.createObjectNode();
            node.put("metric", q.metric().name().toLowerCase(java.util.Locale.ROOT));
            node.put("value", q.value());
            node.put("samples", q.samples());
            if (!Double.isNaN(q.mse())) {
                node.put("mse", q.mse());
            }
            node.put("data", dataPath.toString());
            node.put("millis", ms);
            out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } else {
            out.println(describe(q) + String.format(" (%s, %.0f ms)", dataPath.getFileName(), ms));
        }
        return 0;
    }

    static String describe(Quality q) {
        String s = String.format("%s: %.2f %% on %,d samples", q.metric().label(), 100 * q.value(), q.samples());
        return Double.isNaN(q.mse()) ? s : s + String.format(", output MSE %.3g", q.mse());
    }
}
