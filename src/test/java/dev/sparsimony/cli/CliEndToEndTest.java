package dev.sparsimony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.io.npy.Npy;
import dev.sparsimony.engine.io.npy.NpyArray;
import dev.sparsimony.engine.io.npy.Npz;
import dev.sparsimony.engine.io.npyjson.ProjectFormat;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the CLI in-process on a small hand-made model and checks outputs, exit codes and one-line errors. */
class CliEndToEndTest {
    @TempDir
    static Path dir;
    static Path modelDir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparsimonyCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** y = softmax(relu(x·W1) · W2) with W1 = [[1,0,-1],[0,2,0]] (2->3), W2 = identity-like 3->2. */
    @BeforeAll
    static void writeModel() throws Exception {
        Tensor w1 = Tensor.of(new float[] {1, 0, -1, 0, 2, 0}, 2, 3);
        Tensor b1 = Tensor.of(new float[] {0, 0, 0}, 3);
        Tensor w2 = Tensor.of(new float[] {1, 0, 0, 1, 1, 0}, 3, 2);
        Model m = new Model("tiny", List.of(new ValueInfo("x", new int[] {-1, 2})), List.of(
                new Node("fc1", new Ops.Dense(w1, b1), List.of("x")),
                new Node("relu", Ops.Activation.of(ActivationKind.RELU), List.of("fc1")),
                new Node("fc2", new Ops.Dense(w2, null), List.of("relu")),
                new Node("softmax", new Ops.Softmax(-1, false), List.of("fc2"))), List.of("softmax"));
        modelDir = dir.resolve("tiny");
        ProjectFormat.write(m, modelDir);
        // samples: (1,0) -> h=(1,0,0) -> logits (1,0) -> class 0; (0,1) -> h=(0,2,0) -> (0,2) -> class 1;
        // (-1,0) -> h=(0,0,1) -> (1,0) -> class 0
        Map<String, NpyArray> data = new LinkedHashMap<>();
        data.put("x", NpyArray.ofFloats(Tensor.of(new float[] {1, 0, 0, 1, -1, 0}, 3, 2)));
        data.put("y", NpyArray.ofInts(new int[] {0, 1, 1}, 3));
        Npz.write(modelDir.resolve("validation.npz"), data);
        Npy.write(dir.resolve("x.npy"), NpyArray.ofFloats(Tensor.of(new float[] {0, 1}, 1, 2)));
        Npy.write(dir.resolve("wide.npy"), NpyArray.ofFloats(Tensor.of(new float[] {0, 1, 2}, 1, 3)));
    }

    @Test
    void infoPrintsTheLayerTable() {
        Run r = run("info", modelDir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("fc1") && r.out().contains("Dense") && r.out().contains("[1, 3]"), r.out());
        assertTrue(r.out().contains("50.0 %"), "fc1 kernel has 3 zeros of 6:\n" + r.out());
    }

    @Test
    void evaluateUsesTheValidationDataBesideTheModel() {
        Run r = run("evaluate", modelDir.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        // 2 of 3 samples right (the third label is deliberately wrong)
        assertTrue(r.out().contains("0.666"), r.out());
    }

    @Test
    void predictWritesNpy() throws Exception {
        Path y = dir.resolve("y.npy");
        Run r = run("predict", modelDir.toString(), "--input", dir.resolve("x.npy").toString(), "--output", y.toString());
        assertEquals(0, r.code(), r.err());
        float[] v = Npy.read(y).toTensor().data();
        double e2 = Math.exp(2);
        assertEquals(1 / (1 + e2), v[0], 1e-6);
        assertEquals(e2 / (1 + e2), v[1], 1e-6);
    }

    @Test
    void missingModelIsOneLineAndNonZero() {
        Run r = run("info", dir.resolve("nope.onnx").toString());
        assertOneLineError(r, "not found");
    }

    @Test
    void truncatedNpyIsOneLineAndNonZero() throws Exception {
        Path bad = dir.resolve("trunc.npy");
        byte[] full = Files.readAllBytes(dir.resolve("x.npy"));
        Files.write(bad, java.util.Arrays.copyOf(full, full.length - 3));
        Run r = run("predict", modelDir.toString(), "--input", bad.toString(), "--output", dir.resolve("o.npy").toString());
        assertOneLineError(r, "trunc");
    }

    @Test
    void manifestNamingAMissingTensorIsOneLineAndNonZero() throws Exception {
        Path copy = dir.resolve("broken");
        Files.createDirectories(copy);
        try (var s = Files.list(modelDir)) {
            for (Path p : s.toList()) {
                Files.copy(p, copy.resolve(p.getFileName()));
            }
        }
        try (var s = Files.list(copy)) {
            Path victim = s.filter(p -> p.getFileName().toString().contains("fc2")).findFirst().orElseThrow();
            Files.delete(victim);
        }
        Run r = run("info", copy.toString());
        assertOneLineError(r, "fc2");
    }

    @Test
    void dataOfTheWrongWidthIsOneLineAndNonZero() {
        Run r = run("predict", modelDir.toString(), "--input", dir.resolve("wide.npy").toString(), "--output",
                dir.resolve("o2.npy").toString());
        assertOneLineError(r, "3 values per sample");
    }

    @Test
    void labelsTheModelCannotOutputAreAnError() throws Exception {
        Map<String, NpyArray> data = new LinkedHashMap<>();
        data.put("x", NpyArray.ofFloats(Tensor.of(new float[] {1, 0, 0, 1}, 2, 2)));
        data.put("y", NpyArray.ofInts(new int[] {0, 7}, 2));
        Path bad = dir.resolve("badlabels.npz");
        Npz.write(bad, data);
        assertOneLineError(run("evaluate", modelDir.toString(), "--data", bad.toString()), "label 7");
    }

    @Test
    void misspeltDesignPointFieldIsAnError() throws Exception {
        Path point = dir.resolve("point.json");
        Files.writeString(point, "{\"prune\": {\"granularity\": \"unstructured\", \"sparsty\": 0.5}}");
        assertOneLineError(run("estimate", modelDir.toString(), "--target", "xcvu9p", "--config", point.toString()),
                "sparsty");
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run r = run("info", "--bogus", modelDir.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    static void assertOneLineError(Run r, String fragment) {
        assertEquals(1, r.code(), r.out() + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), "one line expected:\n" + err);
        assertTrue(err.startsWith("sparsimony: "), err);
        assertTrue(err.contains(fragment), "expected '" + fragment + "' in: " + err);
        assertFalse(err.contains("Exception"), err);
    }
}
