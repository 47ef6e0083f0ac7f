package dev.sparsimony.engine.io.npyjson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.io.npy.Npy;
import dev.sparsimony.engine.io.npy.NpyArray;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectFormatTest {
    @TempDir
    Path tmp;

    private static Tensor seq(float scale, int... shape) {
        float[] f = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) Math.sin(i * 0.37 + scale) * scale;
        }
        return Tensor.of(f, shape);
    }

    /** A model using every Op record at least once, whose shapes chain. */
    static Model everyOpModel() {
        List<Node> n = new ArrayList<>();
        n.add(new Node("conv", new Ops.Conv(seq(0.1f, 3, 3, 3, 4), seq(0.2f, 4), new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, Layout.CHANNELS_LAST), List.of("x")));
        n.add(new Node("bn", new Ops.BatchNorm(seq(1, 4), seq(0.5f, 4), seq(0.1f, 4),
                Tensor.of(new float[] {1, 2, 3, 4}, 4), 1e-3f, Layout.CHANNELS_LAST), List.of("conv")));
        n.add(new Node("lrn", new Ops.Lrn(3, 2e-4f, 0.75f, 1f, Layout.CHANNELS_LAST), List.of("bn")));
        n.add(new Node("relu", Ops.Activation.of(ActivationKind.RELU), List.of("lrn")));
        n.add(new Node("clip", Ops.Activation.of(ActivationKind.CLIP), List.of("relu")));
        n.add(new Node("lrelu", new Ops.Activation(ActivationKind.LEAKY_RELU, 0.1f, 0f), List.of("clip")));
        n.add(new Node("pool", new Ops.Pool(Ops.PoolKind.MAX, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0},
                new int[] {0, 0}, false, false, Layout.CHANNELS_LAST), List.of("lrelu")));
        n.add(new Node("gap", new Ops.GlobalPool(Ops.PoolKind.AVG, Layout.CHANNELS_LAST, false), List.of("pool")));
        n.add(new Node("flat", new Ops.Flatten(1), List.of("pool")));
        n.add(new Node("dense/1", new Ops.Dense(seq(0.3f, 64, 10), seq(0.05f, 10)), List.of("flat")));
        n.add(new Node("dense2", new Ops.Dense(seq(0.3f, 4, 10), null), List.of("gap")));
        n.add(new Node("add", new Ops.Binary(Ops.BinaryKind.ADD), List.of("dense/1", "dense2")));
        n.add(new Node("k", new Ops.Constant(Tensor.of(new float[] {1, 2, Float.POSITIVE_INFINITY, 0, 1, 1, 1, 1,
                1, Float.NaN}, 10)), List.of()));
        n.add(new Node("mul", new Ops.Binary(Ops.BinaryKind.MUL), List.of("add", "k")));
        n.add(new Node("cat", new Ops.Concat(-1), List.of("mul", "add")));
        n.add(new Node("id", new Ops.Identity(), List.of("cat")));
        n.add(new Node("rs", new Ops.Reshape(new int[] {-1, 4, 5}, false), List.of("id")));
        n.add(new Node("tr", new Ops.Transpose(new int[] {0, 2, 1}), List.of("rs")));
        n.add(new Node("m", new Ops.Constant(seq(1, 4, 3)), List.of()));
        n.add(new Node("mm", new Ops.MatMul(), List.of("tr", "m")));
        n.add(new Node("flat2", new Ops.Flatten(1), List.of("mm")));
        n.add(new Node("b", new Ops.Constant(seq(2, 15, 6)), List.of()));
        n.add(new Node("c", new Ops.Constant(seq(3, 6)), List.of()));
        n.add(new Node("gemm", new Ops.Gemm(0.5f, 1.25f, false, false), List.of("flat2", "b", "c")));
        n.add(new Node("scale", new Ops.Constant(Tensor.scalar(0.1f)), List.of()));
        n.add(new Node("zp", new Ops.Constant(Tensor.scalar(3f)), List.of()));
        n.add(new Node("q", new Ops.QuantizeLinear(1, Ops.QuantType.INT8), List.of("gemm", "scale", "zp")));
        n.add(new Node("dq", new Ops.DequantizeLinear(1), List.of("q", "scale", "zp")));
        n.add(new Node("sm", new Ops.Softmax(-1, true), List.of("dq")));
        n.add(new Node("sub", new Ops.Binary(Ops.BinaryKind.SUB), List.of("sm", "sm")));
        n.add(new Node("conv1d_in", new Ops.Reshape(new int[] {-1, 6, 1}, false), List.of("sub")));
        n.add(new Node("conv1d", new Ops.Conv(seq(0.4f, 3, 1, 2), null, new int[] {2}, new int[] {1},
                new int[] {0}, new int[] {1}, 1, Layout.CHANNELS_LAST), List.of("conv1d_in")));
        // the ops added for issue 13, on a branch of their own
        n.add(new Node("pr", new Ops.PRelu(seq(0.1f, 3)), List.of("x")));
        n.add(new Node("thr", new Ops.ThresholdedRelu(0.5f), List.of("pr")));
        n.add(new Node("ls", new Ops.LogSoftmax(-1, false), List.of("thr")));
        n.add(new Node("pad", new Ops.Pad(new int[] {0, 1, 0, 0}, new int[] {0, 0, 1, 0}, Ops.PadMode.EDGE, 0f),
                List.of("ls")));
        n.add(new Node("half", new Ops.Cast(Ops.CastType.FLOAT16), List.of("pad")));
        n.add(new Node("up", new Ops.Upsample(new int[] {2, 1}, true, Layout.CHANNELS_LAST), List.of("half")));
        n.add(new Node("quant", new dev.sparsimony.engine.model.QuantOps.Quant(Tensor.scalar(0.25f), Tensor.scalar(0),
                4, true, false, dev.sparsimony.engine.model.QuantOps.Rounding.HALF_UP), List.of("up")));
        n.add(new Node("bq", new dev.sparsimony.engine.model.QuantOps.BipolarQuant(Tensor.scalar(0.5f)),
                List.of("quant")));
        n.add(new Node("trunc", new dev.sparsimony.engine.model.QuantOps.Trunc(Tensor.scalar(1), Tensor.scalar(0),
                Tensor.scalar(16), 8, 4, true, false, dev.sparsimony.engine.model.QuantOps.Rounding.FLOOR),
                List.of("bq")));
        n.add(new Node("rq", new dev.sparsimony.engine.model.QuantOps.Requantize(seq(0.01f, 3), -1, 3f,
                Ops.QuantType.UINT8), List.of("trunc")));
        n.add(new Node("mpi", new Ops.MaxPoolIndices(new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0},
                new int[] {0, 0}, false, true), List.of("x")));
        return new Model("every op", List.of(new ValueInfo("x", new int[] {-1, 8, 8, 3})), n,
                List.of("sm", "conv1d", "rq", "mpi"), Map.of("source", "test", "quote", "a \"b\" ü"));
    }

    static void assertSameModel(Model a, Model b) {
        assertEquals(a.name(), b.name());
        assertEquals(a.inputs(), b.inputs());
        assertEquals(a.outputs(), b.outputs());
        assertEquals(a.metadata(), b.metadata());
        assertEquals(a.nodes().size(), b.nodes().size());
        for (int i = 0; i < a.nodes().size(); i++) {
            Node x = a.nodes().get(i);
            Node y = b.nodes().get(i);
            assertEquals(x.name(), y.name());
            assertEquals(x.inputs(), y.inputs());
            assertEquals(x.op().getClass(), y.op().getClass(), x.name());
            for (RecordComponent rc : x.op().getClass().getRecordComponents()) {
                try {
                    Object u = rc.getAccessor().invoke(x.op());
                    Object v = rc.getAccessor().invoke(y.op());
                    assertTrue(Objects.deepEquals(u, v), x.name() + "." + rc.getName() + ": " + u + " vs " + v);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    @Test
    void everyOpRoundTrips() {
        Model m = everyOpModel();
        Set<Class<?>> used = new HashSet<>();
        m.nodes().forEach(n -> used.add(n.op().getClass()));
        assertEquals(Set.of(Op.class.getPermittedSubclasses()), used, "the test model must use every op");
        Path dir = tmp.resolve("m");
        ProjectFormat.write(m, dir);
        assertTrue(Files.exists(dir.resolve("model.json")));
        assertTrue(Files.exists(dir.resolve("dense_1_kernel.npy")), "node names are made file-safe");
        assertSameModel(m, ProjectFormat.read(dir));
        assertSameModel(m, ProjectFormat.read(dir.resolve("model.json")));
        assertSameModel(m, ModelFiles.load(dir));
        assertSameModel(m, ModelFiles.load(dir.resolve("model.json")));
    }

    @Test
    void rewritingRemovesStaleTensorsAndLeavesNoTemporaryFiles() throws IOException {
        Path dir = tmp.resolve("m");
        ProjectFormat.write(everyOpModel(), dir);
        Model small = new Model("s", List.of(new ValueInfo("x", new int[] {-1, 3})),
                List.of(new Node("d", new Ops.Dense(seq(1, 3, 2), null), List.of("x"))), List.of("d"));
        ProjectFormat.write(small, dir);
        try (var s = Files.list(dir)) {
            assertEquals(Set.of("model.json", "d_kernel.npy"),
                    Set.copyOf(s.map(p -> p.getFileName().toString()).toList()));
        }
        assertSameModel(small, ProjectFormat.read(dir));
        // saving over the same model never overwrites a tensor the current manifest names
        Model pruned = small.withWeight("d", "kernel", Tensor.of(new float[] {0, 2, 0, 4, 0, 6}, 3, 2));
        ProjectFormat.write(pruned, dir);
        try (var s = Files.list(dir)) {
            assertEquals(Set.of("model.json", "d_kernel_2.npy"),
                    Set.copyOf(s.map(p -> p.getFileName().toString()).toList()));
        }
        assertSameModel(pruned, ProjectFormat.read(dir));
        ProjectFormat.write(small, dir);
        assertSameModel(small, ProjectFormat.read(dir));
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count());
        }
    }

    /** A fresh directory "small" holding a two-layer model (tensor files dense_1_kernel.npy, dense_1_bias.npy). */
    private Path writeSmall() {
        Path dir = tmp.resolve("small");
        try {
            if (Files.isDirectory(dir)) {
                try (var s = Files.list(dir)) {
                    for (Path p : s.toList()) {
                        Files.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Model m = new Model("s", List.of(new ValueInfo("input_1", new int[] {-1, 3})),
                List.of(new Node("dense_1", new Ops.Dense(seq(1, 3, 2), seq(1, 2)), List.of("input_1")),
                        new Node("act", Ops.Activation.of(ActivationKind.RELU), List.of("dense_1"))),
                List.of("act"));
        ProjectFormat.write(m, dir);
        return dir;
    }

    /** Rewrites a fresh small project's model.json with {@code f}; returns the error loading it gives. */
    private String edit(UnaryOperator<String> f) throws IOException {
        Path dir = writeSmall();
        Path mf = dir.resolve("model.json");
        String s = f.apply(Files.readString(mf));
        Files.writeString(mf, s);
        return assertThrows(ModelException.class, () -> ModelFiles.load(dir)).getMessage();
    }

    private void assertEditRejected(UnaryOperator<String> f, String expected) throws IOException {
        String msg = edit(f);
        assertTrue(msg.contains(expected), msg);
    }

    @Test
    void errorsAreOneLineModelExceptions() throws IOException {
        Path dir = writeSmall();
        Files.delete(dir.resolve("dense_1_kernel.npy"));
        assertEquals("model.json: layer 'dense_1' weight 'kernel' refers to dense_1_kernel.npy, which does not exist",
                assertThrows(ModelException.class, () -> ProjectFormat.read(dir)).getMessage());

        Path d2 = writeSmall();
        Npy.write(d2.resolve("dense_1_bias.npy"), NpyArray.ofFloats(seq(1, 3)));
        String msg = assertThrows(ModelException.class, () -> ProjectFormat.read(d2)).getMessage();
        assertTrue(msg.contains("dense_1") && msg.contains("bias"), msg);

        writeSmall();
        Npy.write(d2.resolve("dense_1_kernel.npy"), NpyArray.ofFloats(Tensor.of(new float[] {1, 2, Float.NaN, 4,
                5, 6}, 3, 2)));
        // NaN weights: read as stored, refused by the one policy of ModelFiles.load unless allowed
        assertEquals(Float.NaN, ProjectFormat.read(d2).node("dense_1").op().weights().get("kernel").data()[2]);
        assertEquals(d2.getFileName() + " has NaN or infinite weights: layer 'dense_1' kernel (1 NaN of 6 values);"
                        + " pass --allow-nonfinite to use it anyway",
                assertThrows(dev.sparsimony.engine.model.NonFiniteException.class,
                        () -> dev.sparsimony.engine.io.ModelFiles.load(d2)).getMessage());
        dev.sparsimony.engine.io.ModelFiles.load(d2, dev.sparsimony.engine.model.NonFinite.Policy.ALLOW);

        writeSmall();
        Npy.write(d2.resolve("dense_1_kernel.npy"), NpyArray.ofFloats(seq(1, 4, 2)));
        msg = assertThrows(ModelException.class, () -> ProjectFormat.read(d2)).getMessage();
        assertTrue(msg.startsWith("model.json: layer 'dense_1'"), msg);

        assertEditRejected(s -> s.replace("\"Activation\"", "\"Swish\""), "unknown op type 'Swish'");
        assertEditRejected(s -> s.replace("\"formatVersion\" : 1", "\"formatVersion\" : 7"), "format version 7");
        assertEditRejected(s -> s.replaceFirst("\"inputs\" : \\[", "\"inputs\" : [[,"),
                "not valid JSON (line 5, column");
        msg = edit(s -> s.replace("\"RELU\"", "\"RELUX\""));
        assertTrue(msg.contains("layer 'act'") && msg.contains("activation"), msg);
        assertEditRejected(s -> s.replace("\"alpha\"", "\"alpah\""), "unknown attribute 'alpah'");
        assertEditRejected(s -> s.replace("\"kernel\" :", "\"kernal\" :"), "no weight named 'kernal'");
        assertEditRejected(s -> s.replace("\"dense_1\" ]", "\"nope\" ]"), "'nope'");

        Files.delete(d2.resolve("model.json"));
        assertThrows(ModelException.class, () -> ProjectFormat.read(d2));
        assertThrows(ModelException.class, () -> ModelFiles.load(tmp.resolve("absent")));
    }

    @Test
    void importerClaimsOnlyProjectManifests() throws IOException {
        NpyJsonImporter imp = new NpyJsonImporter();
        Path dir = writeSmall();
        assertTrue(imp.accepts(dir));
        assertTrue(imp.accepts(dir.resolve("model.json")));
        Path keras = tmp.resolve("KERAS_3layer.json");
        Files.writeString(keras, "{\"class_name\": \"Model\", \"config\": {\"layers\": []}, \"format\": \"x\"}");
        assertFalse(imp.accepts(keras));
        assertFalse(imp.accepts(tmp));
    }

    @Test
    void defaultValidationData() throws IOException {
        Path dir = writeSmall();
        assertTrue(ProjectFormat.defaultValidationData(dir).isEmpty());
        Path v = ProjectFormat.writeValidationData(dir, seq(1, 4, 3), new int[] {0, 1, 1, 0});
        assertEquals(v, ProjectFormat.defaultValidationData(dir).orElseThrow());
        assertEquals(v.toAbsolutePath(), ProjectFormat.defaultValidationData(dir.resolve("model.json"))
                .orElseThrow().toAbsolutePath());
        Path onnx = tmp.resolve("net.onnx");
        Files.writeString(onnx, "x");
        assertTrue(ProjectFormat.defaultValidationData(onnx).isEmpty());
        Files.copy(v, tmp.resolve("validation.npz"));
        assertEquals("validation.npz", ProjectFormat.defaultValidationData(onnx).orElseThrow().getFileName()
                .toString());
        Files.copy(v, tmp.resolve("net_validation.npz"));
        assertEquals("net_validation.npz", ProjectFormat.defaultValidationData(onnx).orElseThrow().getFileName()
                .toString());
        assertEquals(Arrays.asList("x", "y"), List.copyOf(dev.sparsimony.engine.io.npy.Npz.read(v).keySet()));
    }
}
