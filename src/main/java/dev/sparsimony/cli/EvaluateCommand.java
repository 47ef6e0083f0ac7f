package dev.sparsimony.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointCodec;
import dev.sparsimony.engine.explore.DesignPointEvaluator;
import dev.sparsimony.engine.explore.DesignResult;
import dev.sparsimony.engine.explore.LayerResult;
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

    @Option(names = "--config", paramLabel = "POINT.json",
            description = "Evaluate a design point (pruning, quantization, hardware settings): quality, per-layer"
                    + " sparsity and storage.")
    Path config;

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
        if (config != null) {
            return evaluatePoint(model, ds, dataPath);
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

    private int evaluatePoint(Model model, Dataset ds, Path dataPath) throws Exception {
        DesignPoint point = DesignPointCodec.read(config);
        if (!ds.hasLabels()) {
            if (reference != null) {
                throw new ModelException("--config measures fidelity against the model itself when the data has no"
                        + " labels; --reference is not used with --config");
            }
        }
        long t0 = System.nanoTime();
        DesignResult r;
        try (DesignPointEvaluator ev = new DesignPointEvaluator(model, ds)) {
            r = ev.evaluate(point);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        var out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper om = new ObjectMapper();
            var node = om.createObjectNode();
            node.put("point", config.toString());
            node.put("key", point.key());
            node.put("metric", r.quality().metric().name().toLowerCase(java.util.Locale.ROOT));
            node.put("value", r.quality().value());
            node.put("samples", r.quality().samples());
            node.put("sparsity", r.sparsity());
            node.put("params", r.params());
            node.put("macs", r.macs());
            node.put("storage_bits", r.storage().bestBits());
            node.put("original_bits", r.storage().originalBits());
            if (r.solver() != null) {
                node.put("solver", r.solver());
            }
            var layers = node.putArray("layers");
            for (LayerResult l : r.layers()) {
                var ln = layers.addObject();
                ln.put("name", l.layer());
                ln.put("weights", l.weights());
                ln.put("non_zeros", l.nonZeros());
                ln.put("sparsity", l.sparsity());
                ln.put("bits", l.bitsPerWeight());
                ln.put("macs", l.macs());
                ln.put("storage_bits", l.storedBits());
            }
            if (r.hardware() != null) {
                var hw = node.putObject("hardware");
                hw.put("device", r.hardware().device().name());
                hw.put("dsp", r.hardware().dsp());
                hw.put("bram18", r.hardware().bram18());
                hw.put("lut", r.hardware().lut());
                hw.put("ff", r.hardware().ff());
                hw.put("latency_cycles", r.hardware().latencyCycles());
                hw.put("fits", r.hardware().fits());
            }
            node.put("millis", ms);
            out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } else {
            out.println(describe(r.quality()) + String.format(" (%s, %s, %.0f ms)", config.getFileName(),
                    dataPath.getFileName(), ms));
            Table t = new Table("layer", "weights", "non-zeros", "sparsity", "bits", "MACs", "storage")
                    .rightAlign(1, 2, 3, 4, 5, 6);
            for (LayerResult l : r.layers()) {
                t.row(l.layer(), String.format("%,d", l.weights()), String.format("%,d", l.nonZeros()),
                        String.format("%.1f %%", 100 * l.sparsity()), l.bitsPerWeight(), String.format("%,d", l.macs()),
                        bytes(l.storedBits()));
            }
            t.row("total", "", String.format("%,d", r.params()), String.format("%.1f %%", 100 * r.sparsity()), "",
                    String.format("%,d", r.macs()), bytes(r.storage().bestBits()));
            t.print(out);
            out.printf("storage: %s (float32 dense %s, %.1fx smaller)%n", bytes(r.storage().bestBits()),
                    bytes(r.storage().originalBits()), r.storage().compressionRatio());
            if (r.solver() != null) {
                out.println("knapsack: " + r.solver());
            }
            if (r.hardware() != null) {
                var h = r.hardware();
                out.printf("hardware on %s: %,d DSP, %,d BRAM18, %,d LUT, %,d FF, latency %,d cycles (%s)%n",
                        h.device().name(), h.dsp(), h.bram18(), h.lut(), h.ff(), h.latencyCycles(),
                        h.fits() ? "fits" : "does not fit: " + String.join("; ", h.fitProblems()));
            }
        }
        out.flush();
        return 0;
    }

    private static String bytes(long bits) {
        long b = (bits + 7) / 8;
        return b >= 10_000 ? String.format("%,.1f KB", b / 1024.0) : String.format("%,d B", b);
    }

    static String describe(Quality q) {
        String s = String.format("%s: %.2f %% on %,d samples", q.metric().label(), 100 * q.value(), q.samples());
        return Double.isNaN(q.mse()) ? s : s + String.format(", output MSE %.3g", q.mse());
    }
}
