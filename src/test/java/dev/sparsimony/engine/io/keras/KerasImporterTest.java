package dev.sparsimony.engine.io.keras;

import static dev.sparsimony.engine.io.keras.MapWeights.ramp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** File handling of the Keras importer: the three file layouts, and bad files giving one-line ModelExceptions. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // hang guard
class KerasImporterTest {
    @TempDir
    Path dir;

    /** A small CNN: Conv2D same (uneven padding), BatchNorm, MaxPool, Flatten, Dense softmax. */
    static final String CNN = ("{'class_name': 'Sequential', 'config': {'name': 'cnn', 'layers': ["
            + "{'class_name': 'InputLayer', 'config': {'name': 'img', 'batch_input_shape': [null, 4, 4, 1]}},"
            + "{'class_name': 'Conv2D', 'config': {'name': 'conv', 'filters': 2, 'kernel_size': [2, 2], 'strides': [1, 1],"
            + " 'padding': 'same', 'data_format': 'channels_last', 'dilation_rate': [1, 1], 'groups': 1,"
            + " 'activation': 'relu', 'use_bias': true}},"
            + "{'class_name': 'BatchNormalization', 'config': {'name': 'bn', 'axis': [3], 'epsilon': 0.001,"
            + " 'center': true, 'scale': true}},"
            + "{'class_name': 'MaxPooling2D', 'config': {'name': 'pool', 'pool_size': [2, 2], 'strides': [2, 2],"
            + " 'padding': 'valid'}},"
            + "{'class_name': 'Flatten', 'config': {'name': 'flat'}},"
            + "{'class_name': 'Dense', 'config': {'name': 'out', 'units': 3, 'activation': 'softmax', 'use_bias': true}}"
            + "]}, 'keras_version': '2.13.1', 'backend': 'tensorflow'}").replace('\'', '"');

    static H5Fixture cnnWeights() {
        return new H5Fixture()
                .put("conv", "kernel", ramp(2, 2, 1, 2)).put("conv", "bias", Tensor.of(new float[] {0.5f, -1f}, 2))
                .put("bn", "gamma", Tensor.of(new float[] {1, 2}, 2)).put("bn", "beta", Tensor.of(new float[] {0, 1}, 2))
                .put("bn", "moving_mean", Tensor.of(new float[] {1, 0}, 2))
                .put("bn", "moving_variance", Tensor.of(new float[] {4, 1}, 2))
                .put("out", "kernel", ramp(8, 3)).put("out", "bias", ramp(3));
    }

    private static void checkCnn(Model m) {
        assertEquals(List.of("conv", "conv_relu", "bn", "pool", "flat", "out", "out_softmax"),
                m.nodes().stream().map(n -> n.name()).toList());
        Ops.Conv c = (Ops.Conv) m.node("conv").op();
        assertArrayEquals(ramp(2, 2, 1, 2).data(), c.kernel().data());
        assertArrayEquals(new int[] {2, 2, 1, 2}, c.kernel().shape());
        assertArrayEquals(new int[] {0, 0}, c.padsBegin());
        assertArrayEquals(new int[] {1, 1}, c.padsEnd());
        Ops.BatchNorm bn = (Ops.BatchNorm) m.node("bn").op();
        assertArrayEquals(new float[] {4, 1}, bn.variance().data());
        assertArrayEquals(new float[] {0, 1}, bn.beta().data());
        assertArrayEquals(ramp(8, 3).data(), ((Ops.Dense) m.node("out").op()).kernel().data());
        assertArrayEquals(new int[] {5, 3}, m.inferShapes(5).get("out_softmax"));
        assertArrayEquals(new int[] {-1, 4, 4, 1}, m.inputs().get(0).shape());
    }

    @Test
    void fullModelH5() {
        Path p = dir.resolve("cnn.h5");
        cnnWeights().writeFullModel(p, CNN);
        Model m = ModelFiles.load(p);
        checkCnn(m);
        assertEquals("cnn", m.name());
        assertEquals("2.13.1", m.metadata().get("keras_version"));
    }

    @Test
    void jsonWithWeightsH5BesideIt() throws IOException {
        Files.writeString(dir.resolve("net.json"), CNN);
        cnnWeights().writeWeights(dir.resolve("net_weights.h5"));
        checkCnn(ModelFiles.load(dir.resolve("net.json")));
        checkCnn(ModelFiles.load(dir.resolve("net_weights.h5")));
        assertEquals("net", ModelFiles.load(dir.resolve("net_weights.h5")).name());
    }

    @Test
    void jsonWithSameNameH5() throws IOException {
        Files.writeString(dir.resolve("net.json"), CNN);
        cnnWeights().writeWeights(dir.resolve("net.h5"));
        checkCnn(ModelFiles.load(dir.resolve("net.json")));
        checkCnn(ModelFiles.load(dir.resolve("net.h5")));
    }

    @Test
    void acceptsKerasJsonByContentOnly() throws IOException {
        KerasImporter imp = new KerasImporter();
        Path keras = Files.writeString(dir.resolve("a.json"), CNN);
        Path manifest = Files.writeString(dir.resolve("model.json"),
                "{\"format\": \"sparsimony-model\", \"name\": \"x\", \"layers\": []}");
        Path array = Files.writeString(dir.resolve("b.json"), "[1, 2]");
        Path empty = Files.writeString(dir.resolve("c.json"), "");
        Path txt = Files.writeString(dir.resolve("a.txt"), CNN);
        assertTrue(imp.accepts(keras));
        assertFalse(imp.accepts(manifest));
        assertFalse(imp.accepts(array));
        assertFalse(imp.accepts(empty));
        assertFalse(imp.accepts(txt));
        assertTrue(imp.accepts(dir.resolve("x.h5")));
        assertTrue(imp.accepts(dir.resolve("x.HDF5")));
    }

    // ------------------------------------------------------------------ bad input

    /** Loads through ModelFiles and returns the message, asserting a one-line ModelException. */
    /** Writes the CNN's net.json with {@code weights} as net_weights.h5 beside it; returns the load error. */
    private String failWithWeights(H5Fixture weights) throws IOException {
        Files.writeString(dir.resolve("net.json"), CNN);
        weights.writeWeights(dir.resolve("net_weights.h5"));
        return fail(dir.resolve("net.json"));
    }

    private static String fail(Path p) {
        ModelException e = assertThrows(ModelException.class, () -> ModelFiles.load(p));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
        return e.getMessage();
    }

    @Test
    void jsonWithoutItsWeights() throws IOException {
        Path p = Files.writeString(dir.resolve("KERAS_3layer.json"), CNN);
        assertEquals("KERAS_3layer.json: weights file not found (looked for KERAS_3layer_weights.h5, KERAS_3layer.h5)",
                fail(p));
    }

    @Test
    void weightsH5WithoutArchitecture() {
        cnnWeights().writeWeights(dir.resolve("lonely_weights.h5"));
        assertEquals("lonely_weights.h5 holds Keras weights but no architecture (no model_config attribute) and its"
                + " architecture JSON was not found (looked for lonely.json, lonely_weights.json)",
                fail(dir.resolve("lonely_weights.h5")));
    }

    @Test
    void hdf5ThatIsNotKeras() {
        Path p = dir.resolve("data.h5");
        try (io.jhdf.WritableHdfFile f = io.jhdf.HdfFile.write(p)) {
            f.putDataset("x", new float[] {1, 2, 3});
        }
        assertEquals("data.h5 is an HDF5 file but not a Keras model (no model_config attribute and no layer_names)",
                fail(p));
        Path k3 = dir.resolve("model.weights.h5");
        try (io.jhdf.WritableHdfFile f = io.jhdf.HdfFile.write(k3)) {
            f.putGroup("layers").putGroup("dense").putGroup("vars").putDataset("0", new float[] {1, 2});
        }
        assertTrue(fail(k3).startsWith("model.weights.h5 is in the Keras 3 weights format, which is not supported"));
    }

    @Test
    void h5MissingALayersWeights() throws IOException {
        H5Fixture w = new H5Fixture()
                .put("conv", "kernel", ramp(2, 2, 1, 2)).put("conv", "bias", ramp(2))
                .put("bn", "gamma", ramp(2)).put("bn", "beta", ramp(2)).put("bn", "moving_mean", ramp(2))
                .put("bn", "moving_variance", ramp(2));
        assertEquals("net_weights.h5: no weights for layer 'out' (Dense): missing dataset 'out/kernel:0'",
                failWithWeights(w));
    }

    @Test
    void h5MissingOneDataset() throws IOException {
        H5Fixture w = new H5Fixture()
                .put("conv", "kernel", ramp(2, 2, 1, 2)).put("conv", "bias", ramp(2))
                .put("bn", "gamma", ramp(2)).put("bn", "beta", ramp(2)).put("bn", "moving_mean", ramp(2))
                .put("out", "kernel", ramp(8, 3)).put("out", "bias", ramp(3));
        assertEquals("net_weights.h5: layer 'bn' (BatchNormalization) is missing dataset 'bn/moving_variance:0'"
                + " (the file has [gamma, beta, moving_mean])", failWithWeights(w));
    }

    @Test
    void shapesThatDoNotChain() throws IOException {
        assertEquals("net.json: layer 'out' (Dense): kernel [9, 3] expects 9 input features but the layer receives"
                + " shape (None, 8)", failWithWeights(cnnWeights().put("out", "kernel", ramp(9, 3))));
    }

    @Test
    void weightShapeDisagreeingWithConfig() throws IOException {
        assertEquals("net.json: layer 'conv' (Conv2D): kernel [3, 3, 1, 2] does not match kernel_size [2, 2]",
                failWithWeights(cnnWeights().put("conv", "kernel", ramp(3, 3, 1, 2))));
    }

    @Test
    void emptyFiles() throws IOException {
        assertEquals("cnn.h5 is empty", fail(Files.write(dir.resolve("cnn.h5"), new byte[0])));
        assertTrue(fail(Files.write(dir.resolve("cnn.json"), new byte[0])).startsWith("unsupported model file"));
    }

    @Test
    void randomBytes() throws IOException {
        Random r = new Random(7);
        for (int n : new int[] {1, 7, 8, 100, 4096, 100_000}) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            assertEquals("junk.h5 is not an HDF5 file (no HDF5 signature)", fail(Files.write(dir.resolve("junk.h5"), b)));
        }
    }

    @Test
    void wrongExtension() throws IOException {
        // an ONNX-like protobuf named .h5, and a Keras JSON named .txt
        byte[] pb = {0x08, 0x07, 0x12, 0x04, 'o', 'n', 'n', 'x'};
        assertEquals("model.h5 is not an HDF5 file (no HDF5 signature)", fail(Files.write(dir.resolve("model.h5"), pb)));
        String m = fail(Files.writeString(dir.resolve("net.txt"), CNN));
        assertTrue(m.startsWith("unsupported model file net.txt; supported: "), m);
        // a Keras JSON named .h5
        assertEquals("arch.h5 is not an HDF5 file (no HDF5 signature; it looks like JSON text: open the architecture"
                + " .json file instead)", fail(Files.writeString(dir.resolve("arch.h5"), CNN)));
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0};
        assertEquals("model.h5 is not an HDF5 file (no HDF5 signature; it is a ZIP archive, e.g. a Keras 3 .keras"
                + " file, which is not supported)", fail(Files.write(dir.resolve("model.h5"), zip)));
    }

    @Test
    void truncatedJson() throws IOException {
        cnnWeights().writeWeights(dir.resolve("net_weights.h5"));
        Path p = Files.writeString(dir.resolve("net.json"), CNN.substring(0, CNN.length() / 2));
        String m = fail(p);
        assertTrue(m.startsWith("net.json is not valid JSON ("), m);
    }

    @Test
    void truncatedH5AtEveryFewBytes() throws IOException {
        Path full = dir.resolve("full.h5");
        cnnWeights().writeFullModel(full, CNN);
        byte[] b = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.h5");
        int saidTruncated = 0;
        for (int n = 8; n < b.length; n += Math.max(1, b.length / 40)) {
            Files.write(cut, Arrays.copyOf(b, n));
            ModelException e = assertThrows(ModelException.class, () -> ModelFiles.load(cut));
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().startsWith("cut.h5"), e.getMessage());
            if (e.getMessage().startsWith("cut.h5 is truncated: it has " + n + " bytes, its HDF5 header says ")) {
                saidTruncated++;
            }
        }
        assertTrue(saidTruncated > 30, "truncation recognised in " + saidTruncated + " of 40 cuts");
    }

    /** Random byte flips in a valid file: a model or a one-line ModelException, never another exception. */
    @Test
    void corruptedH5() throws IOException {
        Path full = dir.resolve("full.h5");
        cnnWeights().writeFullModel(full, CNN);
        byte[] orig = Files.readAllBytes(full);
        Random r = new Random(11);
        Path bad = dir.resolve("bad.h5");
        for (int i = 0; i < 60; i++) {
            byte[] b = orig.clone();
            for (int k = 0; k < 1 + r.nextInt(4); k++) {
                b[8 + r.nextInt(b.length - 8)] = (byte) r.nextInt(256);
            }
            Files.write(bad, b);
            try {
                ModelFiles.load(bad);
            } catch (ModelException e) {
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
    }

    @Test
    void modelConfigThatIsNotJson() {
        Path p = dir.resolve("odd.h5");
        new H5Fixture().writeFullModel(p, "not json {");
        String m = fail(p);
        assertTrue(m.startsWith("odd.h5: its model_config attribute is not valid JSON"), m);
        Path q = dir.resolve("odd2.h5");
        new H5Fixture().writeFullModel(q, "{\"class_name\": \"Sequential\"}");
        assertEquals("odd2.h5 (model_config) is not a Keras model architecture (no top-level \"class_name\" and"
                + " \"config\")", fail(q));
    }

    @Test
    void unsupportedTopLevelClass() throws IOException {
        Files.writeString(dir.resolve("w.json"), "{\"class_name\": \"Layer\", \"config\": {\"layers\": []}}");
        new H5Fixture().writeWeights(dir.resolve("w_weights.h5"));
        assertEquals("w.json: top-level Keras class 'Layer' is not supported (expected Sequential, Model or"
                + " Functional)", fail(dir.resolve("w.json")));
    }

    @Test
    void jsonDeclaringItselfKerasButBroken() throws IOException {
        Files.writeString(dir.resolve("w.json"), "{\"class_name\": \"Sequential\", \"config\": {\"layers\": 3}}");
        new H5Fixture().writeWeights(dir.resolve("w_weights.h5"));
        assertEquals("w.json: the Keras Sequential config has no \"layers\" list", fail(dir.resolve("w.json")));
        Files.writeString(dir.resolve("w.json"), "{\"class_name\": \"Sequential\", \"config\": {\"layers\": "
                + "[{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2}}]}}");
        assertTrue(fail(dir.resolve("w.json")).contains("has no input shape"));
    }

    @Test
    void utf8LayerNames() throws IOException {
        String json = CNN.replace("\"out\"", "\"sortie_é\"");
        Files.writeString(dir.resolve("u.json"), json, StandardCharsets.UTF_8);
        H5Fixture w = cnnWeights();
        w.put("sortie_é", "kernel", ramp(8, 3)).put("sortie_é", "bias", ramp(3));
        w.writeWeights(dir.resolve("u_weights.h5"));
        Model m = ModelFiles.load(dir.resolve("u.json"));
        assertTrue(m.hasNode("sortie_é"));
    }
}
