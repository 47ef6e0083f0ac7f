package dev.sparsimony.engine.io.onnx;

import static dev.sparsimony.engine.io.onnx.OnnxBuild.ai;
import static dev.sparsimony.engine.io.onnx.OnnxBuild.ais;
import static dev.sparsimony.engine.io.onnx.OnnxBuild.as;
import static dev.sparsimony.engine.io.onnx.OnnxBuild.in;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Tensor;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hand-built ONNX models run end to end (import + inference) against direct implementations of the ONNX
 * operator definitions, for attribute variants the shared backend cases do not cover: auto_pad, dilations,
 * groups, asymmetric pads, ceil_mode, count_include_pad, legacy Softmax, LRN, Gemm alpha/beta/transposes.
 */
class OnnxNumericTest {
    private static final Random R = new Random(3);

    private static float[] rand(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) R.nextGaussian();
        }
        return v;
    }

    private static Tensor run(Model m, Tensor x) {
        return Inference.run(m, Map.of(m.inputs().get(0).name(), x)).get(m.outputs().get(0));
    }

    private static void close(float[] expected, Tensor actual, double tol) {
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.data()[i], tol * (1 + Math.abs(expected[i])), "value " + i);
        }
    }

    /** Direct NCHW convolution with OIHW weights, as the ONNX Conv operator defines it. */
    private static float[] refConv(float[] x, int n, int c, int h, int w, float[] wt, int o, int kh, int kw,
                                   int[] pads, int[] strides, int[] dil, int group, int oh, int ow) {
        float[] y = new float[n * o * oh * ow];
        int cg = c / group;
        int og = o / group;
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                int g = oc / og;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = 0;
                        for (int ic = 0; ic < cg; ic++) {
                            for (int p = 0; p < kh; p++) {
                                for (int q = 0; q < kw; q++) {
                                    int yy = i * strides[0] - pads[0] + p * dil[0];
                                    int xx = j * strides[1] - pads[1] + q * dil[1];
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                                        s += x[((b * c + g * cg + ic) * h + yy) * w + xx]
                                                * wt[((oc * cg + ic) * kh + p) * kw + q];
                                    }
                                }
                            }
                        }
                        y[((b * o + oc) * oh + i) * ow + j] = (float) s;
                    }
                }
            }
        }
        return y;
    }

    @Test
    void convAutoPadDilationsGroups() {
        int n = 2;
        int c = 4;
        int h = 7;
        int w = 6;
        int o = 6;
        int group = 2;
        float[] x = rand(n * c * h * w);
        float[] wt = rand(o * (c / group) * 3 * 2);
        int[] strides = {2, 1};
        int[] dil = {1, 2};
        for (String mode : new String[] {"SAME_UPPER", "SAME_LOWER", "VALID", "NOTSET"}) {
            OnnxBuild b = new OnnxBuild(11).input("x", -1, c, h, w).init("W", wt, o, c / group, 3, 2);
            var attrs = mode.equals("NOTSET")
                    ? new dev.sparsimony.engine.io.onnx.proto.OnnxProto.AttributeProto[] {ais("pads", 2, 0, 1, 3),
                        ais("strides", strides[0], strides[1]), ais("dilations", dil[0], dil[1]), ai("group", group)}
                    : new dev.sparsimony.engine.io.onnx.proto.OnnxProto.AttributeProto[] {as("auto_pad", mode),
                        ais("strides", strides[0], strides[1]), ais("dilations", dil[0], dil[1]), ai("group", group)};
            Model m = b.node("Conv", in("x", "W"), "y", attrs).output("y").load();
            // expected pads and output size from the spec
            int[] padBegin = new int[2];
            int[] outHw = new int[2];
            int[] inHw = {h, w};
            int[] k = {3, 2};
            for (int a = 0; a < 2; a++) {
                int eff = (k[a] - 1) * dil[a] + 1;
                switch (mode) {
                    case "VALID" -> outHw[a] = (inHw[a] - eff) / strides[a] + 1;
                    case "NOTSET" -> {
                        int[] p = {2, 0, 1, 3};
                        padBegin[a] = p[a];
                        outHw[a] = (inHw[a] + p[a] + p[a + 2] - eff) / strides[a] + 1;
                    }
                    default -> {
                        outHw[a] = (inHw[a] + strides[a] - 1) / strides[a];
                        int total = Math.max(0, (outHw[a] - 1) * strides[a] + eff - inHw[a]);
                        padBegin[a] = mode.equals("SAME_UPPER") ? total / 2 : total - total / 2;
                    }
                }
            }
            float[] expected = refConv(x, n, c, h, w, wt, o, 3, 2, padBegin, strides, dil, group, outHw[0], outHw[1]);
            Tensor y = run(m, Tensor.of(x, n, c, h, w));
            assertArrayEquals(new int[] {n, o, outHw[0], outHw[1]}, y.shape(), mode);
            close(expected, y, 1e-4);
        }
    }

    @Test
    void averagePoolCeilModeAndCountIncludePad() {
        int h = 5;
        int w = 5;
        float[] x = rand(h * w);
        for (int include = 0; include <= 1; include++) {
            Model m = new OnnxBuild(11).input("x", 1, 1, h, w)
                    .node("AveragePool", in("x"), "y", ais("kernel_shape", 3, 3), ais("strides", 2, 2),
                            ais("pads", 1, 1, 1, 1), ai("ceil_mode", 1), ai("count_include_pad", include))
                    .output("y").load();
            // output: ceil((5 + 2 - 3) / 2) + 1 = 3
            float[] e = new float[9];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double s = 0;
                    int cnt = 0;
                    int padded = 0;
                    for (int p = 0; p < 3; p++) {
                        for (int q = 0; q < 3; q++) {
                            int yy = i * 2 - 1 + p;
                            int xx = j * 2 - 1 + q;
                            if (yy >= h + 1 || xx >= w + 1) {
                                continue; // beyond the explicit padding (ceil-mode overhang): never counted
                            }
                            padded++;
                            if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                                s += x[yy * w + xx];
                                cnt++;
                            }
                        }
                    }
                    e[i * 3 + j] = (float) (s / (include == 1 ? padded : cnt));
                }
            }
            Tensor y = run(m, Tensor.of(x, 1, 1, h, w));
            assertArrayEquals(new int[] {1, 1, 3, 3}, y.shape());
            close(e, y, 1e-5);
        }
    }

    @Test
    void legacySoftmaxFlattensFromTheAxis() {
        float[] x = rand(2 * 3 * 4);
        Model old = new OnnxBuild(11).input("x", 2, 3, 4).node("Softmax", in("x"), "y").output("y").load();
        Model now = new OnnxBuild(13).input("x", 2, 3, 4).node("Softmax", in("x"), "y").output("y").load();
        close(softmaxRows(x, 12), run(old, Tensor.of(x, 2, 3, 4)), 1e-5);
        close(softmaxRows(x, 4), run(now, Tensor.of(x, 2, 3, 4)), 1e-5);
    }

    /** Softmax over each run of {@code row} consecutive values. */
    private static float[] softmaxRows(float[] x, int row) {
        float[] e = new float[x.length];
        for (int r = 0; r < x.length / row; r++) {
            double s = 0;
            for (int i = 0; i < row; i++) {
                s += Math.exp(x[r * row + i]);
            }
            for (int i = 0; i < row; i++) {
                e[r * row + i] = (float) (Math.exp(x[r * row + i]) / s);
            }
        }
        return e;
    }

    @Test
    void lrnAcrossChannels() {
        int c = 5;
        int hw = 3;
        float[] x = rand(c * hw);
        Model m = new OnnxBuild(9).input("x", 1, c, 1, hw)
                .node("LRN", in("x"), "y", ai("size", 4), OnnxBuild.af("alpha", 0.1f), OnnxBuild.af("beta", 0.6f),
                        OnnxBuild.af("bias", 2f))
                .output("y").load();
        float[] e = new float[c * hw];
        for (int ch = 0; ch < c; ch++) {
            for (int j = 0; j < hw; j++) {
                double sq = 0;
                // size 4: channels c - floor(3/2) = c-1 .. c + ceil(3/2) = c+2
                for (int i = Math.max(0, ch - 1); i <= Math.min(c - 1, ch + 2); i++) {
                    sq += x[i * hw + j] * x[i * hw + j];
                }
                e[ch * hw + j] = (float) (x[ch * hw + j] / Math.pow(2 + 0.1 / 4 * sq, 0.6));
            }
        }
        close(e, run(m, Tensor.of(x, 1, c, 1, hw)), 1e-5);
    }

    @Test
    void gemmConstantWeightsAllAttributes() {
        float[] a = rand(4 * 3); // A is [K=4, M=3] with transA
        float[] bw = rand(5 * 4); // B is [N=5, K=4] with transB
        float[] cw = rand(5);
        Model m = new OnnxBuild(13).input("a", 4, 3).init("B", bw, 5, 4).init("C", cw, 1, 5)
                .node("Gemm", in("a", "B", "C"), "y", ai("transA", 1), ai("transB", 1),
                        OnnxBuild.af("alpha", 0.25f), OnnxBuild.af("beta", 0.35f))
                .output("y").load();
        float[] e = new float[15];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 5; j++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += a[k * 3 + i] * bw[j * 4 + k];
                }
                e[i * 5 + j] = (float) (0.25 * s + 0.35 * cw[j]);
            }
        }
        close(e, run(m, Tensor.of(a, 4, 3)), 1e-5);
    }

    @Test
    void batchFreeReshapeRunsOnAnyBatch() {
        float[] wt = rand(6 * 2);
        Model m = new OnnxBuild(13).input("x", 1, 2, 3).init(OnnxBuild.int64s("s", 1, 6)).init("W", wt, 6, 2)
                .node("Reshape", in("x", "s"), "r").node("MatMul", in("r", "W"), "y").output("y").load();
        float[] x = rand(4 * 6);
        Tensor y = run(m, Tensor.of(x, 4, 2, 3));
        assertArrayEquals(new int[] {4, 2}, y.shape());
        float[] e = new float[8];
        for (int b = 0; b < 4; b++) {
            for (int j = 0; j < 2; j++) {
                double s = 0;
                for (int k = 0; k < 6; k++) {
                    s += x[b * 6 + k] * wt[k * 2 + j];
                }
                e[b * 2 + j] = (float) s;
            }
        }
        close(e, y, 1e-5);
    }
}
