package dev.sparsimony.engine.io.onnx;

import static dev.sparsimony.engine.io.onnx.OnnxBuild.ai;
import static dev.sparsimony.engine.io.onnx.OnnxBuild.in;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.model.BatchAxis;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Tensor;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batch axis is inferred, never assumed (issue 13): fixed batches, outputs without a batch axis, empty axes. */
class BatchInferenceTest {
    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i * 7 % 11) - 5;
        }
        return v;
    }

    /**
     * keras2onnx's export: input fixed at batch 1, Flatten(axis=0), then a weight matrix. At batch 1 it is the same
     * as Flatten(axis=1); on more samples Flatten(axis=0) would mix them, so the model keeps its batch of 1 and runs
     * sample by sample (before: "Dense expects last input dimension 8, got shape [1, 24]").
     */
    @Test
    void fixedBatchOfOneWithFlattenAtAxisZeroRunsSampleBySample() {
        Model m = new OnnxBuild(13).input("x", 1, 2, 2, 2).init("W", ramp(24), 8, 3)
                .node("Flatten", in("x"), "f", ai("axis", 0)).node("MatMul", in("f", "W"), "y").output("y").load();
        assertArrayEquals(new int[] {1, 2, 2, 2}, m.inputs().get(0).shape(), "the declared batch stays");
        assertFalse(BatchAxis.outputsKeepBatch(m));
        float[] x = ramp(3 * 8);
        Tensor all = Inference.predictAll(m, Map.of("x", Tensor.of(x, 3, 2, 2, 2))).get("y");
        assertArrayEquals(new int[] {3, 3}, all.shape());
        for (int s = 0; s < 3; s++) {
            Tensor one = Inference.run(m, Map.of("x", Tensor.of(Arrays.copyOfRange(x, 8 * s, 8 * s + 8), 1, 2, 2, 2)))
                    .get("y");
            assertArrayEquals(one.data(), Arrays.copyOfRange(all.data(), 3 * s, 3 * s + 3), "sample " + s);
        }
        // the evaluation path (rows of 8 values) agrees
        assertArrayEquals(all.data(), Inference.predict(m, Tensor.of(x, 3, 8)).data());
    }

    /** A free batch of 1 stays free when every output provably keeps it (mnist-8's Reshape [1, 256]). */
    @Test
    void fixedBatchOfOneThatKeepsTheBatchBecomesFree() {
        Model m = new OnnxBuild(13).input("x", 1, 2, 2).init("W", ramp(12), 4, 3)
                .init(OnnxBuild.int64s("shape", 1, 4)).node("Reshape", in("x", "shape"), "r")
                .node("MatMul", in("r", "W"), "y").output("y").load();
        assertEquals(-1, m.inputs().get(0).shape()[0]);
        assertTrue(BatchAxis.outputsKeepBatch(m));
        assertArrayEquals(new int[] {5, 3}, Inference.predictAll(m, Map.of("x", Tensor.of(ramp(20), 5, 2, 2)))
                .get("y").shape());
    }

    /** Outputs without a leading batch axis are written as computed: Transpose moves it, Flatten(-1) folds it. */
    @Test
    void outputsThatDoNotKeepTheBatchFirstAreWhatTheModelComputes() {
        Model t = new OnnxBuild(13).input("x", -1, 3).node("Transpose", in("x"), "y", OnnxBuild.ais("perm", 1, 0))
                .output("y").load();
        Tensor y = Inference.predictAll(t, Map.of("x", Tensor.of(ramp(12), 4, 3))).get("y");
        assertArrayEquals(new int[] {3, 4}, y.shape());
        assertEquals(ramp(12)[3], y.data()[1], "y[0][1] = x[1][0]");
        assertArrayEquals(y.data(), Inference.predict(t, Tensor.of(ramp(12), 4, 3)).data());

        Model f = new OnnxBuild(13).input("x", -1, 3, 4).node("Flatten", in("x"), "y", ai("axis", -1))
                .output("y").load();
        Tensor fy = Inference.predictAll(f, Map.of("x", Tensor.of(ramp(24), 2, 3, 4))).get("y");
        assertArrayEquals(new int[] {6, 4}, fy.shape());
        assertArrayEquals(ramp(24), fy.data());
    }

    /** A zero-sized dimension is data: it is kept, not taken for the batch. */
    @Test
    void zeroSizedDimensionIsNotTheBatch() {
        Model m = new OnnxBuild(13).input("x", 0, 3).node("Relu", in("x"), "y").output("y").load();
        assertArrayEquals(new int[] {0, 3}, m.inputs().get(0).shape());
        Model k = new OnnxBuild(13).input("x", -1, 0).node("Relu", in("x"), "y").output("y").load();
        assertArrayEquals(new int[] {-1, 0}, k.inputs().get(0).shape());
        assertArrayEquals(new int[] {2, 0}, Inference.predictAll(k, Map.of("x", Tensor.zeros(2, 0))).get("y").shape());
    }
}
