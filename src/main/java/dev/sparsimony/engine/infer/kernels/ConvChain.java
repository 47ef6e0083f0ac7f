package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.infer.OutputTransform;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Ops;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Conv → [BatchNorm] → [element-wise activations] → [pooling] as one step on {@link PlanarConv}'s planar heap
 * arrays: the conv output, its batch norm, activations and output transforms never leave the cache, and the
 * pooling is an element-wise max (or mean) of the conv's phase planes. Only the last member's output is written,
 * in the model's layout. A batch norm right after the conv is folded into its taps and bias when the conv output
 * has no output transform (it must then be seen unfolded), otherwise applied per channel.
 */
final class ConvChain implements OpKernel.FusedStep {
    private final PlanarConv pc;
    private final boolean channelsLast;
    private final int sampleIn;
    private final int sampleOut;
    private final int n;
    private final INDArray in;
    private final INDArray out;
    private final INDArray kernel;
    private final INDArray bias;
    /** Tail members taken: each a batch norm, an element-wise step or (last) the pooling. */
    private final List<Stage> stages;
    private final boolean pooled;
    private final boolean avg;
    private final float[] x;
    private final float[] stage;
    /** Each output channel's final values on the grid (pooled, or the single phase). */
    private final float[][] results;
    private final float[][] one = new float[1][];
    private boolean stale = true;
    private boolean folded;

    private interface Stage {
    }

    private record Norm(INDArray gamma, INDArray beta, INDArray mean, INDArray var, float eps, float[] scale,
                        float[] shift) implements Stage {
        void refresh() {
            float[] g = NdUtil.toFloats(gamma);
            float[] b = NdUtil.toFloats(beta);
            float[] m = NdUtil.toFloats(mean);
            float[] v = NdUtil.toFloats(var);
            for (int i = 0; i < scale.length; i++) {
                scale[i] = (float) (g[i] / Math.sqrt((double) v[i] + eps));
                shift[i] = b[i] - m[i] * scale[i];
            }
        }
    }

    /** An element-wise step; {@code monotone} when non-decreasing, so that it commutes with a max pooling. */
    private record Elementwise(OpKernel.ElementwiseStep step, boolean monotone) implements Stage {
    }

    private record Pooling() implements Stage {
    }

    private ConvChain(Ops.Conv op, OpKernel.Context ctx, List<Stage> stages, int[] poolWindow, boolean avg,
                      INDArray out) {
        this.stages = stages;
        this.avg = avg;
        this.in = ctx.input(0);
        this.out = out;
        this.kernel = ctx.requireWeight("kernel");
        this.bias = ctx.weight("bias");
        Layout layout = op.layout();
        channelsLast = layout == Layout.CHANNELS_LAST;
        boolean oneD = op.spatialRank() == 1;
        long[] s = in.shape();
        long[] os = ctx.output().shape();
        n = (int) s[0];
        int c = (int) s[layout.channelAxis(s.length)];
        int h = oneD ? 1 : (int) s[layout.spatialAxis(s.length, 0)];
        int w = (int) s[layout.spatialAxis(s.length, oneD ? 0 : 1)];
        int oh = oneD ? 1 : (int) os[layout.spatialAxis(os.length, 0)];
        int ow = (int) os[layout.spatialAxis(os.length, oneD ? 0 : 1)];
        int last = op.spatialRank() - 1;
        int[] ks = op.kernelSize();
        int[] g = {c, h, w, op.outChannels(), oneD ? 1 : ks[0], ks[last], oneD ? 1 : op.strides()[0],
                op.strides()[last], oneD ? 1 : op.dilations()[0], op.dilations()[last], oneD ? 0 : op.padsBegin()[0],
                op.padsBegin()[last], oh, ow, oneD ? 1 : poolWindow[0], poolWindow[poolWindow.length - 1], op.groups()};
        pc = new PlanarConv(g, BLOCK_BYTES, channelsLast);
        pooled = stages.stream().anyMatch(st -> st instanceof Pooling);
        sampleIn = c * h * w;
        sampleOut = pc.cout * pc.outH * pc.outW;
        x = new float[pc.block() * pc.sampleStride()];
        stage = new float[pc.block() * sampleOut];
        results = new float[pc.cout][pc.block() * pc.grid];
    }

    /** Heap arrays of one block: sized for the per-core L2 cache (1-2 MB) with room for the weights. */
    static final long BLOCK_BYTES = 768 << 10;

    /** The conv alone on the planar path (grouped and depthwise convs: their im2col would be one sgemm per group). */
    static ConvChain plain(Ops.Conv op, OpKernel.Context ctx) {
        int[] window = op.spatialRank() == 1 ? new int[] {1} : new int[] {1, 1};
        return new ConvChain(op, ctx, List.of(), window, false, ctx.output());
    }

    /** The chain this kernel fuses after {@code op}, or null when it takes no member of the tail. */
    static ConvChain of(Ops.Conv op, OpKernel.Context ctx, List<OpKernel.Member> tail) {
        String method = System.getProperty(PlanarConv.METHOD_PROPERTY, "auto");
        if (ctx.input(0).length() == 0 || method.equals("im2col")) {
            return null;
        }
        int channelAxis = op.layout().channelAxis(op.spatialRank() + 2);
        List<Stage> stages = new ArrayList<>();
        int[] window = op.spatialRank() == 1 ? new int[] {1} : new int[] {1, 1};
        boolean avg = false;
        INDArray out = ctx.output();
        for (OpKernel.Member m : tail) {
            if (m.node().op() instanceof Ops.BatchNorm bn && bn.channelAxis(op.spatialRank() + 2) == channelAxis) {
                int co = op.outChannels();
                stages.add(new Norm(m.ctx().requireWeight("gamma"), m.ctx().requireWeight("beta"),
                        m.ctx().requireWeight("mean"), m.ctx().requireWeight("variance"), bn.epsilon(),
                        new float[co], new float[co]));
            } else if (m.node().op() instanceof Ops.Activation a && m.step() instanceof OpKernel.ElementwiseStep e) {
                stages.add(new Elementwise(e, nonDecreasing(a)));
            } else if (m.node().op() instanceof Ops.Pool p && phasePool(p, op)) {
                stages.add(new Pooling());
                window = p.kernel();
                avg = p.pool() == Ops.PoolKind.AVG;
                out = m.ctx().output();
                break;
            } else {
                break;
            }
            out = m.ctx().output();
        }
        if (stages.isEmpty() || method.equals("auto") && op.groups() == 1
                && !planarPays(op, window.length == 2 && window[0] == 2 && window[1] == 2)) {
            return null;
        }
        return new ConvChain(op, ctx, List.copyOf(stages), window, avg, out);
    }


    /**
     * Direct OpenBLAS sgemm multiply-adds per ns on [M, K] x [K, N] tiles on this kind of machine: a fit of measured
     * rates (51 GMAC/s at [512,512]x[512,512]; 9.8 at K=9, N=8; 25 at K=72, N=16; 35 at K=144, N=32; 43 at K=288,
     * N=64; inference.md) that small N and K keep far below the peak.
     */
    static double sgemmRate(int k, int n) {
        return 52.0 * n / (n + 12.0) * k / (k + 20.0);
    }

    /**
     * For one group: whether the planar chain (direct taps or Winograd, dense weights) costs at most 1.5 times the
     * im2col sgemm of the same layer; the margin is what the fusion saves besides (no separate passes for batch
     * norm, activation, pooling and the output transform) and pruning only helps the planar path. Wide layers
     * (e.g. a 1x1 conv 256 to 256) stay im2col.
     */
    static boolean planarPays(Ops.Conv op, boolean pooled2) {
        int taps = op.matrixRows();
        int cout = op.outChannels();
        double direct = (double) taps * cout;
        int[] ks = op.kernelSize();
        boolean wino = ks.length == 2 && ks[0] == 3 && ks[1] == 3 && op.strides()[0] == 1 && op.strides()[1] == 1
                && op.dilations()[0] == 1 && op.dilations()[1] == 1 && pooled2;
        int cin = op.inChannelsPerGroup();
        double planar = (wino ? Math.min(direct, Winograd.cost(cin, cout) / 4) : direct) / PlanarConv.PLANAR_RATE;
        return planar <= 1.5 * direct / sgemmRate(taps, cout);
    }

    /** Activations f with x &lt;= y ⇒ f(x) &lt;= f(y) (NaN in, NaN out), for which max(f(a), f(b)) = f(max(a, b)). */
    static boolean nonDecreasing(Ops.Activation a) {
        return switch (a.activation()) {
            case LINEAR, RELU, SELU, SIGMOID, TANH, SOFTPLUS, SOFTSIGN -> true;
            case LEAKY_RELU, ELU, HARD_SIGMOID -> a.alpha() >= 0;
            case CLIP -> a.alpha() <= a.beta();
        };
    }

    /** Windows that tile the map: stride = window, no padding, floor mode, same layout and rank as the conv. */
    private static boolean phasePool(Ops.Pool p, Ops.Conv c) {
        if (p.layout() != c.layout() || p.kernel().length != c.spatialRank() || p.ceilMode()) {
            return false;
        }
        for (int i = 0; i < p.kernel().length; i++) {
            if (p.strides()[i] != p.kernel()[i] || p.padsBegin()[i] != 0 || p.padsEnd()[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int members() {
        return stages.size();
    }

    @Override
    public void weightsChanged() {
        stale = true;
    }

    private void refresh(boolean fold) {
        for (Stage s : stages) {
            if (s instanceof Norm nm) {
                nm.refresh();
            }
        }
        Norm first = !stages.isEmpty() && stages.get(0) instanceof Norm nm && fold ? nm : null;
        pc.setWeights(NdUtil.toFloats(kernel), bias == null ? null : NdUtil.toFloats(bias),
                first == null ? null : first.scale(), first == null ? null : first.shift());
        folded = first != null;
        stale = false;
    }

    @Override
    public void run(OutputTransform.Elementwise[] transforms) {
        // a batch norm right after the conv folds into the taps unless the conv output itself is transformed
        boolean fold = transforms[0] == null;
        if (stale || fold != folded) {
            refresh(fold);
        }
        FloatBuffer inBuf = NdUtil.nio(in);
        int inBase = NdUtil.base(in);
        FloatBuffer outBuf = NdUtil.nio(out);
        int outBase = NdUtil.base(out);
        int b = pc.block();
        int poolAt = pooled ? stages.size() - 1 : stages.size();
        for (int s0 = 0; s0 < n; s0 += b) {
            int count = Math.min(b, n - s0);
            int len = count * pc.grid;
            int stride = pc.sampleStride();
            if (stride == sampleIn) {
                inBuf.get(inBase + s0 * sampleIn, x, 0, count * sampleIn);
            } else {
                for (int s = 0; s < count; s++) {
                    inBuf.get(inBase + (s0 + s) * sampleIn, x, s * stride, sampleIn);
                }
            }
            pc.load(x, count);
            pc.prepare(count);
            // one output channel at a time: its phase planes stay in cache through the whole chain
            for (int o = 0; o < pc.cout; o++) {
                pc.channel(o, count);
                float[][] acc = pc.acc;
                float[] res = results[o];
                if (pooled && !avg && poolingFirst(transforms, o, acc, res, len)) {
                    continue;
                }
                OutputTransform.Elementwise t0 = transforms[0];
                if (t0 != null) {
                    begin(t0, acc, len);
                }
                // the stages from `moved` to the pooling, and the conv's own transform when they all move, commute
                // with a max pooling: they run on the pooled values
                int moved = pooled ? movable(transforms, o) : poolAt;
                boolean moveT0 = t0 != null && moved == 0 && t0.nonDecreasing();
                if (t0 != null && !moveT0) {
                    for (float[] a : acc) {
                        t0.apply(a, 0, len);
                    }
                }
                for (int k = 0; k < moved; k++) {
                    apply(stages.get(k), o, acc, len);
                    transform(transforms[k + 1], acc, len);
                }
                if (pooled) {
                    poolPhases(acc, res, len);
                    if (moveT0) {
                        t0.apply(res, 0, len);
                    }
                    for (int k = moved; k < poolAt; k++) {
                        apply(stages.get(k), o, single(res), len);
                    }
                    transform(transforms[poolAt + 1], single(res), len);
                } else {
                    System.arraycopy(acc[0], 0, res, 0, len);
                }
            }
            write(count);
            outBuf.put(outBase + s0 * sampleOut, stage, 0, count * sampleOut);
        }
    }

    /**
     * The whole chain behind a max pooling, when every stage before it is non-decreasing for channel o and every
     * transform decides from a range ({@link OutputTransform.Elementwise#rangeOnly}): pool the raw phases first, then
     * run each stage on the pooled values and on the two bounds [min, max] of all phase values, each transform's
     * begin seeing the bounds carried so far. Exact, because max commutes with non-decreasing maps and each transform
     * is checked non-decreasing on an interval that holds every value it would have seen. False (nothing written
     * but {@code res}) when a transform turns out not to be non-decreasing there; the caller then runs the chain on
     * all phases.
     */
    private boolean poolingFirst(OutputTransform.Elementwise[] transforms, int o, float[][] acc, float[] res,
                                 int len) {
        int poolAt = stages.size() - 1;
        for (int k = 0; k <= poolAt + 1; k++) {
            if (transforms[k] != null && !transforms[k].rangeOnly()) {
                return false;
            }
            if (k < poolAt && (!nonDecreasing(stages.get(k), o))) {
                return false;
            }
        }
        // the conv's transform alone: its begin sees the phase values (it may know it need not look at them, as the
        // quantizer does for the first layer); a later transform needs bounds carried through the stages before it
        boolean later = false;
        for (int k = 1; k <= poolAt + 1; k++) {
            later |= transforms[k] != null;
        }
        OutputTransform.Elementwise t0 = transforms[0];
        if (t0 != null && !later) {
            begin(t0, acc, len);
            if (!t0.nonDecreasing()) {
                return false;
            }
        }
        poolPhases(acc, res, len);
        float[] bounds = this.bounds;
        if (later) {
            bounds[0] = minOver(acc, len);
            bounds[1] = maxOf(res, len);
        }
        for (int k = 0; k <= poolAt + 1; k++) {
            if (k > 0 && k <= poolAt) {
                apply(stages.get(k - 1), o, single(res), len);
                applyBounds(stages.get(k - 1), o);
            }
            OutputTransform.Elementwise t = transforms[k];
            if (t != null) {
                if (later) {
                    t.beginRange(bounds[0], bounds[1]);
                    if (k <= poolAt && !t.nonDecreasing()) {
                        return false;
                    }
                }
                t.apply(res, 0, len);
                t.apply(bounds, 0, 2);
            }
        }
        return true;
    }

    private final float[] bounds = new float[2];

    private void applyBounds(Stage st, int o) {
        if (st instanceof Norm nm) {
            if (st != stages.get(0) || !folded) {
                affine(bounds, nm.scale()[o], nm.shift()[o], 2);
            }
        } else if (st instanceof Elementwise e) {
            e.step().apply(bounds, 0, 2);
        }
    }

    /** Smallest value over the phase planes: their element-wise min (vectorised), then its minimum. */
    private float minOver(float[][] acc, int len) {
        ensureScratch(len);
        float[] l = low;
        System.arraycopy(acc[0], 0, l, 0, len);
        for (int f = 1; f < acc.length; f++) {
            minInto(l, acc[f], len);
        }
        return fold(l, len, half, false);
    }

    private float maxOf(float[] a, int len) {
        ensureScratch(len);
        System.arraycopy(a, 0, low, 0, len);
        return fold(low, len, half, true);
    }

    private void ensureScratch(int len) {
        if (low.length < len) {
            low = new float[len];
            half = new float[len / 2 + 1];
        }
    }

    private float[] low = new float[0];
    private float[] half = new float[1];

    private static void minInto(float[] p, float[] a, int len) {
        for (int j = 0; j < len; j++) {
            p[j] = Math.min(p[j], a[j]);
        }
    }

    /**
     * Max (or min) of a[0, len), overwriting it: the upper half is copied out and folded onto the lower half
     * element-wise (a loop C2 vectorises; it does not vectorise a reduction, and one running Math.max is bound by
     * its latency) until a few values remain. NaN propagates, so a NaN anywhere gives NaN.
     */
    static float fold(float[] a, int len, float[] half, boolean max) {
        int n = len;
        while (n > 16) {
            int h = n / 2;
            System.arraycopy(a, n - h, half, 0, h);
            if (max) {
                maxInto(a, half, h);
            } else {
                minInto(a, half, h);
            }
            n -= h;
        }
        float m = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            m = max ? Math.max(m, a[j]) : Math.min(m, a[j]);
        }
        return m;
    }

    private float[][] single(float[] a) {
        one[0] = a;
        return one;
    }

    private void apply(Stage st, int o, float[][] arrays, int len) {
        if (st instanceof Norm nm) {
            if (st != stages.get(0) || !folded) {
                for (float[] a : arrays) {
                    affine(a, nm.scale()[o], nm.shift()[o], len);
                }
            }
        } else if (st instanceof Elementwise e) {
            for (float[] a : arrays) {
                e.step().apply(a, 0, len);
            }
        }
    }

    /**
     * With a max pooling: the index of the first stage of the longest run right before it of untransformed,
     * non-decreasing stages for output channel o (activations, batch norms with a non-negative scale), which
     * therefore commute with the pooling and run on a quarter of the values (2x2 windows).
     */
    private int movable(OutputTransform.Elementwise[] transforms, int o) {
        int k = stages.size() - 1;
        if (avg) {
            return k;
        }
        while (k > 0 && transforms[k] == null && nonDecreasing(stages.get(k - 1), o)) {
            k--;
        }
        return k;
    }

    private boolean nonDecreasing(Stage st, int o) {
        if (st instanceof Norm nm) {
            return st == stages.get(0) && folded || nm.scale()[o] >= 0;
        }
        return st instanceof Elementwise e && e.monotone();
    }

    /** Applies a transform to arrays[*][0, len) (one part of the output), after its begin on them. */
    private void transform(OutputTransform.Elementwise t, float[][] arrays, int len) {
        if (t == null) {
            return;
        }
        begin(t, arrays, len);
        for (float[] a : arrays) {
            t.apply(a, 0, len);
        }
    }

    /** The transform's begin on arrays[*][0, len). */
    private static void begin(OutputTransform.Elementwise t, float[][] arrays, int len) {
        t.begin(arrays, len);
    }

    private static void affine(float[] a, float scale, float shift, int len) {
        for (int j = 0; j < len; j++) {
            a[j] = a[j] * scale + shift;
        }
    }

    /** p = max (or mean) over the phase planes of one output channel. */
    private void poolPhases(float[][] acc, float[] p, int len) {
        if (!avg && acc.length == 4) {
            max4(p, acc[0], acc[1], acc[2], acc[3], len);
            return;
        }
        System.arraycopy(acc[0], 0, p, 0, len);
        for (int f = 1; f < acc.length; f++) {
            if (avg) {
                addInto(p, acc[f], len);
            } else {
                maxInto(p, acc[f], len);
            }
        }
        if (avg) {
            scaleInPlace(p, 1f / acc.length, len);
        }
    }

    // NaN propagates through Math.max as through the pool kernel's max
    private static void max4(float[] p, float[] a, float[] b, float[] c, float[] d, int len) {
        for (int j = 0; j < len; j++) {
            p[j] = Math.max(Math.max(a[j], b[j]), Math.max(c[j], d[j]));
        }
    }

    private static void maxInto(float[] p, float[] a, int len) {
        for (int j = 0; j < len; j++) {
            p[j] = Math.max(p[j], a[j]);
        }
    }

    private static void addInto(float[] p, float[] a, int len) {
        for (int j = 0; j < len; j++) {
            p[j] += a[j];
        }
    }

    private static void scaleInPlace(float[] p, float f, int len) {
        for (int j = 0; j < len; j++) {
            p[j] *= f;
        }
    }

    /** The valid grid positions of {@link #results} into {@link #stage}, in the model's layout. */
    private void write(int count) {
        int oh = pc.outH;
        int ow = pc.outW;
        int co = pc.cout;
        int wd = pc.wd;
        for (int s = 0; s < count; s++) {
            int g0 = s * pc.grid;
            int d0 = s * sampleOut;
            if (!channelsLast) {
                for (int o = 0; o < co; o++) {
                    for (int i = 0; i < oh; i++) {
                        System.arraycopy(results[o], g0 + i * wd, stage, d0 + (o * oh + i) * ow, ow);
                    }
                }
                continue;
            }
            // eight or four channels per pass, their arrays in registers: adjacent stores per position
            int o = 0;
            for (; o + 8 <= co; o += 8) {
                float[] r0 = results[o];
                float[] r1 = results[o + 1];
                float[] r2 = results[o + 2];
                float[] r3 = results[o + 3];
                float[] r4 = results[o + 4];
                float[] r5 = results[o + 5];
                float[] r6 = results[o + 6];
                float[] r7 = results[o + 7];
                for (int i = 0; i < oh; i++) {
                    int d = d0 + i * ow * co + o;
                    int g = g0 + i * wd;
                    for (int q = 0; q < ow; q++, d += co, g++) {
                        stage[d] = r0[g];
                        stage[d + 1] = r1[g];
                        stage[d + 2] = r2[g];
                        stage[d + 3] = r3[g];
                        stage[d + 4] = r4[g];
                        stage[d + 5] = r5[g];
                        stage[d + 6] = r6[g];
                        stage[d + 7] = r7[g];
                    }
                }
            }
            for (; o < co; o++) {
                float[] r = results[o];
                for (int i = 0; i < oh; i++) {
                    int d = d0 + i * ow * co + o;
                    int g = g0 + i * wd;
                    for (int q = 0; q < ow; q++, d += co, g++) {
                        stage[d] = r[g];
                    }
                }
            }
        }
    }
}
