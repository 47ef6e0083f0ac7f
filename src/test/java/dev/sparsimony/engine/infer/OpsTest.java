package dev.sparsimony.engine.infer;

import static dev.sparsimony.engine.infer.TestModels.assertClose;
import static dev.sparsimony.engine.infer.TestModels.assertShape;
import static dev.sparsimony.engine.infer.TestModels.op;
import static dev.sparsimony.engine.infer.TestModels.s;
import static dev.sparsimony.engine.infer.TestModels.t;

import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsTest {
    static final Tensor X = t(s(1, 5), -2, -0.5f, 0, 0.5f, 3);

    static float[] act(ActivationKind k, float alpha, float beta) {
        return op(new Ops.Activation(k, alpha, beta), X).data();
    }

    static float[] act(ActivationKind k) {
        Ops.Activation a = Ops.Activation.of(k);
        return act(k, a.alpha(), a.beta());
    }

    static float[] f(java.util.function.DoubleUnaryOperator g) {
        float[] o = new float[X.size()];
        for (int i = 0; i < o.length; i++) {
            o[i] = (float) g.applyAsDouble(X.data()[i]);
        }
        return o;
    }

    @Test
    void everyActivation() {
        assertClose(X.data(), act(ActivationKind.LINEAR), 0);
        assertClose(new float[] {0, 0, 0, 0.5f, 3}, act(ActivationKind.RELU), 0);
        assertClose(new float[] {-0.6f, -0.15f, 0, 0.5f, 3}, act(ActivationKind.LEAKY_RELU), 1e-6f);
        assertClose(new float[] {-0.2f, -0.05f, 0, 0.5f, 3}, act(ActivationKind.LEAKY_RELU, 0.1f, 0), 1e-6f);
        assertClose(f(x -> x > 0 ? x : 0.5 * Math.expm1(x)), act(ActivationKind.ELU, 0.5f, 0), 1e-6f);
        double a = 1.6732632423543772;
        double sc = 1.0507009873554805;
        assertClose(f(x -> x > 0 ? sc * x : sc * a * Math.expm1(x)), act(ActivationKind.SELU), 1e-6f);
        assertClose(f(x -> 1 / (1 + Math.exp(-x))), act(ActivationKind.SIGMOID), 1e-6f);
        assertClose(new float[] {0.1f, 0.4f, 0.5f, 0.6f, 1}, act(ActivationKind.HARD_SIGMOID), 1e-6f);
        assertClose(new float[] {0.1667f, 0.4167f, 0.5f, 0.5833f, 1}, act(ActivationKind.HARD_SIGMOID, 1 / 6f, 0.5f), 1e-3f);
        assertClose(f(Math::tanh), act(ActivationKind.TANH), 1e-6f);
        assertClose(f(x -> Math.log1p(Math.exp(x))), act(ActivationKind.SOFTPLUS), 1e-6f);
        assertClose(f(x -> x / (1 + Math.abs(x))), act(ActivationKind.SOFTSIGN), 1e-6f);
        assertClose(new float[] {-1, -0.5f, 0, 0.5f, 1}, act(ActivationKind.CLIP, -1, 1), 0);
        assertClose(X.data(), act(ActivationKind.CLIP), 0);
    }

    @Test
    void softmaxAxisVersusLegacyCoercion() {
        Tensor x = t(s(1, 2, 2), 0, 0, 1, 3);
        // new semantics, axis 1: normalise over pairs (x[0,0,j], x[0,1,j])
        float[] y = op(new Ops.Softmax(1, false), x).data();
        double e1 = Math.exp(1);
        double e3 = Math.exp(3);
        assertClose(new float[] {(float) (1 / (1 + e1)), (float) (1 / (1 + e3)), (float) (e1 / (1 + e1)),
                (float) (e3 / (1 + e3))}, y, 1e-6f);
        // legacy (opset < 13), axis 1: one softmax over all 4 values
        float[] z = op(new Ops.Softmax(1, true), x).data();
        double sum = 2 + e1 + e3;
        assertClose(new float[] {(float) (1 / sum), (float) (1 / sum), (float) (e1 / sum), (float) (e3 / sum)}, z, 1e-6f);
        // last axis, large values stay finite (max subtracted)
        assertClose(new float[] {0.5f, 0.5f}, op(new Ops.Softmax(-1, false), t(s(1, 2), 1000, 1000)).data(), 1e-6f);
    }

    static Ops.BatchNorm bn(Layout l) {
        // channel 0: gamma 2, beta 1, mean 1, var 3 (eps 1 -> std 2): y = (x - 1) + 1 = x
        // channel 1: gamma 1, beta 0, mean 0, var 0 (eps 1): y = x
        return new Ops.BatchNorm(t(s(2), 2, 1), t(s(2), 1, 0.5f), t(s(2), 1, 0), t(s(2), 3, 0), 1f, l);
    }

    @Test
    void batchNormOnChannelAxisPerLayoutAndRank2() {
        // rank 2: axis 1 -> [x0, x1 + 0.5]
        assertClose(new float[] {5, 7.5f}, op(bn(Layout.CHANNELS_FIRST), t(s(1, 2), 5, 7)).data(), 1e-6f);
        // NCHW [1,2,1,2]
        assertClose(new float[] {1, 2, 3.5f, 4.5f},
                op(bn(Layout.CHANNELS_FIRST), t(s(1, 2, 1, 2), 1, 2, 3, 4)).data(), 1e-6f);
        // NHWC [1,1,2,2]: channels alternate
        assertClose(new float[] {1, 2.5f, 3, 4.5f},
                op(bn(Layout.CHANNELS_LAST), t(s(1, 1, 2, 2), 1, 2, 3, 4)).data(), 1e-6f);
    }

    @Test
    void binaryBroadcasting() {
        Tensor a = t(s(2, 3), 1, 2, 3, 4, 5, 6);
        assertClose(new float[] {11, 22, 33, 14, 25, 36},
                op(new Ops.Binary(Ops.BinaryKind.ADD), a, t(s(3), 10, 20, 30)).data(), 0);
        assertClose(new float[] {0, 1, 2, 2, 3, 4},
                op(new Ops.Binary(Ops.BinaryKind.SUB), a, t(s(2, 1), 1, 2)).data(), 0);
        Tensor outer = op(new Ops.Binary(Ops.BinaryKind.MUL), t(s(2, 1), 1, 2), t(s(1, 3), 1, 2, 3));
        assertShape(s(2, 3), outer);
        assertClose(new float[] {1, 2, 3, 2, 4, 6}, outer.data(), 0);
        assertClose(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3},
                op(new Ops.Binary(Ops.BinaryKind.DIV), a, Tensor.scalar(2)).data(), 0);
        // the broadcast operand on the left
        assertClose(new float[] {9, 18, 27, 6, 15, 24},
                op(new Ops.Binary(Ops.BinaryKind.SUB), t(s(3), 10, 20, 30), a).data(), 0);
    }

    @Test
    void shapeOps() {
        Tensor x = t(s(1, 2, 3), 1, 2, 3, 4, 5, 6);
        Tensor tr = op(new Ops.Transpose(s(0, 2, 1)), x);
        assertShape(s(1, 3, 2), tr);
        assertClose(new float[] {1, 4, 2, 5, 3, 6}, tr.data(), 0);
        Tensor rs = op(new Ops.Reshape(s(0, -1), false), x);
        assertShape(s(1, 6), rs);
        assertClose(x.data(), rs.data(), 0);
        Tensor cat = op(new Ops.Concat(1), x, t(s(1, 1, 3), 7, 8, 9));
        assertShape(s(1, 3, 3), cat);
        assertClose(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, cat.data(), 0);
        Tensor cat2 = op(new Ops.Concat(-1), x, t(s(1, 2, 1), 7, 8));
        assertClose(new float[] {1, 2, 3, 7, 4, 5, 6, 8}, cat2.data(), 0);
        assertClose(x.data(), op(new Ops.Identity(), x).data(), 0);
    }

    @Test
    void constantFeedsAnAdd() {
        List<Node> nodes = List.of(
                new Node("c", new Ops.Constant(t(s(2), 1, 2)), List.of()),
                new Node("y", new Ops.Binary(Ops.BinaryKind.ADD), List.of("x", "c")));
        Model m = new Model("c", List.of(new ValueInfo("x", s(-1, 2))), nodes, List.of("y"));
        Tensor y = Inference.run(m, Map.of("x", t(s(2, 2), 0, 0, 10, 10))).get("y");
        assertClose(new float[] {1, 2, 11, 12}, y.data(), 0);
    }

    @Test
    void matmulNumpySemantics() {
        Tensor a = t(s(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor b = t(s(3, 2), 1, 0, 0, 1, 1, 1);
        assertClose(new float[] {4, 5, 10, 11}, op(new Ops.MatMul(), a, b).data(), 0);
        // 1-D on the right: [2,3]·[3] -> [2]
        Tensor v = op(new Ops.MatMul(), a, t(s(3), 1, 1, 1));
        assertShape(s(2), v);
        assertClose(new float[] {6, 15}, v.data(), 0);
        // 1-D on the left: [3]·[3,2] -> [2]
        assertClose(new float[] {1, 1}, op(new Ops.MatMul(), t(s(3), 1, 1, 0), b).data(), 0);
        // batched with broadcast: [2,1,2,2] · [3,2,2] -> [2,3,2,2]
        float[] av = new float[8];
        float[] bv = new float[12];
        for (int i = 0; i < 8; i++) {
            av[i] = i;
        }
        for (int i = 0; i < 12; i++) {
            bv[i] = i % 5;
        }
        Tensor bm = op(new Ops.MatMul(), t(s(2, 1, 2, 2), av), t(s(3, 2, 2), bv));
        assertShape(s(2, 3, 2, 2), bm);
        float[] expect = new float[24];
        for (int p = 0; p < 2; p++) {
            for (int q = 0; q < 3; q++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 2; j++) {
                        float acc = 0;
                        for (int k = 0; k < 2; k++) {
                            acc += av[p * 4 + i * 2 + k] * bv[q * 4 + k * 2 + j];
                        }
                        expect[((p * 3 + q) * 2 + i) * 2 + j] = acc;
                    }
                }
            }
        }
        assertClose(expect, bm.data(), 0);
    }

    @Test
    void gemmVariants() {
        Tensor a = t(s(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor aT = t(s(3, 2), 1, 4, 2, 5, 3, 6);
        Tensor b = t(s(3, 2), 1, 0, 0, 1, 1, 1);
        Tensor bT = t(s(2, 3), 1, 0, 1, 0, 1, 1);
        float[] ab = {4, 5, 10, 11};
        assertClose(ab, op(new Ops.Gemm(1, 1, false, false), a, b).data(), 0);
        assertClose(ab, op(new Ops.Gemm(1, 1, true, false), aT, b).data(), 0);
        assertClose(ab, op(new Ops.Gemm(1, 1, false, true), a, bT).data(), 0);
        assertClose(ab, op(new Ops.Gemm(1, 1, true, true), aT, bT).data(), 0);
        // alpha 2, beta 0.5, C broadcast as a row [2] and as a scalar, and full [2,2]
        assertClose(new float[] {8.5f, 11, 20.5f, 23},
                op(new Ops.Gemm(2, 0.5f, false, false), a, b, t(s(2), 1, 2)).data(), 1e-6f);
        assertClose(new float[] {6, 7, 12, 13}, op(new Ops.Gemm(1, 1, false, false), a, b, Tensor.scalar(2)).data(), 0);
        assertClose(new float[] {5, 6, 10, 11},
                op(new Ops.Gemm(1, 1, false, false), a, b, t(s(2, 1), 1, 0)).data(), 0);
        assertClose(new float[] {3, 5, 7, 9},
                op(new Ops.Gemm(1, -1, false, false), a, b, t(s(2, 2), 1, 0, 3, 2)).data(), 0);
    }

    @Test
    void quantizeLinearRoundsTiesToEvenAndSaturates() {
        Tensor x = t(s(1, 8), 0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 1000, -1000, 2.6f);
        float[] u8 = op(new Ops.QuantizeLinear(1, Ops.QuantType.UINT8), x, Tensor.scalar(1)).data();
        assertClose(new float[] {0, 2, 2, 0, 0, 255, 0, 3}, u8, 0);
        float[] i8 = op(new Ops.QuantizeLinear(1, Ops.QuantType.INT8), x, Tensor.scalar(0.5f), Tensor.scalar(1)).data();
        // x / 0.5 = 1, 3, 5, -1, -3, 2000, -2000, 5.2 -> +1
        assertClose(new float[] {2, 4, 6, 0, -2, 127, -128, 6}, i8, 0);
    }

    @Test
    void quantizeAndDequantizePerAxis() {
        Tensor x = t(s(1, 2, 2), 1, 2, 3, 4);
        Tensor scale = t(s(2), 1, 2);
        Tensor zp = t(s(2), 10, 20);
        float[] q = op(new Ops.QuantizeLinear(1, Ops.QuantType.UINT8), x, scale, zp).data();
        // channel 0 (1,2)/1 + 10 ; channel 1 (3,4)/2 + 20 = 1.5->2, 2
        assertClose(new float[] {11, 12, 22, 22}, q, 0);
        float[] d = op(new Ops.DequantizeLinear(1), t(s(1, 2, 2), q), scale, zp).data();
        assertClose(new float[] {1, 2, 4, 4}, d, 0);
        float[] d2 = op(new Ops.DequantizeLinear(1), t(s(1, 2), 3, 5), Tensor.scalar(0.5f)).data();
        assertClose(new float[] {1.5f, 2.5f}, d2, 0);
    }
}
