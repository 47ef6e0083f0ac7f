package dev.sparsimony.engine.explore;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsimony.engine.CompressFixtures;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.metric.Evaluator;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.prune.KernelView;
import dev.sparsimony.engine.prune.Pruning;
import dev.sparsimony.engine.prune.StructureCost;
import dev.sparsimony.engine.prune.StructureCosts;
import dev.sparsimony.engine.prune.StructureMap;
import dev.sparsimony.engine.quantize.FixedPoint;
import dev.sparsimony.engine.quantize.Quantizer;
import dev.sparsimony.engine.quantize.QuantizerSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DesignPointEvaluatorTest {
    static Model mlp;
    static Dataset data;
    static DesignPointEvaluator ev;

    @BeforeAll
    static void setUp() {
        mlp = CompressFixtures.mlp(11, 16, 64, 32, 32, 5);
        Random r = new Random(5);
        int n = 300;
        float[] x = new float[n * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(5);
        }
        data = new Dataset("val", Tensor.of(x, n, 16), labels);
        ev = new DesignPointEvaluator(mlp, data, 128); // several batches incl. a partial one
    }

    @AfterAll
    static void tearDown() {
        ev.close();
    }

    static float[] forwardManual(Model m, float[] x, FixedPoint out) {
        Quantizer q = out == null ? null : new Quantizer(out);
        float[] h = x;
        for (Node n : m.prunableNodes()) {
            Ops.Dense d = (Ops.Dense) n.op();
            float[] y = new float[d.nOut()];
            for (int j = 0; j < d.nOut(); j++) {
                float s = d.bias().data()[j];
                for (int i = 0; i < d.nIn(); i++) {
                    s += h[i] * d.kernel().data()[i * d.nOut() + j];
                }
                y[j] = s;
            }
            if (q != null) {
                q.quantize(y);
            }
            if (!n.name().equals("dense4")) {
                for (int j = 0; j < y.length; j++) {
                    y[j] = Math.max(0, y[j]);
                }
            }
            h = y;
        }
        return h;
    }

    @Test
    void jsonRoundTrip() {
        DesignPoint p = new DesignPoint(DesignPoint.VERSION, "p1",
                PruneSpec.knapsack("dsp-pattern", null, "l2", Map.of("params", 0.5), true, "dp"),
                Map.of("dense1", new LayerSpec("n-of-m", Map.of("n", 2.0, "m", 4.0), 0.5, null,
                        QuantizerSpec.kmeans(8), null, QuantizerSpec.fixed(new FixedPoint(12, 4, true,
                        FixedPoint.Rounding.CONVERGENT, FixedPoint.Overflow.SATURATE)), 2, "resource")),
                QuantizerSpec.fixed(16, 6), QuantizerSpec.fixed(16, 6), QuantizerSpec.none(),
                HardwareSpec.defaults().withReuseFactor(4), List.of("dense1"), 7);
        String json = DesignPointCodec.write(p);
        assertEquals(p, DesignPointCodec.read(json, "p"));
        DesignPoint minimal = DesignPointCodec.read("{\"prune\":{\"granularity\":\"unstructured\",\"sparsity\":0.5},"
                + "\"weights\":{\"type\":\"fixed\",\"fixed\":{\"width\":16,\"integer\":6,\"signed\":true,"
                + "\"rounding\":\"TRUNCATE\",\"overflow\":\"WRAP\"}}}", "m");
        assertEquals(0.5, minimal.prune().sparsity());
        DesignPoint short1 = DesignPointCodec.read("{\"weights\":{\"hls\":\"ap_fixed<8,3,AP_RND_CONV,AP_SAT>\"},"
                + "\"outputs\":{\"type\":\"fixed\",\"hls\":\"ap_ufixed<10,4>\"}}", "s");
        assertEquals(new FixedPoint(8, 3, true, FixedPoint.Rounding.CONVERGENT, FixedPoint.Overflow.SATURATE),
                short1.weights().fixed());
        assertEquals("ap_ufixed<10,4>", short1.outputs().fixed().hlsType());
        assertThrows(ModelException.class, () -> FixedPoint.parse("ap_fixed<16>"));
        assertEquals(List.of(), minimal.depthShrink());
    }

    @Test
    void magnitudePruningMatchesThePruningApiAndIndependentInference() {
        DesignPoint p = DesignPoint.of(PruneSpec.magnitude(0.6, true));
        DesignPointEvaluator.Compressed c = ev.evaluateWithModel(p);
        Model expected = Pruning.globalMagnitude(mlp, 0.6);
        for (Node n : mlp.prunableNodes()) {
            assertArrayEquals(KernelView.kernel(expected.node(n.name())).data(),
                    KernelView.kernel(c.model().node(n.name())).data());
        }
        assertEquals(expected.kernelSparsity(), c.result().sparsity(), 1e-12);
        assertEquals(Evaluator.evaluate(expected, data).value(), c.result().quality().value(), 1e-12);
        assertEquals(c.result().params(), c.result().layers().stream().mapToLong(LayerResult::nonZeros).sum());
    }

    @Test
    void outputQuantizationEqualsAHandForward() {
        FixedPoint t = FixedPoint.of(8, 3);
        DesignPoint p = DesignPoint.of(PruneSpec.magnitude(0.3, false))
                .withQuantizers(QuantizerSpec.fixed(8, 2), QuantizerSpec.fixed(8, 3), QuantizerSpec.fixed(t));
        Model compressed = ev.compress(p);
        int n = data.size();
        int[] labels = new int[n];
        for (int s = 0; s < n; s++) {
            float[] xs = java.util.Arrays.copyOfRange(data.x().data(), s * 16, s * 16 + 16);
            float[] y = forwardManual(compressed, xs, t);
            int best = 0;
            for (int j = 1; j < y.length; j++) {
                if (y[j] > y[best]) {
                    best = j;
                }
            }
            labels[s] = best;
        }
        DesignPointEvaluator e2 = new DesignPointEvaluator(mlp, new Dataset("v2", data.x(), labels), 1000);
        assertEquals(1.0, e2.evaluate(p).quality().value(), 0.01); // float summation order may flip a near-tie
        e2.close();
        assertEquals("ap_fixed<8,3>", compressed.metadata().get("sparsimony.outputType.dense1"));
    }

    @Test
    void firstLayerBoundAndRangeScanAgreeWithAHandForward() {
        // the first 128-sample tile is tiny (its bound proves the first layer in range), the rest is large enough
        // to overflow ap_fixed<8,4> and wrap: both paths must give the hand-computed ap_fixed forward
        FixedPoint t = FixedPoint.of(8, 4);
        int n = data.size();
        float[] x = data.x().data().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] *= i < 128 * 16 ? 0.01f : 3f;
        }
        DesignPoint p = DesignPoint.of(PruneSpec.magnitude(0.2, false)).withQuantizers(QuantizerSpec.fixed(8, 3),
                QuantizerSpec.fixed(8, 3), QuantizerSpec.fixed(t));
        Model compressed = ev.compress(p);
        int[] labels = new int[n];
        for (int s = 0; s < n; s++) {
            float[] y = forwardManual(compressed, java.util.Arrays.copyOfRange(x, s * 16, s * 16 + 16), t);
            int best = 0;
            for (int j = 1; j < y.length; j++) {
                best = y[j] > y[best] ? j : best;
            }
            labels[s] = best;
        }
        try (DesignPointEvaluator e = new DesignPointEvaluator(mlp, new Dataset("mixed", Tensor.of(x, n, 16), labels),
                128)) {
            assertEquals(1.0, e.evaluate(p).quality().value(), 0.01); // float summation order may flip a near-tie
        }
    }

    @Test
    void pointsDoNotLeakIntoEachOther() {
        DesignPoint a = DesignPoint.of(PruneSpec.magnitude(0.5, false)).withQuantizers(QuantizerSpec.fixed(6, 2),
                QuantizerSpec.fixed(6, 2), QuantizerSpec.fixed(8, 4));
        DesignPoint b = DesignPoint.of(PruneSpec.structured("columns", null, "l2", "layer", 0.3));
        DesignResult r1 = ev.evaluate(a);
        ev.evaluate(b);
        DesignResult r3 = ev.evaluate(a);
        assertEquals(r1, r3);
    }

    @Test
    void knapsackKeepsWithinTheBudget() {
        DesignPoint p = DesignPoint.of(PruneSpec.knapsack("unstructured", null, "l1", Map.of("params", 1000.0),
                false, null));
        DesignResult r = ev.evaluate(p);
        assertTrue(r.params() <= 1000 && r.params() >= 990, "kept " + r.params());
        DesignPoint two = DesignPoint.of(PruneSpec.knapsack("columns", null, "l2",
                Map.of("params", 0.5, "MACs", 0.4), true, "mip"));
        DesignResult r2 = ev.evaluate(two);
        assertTrue(r2.params() <= 0.4 * 4256 + 1e-9, "kept " + r2.params());
        DesignPoint greedy = DesignPoint.of(PruneSpec.knapsack("rows", null, "l2",
                Map.of("bytes", 2000.0), false, "greedy")).withQuantizers(QuantizerSpec.fixed(16, 6), null, null);
        assertTrue(ev.evaluate(greedy).params() * 2 <= 2000);
    }

    @Test
    void hardwareBudgetsFromThePointsSettings() {
        DesignPoint p = DesignPoint.of(PruneSpec.knapsack("dsp-pattern", null, "l2",
                Map.of("DSP", 0.5), true, null)).withQuantizers(QuantizerSpec.fixed(16, 6), null, null)
                .withHardware(HardwareSpec.defaults().withStrategy("resource").withReuseFactor(4));
        DesignResult r = ev.evaluate(p);
        assertTrue(r.sparsity() > 0.3 && r.sparsity() < 0.7, "sparsity " + r.sparsity());
    }

    @Test
    void depthShrinkAndStructuredGranularities() {
        DesignPoint p = DesignPoint.of(PruneSpec.structured("n-of-m", Map.of("n", 1.0, "m", 4.0), "l1", "layer", 0))
                .withDepthShrink(List.of("dense2"));
        DesignResult r = ev.evaluate(p);
        assertEquals(3, r.layers().size());
        assertEquals(0.75, r.layers().get(0).sparsity(), 1e-9);
        DesignPoint darb = DesignPoint.of(PruneSpec.structured("darb", null, "l1", "global", 0.7));
        assertEquals(0.7, ev.evaluate(darb).sparsity(), 0.01);
        DesignPoint dsp = DesignPoint.of(PruneSpec.structured("dsp-pattern", null, "l2", "global", 0.5))
                .withQuantizers(QuantizerSpec.kmeans(16), null, null)
                .withHardware(HardwareSpec.defaults().withReuseFactor(4));
        DesignResult rd = ev.evaluate(dsp);
        assertEquals(0.5, rd.sparsity(), 4.0 / 4256 + 1e-9);
        assertTrue(rd.storage().huffmanBits() < rd.storage().originalBits());
    }

    @Test
    void fidelityWithoutLabels() {
        Dataset unlabelled = new Dataset("u", data.x(), null);
        try (DesignPointEvaluator e = new DesignPointEvaluator(mlp, unlabelled, 1000)) {
            DesignResult same = e.evaluate(DesignPoint.of(PruneSpec.none()));
            assertEquals(dev.sparsimony.engine.metric.Quality.Metric.FIDELITY, same.quality().metric());
            assertEquals(1.0, same.quality().value());
            assertEquals(0.0, same.quality().mse(), 1e-12);
            DesignResult pruned = e.evaluate(DesignPoint.of(PruneSpec.magnitude(0.9, true)));
            assertTrue(pruned.quality().value() < 1.0 && pruned.quality().mse() > 0);
        }
    }

    @Test
    void trailingSoftmaxAndTileSizeDoNotChangeTheAccuracy() {
        // the same MLP ending in a class softmax: the evaluator reads top-1 from the logits unless the point
        // types the softmax output; either way the accuracy is that of the compressed model run whole
        List<Node> nodes = new java.util.ArrayList<>(mlp.nodes());
        nodes.add(new Node("softmax", new Ops.Softmax(-1, false), List.of("dense4")));
        Model withSoftmax = mlp.withGraph(nodes, List.of("softmax"));
        QuantizerSpec f = QuantizerSpec.fixed(10, 4);
        LayerSpec typedSoftmax = LayerSpec.empty().withQuantizers(null, null, QuantizerSpec.fixed(8, 1));
        List<DesignPoint> points = List.of(
                DesignPoint.of(PruneSpec.none()),
                DesignPoint.of(PruneSpec.magnitude(0.7, false)).withQuantizers(f, f, f),
                new DesignPoint(DesignPoint.VERSION, "typed", PruneSpec.magnitude(0.5, true),
                        Map.of("softmax", typedSoftmax), f, f, f, null, List.of(), 1));
        try (DesignPointEvaluator small = new DesignPointEvaluator(withSoftmax, data, 7);
             DesignPointEvaluator whole = new DesignPointEvaluator(withSoftmax, data, 1000);
             DesignPointEvaluator auto = new DesignPointEvaluator(withSoftmax, data)) {
            for (DesignPoint p : points) {
                DesignPointEvaluator.Compressed c = whole.evaluateWithModel(p);
                double acc = c.result().quality().value();
                assertEquals(acc, small.evaluate(p).quality().value(), 1e-12, p.name());
                assertEquals(acc, auto.evaluate(p).quality().value(), 1e-12, p.name());
                if (p.layers().isEmpty() && p.outputs().absent()) {
                    // no output types: the compressed model itself, run by the plain evaluator, agrees
                    assertEquals(Evaluator.evaluate(c.model(), data).value(), acc, 1e-12, p.name());
                }
            }
        }
    }

    @Test
    void sampleJetMlpKeepsItsDocumentedAccuracy() {
        java.nio.file.Path dir = java.nio.file.Path.of("sample-models", "jet-mlp");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(dir),
                "sample-models/jet-mlp is not in this checkout");
        Model m = dev.sparsimony.engine.io.ModelFiles.load(dir.resolve("model.json"));
        Dataset d = dev.sparsimony.engine.data.DataFiles.load(dir.resolve("validation.npz"));
        try (DesignPointEvaluator e = new DesignPointEvaluator(m, d)) {
            double base = e.evaluate(DesignPoint.of(PruneSpec.none())).quality().value();
            assertEquals(0.7475, base, 0.0005); // sample-models/README.md
            QuantizerSpec f = QuantizerSpec.fixed(16, 6);
            DesignResult r = e.evaluate(DesignPoint.of(PruneSpec.magnitude(0.5, true)).withQuantizers(f, f, f));
            assertEquals(0.5, r.sparsity(), 1e-3);
            assertTrue(r.quality().value() > base - 0.05, "accuracy " + r.quality().value());
        }
    }

    @Test
    void badFieldsAreNamed() {
        assertMessage("prune.sparsity", DesignPoint.of(PruneSpec.magnitude(1.5, false)));
        assertMessage("layers.dense1.sparsity", DesignPoint.of(PruneSpec.magnitude(0.5, false))
                .withLayers(Map.of("dense1", LayerSpec.sparsity(-0.2))));
        assertMessage("layers.nope", DesignPoint.of(PruneSpec.magnitude(0.5, false))
                .withLayers(Map.of("nope", LayerSpec.sparsity(0.2))));
        assertMessage("prune.granularity", DesignPoint.of(PruneSpec.structured("n-of-m",
                Map.of("n", 4.0, "m", 4.0), "l1", "layer", 0.5)));
        assertMessage("prune.granularity", DesignPoint.of(PruneSpec.structured("block",
                Map.of("rows", 40.0, "cols", 2.0), "l1", "layer", 0.5)));
        assertMessage("prune.granularity", DesignPoint.of(PruneSpec.knapsack("darb", null, "l1",
                Map.of("params", 10.0), false, null)));
        assertMessage("outputs", DesignPoint.of(PruneSpec.none()).withQuantizers(null, null, QuantizerSpec.po2(4)));
        assertMessage("prune.budgets.params", DesignPoint.of(PruneSpec.knapsack("unstructured", null, "l1",
                Map.of("params", -1.0), false, null)));
        StructureCosts.register("test-fixed", ctx -> new StructureCost() {
            @Override
            public String resource() {
                return "test-fixed";
            }

            @Override
            public double[] costs(Node layer, int[] outputShape, StructureMap map) {
                return new double[map.count()];
            }

            @Override
            public double fixedCost(Node layer, int[] outputShape, StructureMap map) {
                return 10;
            }
        });
        ModelException e = assertMessage("prune.budgets.test-fixed", DesignPoint.of(PruneSpec.knapsack("rows", null,
                "l1", Map.of("test-fixed", 5.0), false, null)));
        assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
        assertTrue(assertThrows(ModelException.class, () -> QuantizerSpec.fixed(40, 6)).getMessage().contains("W"));
    }

    static ModelException assertMessage(String field, DesignPoint p) {
        ModelException e = assertThrows(ModelException.class, () -> ev.evaluate(p));
        assertTrue(e.getMessage().contains(field), e.getMessage());
        return e;
    }
}
