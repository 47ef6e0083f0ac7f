package dev.sparsimony.engine.io.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the shared hls4ml files do not cover, end to end (H5 file -> IR -> inference), with outputs worked out by
 * hand from the Keras/TensorFlow definitions: TF "same" padding puts the odd pixel at the bottom/right, average
 * pooling ignores padding, max pooling never sees padding as 0, BatchNorm, causal Conv1D, depthwise channel
 * order, Flatten in HWC order.
 */
class KerasSemanticsTest {
    @TempDir
    Path dir;

    private Model load(String name, String inputShape, String layers, H5Fixture w) throws IOException {
        String json = ("{'class_name': 'Sequential', 'keras_version': '2.13.1', 'config': {'name': 's', 'layers': ["
                + "{'class_name': 'InputLayer', 'config': {'name': 'x', 'batch_input_shape': [null, " + inputShape
                + "]}}, " + layers + "]}}").replace('\'', '"');
        Files.writeString(dir.resolve(name + ".json"), json);
        w.writeWeights(dir.resolve(name + "_weights.h5"));
        return ModelFiles.load(dir.resolve(name + ".json"));
    }

    private static float[] run(Model m, float... x) {
        int[] s = m.inputs().get(0).shapeWithBatch(1);
        return Inference.predict(m, new Tensor(s, x)).data();
    }

    private static Tensor t(int[] shape, float... v) {
        return new Tensor(shape, v);
    }

    /** 2x2 input, 2x2 ones kernel, same: total padding 1 -> all of it after; out[0,0] sees the whole input. */
    @Test
    void conv2dSamePadsBottomRight() throws IOException {
        Model m = load("c", "2, 2, 1", "{'class_name': 'Conv2D', 'config': {'name': 'c', 'filters': 1,"
                + " 'kernel_size': [2, 2], 'strides': [1, 1], 'padding': 'same', 'activation': 'linear', 'use_bias': true}}",
                new H5Fixture().put("c", "kernel", t(new int[] {2, 2, 1, 1}, 1, 1, 1, 1)).put("c", "bias", t(new int[] {1}, 0)));
        assertArrayEquals(new float[] {10, 6, 7, 4}, run(m, 1, 2, 3, 4), 1e-6f);
    }

    /** 3x3 input, k 3 stride 2, same: out 2x2, total 2 -> one row/column each side. */
    @Test
    void conv2dSameWithStrideTwo() throws IOException {
        Model m = load("c", "3, 3, 1", "{'class_name': 'Conv2D', 'config': {'name': 'c', 'filters': 1,"
                + " 'kernel_size': [3, 3], 'strides': [2, 2], 'padding': 'same', 'activation': 'linear', 'use_bias': false}}",
                new H5Fixture().put("c", "kernel", t(new int[] {3, 3, 1, 1}, 1, 1, 1, 1, 1, 1, 1, 1, 1)));
        // windows centred on (0,0), (0,2), (2,0), (2,2) of [[1,2,3],[4,5,6],[7,8,9]]
        assertArrayEquals(new float[] {1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9},
                run(m, 1, 2, 3, 4, 5, 6, 7, 8, 9), 1e-6f);
    }

    @Test
    void averagePoolingSameExcludesPadding() throws IOException {
        Model m = load("p", "2, 2, 1", "{'class_name': 'AveragePooling2D', 'config': {'name': 'p',"
                + " 'pool_size': [2, 2], 'strides': [1, 1], 'padding': 'same'}}", new H5Fixture());
        assertArrayEquals(new float[] {2.5f, 3, 3.5f, 4}, run(m, 1, 2, 3, 4), 1e-6f);
    }

    @Test
    void maxPoolingSameNeverSeesPaddingAsZero() throws IOException {
        Model m = load("p", "3, 3, 1", "{'class_name': 'MaxPooling2D', 'config': {'name': 'p',"
                + " 'pool_size': [2, 2], 'strides': [2, 2], 'padding': 'same'}}", new H5Fixture());
        assertArrayEquals(new float[] {-1, -3, -7, -9}, run(m, -1, -2, -3, -4, -5, -6, -7, -8, -9), 1e-6f);
    }

    @Test
    void pooling1dValidDefaultStrides() throws IOException {
        Model m = load("p", "5, 1", "{'class_name': 'MaxPooling1D', 'config': {'name': 'p',"
                + " 'pool_size': 2, 'strides': null, 'padding': 'valid'}}", new H5Fixture());
        assertArrayEquals(new float[] {3, 4}, run(m, 3, 1, 2, 4, 9), 1e-6f);
    }

    @Test
    void batchNormInference() throws IOException {
        Model m = load("b", "2", "{'class_name': 'BatchNormalization', 'config': {'name': 'bn', 'axis': -1,"
                + " 'epsilon': 0.001, 'center': true, 'scale': true}}",
                new H5Fixture().put("bn", "gamma", t(new int[] {2}, 1, 2)).put("bn", "beta", t(new int[] {2}, 0, 1))
                        .put("bn", "moving_mean", t(new int[] {2}, 1, 0))
                        .put("bn", "moving_variance", t(new int[] {2}, 4, 1)));
        assertArrayEquals(new float[] {0, (float) (4 / Math.sqrt(1.001) + 1)}, run(m, 1, 2), 1e-5f);
    }

    @Test
    void batchNormWithoutScaleOrCenterOnAFeatureMap() throws IOException {
        Model m = load("b", "1, 2, 2", "{'class_name': 'BatchNormalization', 'config': {'name': 'bn', 'axis': [3],"
                + " 'epsilon': 0.0, 'center': false, 'scale': false}}",
                new H5Fixture().put("bn", "moving_mean", t(new int[] {2}, 1, -1))
                        .put("bn", "moving_variance", t(new int[] {2}, 4, 0.25f)));
        // channels last: [c0, c1, c0, c1]
        assertArrayEquals(new float[] {(3 - 1) / 2f, (1 + 1) / 0.5f, (5 - 1) / 2f, (0 + 1) / 0.5f},
                run(m, 3, 1, 5, 0), 1e-5f);
    }

    /** y[t] = 1 * x[t-1] + 10 * x[t] with x[-1] = 0. */
    @Test
    void conv1dCausal() throws IOException {
        Model m = load("c", "3, 1", "{'class_name': 'Conv1D', 'config': {'name': 'c', 'filters': 1,"
                + " 'kernel_size': [2], 'strides': [1], 'padding': 'causal', 'activation': 'linear', 'use_bias': false}}",
                new H5Fixture().put("c", "kernel", t(new int[] {2, 1, 1}, 1, 10)));
        assertArrayEquals(new float[] {10, 21, 32}, run(m, 1, 2, 3), 1e-6f);
    }

    /** TF depthwise output channel order is c * multiplier + m. */
    @Test
    void depthwiseChannelOrder() throws IOException {
        Model m = load("d", "1, 1, 2", "{'class_name': 'DepthwiseConv2D', 'config': {'name': 'd',"
                + " 'kernel_size': [1, 1], 'depth_multiplier': 2, 'padding': 'valid', 'use_bias': false,"
                + " 'activation': 'linear'}}",
                new H5Fixture().put("d", "depthwise_kernel", t(new int[] {1, 1, 2, 2}, 1, 2, 3, 4)));
        assertArrayEquals(new float[] {5, 10, 21, 28}, run(m, 5, 7), 1e-6f);
    }

    /** A 1x1 conv making channels (a, 10a) then Flatten: HWC order gives [a0, 10a0, a1, 10a1]. */
    @Test
    void flattenIsHwcOrder() throws IOException {
        Model m = load("f", "2, 1, 1", "{'class_name': 'Conv2D', 'config': {'name': 'c', 'filters': 2,"
                + " 'kernel_size': [1, 1], 'padding': 'valid', 'activation': 'linear', 'use_bias': false}},"
                + " {'class_name': 'Flatten', 'config': {'name': 'f'}}",
                new H5Fixture().put("c", "kernel", t(new int[] {1, 1, 1, 2}, 1, 10)));
        assertArrayEquals(new float[] {3, 30, 4, 40}, run(m, 3, 4), 1e-6f);
    }

    @Test
    void globalAveragePoolingAndHardSigmoid() throws IOException {
        Model m = load("g", "2, 1, 2", "{'class_name': 'GlobalAveragePooling2D', 'config': {'name': 'g'}},"
                + " {'class_name': 'Activation', 'config': {'name': 'h', 'activation': 'hard_sigmoid'}}",
                new H5Fixture());
        // means (1+3)/2 = 2 and (-4+-6)/2 = -5; Keras 2 hard_sigmoid = clip(0.2x + 0.5, 0, 1)
        assertArrayEquals(new float[] {0.9f, 0f}, run(m, 1, -4, 3, -6), 1e-6f);
    }
}
