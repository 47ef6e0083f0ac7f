package dev.sparsimony.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
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
        assertTrue(r.out().contains("fc1") && r.out().contains("Dense") && r.out().contains("[?, 3]"), r.out());
        assertTrue(r.out().contains("Input x [?, 2]"), "inputs and outputs show the dynamic batch alike:\n" + r.out());
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

    /** Two inputs a, b and two outputs sum = a + b, prod = a * b (project format). */
    static Path twoInTwoOut() {
        Path p = dir.resolve("two");
        if (!Files.isDirectory(p)) {
            ProjectFormat.write(new Model("two", List.of(new ValueInfo("a", new int[] {-1, 2}),
                    new ValueInfo("b", new int[] {-1, 2})), List.of(
                    new Node("sum", new Ops.Binary(Ops.BinaryKind.ADD), List.of("a", "b")),
                    new Node("prod", new Ops.Binary(Ops.BinaryKind.MUL), List.of("a", "b"))),
                    List.of("sum", "prod")), p);
            Npy.write(dir.resolve("a.npy"), NpyArray.ofFloats(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)));
            Npy.write(dir.resolve("b.npy"), NpyArray.ofFloats(Tensor.of(new float[] {10, 20, 30, 40}, 2, 2)));
        }
        return p;
    }

    @Test
    void predictBindsSeveralInputsInOrderOrByNameAndWritesEveryOutput() throws Exception {
        Path m = twoInTwoOut();
        Path out = dir.resolve("outs");
        Run r = run("predict", m.toString(), "--input", dir.resolve("a.npy").toString(), "--input",
                dir.resolve("b.npy").toString(), "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("output 'sum' shape [2, 2]") && r.out().contains("output 'prod'"), r.out());
        assertArrayEquals(new float[] {11, 22, 33, 44}, Npy.read(out.resolve("sum.npy")).toTensor().data());
        assertArrayEquals(new float[] {10, 40, 90, 160}, Npy.read(out.resolve("prod.npy")).toTensor().data());
        // by name, in any order: b first, a second
        Path out2 = dir.resolve("outs2");
        Run named = run("predict", m.toString(), "--input", "b=" + dir.resolve("a.npy"), "--input",
                "a=" + dir.resolve("b.npy"), "--output", out2.toString());
        assertEquals(0, named.code(), named.err());
        assertArrayEquals(new float[] {10, 40, 90, 160}, Npy.read(out2.resolve("prod.npy")).toTensor().data());
        assertOneLineError(run("predict", m.toString(), "--input", dir.resolve("a.npy").toString(), "--output",
                out.toString()), "no --input for model input 'b'");
        assertOneLineError(run("predict", m.toString(), "--input", "c=" + dir.resolve("a.npy"), "--output",
                out.toString()), "has no input named 'c'");
        assertOneLineError(run("predict", m.toString(), "--input", dir.resolve("a.npy").toString(), "--input",
                dir.resolve("b.npy").toString(), "--output", dir.resolve("one.npy").toString()), "give a folder");
    }

    @Test
    void outputLocationIsCheckedBeforeRunning() throws Exception {
        assertOneLineError(run("predict", modelDir.toString(), "--input", dir.resolve("x.npy").toString(),
                "--output", dir.resolve("no/such/dir/y.npy").toString()), "output folder does not exist");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertOneLineError(run("predict", twoInTwoOut().toString(), "--input", dir.resolve("a.npy").toString(),
                "--input", dir.resolve("b.npy").toString(), "--output", file.toString()), "give a folder");
        Path ro = dir.resolve("readonly");
        Files.createDirectories(ro);
        // root may write anywhere: then there is no read-only folder to try
        assumeTrue(ro.toFile().setWritable(false) && !Files.isWritable(ro), "cannot make a read-only folder here");
        try {
            assertOneLineError(run("predict", modelDir.toString(), "--input", dir.resolve("x.npy").toString(),
                    "--output", ro.resolve("y.npy").toString()), "not writable");
        } finally {
            ro.toFile().setWritable(true);
        }
    }

    @Test
    void nonFiniteInputsNeedAllowNonfinite() throws Exception {
        Path nan = dir.resolve("nan.npy");
        Npy.write(nan, NpyArray.ofFloats(Tensor.of(new float[] {Float.NaN, 1}, 1, 2)));
        assertOneLineError(run("predict", modelDir.toString(), "--input", nan.toString(), "--output",
                dir.resolve("n.npy").toString()), "--allow-nonfinite");
        Run ok = run("predict", modelDir.toString(), "--allow-nonfinite", "--input", nan.toString(), "--output",
                dir.resolve("n.npy").toString());
        assertEquals(0, ok.code(), ok.err());
        Map<String, NpyArray> data = new LinkedHashMap<>();
        data.put("x", NpyArray.ofFloats(Tensor.of(new float[] {1, Float.POSITIVE_INFINITY}, 1, 2)));
        data.put("y", NpyArray.ofInts(new int[] {0}, 1));
        Path inf = dir.resolve("inf.npz");
        Npz.write(inf, data);
        assertOneLineError(run("evaluate", modelDir.toString(), "--data", inf.toString()), "1 +Inf of 2 values");
    }

    @Test
    void emptyDataIsAnErrorNotNanPercent() throws Exception {
        Map<String, NpyArray> data = new LinkedHashMap<>();
        data.put("x", NpyArray.ofFloats(Tensor.zeros(0, 2)));
        data.put("y", NpyArray.ofInts(new int[0], 0));
        Path empty = dir.resolve("empty.npz");
        Npz.write(empty, data);
        assertOneLineError(run("evaluate", modelDir.toString(), "--data", empty.toString()), "holds no samples");
    }

    /** A Brevitas-style model opens with its own precision, and info says so. */
    @Test
    void infoListsTheModelsOwnQuantization() throws Exception {
        dev.sparsimony.engine.io.onnx.OnnxBuild b = new dev.sparsimony.engine.io.onnx.OnnxBuild(13)
                .input("x", -1, 2).init("W", new float[] {0.3f, -0.9f, 2.2f, 0.1f}, 2, 2)
                .init("s", new float[] {0.25f}).init("z", new float[] {0f}).init("bw", new float[] {3f});
        b.graph().addNode(dev.sparsimony.engine.io.onnx.proto.OnnxProto.NodeProto.newBuilder().setOpType("Quant")
                .setDomain("qonnx.custom_op.general").addInput("W").addInput("s").addInput("z").addInput("bw")
                .addOutput("Wq").addAttribute(dev.sparsimony.engine.io.onnx.OnnxBuild.ai("narrow", 1)));
        b.node("MatMul", new String[] {"x", "Wq"}, "fc").output("fc");
        Path f = dir.resolve("brevitas.onnx");
        Files.write(f, b.proto().toBuilder().addOpsetImport(dev.sparsimony.engine.io.onnx.proto.OnnxProto
                .OperatorSetIdProto.newBuilder().setDomain("qonnx.custom_op.general").setVersion(1)).build()
                .toByteArray());
        Run r = run("info", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Quantized: fc kernel 3-bit signed narrow per-tensor"), r.out());
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
