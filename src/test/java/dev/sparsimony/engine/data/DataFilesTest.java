package dev.sparsimony.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsimony.engine.io.npy.Npy;
import dev.sparsimony.engine.io.npy.NpyArray;
import dev.sparsimony.engine.io.npy.Npz;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFilesTest {
    @TempDir
    Path tmp;

    private static Path shared() {
        return Path.of(System.getProperty("sparsimony.shared", "../shared"), "conformance");
    }

    private static Tensor x(int n, int w) {
        float[] f = new float[n * w];
        for (int i = 0; i < f.length; i++) {
            f[i] = i * 0.5f;
        }
        return Tensor.of(f, n, w);
    }

    private static String msg(Path p) {
        return msg(p, DataOptions.DEFAULT);
    }

    private static String msg(Path p, DataOptions o) {
        return assertThrows(ModelException.class, () -> DataFiles.load(p, o)).getMessage();
    }

    // ------------------------------------------------------------------ npy / npz

    @Test
    void npyWithCompanionLabels() {
        Npy.write(tmp.resolve("x_test.npy"), NpyArray.ofFloats(x(4, 3)));
        Dataset d = DataFiles.load(tmp.resolve("x_test.npy"));
        assertEquals(x(4, 3), d.x());
        assertFalse(d.hasLabels());
        Npy.write(tmp.resolve("y_test.npy"), NpyArray.ofInts(new int[] {1, 0, 2, 1}));
        assertArrayEquals(new int[] {1, 0, 2, 1}, DataFiles.load(tmp.resolve("x_test.npy")).labels());
        Npy.write(tmp.resolve("x_test_labels.npy"), NpyArray.ofInts(new int[] {0, 0, 0, 1}));
        assertArrayEquals(new int[] {0, 0, 0, 1}, DataFiles.load(tmp.resolve("x_test.npy")).labels());
        assertNull(DataFiles.load(tmp.resolve("x_test.npy"), DataOptions.DEFAULT.withoutLabels()).labels());
        Npy.write(tmp.resolve("x_test_labels.npy"), NpyArray.ofInts(new int[] {0, 1}));
        assertTrue(msg(tmp.resolve("x_test.npy")).contains("4 samples but labels file x_test_labels.npy has 2"));
    }

    @Test
    void npzKeyRules() {
        Path p = tmp.resolve("d.npz");
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("meta", NpyArray.ofInts(new int[] {7}));
        m.put("inputs", NpyArray.ofFloats(x(3, 2)));
        m.put("labels", NpyArray.ofInts(new int[] {2, 1, 0}));
        Npz.write(p, m);
        Dataset d = DataFiles.load(p);
        assertEquals(x(3, 2), d.x());
        assertArrayEquals(new int[] {2, 1, 0}, d.labels());

        m.clear();
        m.put("a", NpyArray.ofFloats(x(3, 2)));
        // one-hot labels in the second array
        m.put("b", NpyArray.ofFloats(Tensor.of(new float[] {0, 1, 0, 1, 0, 0, 0, 0, 1}, 3, 3)));
        Npz.write(p, m);
        assertArrayEquals(new int[] {1, 0, 2}, DataFiles.load(p).labels());

        m.clear();
        m.put("x", NpyArray.ofFloats(x(3, 2)));
        m.put("z", NpyArray.ofInts(new int[] {1, 1, 1}));
        Npz.write(p, m);
        assertNull(DataFiles.load(p).labels(), "x without y: no labels");
        assertArrayEquals(new int[] {1, 1, 1}, DataFiles.load(p, DataOptions.DEFAULT.withLabelColumn("z")).labels());
        assertTrue(msg(p, DataOptions.DEFAULT.withLabelColumn("q")).contains("no array 'q'"));
    }

    @Test
    void labelRules() {
        assertArrayEquals(new int[] {2, 0}, Labels.fromTensor(Tensor.of(new float[] {2, 0}, 2, 1), "t"));
        assertArrayEquals(new int[] {1, 0}, Labels.fromTensor(Tensor.of(new float[] {0, 1, 1, 0}, 2, 2), "t"));
        assertTrue(assertThrows(ModelException.class, () -> Labels.fromTensor(Tensor.of(new float[] {0.2f, 0.8f,
                1, 0}, 2, 2), "t")).getMessage().contains("not one-hot"));
        assertTrue(assertThrows(ModelException.class, () -> Labels.fromTensor(Tensor.of(new float[] {1, 1, 0, 0},
                2, 2), "t")).getMessage().contains("not one-hot"));
        assertTrue(assertThrows(ModelException.class, () -> Labels.fromTensor(Tensor.of(new float[] {0, 0, 1, 0},
                2, 2), "t")).getMessage().contains("row 0 has no 1"));
        assertTrue(assertThrows(ModelException.class, () -> Labels.fromTensor(Tensor.of(new float[] {1, -1}, 2),
                "t")).getMessage().contains("non-negative"));
        assertTrue(assertThrows(ModelException.class, () -> Labels.fromTensor(Tensor.of(new float[] {1, 1.5f}, 2),
                "t")).getMessage().contains("not an integer"));
        assertTrue(assertThrows(ModelException.class, () -> Labels.fromTensor(Tensor.zeros(2, 2, 2), "t"))
                .getMessage().contains("shape"));
    }

    // ------------------------------------------------------------------ CSV

    @Test
    void csvWithHeaderAndLabelColumn() throws IOException {
        Path p = tmp.resolve("d.csv");
        Files.writeString(p, "f1,f2,Label,f3\n1,2,0,3\n\n4,5.5,2,-6e-1\n");
        Dataset d = DataFiles.load(p);
        assertEquals(Tensor.of(new float[] {1, 2, 3, 4, 5.5f, -0.6f}, 2, 3), d.x());
        assertArrayEquals(new int[] {0, 2}, d.labels());
        assertEquals(Tensor.of(new float[] {1, 2, 0, 3}, 1, 4),
                DataFiles.load(p, DataOptions.DEFAULT.withoutLabels()).head(1).x());
        Dataset e = DataFiles.load(p, DataOptions.DEFAULT.withLabelColumn("f1").withScale(2));
        assertArrayEquals(new int[] {1, 4}, e.labels(), "explicit column; scale does not touch labels");
        assertEquals(4f, e.x().data()[0]);
    }

    @Test
    void csvHeaderlessAndOptions() throws IOException {
        Path p = tmp.resolve("d.txt");
        Files.writeString(p, "1;2;3\n4;5;6\n");
        Dataset d = DataFiles.load(p);
        assertEquals(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), d.x());
        assertNull(d.labels());
        Dataset l = DataFiles.load(p, DataOptions.DEFAULT.withLabelColumn("last").withScale(0.5f));
        assertArrayEquals(new int[] {3, 6}, l.labels());
        assertEquals(Tensor.of(new float[] {0.5f, 1, 2, 2.5f}, 2, 2), l.x());
        assertArrayEquals(new int[] {1, 4}, DataFiles.load(p, DataOptions.DEFAULT.withLabelColumn("0")).labels());
        assertTrue(msg(p, DataOptions.DEFAULT.withLabelColumn("label")).contains("no column 'label'"));
    }

    @Test
    void csvErrorsNameLineAndColumn() throws IOException {
        Path p = tmp.resolve("bad.csv");
        Files.writeString(p, "a,b,y\n1,2,0\n3,x7,1\n");
        assertEquals("data 'bad.csv' line 3, column 2 (b): 'x7' is not a number", msg(p));
        Files.writeString(p, "1,2\n3\n");
        assertEquals("data 'bad.csv' line 2 has 1 columns, but the first row has 2", msg(p));
        Files.writeString(p, "a,y\n1,0.5\n");
        assertTrue(msg(p).contains("not an integer"), msg(p));
        Files.writeString(p, "a,y\n1,-2\n");
        assertTrue(msg(p).contains("non-negative"), msg(p));
        Files.writeString(p, "a,b\n");
        assertTrue(msg(p).contains("no data rows"));
    }

    // ------------------------------------------------------------------ idx

    private static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(b);
        o.writeInt(magic);
        for (int d : dims) {
            o.writeInt(d);
        }
        o.write(data);
        return b.toByteArray();
    }

    private static void gz(Path p, byte[] bytes) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
            o.write(bytes);
        }
    }

    @Test
    void idxImagesFindTheirLabels() throws IOException {
        byte[] px = new byte[3 * 2 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 20);
        }
        px[0] = (byte) 255;
        Path images = tmp.resolve("train-images-idx3-ubyte.gz");
        gz(images, idx(2051, new int[] {3, 2, 2}, px));
        Dataset d = DataFiles.load(images);
        assertArrayEquals(new int[] {3, 2, 2}, d.x().shape());
        assertEquals(255f, d.x().data()[0]);
        assertNull(d.labels());
        Files.write(tmp.resolve("train-labels-idx1-ubyte"), idx(2049, new int[] {3}, new byte[] {7, 0, 9}));
        d = DataFiles.load(images, DataOptions.DEFAULT.withScale(1 / 255f));
        assertArrayEquals(new int[] {7, 0, 9}, d.labels());
        assertEquals(1f, d.x().data()[0], 1e-6);
        assertTrue(msg(tmp.resolve("train-labels-idx1-ubyte")).contains("labels file (magic 2049)"));
    }

    @Test
    void idxErrors() throws IOException {
        Path p = tmp.resolve("t10k-images-idx3-ubyte");
        Files.write(p, idx(0x12345678, new int[] {1, 1, 1}, new byte[1]));
        assertTrue(msg(p).contains("magic number is 305419896"), msg(p));
        Files.write(p, idx(2051, new int[] {10, 28, 28}, new byte[100]));
        assertEquals("t10k-images-idx3-ubyte is truncated: header says 10x28x28 values of 1 byte(s) (7840 bytes) but"
                + " only 100 bytes follow", msg(p));
        Path g = tmp.resolve("t10k-images-idx3-ubyte.gz");
        byte[] full;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(b)) {
            o.write(idx(2051, new int[] {10, 28, 28}, new byte[7840]));
        }
        full = b.toByteArray();
        Files.write(g, Arrays.copyOf(full, full.length / 2));
        assertTrue(msg(g).contains("t10k-images-idx3-ubyte.gz"), msg(g));
    }

    @Test
    void realMnistTestSet() {
        Path images = shared().resolve("data/mnist/t10k-images-idx3-ubyte.gz");
        assumeTrue(Files.exists(images), "MNIST test set not found at " + images + "; skipped");
        Dataset d = DataFiles.load(images);
        assertArrayEquals(new int[] {10000, 28, 28}, d.x().shape());
        assertEquals(10000, d.labels().length);
        assertEquals(7, d.labels()[0], "the first MNIST test digit is a 7");
        assertEquals(10, d.labelClasses());
        float max = 0;
        for (float v : d.x().data()) {
            max = Math.max(max, v);
        }
        assertEquals(255f, max);
        Dataset mlp = d.forInput(new ValueInfo("input_1", new int[] {-1, 784}));
        assertArrayEquals(new int[] {10000, 784}, mlp.x().shape());
        Dataset cnn = d.head(5).forInput(new ValueInfo("Input3", new int[] {1, 1, 28, 28}));
        assertArrayEquals(new int[] {5, 1, 28, 28}, cnn.x().shape());
    }

    // ------------------------------------------------------------------ hls4ml .dat

    @Test
    void hls4mlDatFiles() {
        Path dir = shared().resolve("models/hls4ml");
        assumeTrue(Files.isDirectory(dir), "hls4ml conformance models not found at " + dir + "; skipped");
        Path in = dir.resolve("mnist_mlp/KERAS_mnist_mlp_inputs.dat");
        Dataset d = DataFiles.load(in);
        assertArrayEquals(new int[] {3, 784}, d.x().shape());
        assertNull(d.labels());
        Tensor ref = DataFiles.loadDat(dir.resolve("mnist_mlp/KERAS_mnist_mlp_outputs.dat"));
        assertArrayEquals(new int[] {3, 10}, ref.shape());
        Path tb = dir.resolve("keras-1layer-examples/relu/tb_input_features.dat");
        Dataset t = DataFiles.load(tb);
        assertNull(t.labels(), "tb_output_predictions.dat is a reference output, never labels");
        assertEquals(t.size(), DataFiles.loadDat(tb.resolveSibling("tb_output_predictions.dat")).dim(0));
    }

    @Test
    void datWithLabelsFileAndErrors() throws IOException {
        Path p = tmp.resolve("in.dat");
        Files.writeString(p, "1 2 3\n4  5 6\n");
        Path y = tmp.resolve("y.dat");
        Files.writeString(y, "0 1\n1 0\n");
        assertArrayEquals(new int[] {1, 0}, DataFiles.load(p, DataOptions.DEFAULT.withLabelsFile(y)).labels());
        Files.writeString(p, "1 2 3\n4 5\n");
        assertEquals("data 'in.dat' line 2 has 2 values, but line 1 has 3", msg(p));
        Files.writeString(p, "1 2 3\n4 five 6\n");
        assertEquals("data 'in.dat' line 2, value 2: 'five' is not a number",
                assertThrows(ModelException.class, () -> DataFiles.loadDat(p)).getMessage());
    }

    // ------------------------------------------------------------------ dispatch, helpers, errors

    @Test
    void missingAndUnknownFiles() throws IOException {
        assertTrue(msg(tmp.resolve("nope.npz")).startsWith("data file not found"));
        assertTrue(msg(tmp).contains("is a directory"));
        Path bin = tmp.resolve("blob.bin");
        Files.write(bin, new byte[] {1, 2, 3, 0, 5, 6, 7, 8, 9});
        assertTrue(msg(bin).startsWith("unsupported data file blob.bin"));
        Path json = tmp.resolve("model.json");
        Files.writeString(json, "{\"format\": \"x\", \"a\": [1, 2]}");
        assertTrue(msg(json).startsWith("unsupported data file model.json"), msg(json));
        Path plain = tmp.resolve("values");
        Files.writeString(plain, "1 2\n3 4\n");
        assertEquals(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), DataFiles.load(plain).x());
        Path npy = tmp.resolve("t.npy");
        Npy.write(npy, NpyArray.ofFloats(x(100, 10)));
        byte[] all = Files.readAllBytes(npy);
        Files.write(npy, Arrays.copyOf(all, 300));
        assertTrue(msg(npy).startsWith("t.npy is truncated"), msg(npy));
        Path zip = tmp.resolve("c.npz");
        Files.write(zip, Arrays.copyOf("PK\u0003\u0004garbage".getBytes(), 60));
        assertTrue(msg(zip).contains("c.npz"), msg(zip));
    }

    @Test
    void datasetHelpers() {
        Dataset d = new Dataset("jets.npz", x(4, 12), new int[] {0, 1, 2, 3});
        assertEquals(2, d.head(2).size());
        assertArrayEquals(new int[] {0, 1}, d.head(2).labels());
        assertSame(d, d.head(10));
        assertArrayEquals(new int[] {1, 2}, d.slice(1, 3).labels());
        assertEquals("data 'jets.npz' has 12 values per sample but model input 'input_1' expects 16",
                assertThrows(ModelException.class, () -> d.forInput(new ValueInfo("input_1", new int[] {-1, 16})))
                        .getMessage());
        assertArrayEquals(new int[] {4, 3, 4}, d.forInput(new ValueInfo("in", new int[] {-1, 3, 4})).x().shape());
        assertArrayEquals(new int[] {4, 2, 6}, d.forInput(new ValueInfo("in", new int[] {-1, 2, -1})).x().shape());
        assertEquals(1f, d.scaled(2f).x().data()[1]);
        assertEquals(4, d.labelClasses());
    }
}
