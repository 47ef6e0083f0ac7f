package dev.sparsimony.engine.infer;

import static dev.sparsimony.engine.infer.TestModels.assertClose;
import static dev.sparsimony.engine.infer.TestModels.chain;
import static dev.sparsimony.engine.infer.TestModels.s;
import static dev.sparsimony.engine.infer.TestModels.t;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.ops.transforms.Transforms;

class CompiledModelTest {
    static Model mlp() {
        // n1: Dense 2->3, n2: ReLU, n3: Dense 3->2
        return chain(s(-1, 2), InferenceCoreTest.dense2x3(), Ops.Activation.of(ActivationKind.RELU),
                new Ops.Dense(t(s(3, 2), 1, 0, 0, 1, 1, 1), t(s(2), 0, 0.5f)));
    }

    static final float[] X = {1, 1, 2, -1};
    // n1 = [5.5,6,11 | -1.5,-2,2]; n2 = [5.5,6,11 | 0,0,2]; n3 = [16.5, 17.5 | 2, 2.5]
    static final float[] Y = {16.5f, 17.5f, 2, 2.5f};

    @Test
    void forwardMatchesInferenceRunAndSizes() {
        try (CompiledModel cm = CompiledModel.compile(mlp(), 4)) {
            assertEquals(2, cm.inputSize());
            assertEquals(2, cm.outputSize());
            assertClose(Y, cm.forward(X, 2), 1e-6f);
            float[] out = new float[8];
            cm.forward(X, 1, out);
            assertClose(new float[] {16.5f, 17.5f}, new float[] {out[0], out[1]}, 1e-6f);
            // back to the full batch and again n=2: buffers are reused, results stable
            cm.forward(new float[8], 4, out);
            assertClose(Y, cm.forward(X, 2), 1e-6f);
        }
    }

    @Test
    void setWeightAndRestore() {
        try (CompiledModel cm = CompiledModel.compile(mlp(), 2)) {
            cm.setWeight("n3", "kernel", new float[] {0, 0, 0, 0, 0, 0});
            assertClose(new float[] {0, 0.5f, 0, 0.5f}, cm.forward(X, 2), 0);
            cm.setWeight("n3", "bias", new float[] {1, 1});
            assertClose(new float[] {1, 1, 1, 1}, cm.forward(X, 2), 0);
            cm.restoreWeights();
            assertClose(Y, cm.forward(X, 2), 1e-6f);
            assertThrows(ModelException.class, () -> cm.setWeight("n3", "kernel", new float[5]));
            assertThrows(ModelException.class, () -> cm.setWeight("nope", "kernel", new float[6]));
            assertThrows(ModelException.class, () -> cm.setWeight("n3", "gamma", new float[6]));
        }
    }

    @Test
    void outputTransformAppliesInPlaceAfterTheNode() {
        try (CompiledModel cm = CompiledModel.compile(mlp(), 2)) {
            // floor the first Dense output: [5,6,11 | -2,-2,2] -> relu [5,6,11 | 0,0,2] -> [16,17.5 | 2,2.5]
            cm.setOutputTransform("n1", a -> Transforms.floor(a, false));
            assertClose(new float[] {16, 17.5f, 2, 2.5f}, cm.forward(X, 2), 1e-6f);
            Map<String, float[]> cap = cm.forwardCapture(X, 2, Set.of("n1", "n2"));
            assertClose(new float[] {5, 6, 11, -2, -2, 2}, cap.get("n1"), 0);
            assertClose(new float[] {5, 6, 11, 0, 0, 2}, cap.get("n2"), 0);
            cm.clearOutputTransforms();
            assertClose(Y, cm.forward(X, 2), 1e-6f);
        }
    }

    @Test
    void forwardCaptureReturnsIntermediatesBeforeInPlaceReuse() {
        try (CompiledModel cm = CompiledModel.compile(mlp(), 2)) {
            Map<String, float[]> cap = cm.forwardCapture(X, 2, Set.of("n1", "n2", "n3", "x"));
            assertClose(new float[] {5.5f, 6, 11, -1.5f, -2, 2}, cap.get("n1"), 1e-6f);
            assertClose(new float[] {5.5f, 6, 11, 0, 0, 2}, cap.get("n2"), 1e-6f);
            assertClose(Y, cap.get("n3"), 1e-6f);
            assertArrayEquals(X, cap.get("x"));
            assertThrows(ModelException.class, () -> cm.forwardCapture(X, 2, Set.of("zz")));
        }
    }

    @Test
    void largeRandomMlpAgreesWithInferenceRun() {
        Random r = new Random(1);
        Model m = chain(s(-1, 16),
                new Ops.Dense(TestModels.random(r, 16, 64), TestModels.random(r, 64)),
                Ops.Activation.of(ActivationKind.RELU),
                new Ops.Dense(TestModels.random(r, 64, 5), TestModels.random(r, 5)),
                new Ops.Softmax(-1, false));
        Tensor x = TestModels.random(r, 300, 16);
        Tensor ref = TestModels.run(m, x);
        try (CompiledModel cm = CompiledModel.compile(m, 300)) {
            assertClose(ref.data(), cm.forward(x.data(), 300), 1e-6f);
        }
        assertClose(ref.data(), Inference.predict(m, x).data(), 1e-6f);
    }

    @Test
    void capturedInputIsTheCallersDataEvenWhenTheFirstOpWorksInPlace() {
        Model m = chain(s(-1, 2), Ops.Activation.of(ActivationKind.RELU), new Ops.Dense(t(s(2, 1), 1, 1), null));
        try (CompiledModel cm = CompiledModel.compile(m, 2)) {
            float[] x = {-1, 2, 3, -4};
            Map<String, float[]> cap = cm.forwardCapture(x, 2, Set.of("x", "n1"));
            assertArrayEquals(x, cap.get("x"));
            assertArrayEquals(new float[] {0, 2, 3, 0}, cap.get("n1"));
            assertClose(new float[] {2, 3}, cm.forward(x, 2), 0);
        }
    }

    @Test
    void setWeightRefreshesDerivedKernelData() {
        // Conv (prepared kernel copy) -> BatchNorm (folded scale/shift) on a 1x2x2x1 NHWC map
        Ops.Conv conv = new Ops.Conv(t(s(1, 1, 1, 1), 2), t(s(1), 1), s(1, 1), s(1, 1), s(0, 0), s(0, 0), 1,
                dev.sparsimony.engine.model.Layout.CHANNELS_LAST);
        Ops.BatchNorm bn = new Ops.BatchNorm(t(s(1), 1), t(s(1), 0), t(s(1), 0), t(s(1), 1), 0f,
                dev.sparsimony.engine.model.Layout.CHANNELS_LAST);
        Model m = chain(s(-1, 2, 2, 1), conv, bn);
        float[] x = {1, 2, 3, 4};
        try (CompiledModel cm = CompiledModel.compile(m, 1)) {
            assertClose(new float[] {3, 5, 7, 9}, cm.forward(x, 1), 1e-6f);
            cm.setWeight("n1", "kernel", new float[] {0});
            assertClose(new float[] {1, 1, 1, 1}, cm.forward(x, 1), 1e-6f);
            cm.setWeight("n2", "gamma", new float[] {3});
            assertClose(new float[] {3, 3, 3, 3}, cm.forward(x, 1), 1e-6f);
            cm.restoreWeights();
            assertClose(new float[] {3, 5, 7, 9}, cm.forward(x, 1), 1e-6f);
        }
    }

    /** Floors its chunk and counts the runs it saw (to check that the fused pass streams, and covers everything). */
    static final class FloorChunks implements OutputTransform.Elementwise {
        int begins;
        int values;

        @Override
        public void begin(org.nd4j.linalg.api.ndarray.INDArray output) {
            begins++;
        }

        @Override
        public void apply(float[] buf, int from, int to) {
            values += to - from;
            for (int i = from; i < to; i++) {
                buf[i] = (float) Math.floor(buf[i]);
            }
        }
    }

    @Test
    void elementwiseTransformFusesWithTheFollowingActivation() {
        // n1 output floored, then n2 (ReLU, in place on n1's buffer) in the same chunk pass
        try (CompiledModel cm = CompiledModel.compile(mlp(), 2)) {
            FloorChunks t = new FloorChunks();
            cm.setOutputTransform("n1", t);
            assertClose(new float[] {16, 17.5f, 2, 2.5f}, cm.forward(X, 2), 1e-6f);
            assertEquals(1, t.begins);
            assertEquals(6, t.values);
            // capturing n1 must see its value before the ReLU: no fusion then, same results
            Map<String, float[]> cap = cm.forwardCapture(X, 2, Set.of("n1", "n2"));
            assertClose(new float[] {5, 6, 11, -2, -2, 2}, cap.get("n1"), 0);
            assertClose(new float[] {5, 6, 11, 0, 0, 2}, cap.get("n2"), 0);
        }
    }

    @Test
    void fusedAndUnfusedPassesAgreeOnLargeTiles() {
        // more values than one heap chunk, so the fused pass walks several chunks
        Random r = new Random(3);
        Model m = chain(s(-1, 16),
                new Ops.Dense(TestModels.random(r, 16, 300), TestModels.random(r, 300)),
                Ops.Activation.of(ActivationKind.LEAKY_RELU),
                new Ops.Dense(TestModels.random(r, 300, 4), null));
        float[] x = TestModels.randomFloats(r, 50 * 16);
        try (CompiledModel fused = CompiledModel.compile(m, 50); CompiledModel plain = CompiledModel.compile(m, 50)) {
            fused.setOutputTransform("n1", new FloorChunks());
            plain.setOutputTransform("n1", a -> Transforms.floor(a, false));
            assertClose(plain.forward(x, 50), fused.forward(x, 50), 1e-5f);
        }
    }

    @Test
    void forwardOnARangeOfSamplesEqualsForwardOnACopy() {
        Random r = new Random(4);
        float[] x = TestModels.randomFloats(r, 7 * 2);
        try (CompiledModel cm = CompiledModel.compile(mlp(), 3)) {
            float[] whole = new float[7 * 2];
            for (int s = 0; s < 7; s += 3) {
                cm.forward(x, s, Math.min(3, 7 - s), whole, s);
            }
            float[] expected = new float[7 * 2];
            for (int i = 0; i < 7; i++) {
                float[] one = cm.forward(java.util.Arrays.copyOfRange(x, 2 * i, 2 * i + 2), 1);
                System.arraycopy(one, 0, expected, 2 * i, 2);
            }
            assertClose(expected, whole, 1e-6f);
            assertThrows(IllegalArgumentException.class, () -> cm.forward(x, 6, 3, new float[14], 0));
            assertThrows(IllegalArgumentException.class, () -> cm.forward(x, 0, 3, new float[14], 6));
            assertThrows(IllegalArgumentException.class, () -> cm.forward(x, -1, 1, new float[14], 0));
        }
    }
}
