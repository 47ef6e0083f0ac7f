package dev.sparsimony.engine.io.onnx;

import static dev.sparsimony.engine.io.onnx.OnnxBuild.ai;
import static dev.sparsimony.engine.io.onnx.OnnxBuild.as;
import static dev.sparsimony.engine.io.onnx.OnnxBuild.in;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.TensorProto;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.QuantOps;
import dev.sparsimony.engine.model.Quantization;
import dev.sparsimony.engine.model.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operators added for issue 13, each on the example of the ONNX operator documentation
 * (https://onnx.ai/onnx/operators/, the values the ONNX backend test generator writes) or on a case worked out by
 * hand in the comments; QONNX ops against the sample implementations of the qonnx docs (docs/qonnx-custom-ops).
 */
class NewOperatorsTest {
    private static Tensor run(Model m, Tensor x) {
        return Inference.run(m, Map.of(m.inputs().get(0).name(), x)).get(m.outputs().get(0));
    }

    private static Tensor t(int[] shape, float... v) {
        return Tensor.of(v, shape);
    }

    private static TensorProto typed(String name, int type, int[] dims, byte[] raw) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(type)
                .setRawData(ByteString.copyFrom(raw));
        for (int d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static void close(float[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, "value " + i);
        }
    }

    @Test
    void preluWithAChannelSlope() {
        // slope per channel [2,1,1] on x [1,2,1,2]: channel 0 slope 0.1, channel 1 slope -2
        Model m = new OnnxBuild(16).input("x", 1, 2, 1, 2).init("s", new float[] {0.1f, -2f}, 2, 1, 1)
                .node("PRelu", in("x", "s"), "y").output("y").load();
        Tensor y = run(m, t(new int[] {1, 2, 1, 2}, -3, 4, -0.5f, 0));
        close(new float[] {-0.3f, 4, 1, 0}, y.data(), 1e-7);
    }

    @Test
    void negAndLogSoftmaxOnTheDocumentationExamples() {
        Model neg = new OnnxBuild(13).input("x", 2).node("Neg", in("x"), "y").output("y").load();
        assertArrayEquals(new float[] {4, -2}, run(neg, t(new int[] {2}, -4, 2)).data());
        // LogSoftmax example: x = [[-1, 0, 1]] -> [[-2.40760596, -1.40760596, -0.40760596]]
        Model ls = new OnnxBuild(13).input("x", -1, 3).node("LogSoftmax", in("x"), "y").output("y").load();
        close(new float[] {-2.40760596f, -1.40760596f, -0.40760596f}, run(ls, t(new int[] {1, 3}, -1, 0, 1)).data(),
                1e-6);
        // opset < 13 coerces to 2-D at axis 1: a [1, 2, 2] input is one row of 4
        Model old = new OnnxBuild(11).input("x", -1, 2, 2).node("LogSoftmax", in("x"), "y").output("y").load();
        double l = Math.log(Math.exp(0) + Math.exp(1) + Math.exp(2) + Math.exp(3));
        close(new float[] {(float) -l, (float) (1 - l), (float) (2 - l), (float) (3 - l)},
                run(old, t(new int[] {1, 2, 2}, 0, 1, 2, 3)).data(), 1e-6);
    }

    @Test
    void padModesOnTheDocumentationExample() {
        float[] x = {1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f};
        float[][] want = {
            {0, 0, 1.0f, 1.2f, 0, 0, 2.3f, 3.4f, 0, 0, 4.5f, 5.7f},
            {1.0f, 1.2f, 1.0f, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f, 4.5f, 5.7f},
            {1.0f, 1.0f, 1.0f, 1.2f, 2.3f, 2.3f, 2.3f, 3.4f, 4.5f, 4.5f, 4.5f, 5.7f}};
        String[] modes = {"constant", "reflect", "edge"};
        for (int k = 0; k < 3; k++) {
            OnnxBuild b = new OnnxBuild(13).input("x", 3, 2).init(OnnxBuild.int64s("pads", 0, 2, 0, 0))
                    .node("Pad", in("x", "pads"), "y", as("mode", modes[k])).output("y");
            Tensor y = run(b.load(), t(new int[] {3, 2}, x));
            assertArrayEquals(new int[] {3, 4}, y.shape());
            assertArrayEquals(want[k], y.data(), modes[k]);
        }
        // wrap (opset 19): [1, 2, 3] padded 2 in front, 1 behind -> [2, 3, 1, 2, 3, 1]; opset 2 attributes and value
        Model wrap = new OnnxBuild(19).input("x", 3).init(OnnxBuild.int64s("pads", 2, 1))
                .node("Pad", in("x", "pads"), "y", as("mode", "wrap")).output("y").load();
        assertArrayEquals(new float[] {2, 3, 1, 2, 3, 1}, run(wrap, t(new int[] {3}, 1, 2, 3)).data());
        Model v2 = new OnnxBuild(2).input("x", 3).node("Pad", in("x"), "y", OnnxBuild.ais("pads", 1, -1),
                OnnxBuild.af("value", 9f)).output("y").load();
        assertArrayEquals(new float[] {9, 1, 2}, run(v2, t(new int[] {3}, 1, 2, 3)).data(), "negative pads crop");
    }

    @Test
    void castLikeRoundsToTheTargetsPrecision() {
        // like is a FLOAT16 constant: 0.1 becomes the nearest half, 0.0999755859375; 65520 rounds to infinity
        OnnxBuild b = new OnnxBuild(15).input("x", 3)
                .init(typed("like", 10, new int[] {1}, bytes(0, 0x3c)))
                .node("CastLike", in("x", "like"), "y").output("y");
        float[] y = run(b.load(), t(new int[] {3}, 0.1f, 65520f, -2.5f)).data();
        assertArrayEquals(new float[] {0.0999755859375f, Float.POSITIVE_INFINITY, -2.5f}, y);
        // to int8: truncation toward zero, saturated
        OnnxBuild i8 = new OnnxBuild(15).input("x", 3).init(typed("like", 3, new int[] {1}, bytes(1)))
                .node("CastLike", in("x", "like"), "y").output("y");
        assertArrayEquals(new float[] {-1, 127, 2}, run(i8.load(), t(new int[] {3}, -1.7f, 300f, 2.9f)).data());
    }

    @Test
    void maxPoolIndicesAsTheBackendCasesHaveThem() {
        // test_maxpool_with_argmax_2d_precomputed_strides: 1..25 in 5x5, kernel 2, strides 2, storage_order 1
        float[] x = new float[25];
        for (int i = 0; i < 25; i++) {
            x[i] = i + 1;
        }
        OnnxBuild b = new OnnxBuild(12).input("x", 1, 1, 5, 5);
        b.graph().addNode(dev.sparsimony.engine.io.onnx.proto.OnnxProto.NodeProto.newBuilder().setOpType("MaxPool")
                .addInput("x").addOutput("y").addOutput("z").addAttribute(OnnxBuild.ais("kernel_shape", 2, 2))
                .addAttribute(OnnxBuild.ais("strides", 2, 2)).addAttribute(ai("storage_order", 1)));
        b.output("y").output("z");
        Model m = b.load();
        Map<String, Tensor> out = Inference.run(m, Map.of("x", t(new int[] {1, 1, 5, 5}, x)));
        assertArrayEquals(new float[] {7, 9, 17, 19}, out.get("y").data());
        assertArrayEquals(new float[] {6, 16, 8, 18}, out.get("z").data());
        // row-major order and the batch/channel offset: the second sample's indices start at 25
        OnnxBuild b2 = new OnnxBuild(12).input("x", 2, 1, 5, 5);
        b2.graph().addNode(dev.sparsimony.engine.io.onnx.proto.OnnxProto.NodeProto.newBuilder().setOpType("MaxPool")
                .addInput("x").addOutput("y").addOutput("z").addAttribute(OnnxBuild.ais("kernel_shape", 2, 2))
                .addAttribute(OnnxBuild.ais("strides", 2, 2)));
        b2.output("z");
        float[] x2 = new float[50];
        System.arraycopy(x, 0, x2, 0, 25);
        System.arraycopy(x, 0, x2, 25, 25);
        assertArrayEquals(new float[] {6, 8, 16, 18, 31, 33, 41, 43},
                Inference.run(b2.load(), Map.of("x", t(new int[] {2, 1, 5, 5}, x2))).get("z").data());
    }

    @Test
    void qlinearConvOnTheDocumentationExample() {
        int[] xv = {255, 174, 162, 25, 203, 168, 58, 15, 59, 237, 95, 129, 0, 64, 56, 242, 153, 221, 168, 12, 166,
            232, 178, 186, 195, 237, 162, 237, 188, 39, 124, 77, 80, 102, 43, 127, 230, 21, 83, 41, 40, 134, 255,
            154, 92, 141, 42, 148, 247};
        float[] want = {0, 81, 93, 230, 52, 87, 197, 240, 196, 18, 160, 126, 255, 191, 199, 13, 102, 34, 87, 243, 89,
            23, 77, 69, 60, 18, 93, 18, 67, 216, 131, 178, 175, 153, 212, 128, 25, 234, 172, 214, 215, 121, 0, 101,
            163, 114, 213, 107, 8};
        OnnxBuild b = new OnnxBuild(10).input("x", 1, 1, 7, 7)
                .init("x_scale", new float[] {0.00369204697f}).init(typed("x_zero_point", 2, new int[0], bytes(132)))
                .init(typed("w", 2, new int[] {1, 1, 1, 1}, bytes(0)))
                .init("w_scale", new float[] {0.00172794575f}, 1).init(typed("w_zero_point", 2, new int[] {1},
                        bytes(255)))
                .init("y_scale", new float[] {0.00162681262f}).init(typed("y_zero_point", 2, new int[0], bytes(123)))
                .node("QLinearConv", in("x", "x_scale", "x_zero_point", "w", "w_scale", "w_zero_point", "y_scale",
                        "y_zero_point"), "y").output("y");
        float[] x = new float[xv.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = xv[i];
        }
        Model m = b.load();
        assertArrayEquals(want, run(m, t(new int[] {1, 1, 7, 7}, x)).data());
        assertTrue(Quantization.of(m).stream().anyMatch(q -> q.tensor().equals("kernel") && q.bits() == 8),
                Quantization.of(m).toString());
    }

    @Test
    void qlinearMatMulOnTheDocumentationExample() {
        OnnxBuild b = new OnnxBuild(10).input("a", 2, 4)
                .init("a_scale", new float[] {0.0066f}).init(typed("a_zero_point", 2, new int[0], bytes(113)))
                .init(typed("b", 2, new int[] {4, 3}, bytes(152, 51, 244, 60, 26, 255, 0, 127, 246, 127, 254, 247)))
                .init("b_scale", new float[] {0.00705f}).init(typed("b_zero_point", 2, new int[0], bytes(114)))
                .init("y_scale", new float[] {0.0107f}).init(typed("y_zero_point", 2, new int[0], bytes(118)))
                .node("QLinearMatMul", in("a", "a_scale", "a_zero_point", "b", "b_scale", "b_zero_point", "y_scale",
                        "y_zero_point"), "y").output("y");
        Tensor y = run(b.load(), t(new int[] {2, 4}, 208, 236, 0, 238, 3, 214, 255, 29));
        assertArrayEquals(new float[] {168, 115, 255, 1, 66, 151}, y.data());
    }

    @Test
    void qonnxQuantOnActivationsAndFoldedIntoWeights() {
        // activations: x / 0.5 clamped to 4-bit signed [-8, 7], rounded half to even, times 0.5
        OnnxBuild b = new OnnxBuild(13).input("x", -1, 5).init("s", new float[] {0.5f}).init("z", new float[] {0f})
                .init("bw", new float[] {4f});
        b.graph().addNode(dev.sparsimony.engine.io.onnx.proto.OnnxProto.NodeProto.newBuilder().setOpType("Quant")
                .setDomain("qonnx.custom_op.general").addInput("x").addInput("s").addInput("z").addInput("bw")
                .addOutput("y").addAttribute(ai("signed", 1)).addAttribute(ai("narrow", 0))
                .addAttribute(as("rounding_mode", "ROUND")));
        b.output("y");
        Model m = withQonnxOpset(b);
        assertEquals(List.of(new Quantization("y", "output", 4, true, false, "per-tensor")), Quantization.of(m));
        close(new float[] {-3.5f, -0.5f, 0.5f, 1.0f, 3.5f},
                run(m, t(new int[] {1, 5}, -3.3f, -0.4f, 0.26f, 1.1f, 9f)).data(), 0);

        // weights: MatMul(x, Quant(W)) becomes a Dense whose kernel is the quantized W, its precision recorded
        OnnxBuild w = new OnnxBuild(13).input("x", -1, 2).init("W", new float[] {0.3f, -0.9f, 2.2f, 0.1f}, 2, 2)
                .init("s", new float[] {0.25f}).init("z", new float[] {0f}).init("bw", new float[] {3f});
        w.graph().addNode(dev.sparsimony.engine.io.onnx.proto.OnnxProto.NodeProto.newBuilder().setOpType("Quant")
                .setDomain("qonnx.custom_op.general").addInput("W").addInput("s").addInput("z").addInput("bw")
                .addOutput("Wq").addAttribute(ai("signed", 1)).addAttribute(ai("narrow", 1)));
        w.node("MatMul", in("x", "Wq"), "y").output("y");
        Model d = withQonnxOpset(w);
        Ops.Dense dense = (Ops.Dense) d.node("y").op();
        // 3-bit signed narrow: [-3, 3]; W / 0.25 = [1.2, -3.6, 8.8, 0.4] -> [1, -3, 3, 0] * 0.25
        assertArrayEquals(new float[] {0.25f, -0.75f, 0.75f, 0f}, dense.kernel().data());
        assertEquals("bits=3,signed=true,narrow=true,scale=per-tensor", d.metadata().get("quant.kernel.y"));
        assertEquals(List.of(new Quantization("y", "kernel", 3, true, true, "per-tensor")), Quantization.of(d));
    }

    @Test
    void qonnxBipolarQuantAndTruncVersionsOneAndTwo() {
        OnnxBuild b = new OnnxBuild(13).input("x", -1, 3).init("s", new float[] {0.5f});
        b.graph().addNode(dev.sparsimony.engine.io.onnx.proto.OnnxProto.NodeProto.newBuilder()
                .setOpType("BipolarQuant").setDomain("qonnx.custom_op.general").addInput("x").addInput("s")
                .addOutput("y"));
        b.output("y");
        assertArrayEquals(new float[] {-0.5f, 0.5f, 0.5f}, run(withQonnxOpset(b), t(new int[] {1, 3}, -0.1f, 0, 2))
                .data());

        // Trunc v1: round(x) / 2^(8-4), FLOOR, rescale: [40, -40, 127] -> [2.5, -2.5, 7.94] -> [2, -3, 7]
        OnnxBuild v1 = new OnnxBuild(13).input("x", -1, 3).init("s", new float[] {1f}).init("z", new float[] {0f})
                .init("ib", new float[] {8f}).init("ob", new float[] {4f});
        v1.graph().addNode(dev.sparsimony.engine.io.onnx.proto.OnnxProto.NodeProto.newBuilder().setOpType("Trunc")
                .setDomain("qonnx.custom_op.general").addInput("x").addInput("s").addInput("z").addInput("ib")
                .addInput("ob").addOutput("y"));
        v1.output("y");
        Model m1 = withQonnxOpset(v1);
        assertArrayEquals(new float[] {2, -3, 7}, run(m1, t(new int[] {1, 3}, 40, -40, 127)).data());
        assertEquals(4, ((QuantOps.Trunc) m1.node("y").op()).outBits());

        // Trunc v2 with output scale 16: same integers, clamped to 4-bit signed, times 16
        OnnxBuild v2 = new OnnxBuild(13).input("x", -1, 4).init("s", new float[] {1f}).init("z", new float[] {0f})
                .init("ib", new float[] {8f}).init("os", new float[] {16f}).init("ob", new float[] {4f});
        v2.graph().addNode(dev.sparsimony.engine.io.onnx.proto.OnnxProto.NodeProto.newBuilder().setOpType("Trunc")
                .setDomain("qonnx.custom_op.general").addInput("x").addInput("s").addInput("z").addInput("ib")
                .addInput("os").addInput("ob").addOutput("y"));
        v2.output("y");
        assertArrayEquals(new float[] {32, -48, 112, -128}, run(withQonnxOpset(v2), t(new int[] {1, 4}, 40, -40,
                127, -500)).data());
    }

    @Test
    void roundingModesFollowTheQonnxTable() {
        double[] x = {5.5, 2.5, 1.6, 1.1, 1.0, -1.0, -1.1, -1.6, -2.5, -5.5};
        double[][] want = {
            {6, 2, 2, 1, 1, -1, -1, -2, -2, -6}, {6, 3, 2, 2, 1, -1, -1, -1, -2, -5},
            {5, 2, 1, 1, 1, -1, -2, -2, -3, -6}, {6, 3, 2, 2, 1, -1, -2, -2, -3, -6},
            {5, 2, 1, 1, 1, -1, -1, -1, -2, -5}, {6, 3, 2, 1, 1, -1, -1, -2, -3, -6},
            {5, 2, 2, 1, 1, -1, -1, -2, -2, -5}};
        QuantOps.Rounding[] modes = QuantOps.Rounding.values();
        for (int m = 0; m < modes.length; m++) {
            for (int i = 0; i < x.length; i++) {
                assertEquals(want[m][i], modes[m].apply(x[i]), modes[m] + " of " + x[i]);
            }
        }
    }

    /** The builder's model with the QONNX domain imported as well. */
    private static Model withQonnxOpset(OnnxBuild b) {
        byte[] bytes = b.proto().toBuilder().addOpsetImport(OperatorSetIdProto.newBuilder()
                .setDomain("qonnx.custom_op.general").setVersion(1)).build().toByteArray();
        return OnnxImporter.load(bytes, "qonnx.onnx");
    }
}
