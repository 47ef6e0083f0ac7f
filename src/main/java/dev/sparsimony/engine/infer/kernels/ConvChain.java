package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.infer.OutputTransform;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Ops;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
    /** One output channel's pooled values. */
    private final float[] pool;
    /** Native copy of a block's values for the output transforms' begin (created on first use). */
    private INDArray rangeBuf;
    private INDArray rangeView;
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
                op.padsBegin()[last], oh, ow, oneD ? 1 : poolWindow[0], poolWindow[poolWindow.length - 1]};
        pc = new PlanarConv(g, BLOCK_BYTES, channelsLast);
        pooled = pc.ph * pc.pw > 1 || stages.stream().anyMatch(st -> st instanceof Pooling);
        sampleIn = c * h * w;
        sampleOut = pc.cout * pc.outH * pc.outW;
        x = new float[pc.block() * sampleIn];
        stage = new float[pc.block() * sampleOut];
        pool = new float[pc.block() * pc.grid];
    }

    /** Heap arrays of one block: sized for the per-core L2 cache (1-2 MB) with room for the weights. */
    static final long BLOCK_BYTES = 768 << 10;

    /**
     * The chain this kernel fuses after {@code op}, or null: one group, and at least one member taken (a conv alone
     * keeps its im2col step).
     */
    static ConvChain of(Ops.Conv op, OpKernel.Context ctx, List<OpKernel.Member> tail) {
        if (op.groups() != 1 || ctx.input(0).length() == 0) {
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
        if (stages.isEmpty()) {
            return null;
        }
        return new ConvChain(op, ctx, List.copyOf(stages), window, avg, out);
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
        Norm first = stages.get(0) instanceof Norm nm && fold ? nm : null;
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
        int moved = movedBeforePool(transforms);
        float[][] pooledOnly = {pool};
        int b = pc.block();
        for (int s0 = 0; s0 < n; s0 += b) {
            int count = Math.min(b, n - s0);
            int len = count * pc.grid;
            inBuf.get(inBase + s0 * sampleIn, x, 0, count * sampleIn);
            pc.load(x, count);
            pc.prepare(count);
            // one output channel at a time: its phase planes stay in cache through the whole chain
            for (int o = 0; o < pc.cout; o++) {
                pc.channel(o, count);
                float[][] acc = pc.acc;
                float[][] res = acc;
                transform(transforms[0], acc, len);
                for (int k = 0; k < stages.size(); k++) {
                    Stage st = stages.get(k);
                    if (k >= moved && st instanceof Elementwise) {
                        continue; // applied to the pooled values below
                    }
                    if (st instanceof Norm nm) {
                        if (k > 0 || !folded) {
                            for (float[] a : res) {
                                affine(a, nm.scale()[o], nm.shift()[o], len);
                            }
                        }
                    } else if (st instanceof Elementwise e) {
                        for (float[] a : res) {
                            e.step().apply(a, 0, len);
                        }
                    } else {
                        poolPhases(acc, len);
                        res = pooledOnly;
                        for (int j = moved; j < k; j++) {
                            ((Elementwise) stages.get(j)).step().apply(pool, 0, len);
                        }
                    }
                    transform(transforms[k + 1], res, len);
                }
                write(res[0], o, count);
            }
            outBuf.put(outBase + s0 * sampleOut, stage, 0, count * sampleOut);
        }
    }

    /**
     * Index of the first of the non-decreasing, untransformed activations right before a max pooling (they are
     * applied to the pooled values: a quarter of the work for 2x2 windows), or the number of stages when none.
     */
    private int movedBeforePool(OutputTransform.Elementwise[] transforms) {
        int last = stages.size() - 1;
        if (avg || !(stages.get(last) instanceof Pooling)) {
            return stages.size();
        }
        int k = last;
        while (k > 0 && stages.get(k - 1) instanceof Elementwise e && e.monotone() && transforms[k] == null) {
            k--;
        }
        return k == last ? stages.size() : k;
    }

    /**
     * Applies a transform to arrays[*][0, len) (one part of the output), after its begin on a native copy of them.
     */
    private void transform(OutputTransform.Elementwise t, float[][] arrays, int len) {
        if (t == null) {
            return;
        }
        long need = (long) arrays.length * len;
        if (rangeBuf == null || rangeBuf.length() < need) {
            rangeBuf = NdUtil.zeros((long) pc.acc.length * pc.block() * pc.grid);
            rangeView = null;
        }
        FloatBuffer nb = NdUtil.nio(rangeBuf);
        int base = NdUtil.base(rangeBuf);
        for (int i = 0; i < arrays.length; i++) {
            nb.put(base + i * len, arrays[i], 0, len);
        }
        if (rangeView == null || rangeView.length() != need) {
            rangeView = need == rangeBuf.length() ? rangeBuf : rangeBuf.get(NDArrayIndex.interval(0, need));
        }
        t.begin(rangeView);
        for (float[] a : arrays) {
            t.apply(a, 0, len);
        }
    }

    private static void affine(float[] a, float scale, float shift, int len) {
        for (int j = 0; j < len; j++) {
            a[j] = a[j] * scale + shift;
        }
    }

    /** {@link #pool} = max (or mean) over the phase planes of one output channel. */
    private void poolPhases(float[][] acc, int len) {
        System.arraycopy(acc[0], 0, pool, 0, len);
        for (int f = 1; f < acc.length; f++) {
            if (avg) {
                addInto(pool, acc[f], len);
            } else {
                maxInto(pool, acc[f], len);
            }
        }
        if (avg) {
            scaleInPlace(pool, 1f / acc.length, len);
        }
    }

    // NaN propagates through Math.max as through the pool kernel's max
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

    /** The valid grid positions of output channel o ({@code r}) into {@link #stage}, in the model's layout. */
    private void write(float[] r, int o, int count) {
        int oh = pc.outH;
        int ow = pc.outW;
        int co = pc.cout;
        int wd = pc.wd;
        for (int s = 0; s < count; s++) {
            int g0 = s * pc.grid;
            int d0 = s * sampleOut;
            for (int i = 0; i < oh; i++) {
                int g = g0 + i * wd;
                if (channelsLast) {
                    int d = d0 + i * ow * co + o;
                    for (int q = 0; q < ow; q++, d += co) {
                        stage[d] = r[g + q];
                    }
                } else {
                    System.arraycopy(r, g, stage, d0 + (o * oh + i) * ow, ow);
                }
            }
        }
    }
}
