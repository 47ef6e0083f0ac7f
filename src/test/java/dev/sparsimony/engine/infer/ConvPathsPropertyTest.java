package dev.sparsimony.engine.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Every convolution path against direct loops in double precision, over random shapes, strides, paddings,
 * dilations, groups (depthwise included), sparsity and both layouts: the im2col + sgemm step of a conv alone, the
 * planar step of grouped convs, and the fused chains Conv → [BatchNorm] → [activation] → [pooling] with the planar
 * method forced to direct taps or to Winograd, with and without output transforms (moved behind the pooling or not).
 */
class ConvPathsPropertyTest {
    private static final String METHOD = "sparsimony.conv.planar";

    /** A random conv geometry; 1-D convs have h = 1 and kernel height 1 in the arrays below. */
    record Geo(boolean oneD, int n, int cin, int h, int w, int cout, int groups, int kh, int kw, int sh, int sw,
               int dh, int dw, int pt, int pl, int pb, int pr, Layout layout) {
        static Geo random(Random r, boolean chain) {
            if (chain && r.nextInt(3) == 0) {
                // Winograd's case: 2-D, 3x3, stride and dilation 1, one group (the chain adds a 2x2 pooling)
                int pad = r.nextInt(2);
                return new Geo(false, 1 + r.nextInt(5), 1 + r.nextInt(6), 4 + r.nextInt(9), 4 + r.nextInt(9),
                        1 + r.nextInt(6), 1, 3, 3, 1, 1, 1, 1, pad, pad, pad, pad,
                        r.nextBoolean() ? Layout.CHANNELS_LAST : Layout.CHANNELS_FIRST);
            }
            boolean oneD = r.nextInt(5) == 0;
            int groups = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1;
            boolean depthwise = r.nextInt(5) == 0;
            int cg = 1 + r.nextInt(depthwise ? 1 : 4);
            int coutG = 1 + r.nextInt(depthwise ? 1 : 4);
            if (depthwise) {
                groups = 2 + r.nextInt(4);
            }
            int k = chain && r.nextBoolean() ? 3 : 1 + r.nextInt(4);
            int kw = k;
            int kh = oneD ? 1 : (r.nextInt(4) == 0 ? 1 + r.nextInt(3) : k);
            int s = r.nextInt(4) == 0 ? 2 : 1;
            int d = r.nextInt(5) == 0 ? 2 : 1;
            int h = oneD ? 1 : kh * d + 3 + r.nextInt(8);
            int w = kw * d + 3 + r.nextInt(8);
            return new Geo(oneD, 1 + r.nextInt(5), groups * cg, h, w, groups * coutG, groups, kh, kw,
                    oneD ? 1 : s, r.nextInt(4) == 0 ? 2 : s, oneD ? 1 : d, d, oneD ? 0 : r.nextInt(2), r.nextInt(3),
                    oneD ? 0 : r.nextInt(2), r.nextInt(2), r.nextBoolean() ? Layout.CHANNELS_LAST
                            : Layout.CHANNELS_FIRST);
        }

        int oh() {
            return (h + pt + pb - ((kh - 1) * dh + 1)) / sh + 1;
        }

        int ow() {
            return (w + pl + pr - ((kw - 1) * dw + 1)) / sw + 1;
        }

        int[] shape(int c, int hh, int ww, int batch) {
            if (oneD) {
                return layout == Layout.CHANNELS_LAST ? new int[] {batch, ww, c} : new int[] {batch, c, ww};
            }
            return layout == Layout.CHANNELS_LAST ? new int[] {batch, hh, ww, c} : new int[] {batch, c, hh, ww};
        }

        /** Index of (sample, channel, row, col) in a map of this layout. */
        int at(int s, int c, int r, int q, int cc, int hh, int ww) {
            return layout == Layout.CHANNELS_LAST ? ((s * hh + r) * ww + q) * cc + c : ((s * cc + c) * hh + r) * ww + q;
        }

        Ops.Conv conv(Random r, double sparsity) {
            int[] ks = oneD ? new int[] {kw, cin / groups, cout} : new int[] {kh, kw, cin / groups, cout};
            float[] k = new float[kh * kw * (cin / groups) * cout];
            for (int i = 0; i < k.length; i++) {
                k[i] = r.nextDouble() < sparsity ? 0f : (float) r.nextGaussian();
            }
            Tensor bias = r.nextBoolean() ? TestModels.random(r, cout) : null;
            int[] st = oneD ? new int[] {sw} : new int[] {sh, sw};
            int[] di = oneD ? new int[] {dw} : new int[] {dh, dw};
            int[] pb0 = oneD ? new int[] {pl} : new int[] {pt, pl};
            int[] pe0 = oneD ? new int[] {pr} : new int[] {pb, pr};
            return new Ops.Conv(Tensor.of(k, ks), bias, st, di, pb0, pe0, groups, layout);
        }

        /** Direct-loop convolution in double: [n][cout][oh][ow] (planar, whatever the layout). */
        double[][][][] reference(float[] x, Ops.Conv c) {
            int oh = oh();
            int ow = ow();
            int cg = cin / groups;
            int coutG = cout / groups;
            float[] k = c.kernel().data();
            double[][][][] y = new double[n][cout][oh][ow];
            for (int s = 0; s < n; s++) {
                for (int o = 0; o < cout; o++) {
                    int g = o / coutG;
                    for (int i = 0; i < oh; i++) {
                        for (int q = 0; q < ow; q++) {
                            double acc = c.bias() == null ? 0 : c.bias().data()[o];
                            for (int ki = 0; ki < kh; ki++) {
                                for (int kj = 0; kj < kw; kj++) {
                                    int r = i * sh - pt + ki * dh;
                                    int cc = q * sw - pl + kj * dw;
                                    if (r < 0 || r >= h || cc < 0 || cc >= w) {
                                        continue;
                                    }
                                    for (int ci = 0; ci < cg; ci++) {
                                        acc += (double) x[at(s, g * cg + ci, r, cc, cin, h, w)]
                                                * k[((ki * kw + kj) * cg + ci) * cout + o];
                                    }
                                }
                            }
                            y[s][o][i][q] = acc;
                        }
                    }
                }
            }
            return y;
        }

        float[] flatten(double[][][][] y) {
            int c = y[0].length;
            int hh = y[0][0].length;
            int ww = y[0][0][0].length;
            float[] out = new float[n * c * hh * ww];
            for (int s = 0; s < n; s++) {
                for (int o = 0; o < c; o++) {
                    for (int i = 0; i < hh; i++) {
                        for (int q = 0; q < ww; q++) {
                            out[at(s, o, i, q, c, hh, ww)] = (float) y[s][o][i][q];
                        }
                    }
                }
            }
            return out;
        }
    }

    private static Model model(Geo g, List<Op> ops) {
        List<Node> nodes = new ArrayList<>();
        String prev = "x";
        for (int i = 0; i < ops.size(); i++) {
            nodes.add(new Node("n" + (i + 1), ops.get(i), List.of(prev)));
            prev = "n" + (i + 1);
        }
        int[] in = g.shape(g.cin, g.h, g.w, -1);
        return new Model("t", List.of(new ValueInfo("x", in)), nodes, List.of(prev));
    }

    private static float[] input(Geo g, Random r) {
        float[] x = new float[g.n * g.cin * g.h * g.w];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 2e-4 * Math.max(1, Math.abs(expected[i])), what + ": index " + i);
        }
    }

    @Property(tries = 150)
    void aConvAloneMatchesDirectLoops(@ForAll long seed) {
        Random r = new Random(seed);
        Geo g = Geo.random(r, false);
        Ops.Conv c = g.conv(r, r.nextDouble() * 0.8);
        float[] x = input(g, r);
        try (CompiledModel cm = CompiledModel.compile(model(g, List.of(c)), g.n)) {
            assertClose(g.flatten(g.reference(x, c)), cm.forward(x, g.n), g.toString());
        }
    }

    /** An element-wise transform: non-decreasing (an affine map with a positive slope) or not (x -> |x|). */
    private static final class Affine implements OutputTransform.Elementwise {
        final boolean monotone;

        Affine(boolean monotone) {
            this.monotone = monotone;
        }

        float f(float v) {
            return monotone ? v * 0.5f + 0.25f : Math.abs(v) - 0.5f;
        }

        @Override
        public void apply(float[] buf, int from, int to) {
            for (int i = from; i < to; i++) {
                buf[i] = f(buf[i]);
            }
        }

        @Override
        public boolean nonDecreasing() {
            return monotone;
        }
    }

    /**
     * A range-checked transform like the evaluator's quantizer: f(x) = x/2 + 1/4 inside (-L, L), falling with slope -1
     * outside (continuous, not monotone there); {@code begin}/{@code beginRange} record whether the values lie
     * inside, which is when it is non-decreasing. The value of f never depends on begin, so the reference is f.
     */
    private static final class RangeAffine implements OutputTransform.Elementwise {
        final float limit;
        boolean inside;

        RangeAffine(float limit) {
            this.limit = limit;
        }

        static float f(float v, float limit) {
            if (v >= limit) {
                return limit * 0.5f + 0.25f - (v - limit);
            }
            return v <= -limit ? -limit * 0.5f + 0.25f + (-limit - v) : v * 0.5f + 0.25f;
        }

        @Override
        public void begin(org.nd4j.linalg.api.ndarray.INDArray output) {
            boolean ok = true;
            for (float v : dev.sparsimony.engine.infer.kernels.NdUtil.toFloats(output)) {
                ok &= Math.abs(v) < limit;
            }
            inside = ok;
        }

        @Override
        public boolean rangeOnly() {
            return true;
        }

        @Override
        public void beginRange(float min, float max) {
            inside = Math.abs(min) < limit && Math.abs(max) < limit;
        }

        @Override
        public void apply(float[] buf, int from, int to) {
            for (int i = from; i < to; i++) {
                buf[i] = f(buf[i], limit);
            }
        }

        @Override
        public boolean nonDecreasing() {
            return inside;
        }
    }

    @Property(tries = 150)
    void fusedChainsMatchTheirUnfusedReference(@ForAll long seed) {
        Random r = new Random(seed);
        Geo g = Geo.random(r, true);
        String method = switch (r.nextInt(3)) {
            case 0 -> "direct";
            case 1 -> "winograd";
            default -> "auto";
        };
        Ops.Conv c = g.conv(r, r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.9);
        List<Op> ops = new ArrayList<>(List.of(c));
        boolean bn = r.nextBoolean();
        float[] gamma = new float[g.cout];
        float[] beta = new float[g.cout];
        float[] mean = new float[g.cout];
        float[] var = new float[g.cout];
        for (int o = 0; o < g.cout; o++) {
            gamma[o] = (float) r.nextGaussian(); // negative scales too: they must not move behind a max pooling
            beta[o] = (float) r.nextGaussian();
            mean[o] = (float) r.nextGaussian();
            var[o] = 0.5f + r.nextFloat();
        }
        if (bn) {
            ops.add(new Ops.BatchNorm(Tensor.of(gamma, g.cout), Tensor.of(beta, g.cout), Tensor.of(mean, g.cout),
                    Tensor.of(var, g.cout), 1e-3f, g.layout));
        }
        ActivationKind act = switch (r.nextInt(4)) {
            case 0 -> ActivationKind.RELU;
            case 1 -> ActivationKind.CLIP;
            case 2 -> ActivationKind.LEAKY_RELU;
            default -> null;
        };
        if (act != null) {
            ops.add(act == ActivationKind.CLIP ? new Ops.Activation(act, 0f, 6f) : Ops.Activation.of(act));
        }
        int p = g.kh == 3 && g.sh == 1 && g.groups == 1 && r.nextBoolean() ? 2 : 1 + r.nextInt(3);
        boolean avg = r.nextInt(3) == 0;
        boolean pool = r.nextInt(4) != 0 && g.oh() >= p && g.ow() >= p;
        if (pool) {
            int[] win = g.oneD ? new int[] {p} : new int[] {p, p};
            int[] zero = g.oneD ? new int[] {0} : new int[] {0, 0};
            ops.add(new Ops.Pool(avg ? Ops.PoolKind.AVG : Ops.PoolKind.MAX, win, win, zero, zero, false, false,
                    g.layout));
        }
        int tConv = r.nextInt(4); // 0 none, 1 non-decreasing, 2 not, 3 range-checked
        float limit = 2f + 6f * r.nextFloat();
        boolean tNorm = bn && r.nextBoolean(); // a range-checked transform on the batch norm's output too
        float[] x = input(g, r);
        Model m = model(g, ops);
        // reference: conv, transform, batch norm, activation, pooling, all in double
        double[][][][] y = g.reference(x, c);
        Affine t = tConv == 0 || tConv == 3 ? null : new Affine(tConv == 1);
        Ops.Activation a = act == null ? null : (Ops.Activation) ops.get(bn ? 2 : 1);
        for (double[][][] ys : y) {
            for (int o = 0; o < g.cout; o++) {
                double sc = gamma[o] / Math.sqrt(var[o] + 1e-3);
                for (double[] row : ys[o]) {
                    for (int q = 0; q < row.length; q++) {
                        double v = row[q];
                        v = t == null ? v : t.f((float) v);
                        v = tConv == 3 ? RangeAffine.f((float) v, limit) : v;
                        v = bn ? (float) ((v - mean[o]) * sc + beta[o]) : v;
                        v = tNorm ? RangeAffine.f((float) v, limit) : v;
                        if (a != null) {
                            v = switch (a.activation()) {
                                case RELU -> Math.max(v, 0);
                                case CLIP -> Math.min(6, Math.max(0, v));
                                default -> v >= 0 ? v : a.alpha() * v;
                            };
                        }
                        row[q] = v;
                    }
                }
            }
        }
        if (pool) {
            int ph = g.oneD ? 1 : p;
            double[][][][] py = new double[g.n][g.cout][g.oh() / ph][g.ow() / p];
            for (int s = 0; s < g.n; s++) {
                for (int o = 0; o < g.cout; o++) {
                    for (int i = 0; i < py[s][o].length; i++) {
                        for (int q = 0; q < py[s][o][i].length; q++) {
                            double acc = avg ? 0 : Double.NEGATIVE_INFINITY;
                            for (int a1 = 0; a1 < ph; a1++) {
                                for (int b1 = 0; b1 < p; b1++) {
                                    double v = y[s][o][i * ph + a1][q * p + b1];
                                    acc = avg ? acc + v : Math.max(acc, v);
                                }
                            }
                            py[s][o][i][q] = avg ? acc / (ph * p) : acc;
                        }
                    }
                }
            }
            y = py;
        }
        float[] expected = g.flatten(y);
        String before = System.getProperty(METHOD);
        System.setProperty(METHOD, method);
        System.setProperty("sparsimony.conv.grid", r.nextBoolean() ? "gather" : "planes");
        try (CompiledModel cm = CompiledModel.compile(m, g.n)) {
            if (t != null) {
                cm.setOutputTransform("n1", t);
            }
            if (tConv == 3) {
                cm.setOutputTransform("n1", new RangeAffine(limit));
            }
            if (tNorm) {
                cm.setOutputTransform("n2", new RangeAffine(limit));
            }
            String what = g + " " + ops.stream().map(Op::kind).toList() + " " + method + " transform " + tConv
                    + (tNorm ? " + on the batch norm" : "");
            assertClose(expected, cm.forward(x, g.n), what + " (fused)");
            // capturing the conv output runs every node on its own
            String last = "n" + ops.size();
            float[] unfused = cm.forwardCapture(x, g.n, new java.util.HashSet<>(List.of("n1", last))).get(last);
            assertClose(expected, unfused, what + " (unfused)");
        } finally {
            System.clearProperty("sparsimony.conv.grid");
            if (before == null) {
                System.clearProperty(METHOD);
            } else {
                System.setProperty(METHOD, before);
            }
        }
    }
}
