package dev.sparsimony.engine.io.keras;

import static dev.sparsimony.engine.io.keras.KerasModelBuilderTest.build;
import static dev.sparsimony.engine.io.keras.KerasModelBuilderTest.sequential;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PReLU, ThresholdedReLU, ZeroPadding1D/2D and UpSampling1D/2D against outputs worked out by hand (Keras semantics). */
class KerasNewLayersTest {
    private static float[] run(Model m, int[] shape, float... x) {
        Tensor out = Inference.run(m, Map.of(m.inputs().get(0).name(), Tensor.of(x, shape))).get(m.outputs().get(0));
        return out.data();
    }

    @Test
    void preluPerElementAndWithSharedAxes() {
        Model m = build(sequential("4", "{'class_name': 'PReLU', 'config': {'name': 'p'}}"),
                new MapWeights().put("p", "alpha", Tensor.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 4)));
        assertArrayEquals(new float[] {-0.1f, 2, -0.90000004f, 0}, run(m, new int[] {1, 4}, -1, 2, -3, 0));
        // shared_axes [1, 2] on (2, 2, 3): one slope per channel
        Model s = build(sequential("2, 2, 3", "{'class_name': 'PReLU', 'config': {'name': 'p', 'shared_axes': [1, 2]}}"),
                new MapWeights().put("p", "alpha", Tensor.of(new float[] {1, 2, 3}, 1, 1, 3)));
        float[] x = new float[12];
        java.util.Arrays.fill(x, -1);
        assertArrayEquals(new float[] {-1, -2, -3, -1, -2, -3, -1, -2, -3, -1, -2, -3}, run(s, new int[] {1, 2, 2, 3}, x));
    }

    @Test
    void thresholdedReluKeepsValuesAboveTheta() {
        Model m = build(sequential("4", "{'class_name': 'ThresholdedReLU', 'config': {'name': 't', 'theta': 1.0}}"),
                new MapWeights());
        assertArrayEquals(new float[] {0, 0, 1.5f, 0}, run(m, new int[] {1, 4}, 0.5f, 1.0f, 1.5f, -2));
    }

    @Test
    void zeroPaddingOneAndTwoD() {
        Model m2 = build(sequential("2, 2, 1",
                "{'class_name': 'ZeroPadding2D', 'config': {'name': 'z', 'padding': [[1, 0], [0, 2]]}}"), new MapWeights());
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0}, run(m2, new int[] {1, 2, 2, 1}, 1, 2, 3, 4));
        Model m1 = build(sequential("2, 1", "{'class_name': 'ZeroPadding1D', 'config': {'name': 'z', 'padding': 1}}"),
                new MapWeights());
        assertArrayEquals(new float[] {0, 5, 6, 0}, run(m1, new int[] {1, 2, 1}, 5, 6));
        ModelException e = assertThrows(ModelException.class, () -> build(sequential("2, 1",
                "{'class_name': 'ZeroPadding1D', 'config': {'name': 'z', 'padding': 'x'}}"), new MapWeights()));
        assertTrue(e.getMessage().contains("layer 'z' (ZeroPadding1D)"), e.getMessage());
    }

    @Test
    void upSamplingNearestAndBilinear() {
        Model n2 = build(sequential("2, 2, 1", "{'class_name': 'UpSampling2D', 'config': {'name': 'u', 'size': [2, 1]}}"),
                new MapWeights());
        assertArrayEquals(new float[] {1, 2, 1, 2, 3, 4, 3, 4}, run(n2, new int[] {1, 2, 2, 1}, 1, 2, 3, 4));
        Model n1 = build(sequential("2, 1", "{'class_name': 'UpSampling1D', 'config': {'name': 'u', 'size': 3}}"),
                new MapWeights());
        assertArrayEquals(new float[] {1, 1, 1, 2, 2, 2}, run(n1, new int[] {1, 2, 1}, 1, 2));
        // tf.image.resize bilinear, half-pixel centres: [1, 3] doubled is [1, 1.5, 2.5, 3]
        Model b = build(sequential("1, 2, 1", "{'class_name': 'UpSampling2D', 'config': {'name': 'u', 'size': [2, 2],"
                + " 'interpolation': 'bilinear'}}"), new MapWeights());
        assertArrayEquals(new float[] {1, 1.5f, 2.5f, 3, 1, 1.5f, 2.5f, 3}, run(b, new int[] {1, 1, 2, 1}, 1, 3));
    }
}
