package dev.sparsimony.engine.export;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointCodec;
import dev.sparsimony.engine.infer.CompiledModel;
import dev.sparsimony.engine.infer.OutputTransform;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.quantize.FixedPoint;
import dev.sparsimony.engine.quantize.Quantizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Sample models, design points and real consumers (Debian's python3 with onnx and yaml) for the export tests. */
final class ExportFixtures {
    static final Path JET = Path.of("sample-models/jet-mlp");
    static final Path DIGITS = Path.of("sample-models/digits-cnn");
    /** Debian's python (see ../shared/stack.md); override with -Dsparsimony.python=... */
    static final String PY = System.getProperty("sparsimony.python",
            System.getenv().getOrDefault("SPARSIMONY_PYTHON", "/usr/bin/python3"));

    private ExportFixtures() {
    }

    /**
     * Half the weights pruned, 8-bit weights, and per-layer settings of every kind: another output type with
     * convergent rounding and saturation, one with AP_RND (ties up), another width, reuse factor and strategy.
     */
    static DesignPoint jetPoint() {
        return DesignPointCodec.read("""
                {"version": 2, "name": "half",
                 "prune": {"granularity": "unstructured", "sparsity": 0.5},
                 "layers": {"fc1": {"outputs": {"type": "fixed", "hls": "ap_fixed<12,5,AP_RND_CONV,AP_SAT>"}},
                            "fc2": {"reuseFactor": 4, "strategy": "resource",
                                    "weights": {"type": "fixed", "hls": "ap_fixed<6,1>"}},
                            "fc3": {"outputs": {"type": "fixed", "hls": "ap_fixed<10,4,AP_RND,AP_SAT>"},
                                    "reuseFactor": 2}},
                 "weights": {"type": "fixed", "hls": "ap_fixed<8,2>"},
                 "biases": {"type": "fixed", "hls": "ap_fixed<16,6>"},
                 "outputs": {"type": "fixed", "hls": "ap_fixed<16,6>"},
                 "hardware": {"device": "xcvu9p", "strategy": "latency", "reuseFactor": 1, "clockMhz": 200}}
                """, "jet point");
    }

    /** Filter pruning of a channels-last CNN with 6-bit weights and 12-bit outputs. */
    static DesignPoint digitsPoint() {
        return DesignPointCodec.read("""
                {"version": 2, "name": "filters",
                 "prune": {"granularity": "filters", "sparsity": 0.25},
                 "weights": {"type": "fixed", "hls": "ap_fixed<6,1,AP_RND_CONV,AP_SAT>"},
                 "biases": {"type": "fixed", "hls": "ap_fixed<12,4>"},
                 "outputs": {"type": "fixed", "hls": "ap_fixed<12,6,AP_TRN,AP_SAT>"},
                 "hardware": {"device": "xcku115", "strategy": "resource", "reuseFactor": 8, "io": "stream"}}
                """, "digits point");
    }

    static Model load(Path p) {
        return ModelFiles.load(p);
    }

    static Dataset data(Path modelDir, int n) {
        Dataset d = DataFiles.load(modelDir.resolve("validation.npz"));
        return d.head(Math.min(n, d.size()));
    }

    static ExportJob job(Path modelDir, DesignPoint p, int samples) {
        return Export.prepare(load(modelDir), data(modelDir, samples), p, Export.provenance(modelDir,
                modelDir.resolve("validation.npz")), ExportOptions.DEFAULTS);
    }

    /** The compressed model's outputs as the evaluator computes them: each layer output rounded to its type. */
    static float[] compressedOutputs(Model compressed, Dataset d) {
        try (CompiledModel cm = CompiledModel.compile(compressed, d.size())) {
            for (Map.Entry<String, FixedPoint> e : OnnxWriter.outputTypes(compressed).entrySet()) {
                Quantizer q = new Quantizer(e.getValue());
                cm.setOutputTransform(e.getKey(), (OutputTransform.Elementwise) q::quantize);
            }
            return cm.forward(d.x().data(), d.size());
        }
    }

    /** The outputs of any model (e.g. a re-imported export) on the data. */
    static float[] outputs(Model m, Dataset d) {
        try (CompiledModel cm = CompiledModel.compile(m, d.size())) {
            return cm.forward(d.x().data(), d.size());
        }
    }

    // ------------------------------------------------------------------ Debian's python

    static boolean python(String... modules) {
        try {
            Process p = new ProcessBuilder(PY, "-c", "import " + String.join(", ", modules))
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void assumePython(String... modules) {
        assumeTrue(python(modules), "python modules " + List.of(modules) + " are not available to " + PY
                + " (Debian: apt-get install python3-onnx python3-yaml); the real consumer was not run");
    }

    /** Runs a script with Debian's python; returns its standard output, failing with its output on error. */
    static String runPython(String script, Path... args) throws IOException, InterruptedException {
        Path f = Files.createTempFile("sparsimony-check", ".py");
        try {
            Files.writeString(f, script, StandardCharsets.UTF_8);
            List<String> cmd = new java.util.ArrayList<>(List.of(PY, f.toString()));
            for (Path a : args) {
                cmd.add(a.toString());
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                throw new AssertionError("python check failed (exit " + rc + "):\n" + out);
            }
            return out;
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
