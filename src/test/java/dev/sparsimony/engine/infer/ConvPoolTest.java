package dev.sparsimony.engine.infer;

import static dev.sparsimony.engine.infer.TestModels.assertClose;
import static dev.sparsimony.engine.infer.TestModels.assertShape;
import static dev.sparsimony.engine.infer.TestModels.op;
import static dev.sparsimony.engine.infer.TestModels.s;
import static dev.sparsimony.engine.infer.TestModels.t;

import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConvPoolTest {
    static final float[] MAP4 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    static Ops.Conv conv(Tensor k, Tensor b, int[] st, int[] dil, int[] pb, int[] pe, int g, Layout l) {
        return new Ops.Conv(k, b, st, dil, pb, pe, g, l);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void conv3x3On4x4BothLayouts(Layout layout) {
        // all-ones 3x3 kernel, 1 in / 1 out channel, bias 1: each output = window sum + 1
        Tensor k = t(s(3, 3, 1, 1), 1, 1, 1, 1, 1, 1, 1, 1, 1);
        int[] shape = layout == Layout.CHANNELS_FIRST ? s(1, 1, 4, 4) : s(1, 4, 4, 1);
        Tensor y = op(conv(k, t(s(1), 1), s(1, 1), s(1, 1), s(0, 0), s(0, 0), 1, layout), t(shape, MAP4));
        // windows: rows 1-3 cols 1-3 -> 1+2+3+5+6+7+9+10+11 = 54 ; 63 ; 90 ; 99
        assertShape(layout == Layout.CHANNELS_FIRST ? s(1, 1, 2, 2) : s(1, 2, 2, 1), y);
        assertClose(new float[] {55, 64, 91, 100}, y.data(), 1e-6f);
    }

    @Test
    void stridedPaddedConvWithAsymmetricPads() {
        // 2x2 kernel [[1,0],[0,1]] (diagonal), stride 2, pads top/left 1, bottom/right 0
        Tensor k = t(s(2, 2, 1, 1), 1, 0, 0, 1);
        Tensor y = op(conv(k, null, s(2, 2), s(1, 1), s(1, 1), s(0, 0), 1, Layout.CHANNELS_FIRST),
                t(s(1, 1, 4, 4), MAP4));
        // padded rows -1..3; windows at (-1,-1),(-1,1),(1,-1),(1,1): x[r][c] + x[r+1][c+1]
        // (-1,-1): 0 + x00=1 ; (-1,1): 0 + x02=3 ; (1,-1): 0 + x20=9 ; (1,1): x11 + x22 = 6+11 = 17
        assertShape(s(1, 1, 2, 2), y);
        assertClose(new float[] {1, 3, 9, 17}, y.data(), 1e-6f);
    }

    @Test
    void dilatedConv() {
        // 2x2 kernel of ones with dilation 2 on a 4x4 map: sums x[r][c]+x[r][c+2]+x[r+2][c]+x[r+2][c+2]
        Tensor k = t(s(2, 2, 1, 1), 1, 1, 1, 1);
        Tensor y = op(conv(k, null, s(1, 1), s(2, 2), s(0, 0), s(0, 0), 1, Layout.CHANNELS_LAST),
                t(s(1, 4, 4, 1), MAP4));
        assertClose(new float[] {1 + 3 + 9 + 11, 2 + 4 + 10 + 12, 5 + 7 + 13 + 15, 6 + 8 + 14 + 16}, y.data(), 1e-6f);
    }

    @Test
    void groupedConv1x1() {
        // 4 input channels, 2 groups, 2 output channels: out0 = x0 + 2*x1, out1 = 3*x2 + 4*x3 (1x1 kernel)
        // kernel [1,1,cIn/g=2,cOut=2]: [i][o] -> {{1,3},{2,4}}
        Tensor k = t(s(1, 1, 2, 2), 1, 3, 2, 4);
        Tensor x = t(s(1, 1, 1, 4), 1, 10, 100, 1000); // NHWC, one pixel
        Tensor y = op(conv(k, null, s(1, 1), s(1, 1), s(0, 0), s(0, 0), 2, Layout.CHANNELS_LAST), x);
        assertClose(new float[] {21, 4300}, y.data(), 1e-6f);
        Tensor xc = t(s(1, 4, 1, 1), 1, 10, 100, 1000);
        Tensor yc = op(conv(k, null, s(1, 1), s(1, 1), s(0, 0), s(0, 0), 2, Layout.CHANNELS_FIRST), xc);
        assertClose(new float[] {21, 4300}, yc.data(), 1e-6f);
    }

    @Test
    void conv1dBothLayouts() {
        // kernel size 2, 1 in, 1 out, weights [1, -1]: y[i] = x[i] - x[i+1]
        Tensor k = t(s(2, 1, 1), 1, -1);
        Tensor y = op(conv(k, null, s(1), s(1), s(0), s(0), 1, Layout.CHANNELS_FIRST), t(s(1, 1, 4), 1, 4, 9, 16));
        assertShape(s(1, 1, 3), y);
        assertClose(new float[] {-3, -5, -7}, y.data(), 1e-6f);
        Tensor y2 = op(conv(k, null, s(2), s(1), s(1), s(0), 1, Layout.CHANNELS_LAST), t(s(1, 4, 1), 1, 4, 9, 16));
        // padded [0,1,4,9,16], windows at 0 and 2: 0-1, 4-9
        assertShape(s(1, 2, 1), y2);
        assertClose(new float[] {-1, -5}, y2.data(), 1e-6f);
    }

    /** Direct-loop reference convolution (HWIO kernel), 2-D, any layout. */
    static float[] referenceConv(Tensor x, Ops.Conv c) {
        boolean cf = c.layout() == Layout.CHANNELS_FIRST;
        int[] xs = x.shape();
        int n = xs[0];
        int cin = cf ? xs[1] : xs[3];
        int h = cf ? xs[2] : xs[1];
        int w = cf ? xs[3] : xs[2];
        int[] k = c.kernelSize();
        int cg = c.inChannelsPerGroup();
        int cout = c.outChannels();
        int coutG = cout / c.groups();
        int oh = (h + c.padsBegin()[0] + c.padsEnd()[0] - ((k[0] - 1) * c.dilations()[0] + 1)) / c.strides()[0] + 1;
        int ow = (w + c.padsBegin()[1] + c.padsEnd()[1] - ((k[1] - 1) * c.dilations()[1] + 1)) / c.strides()[1] + 1;
        float[] kd = c.kernel().data();
        float[] xd = x.data();
        float[] out = new float[n * cout * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < cout; o++) {
                int grp = o / coutG;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = c.bias() == null ? 0 : c.bias().data()[o];
                        for (int ki = 0; ki < k[0]; ki++) {
                            for (int kj = 0; kj < k[1]; kj++) {
                                int r = i * c.strides()[0] - c.padsBegin()[0] + ki * c.dilations()[0];
                                int q = j * c.strides()[1] - c.padsBegin()[1] + kj * c.dilations()[1];
                                if (r < 0 || r >= h || q < 0 || q >= w) {
                                    continue;
                                }
                                for (int ci = 0; ci < cg; ci++) {
                                    int ch = grp * cg + ci;
                                    float xv = cf ? xd[((b * cin + ch) * h + r) * w + q] : xd[((b * h + r) * w + q) * cin + ch];
                                    acc += xv * kd[((ki * k[1] + kj) * cg + ci) * cout + o];
                                }
                            }
                        }
                        int idx = cf ? ((b * cout + o) * oh + i) * ow + j : ((b * oh + i) * ow + j) * cout + o;
                        out[idx] = (float) acc;
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void randomConvsMatchDirectLoops(Layout layout) {
        Random r = new Random(42);
        for (int trial = 0; trial < 12; trial++) {
            int g = 1 + r.nextInt(3);
            int cg = 1 + r.nextInt(3);
            int coutG = 1 + r.nextInt(3);
            int kh = 1 + r.nextInt(3);
            int kw = 1 + r.nextInt(3);
            int h = 5 + r.nextInt(4);
            int w = 5 + r.nextInt(4);
            int[] st = {1 + r.nextInt(2), 1 + r.nextInt(2)};
            int[] dil = {1 + r.nextInt(2), 1 + r.nextInt(2)};
            int[] pb = {r.nextInt(2), r.nextInt(3)};
            int[] pe = {r.nextInt(3), r.nextInt(2)};
            int n = 1 + r.nextInt(3);
            Ops.Conv c = conv(TestModels.random(r, kh, kw, cg, g * coutG), TestModels.random(r, g * coutG), st, dil,
                    pb, pe, g, layout);
            int cin = g * cg;
            Tensor x = TestModels.random(r, layout == Layout.CHANNELS_FIRST ? s(n, cin, h, w) : s(n, h, w, cin));
            assertClose(referenceConv(x, c), op(c, x).data(), 1e-4f);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void largeMapsSplitIntoSeveralColumnBlocks(Layout layout) {
        // 64x64 map, 3x3 kernel, 16 channels: 590k column values per sample, so each sample is its own block
        Random r = new Random(3);
        Ops.Conv c = conv(TestModels.random(r, 3, 3, 16, 4), TestModels.random(r, 4), s(1, 1), s(1, 1), s(1, 1),
                s(1, 1), 1, layout);
        Tensor x = TestModels.random(r, layout == Layout.CHANNELS_FIRST ? s(3, 16, 64, 64) : s(3, 64, 64, 16));
        assertClose(referenceConv(x, c), op(c, x).data(), 1e-4f);
    }

    @Test
    void interiorWindowsWithStridesAndRowDilation() {
        // no padding reached, columns not dilated: the contiguous-run im2col path, with strides and a row dilation
        Random r = new Random(12);
        Ops.Conv c = conv(TestModels.random(r, 3, 2, 3, 4), TestModels.random(r, 4), s(2, 3), s(2, 1), s(0, 0),
                s(0, 0), 1, Layout.CHANNELS_LAST);
        Tensor x = TestModels.random(r, 5, 11, 9, 3);
        assertClose(referenceConv(x, c), op(c, x).data(), 1e-4f);
    }

    @Test
    void blocksOfSeveralSamplesWithAPartialLastBlockAndANewBias() {
        // 10x10x2 maps, 3x3 kernel: 1,152 column values per sample, so blocks of 56 samples: 56 + 56 + 18
        Random r = new Random(9);
        Ops.Conv c = conv(TestModels.random(r, 3, 3, 2, 5), TestModels.random(r, 5), s(1, 1), s(1, 1), s(0, 0),
                s(0, 0), 1, Layout.CHANNELS_LAST);
        Tensor x = TestModels.random(r, 130, 10, 10, 2);
        assertClose(referenceConv(x, c), op(c, x).data(), 1e-4f);
        Model m = TestModels.chain(s(-1, 10, 10, 2), c);
        try (CompiledModel cm = CompiledModel.compile(m, 130)) {
            assertClose(referenceConv(x, c), cm.forward(x.data(), 130), 1e-4f);
            float[] bias = {1, -2, 3, -4, 5};
            cm.setWeight("n1", "bias", bias);
            Ops.Conv c2 = conv(c.kernel(), Tensor.of(bias, 5), s(1, 1), s(1, 1), s(0, 0), s(0, 0), 1,
                    Layout.CHANNELS_LAST);
            assertClose(referenceConv(x, c2), cm.forward(x.data(), 130), 1e-4f);
        }
    }

    // ------------------------------------------------------------------ pooling

    static Ops.Pool pool(Ops.PoolKind k, int[] win, int[] st, int[] pb, int[] pe, boolean incl, boolean ceil, Layout l) {
        return new Ops.Pool(k, win, st, pb, pe, incl, ceil, l);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void maxPool2x2BothLayouts(Layout layout) {
        int[] shape = layout == Layout.CHANNELS_FIRST ? s(1, 1, 4, 4) : s(1, 4, 4, 1);
        Tensor y = op(pool(Ops.PoolKind.MAX, s(2, 2), s(2, 2), s(0, 0), s(0, 0), false, false, layout),
                t(shape, MAP4));
        assertClose(new float[] {6, 8, 14, 16}, y.data(), 0);
    }

    @Test
    void maxPoolIgnoresPaddingEvenForNegativeInputs() {
        float[] neg = new float[16];
        for (int i = 0; i < 16; i++) {
            neg[i] = -MAP4[i];
        }
        Tensor y = op(pool(Ops.PoolKind.MAX, s(2, 2), s(2, 2), s(1, 1), s(1, 1), false, false,
                Layout.CHANNELS_FIRST), t(s(1, 1, 4, 4), neg));
        // windows start at -1,1,3 per axis: {x00}, {x01,x02}, {x03} ...
        assertShape(s(1, 1, 3, 3), y);
        assertClose(new float[] {-1, -2, -4, -5, -6, -8, -13, -14, -16}, y.data(), 0);
    }

    @Test
    void avgPoolWithPadsCountIncludeOrNot() {
        // 3x3 window, stride 1, pad 1 on a 4x4 map: corner (0,0) covers x00,x01,x10,x11 = 1+2+5+6 = 14
        Ops.Pool excl = pool(Ops.PoolKind.AVG, s(3, 3), s(1, 1), s(1, 1), s(1, 1), false, false, Layout.CHANNELS_FIRST);
        Ops.Pool incl = pool(Ops.PoolKind.AVG, s(3, 3), s(1, 1), s(1, 1), s(1, 1), true, false, Layout.CHANNELS_FIRST);
        Tensor ye = op(excl, t(s(1, 1, 4, 4), MAP4));
        Tensor yi = op(incl, t(s(1, 1, 4, 4), MAP4));
        assertShape(s(1, 1, 4, 4), ye);
        assertClose(new float[] {14 / 4f}, new float[] {ye.data()[0]}, 1e-6f);
        assertClose(new float[] {14 / 9f}, new float[] {yi.data()[0]}, 1e-6f);
        // centre (1,1): full window 1+2+3+5+6+7+9+10+11 = 54
        assertClose(new float[] {6, 6}, new float[] {ye.data()[5], yi.data()[5]}, 1e-6f);
        // edge (0,1): x00..x02, x10..x12 = 1+2+3+5+6+7 = 24
        assertClose(new float[] {4, 24 / 9f}, new float[] {ye.data()[1], yi.data()[1]}, 1e-6f);
    }

    @Test
    void ceilModeAddsAPartialWindow() {
        // 5-wide 1-D map, window 2 stride 2: floor -> 2 outputs, ceil -> 3 (last window covers only x4)
        Tensor x = t(s(1, 1, 5), 1, 2, 3, 4, 5);
        Tensor fl = op(pool(Ops.PoolKind.AVG, s(2), s(2), s(0), s(0), false, false, Layout.CHANNELS_FIRST), x);
        Tensor ce = op(pool(Ops.PoolKind.AVG, s(2), s(2), s(0), s(0), false, true, Layout.CHANNELS_FIRST), x);
        Tensor cm = op(pool(Ops.PoolKind.MAX, s(2), s(2), s(0), s(0), false, true, Layout.CHANNELS_LAST),
                t(s(1, 5, 1), 1, 2, 3, 4, 5));
        assertClose(new float[] {1.5f, 3.5f}, fl.data(), 1e-6f);
        assertClose(new float[] {1.5f, 3.5f, 5}, ce.data(), 1e-6f);
        assertClose(new float[] {2, 4, 5}, cm.data(), 0);
    }

    @Test
    void ceilModeAvgCountIncludePadStopsAtPaddedEdge() {
        // 4-wide map, window 3 stride 2, pads 1/1, ceil: padded [0,1,2,3,4,0]; outputs start at -1, 1, 3
        // (3: 1 + 2*... (out 3 starts at 3 inside input+left pad), windows: [-1..1], [1..3], [3..5]
        Tensor x = t(s(1, 1, 4), 1, 2, 3, 4);
        Tensor y = op(pool(Ops.PoolKind.AVG, s(3), s(2), s(1), s(1), true, true, Layout.CHANNELS_FIRST), x);
        // [-1..1] = 0+1+2 /3 ; [1..3] = 2+3+4 /3 ; [3..5] = 4+0 (pad) + overhang -> clipped to padded end 4: /2
        assertClose(new float[] {1, 3, 2}, y.data(), 1e-6f);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void globalPoolKeepDimsOrNot(Layout layout) {
        // 2 channels, 2x2 map: channel 0 = 1,2,3,4 ; channel 1 = 10,20,30,40
        Tensor x = layout == Layout.CHANNELS_FIRST ? t(s(1, 2, 2, 2), 1, 2, 3, 4, 10, 20, 30, 40)
                : t(s(1, 2, 2, 2), 1, 10, 2, 20, 3, 30, 4, 40);
        Tensor avg = op(new Ops.GlobalPool(Ops.PoolKind.AVG, layout, true), x);
        Tensor max = op(new Ops.GlobalPool(Ops.PoolKind.MAX, layout, false), x);
        assertShape(layout == Layout.CHANNELS_FIRST ? s(1, 2, 1, 1) : s(1, 1, 1, 2), avg);
        assertShape(s(1, 2), max);
        assertClose(new float[] {2.5f, 25}, avg.data(), 1e-6f);
        assertClose(new float[] {4, 40}, max.data(), 0);
    }
}
