package dev.sparsimony.engine.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.train.SequentialBuilder;
import dev.sparsimony.engine.train.TrainConfig;
import dev.sparsimony.engine.train.TrainResult;
import dev.sparsimony.engine.train.Trainer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GeneratorsTest {

    private static int[] counts(int[] labels, int classes) {
        int[] c = new int[classes];
        for (int l : labels) {
            c[l]++;
        }
        return c;
    }

    @Test
    void jetsAreDeterministicBalancedAndStandardised() {
        Dataset a = JetGenerator.generate("a", 5000, 11);
        Dataset b = JetGenerator.generate("b", 5000, 11);
        Dataset c = JetGenerator.generate("c", 5000, 12);
        assertArrayEquals(new int[] {5000, 16}, a.x().shape());
        assertArrayEquals(a.x().data(), b.x().data());
        assertArrayEquals(a.labels(), b.labels());
        assertFalse(Arrays.equals(a.x().data(), c.x().data()));
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000}, counts(a.labels(), 5));
        float[] x = a.x().data();
        for (int f = 0; f < 16; f++) {
            double mean = 0;
            double sq = 0;
            for (int i = 0; i < 5000; i++) {
                mean += x[i * 16 + f];
                sq += x[i * 16 + f] * x[i * 16 + f];
            }
            mean /= 5000;
            double sd = Math.sqrt(sq / 5000 - mean * mean);
            assertEquals(0, mean, 0.1, "feature " + f + " mean");
            assertEquals(1, sd, 0.15, "feature " + f + " sd");
        }
        for (float v : x) {
            assertTrue(Float.isFinite(v));
        }
        // classes are not in blocks: the first 20 labels hold several classes
        assertTrue(Arrays.stream(Arrays.copyOf(a.labels(), 20)).distinct().count() >= 3);
    }

    @Test
    void digitsAreDeterministicBalancedAndInRange() {
        Dataset a = DigitGenerator.generate("a", 200, 5);
        Dataset b = DigitGenerator.generate("b", 200, 5);
        assertArrayEquals(new int[] {200, 28, 28, 1}, a.x().shape());
        assertArrayEquals(a.x().data(), b.x().data());
        assertArrayEquals(a.labels(), b.labels());
        assertFalse(Arrays.equals(a.x().data(), DigitGenerator.generate("c", 200, 6).x().data()));
        int[] counts = counts(a.labels(), 10);
        for (int k : counts) {
            assertEquals(20, k);
        }
        double[][] meanImage = new double[10][784];
        for (int i = 0; i < 200; i++) {
            double ink = 0;
            for (int p = 0; p < 784; p++) {
                float v = a.x().data()[i * 784 + p];
                assertTrue(v >= 0f && v <= 1f);
                assertEquals(Math.rint(v * 255), v * 255, 1e-3, "values are multiples of 1/255");
                ink += v;
                meanImage[a.labels()[i]][p] += v / 20;
            }
            assertTrue(ink > 30 && ink < 400, "sample " + i + " has a visible stroke, ink " + ink);
        }
        // the classes look different: mean images of distinct digits are far apart
        for (int d = 0; d < 10; d++) {
            for (int e = d + 1; e < 10; e++) {
                double dist = 0;
                for (int p = 0; p < 784; p++) {
                    double diff = meanImage[d][p] - meanImage[e][p];
                    dist += diff * diff;
                }
                assertTrue(Math.sqrt(dist) > 1.0, "digits " + d + " and " + e + " differ, distance " + dist);
            }
        }
    }

    @Test
    void aSmallMlpOnJetsClearlyBeatsChance() {
        Dataset train = JetGenerator.generate("train", 4000, 1);
        Dataset val = JetGenerator.generate("val", 2000, 2);
        Model m = SequentialBuilder.input("in", 16).dense("fc1", 16).relu("r1").dense("out", 5).softmax("sm")
                .build("small", 3);
        TrainResult r = Trainer.train(m, train, val, TrainConfig.defaults().withEpochs(5).withBatchSize(64)
                .withLearningRate(3e-3), null, null);
        assertTrue(r.last().validationAccuracy() > 0.55, "accuracy " + r.last().validationAccuracy()
                + " vs chance 0.2");
    }

    @Test
    void sampleArchitecturesMatchTheirDescription() {
        Model jet = SampleModels.jetMlp(1, java.util.Map.of());
        assertEquals(java.util.List.of("fc1", "relu1", "fc2", "relu2", "fc3", "relu3", "output", "softmax"),
                jet.nodes().stream().map(n -> n.name()).toList());
        assertArrayEquals(new int[] {-1, 16}, jet.inputs().get(0).shape());
        assertEquals("input_1", jet.inputs().get(0).name());
        assertEquals(16 * 64 + 64 + 64 * 32 + 32 + 32 * 32 + 32 + 32 * 5 + 5, jet.parameterCount());
        Model cnn = SampleModels.digitsCnn(1, java.util.Map.of());
        assertArrayEquals(new int[] {-1, 28, 28, 1}, cnn.inputs().get(0).shape());
        assertArrayEquals(new int[] {1, 10}, cnn.inferShapes(1).get("softmax"));
        assertArrayEquals(new int[] {1, 400}, cnn.inferShapes(1).get("flatten"));
        assertEquals(14410, cnn.parameterCount());
    }

    @Test
    void houseDigitsAreDeterministicBalancedColourAndInRange() {
        Dataset a = HouseDigitGenerator.generate("a", 100, 5);
        assertArrayEquals(new int[] {100, 32, 32, 3}, a.x().shape());
        assertArrayEquals(a.x().data(), HouseDigitGenerator.generate("b", 100, 5).x().data());
        assertFalse(Arrays.equals(a.x().data(), HouseDigitGenerator.generate("c", 100, 6).x().data()));
        for (int k : counts(a.labels(), 10)) {
            assertEquals(10, k);
        }
        int coloured = 0;
        for (int i = 0; i < 100; i++) {
            double spread = 0;
            for (int p = 0; p < 1024; p++) {
                int o = (i * 1024 + p) * 3;
                for (int c = 0; c < 3; c++) {
                    float v = a.x().data()[o + c];
                    assertTrue(v >= 0f && v <= 1f);
                    assertEquals(Math.rint(v * 255), v * 255, 1e-3, "values are multiples of 1/255");
                }
                spread = Math.max(spread, Math.abs(a.x().data()[o] - a.x().data()[o + 2]));
            }
            coloured += spread > 0.2 ? 1 : 0;
        }
        assertTrue(coloured > 80, "most samples are in colour: " + coloured);
    }

    @Test
    void cnnSampleArchitecturesMatchTheirDescription() {
        Model svhn = SampleModels.svhnCnn(1, java.util.Map.of());
        assertArrayEquals(new int[] {-1, 32, 32, 3}, svhn.inputs().get(0).shape());
        assertArrayEquals(new int[] {1, 2, 2, 24}, svhn.inferShapes(1).get("pool_2"));
        assertArrayEquals(new int[] {1, 96}, svhn.inferShapes(1).get("flatten"));
        // hls4ml's SVHN model: conv kernels 432 + 2,304 + 3,456, dense 4,032 + 2,688 + 650, batch norms 4 x 162
        assertEquals(432 + 2304 + 3456 + 4032 + 2688 + 650 + 4 * (16 + 16 + 24 + 42 + 64), svhn.parameterCount());
        assertEquals(30 * 30 * 27 * 16 + 13 * 13 * 144 * 16 + 4 * 4 * 144 * 24 + 96 * 42 + 42 * 64 + 64 * 10,
                SampleReports.macs(svhn));
        Model mobile = SampleModels.mobileCnn(1, java.util.Map.of());
        assertArrayEquals(new int[] {1, 8, 8, 24}, mobile.inferShapes(1).get("b3_add"));
        assertEquals(java.util.List.of("b1_expand", "b2_expand", "b3_expand"),
                dev.sparsimony.engine.transform.DepthShrinker.candidates(mobile));
        assertTrue(mobile.hasNode("b1_add") && !mobile.hasNode("b2_add"), "skip only where stride 1, same width");
    }

    @Test
    void cnnSampleSpacesAreValidSearchSpaces() {
        for (String name : new String[] {"svhn-cnn", "mobile-cnn"}) {
            var root = assertDoesNotThrow(() -> new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(SampleReports.space(name)));
            var space = dev.sparsimony.engine.explore.SearchSpace.read(root, name);
            assertTrue(space.axes().size() >= 3, name);
        }
    }
}
