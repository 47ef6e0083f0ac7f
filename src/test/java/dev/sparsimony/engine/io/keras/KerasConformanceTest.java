package dev.sparsimony.engine.io.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * hls4ml's real Keras models (../shared/conformance, see its README for the pass criteria): reference outputs
 * reproduced, MNIST accuracy, and agreement with the same networks exported to ONNX.
 */
class KerasConformanceTest {
    private static Path shared;

    @BeforeAll
    static void locate() {
        String p = System.getProperty("sparsimony.shared");
        shared = p == null ? null : Paths.get(p, "conformance");
    }

    private static Path need(String rel) {
        assumeTrue(shared != null && Files.isDirectory(shared),
                "shared conformance material not found (system property sparsimony.shared -> ../shared/conformance)");
        Path f = shared.resolve(rel);
        assumeTrue(Files.exists(f), "conformance file missing: " + f);
        return f;
    }

    // ------------------------------------------------------------------ hls4ml MNIST MLP

    @Test
    void mnistMlpReproducesItsReferenceOutputs() throws IOException {
        Path dir = need("models/hls4ml/mnist_mlp");
        Model m = ModelFiles.load(dir.resolve("KERAS_mnist_mlp.json"));
        float[][] x = readDat(dir.resolve("KERAS_mnist_mlp_inputs.dat"));
        float[][] y = readDat(dir.resolve("KERAS_mnist_mlp_outputs.dat"));
        float[][] got = predict(m, x, 784);
        assertClose(y, got, 1e-6, 0, "KERAS_mnist_mlp");
    }

    /** README: 98.25 % top-1 on the 10,000 MNIST test images fed as pixel/255, shape [784]. */
    @Test
    void mnistMlpAccuracy() throws IOException {
        Path dir = need("models/hls4ml/mnist_mlp");
        Path images = need("data/mnist/t10k-images-idx3-ubyte.gz");
        Path labels = need("data/mnist/t10k-labels-idx1-ubyte.gz");
        Model m = ModelFiles.load(dir.resolve("KERAS_mnist_mlp_weights.h5"));
        float[][] x = mnistImages(images);
        int[] lab = mnistLabels(labels);
        assertEquals(10_000, x.length);
        for (float[] row : x) {
            for (int i = 0; i < row.length; i++) {
                row[i] /= 255f;
            }
        }
        float[][] out = predict(m, x, 784);
        int correct = 0;
        for (int i = 0; i < out.length; i++) {
            if (argmax(out[i]) == lab[i]) {
                correct++;
            }
        }
        assertEquals(9825, correct, "top-1 correct of 10,000 (README: 98.25 %)");
    }

    // ------------------------------------------------------------------ hls4ml one-layer examples

    @ParameterizedTest
    @ValueSource(strings = {"relu", "sigmoid", "softmax", "tanh", "elu", "leaky_relu", "linear"})
    void oneLayerExamplesReproduceTheirPredictions(String act) throws IOException {
        Path dir = need("models/hls4ml/keras-1layer-examples/" + act);
        float[][] x = readDat(dir.resolve("tb_input_features.dat"));
        float[][] y = readDat(dir.resolve("tb_output_predictions.dat"));
        List<Path> files = new ArrayList<>(List.of(dir.resolve(act + ".json")));
        if (Files.exists(dir.resolve(act + ".h5"))) {
            files.add(dir.resolve(act + ".h5"));
        }
        for (Path f : files) {
            Model m = ModelFiles.load(f);
            float[][] got = predict(m, x, x[0].length);
            assertClose(y, got, 1e-5, 1e-5, f.getFileName().toString());
        }
    }

    // ------------------------------------------------------------------ Keras vs ONNX exports of the jet MLPs

    @ParameterizedTest
    @ValueSource(strings = {"KERAS_3layer:three_layer_keras.onnx", "KERAS_1layer:two_layer_keras.onnx"})
    void kerasAndOnnxExportsAgree(String pair) throws IOException {
        String[] p = pair.split(":");
        Path json = need("models/hls4ml/example-models-2020/keras/" + p[0] + ".json");
        Path onnx = need("models/hls4ml/example-models-2020/onnx/" + p[1]);
        assumeTrue(ModelFiles.importers().stream().anyMatch(i -> i.formatName().equalsIgnoreCase("ONNX")),
                "the ONNX importer is not registered yet");
        Model k = ModelFiles.load(json);
        Model o = ModelFiles.load(onnx);
        int n = k.inputs().get(0).featuresPerSample();
        assertEquals(n, o.inputs().get(0).featuresPerSample(), "input features");
        Random r = new Random(42);
        float[][] x = new float[256][n];
        for (float[] row : x) {
            for (int i = 0; i < n; i++) {
                row[i] = (float) (r.nextGaussian() * 2);
            }
        }
        float[][] fromKeras = predict(k, x, n);
        assertClose(fromKeras, predict(o, x, n), 1e-6, 1e-5, pair);
        // the comparison means something only if the outputs depend on the input
        assertTrue(java.util.Arrays.stream(fromKeras).map(java.util.Arrays::toString).distinct().count() > 200,
                "outputs vary over the random inputs");
    }

    // ------------------------------------------------------------------ helpers

    /** Runs the model on rows of flattened samples (channels-last order, as hls4ml's .dat files). */
    static float[][] predict(Model m, float[][] rows, int features) {
        int[] shape = m.inputs().get(0).shapeWithBatch(rows.length);
        long per = Tensor.numel(shape) / rows.length;
        assertEquals(per, features, "values per sample for " + m.name());
        float[] flat = new float[rows.length * features];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * features, features);
        }
        Tensor out = Inference.predict(m, new Tensor(shape, flat));
        int per2 = out.size() / rows.length;
        float[][] res = new float[rows.length][per2];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(out.data(), i * per2, res[i], 0, per2);
        }
        return res;
    }

    static void assertClose(float[][] want, float[][] got, double atol, double rtol, String what) {
        assertEquals(want.length, got.length, what + ": rows");
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i].length, got[i].length, what + ": values in row " + i);
            for (int j = 0; j < want[i].length; j++) {
                double d = Math.abs(want[i][j] - got[i][j]);
                worst = Math.max(worst, d);
                assertTrue(d <= atol + rtol * Math.abs(want[i][j]), what + ": row " + i + " value " + j + ": want "
                        + want[i][j] + ", got " + got[i][j]);
            }
        }
        System.out.printf("%s: max abs difference %.3g over %d rows%n", what, worst, want.length);
    }

    static int argmax(float[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[b]) {
                b = i;
            }
        }
        return b;
    }

    /** hls4ml .dat: one sample per line, values separated by white space (DataFiles.loadDat). */
    static float[][] readDat(Path p) {
        return rows(DataFiles.loadDat(p));
    }

    static float[][] rows(Tensor t) {
        int n = t.dim(0);
        int per = n == 0 ? 0 : t.size() / n;
        float[][] r = new float[n][per];
        for (int i = 0; i < n; i++) {
            System.arraycopy(t.data(), i * per, r[i], 0, per);
        }
        return r;
    }

    /** MNIST idx images (gzip, magic 2051) as raw 0..255 floats, one flattened row per image. */
    static float[][] mnistImages(Path p) {
        return rows(DataFiles.load(p).x());
    }

    static int[] mnistLabels(Path p) {
        return DataFiles.loadLabels(p);
    }

    @Test
    void jetModelsImportWithTheirShapes() {
        Model k3 = ModelFiles.load(need("models/hls4ml/example-models-2020/keras/KERAS_3layer.json"));
        assertArrayEquals(new int[] {-1, 16}, k3.inputs().get(0).shape());
        assertEquals(List.of("fc1_relu", "fc2_relu", "fc3_relu", "output_softmax"),
                k3.prunableNodes().stream().map(n -> n.name()).toList());
        assertEquals(16 * 64 + 64 + 64 * 32 + 32 + 32 * 32 + 32 + 32 * 5 + 5, k3.parameterCount());
        Model k1 = ModelFiles.load(need("models/hls4ml/example-models-2020/keras/KERAS_1layer_weights.h5"));
        assertArrayEquals(new int[] {1, 1}, k1.inferShapes(1).get(k1.outputs().get(0)));
    }
}
