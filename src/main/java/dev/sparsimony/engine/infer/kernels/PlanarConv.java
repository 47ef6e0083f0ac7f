package dev.sparsimony.engine.infer.kernels;

import java.util.Arrays;

/**
 * Direct 1-D/2-D convolution (one group) on planar heap copies, shaped for what JDK 17's C2 vectorises: loops whose
 * every array access is {@code a[j]} over the same index range (an invariant offset on any one array stops C2 from
 * vectorising the loop; measured in {@code dev.sparsimony.bench.ConvBench}). Each output plane is accumulated as
 * {@code y[j] += w0·s0[j] + w1·s1[j] + w2·s2[j] + w3·s3[j]} with the four weights as scalars, over "source" arrays
 * that are the input already shifted (and decimated) for one kernel tap, so no index arithmetic remains in the loop.
 * Weights that are zero (pruned) are skipped, so the work falls with the density.
 *
 * <p>Geometry: a block of samples shares one decimated grid of hd x wd positions per sample. With a following
 * pooling of p_h x p_w windows (stride = window, no padding, floor mode) the conv output is computed in p_h·p_w
 * phases, output (p_h·i + a, p_w·q + b) in phase (a, b) at grid position (i, q), so that the pooling is an
 * element-wise max (or mean) of the phase planes. Input position of phase (a, b), tap (ki, kj) at grid (i, q):
 * padded row D_h·i + e with e = a·s_h + ki·d_h, D_h = p_h·s_h (columns alike), i.e. the input decimated by D at
 * offset e mod D, shifted by e div D grid rows: one {@code System.arraycopy} of a decimated plane per distinct
 * (channel, e, f). Grid positions outside the pooled output (i &gt;= outH or q &gt;= outW) hold finite values of no
 * meaning; the caller ignores them.
 */
final class PlanarConv {
    final int cin;
    final int cout;
    final int h;
    final int w;
    final int kh;
    final int kw;
    final int sh;
    final int sw;
    final int dh;
    final int dw;
    final int pt;
    final int pl;
    /** Convolution groups: output channel o reads input channels [g·cin/groups, (g + 1)·cin/groups), g = its group. */
    final int groups;
    /** Pooling window (= stride) per axis; 1 without pooling. */
    final int ph;
    final int pw;
    /** Output grid after the pooling (or the conv output without one). */
    final int outH;
    final int outW;
    final int decH;
    final int decW;
    final int hd;
    final int wd;
    final int block;
    final int grid;
    /**
     * Decimated input planes [ci][r][c], plane k at {@code k·planeStride}: block·grid positions plus slack for the
     * shifts. Padding positions are never written, so they stay zero.
     */
    private final float[] planes;
    private final int planeStride;
    /** Per input element of one sample (its index in the model layout): its plane position, or -1 when unread. */
    private final int[] scatter;
    /** Sources gathered on an exact grid (small maps) instead of shifted planes. */
    private final boolean gather;
    /** Per source in gather mode: see {@link #gatherMap}. */
    private final int[][] gatherMap;
    /** Source arrays (shifted decimated planes) by (ci, e, f); null where no tap reads them. */
    final float[][] src;
    private final int[] srcFrom;
    private final int eh;
    private final int ew;
    /** The phases (a, b) of one output channel (index a·pw + b), each block·grid long: see {@link #channel}. */
    final float[][] acc;
    private int[][] termSrc = new int[0][];
    private float[][] termW = new float[0][];
    private float[] bias = new float[0];
    /** Winograd F(2x2, 3x3) is possible here: 3x3 taps, stride and dilation 1, 2x2 phases. */
    private final boolean winogradOk;
    private boolean winograd;
    private Winograd wino;

    /**
     * @param geometry     {cin, h, w, cout, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow, ph, pw, groups}: input map, kernel,
     *                     conv output size, pooling window (1-D convs as height 1) and groups
     * @param channelsLast layout of the input samples given to {@link #load}
     */
    PlanarConv(int[] geometry, long blockBytes, boolean channelsLast) {
        cin = geometry[0];
        h = geometry[1];
        w = geometry[2];
        cout = geometry[3];
        kh = geometry[4];
        kw = geometry[5];
        sh = geometry[6];
        sw = geometry[7];
        dh = geometry[8];
        dw = geometry[9];
        pt = geometry[10];
        pl = geometry[11];
        int oh = geometry[12];
        int ow = geometry[13];
        ph = geometry[14];
        pw = geometry[15];
        groups = geometry.length > 16 ? geometry[16] : 1;
        outH = oh / ph;
        outW = ow / pw;
        decH = ph * sh;
        decW = pw * sw;
        eh = (ph - 1) * sh + (kh - 1) * dh + 1;
        ew = (pw - 1) * sw + (kw - 1) * dw + 1;
        winogradOk = groups == 1 && kh == 3 && kw == 3 && sh == 1 && sw == 1 && dh == 1 && dw == 1 && ph == 2
                && pw == 2;
        // the shifted-plane grid carries (eh - 1) / decH extra rows (and columns) per sample; on small maps that waste
        // can cost more than gathering every source element into an exact grid (ConvBench)
        int planeH = outH + (eh - 1) / decH;
        int planeW = outW + (ew - 1) / decW;
        int sources = countSources(cin, ph, pw, kh, kw, sh, sw, dh, dw, eh, ew);
        double perPosition = (double) kh * kw * (cin / groups) * cout * ph * pw;
        if (winogradOk) {
            perPosition = Math.min(perPosition, Winograd.cost(cin, cout));
        }
        double gatherNs = GATHER_NS * sources * outH * outW;
        double planeNs = SCATTER_NS * cin * h * w + COPY_NS * sources * planeH * planeW
                + perPosition / PLANAR_RATE * (planeH * planeW - outH * outW);
        String forced = System.getProperty(GRID_PROPERTY, "auto");
        gather = forced.equals("gather") || !forced.equals("planes") && gatherNs < planeNs;
        hd = gather ? outH : planeH;
        wd = gather ? outW : planeW;
        boolean[] used = new boolean[cin * eh * ew];
        for (int ci = 0; ci < cin; ci++) {
            for (int a = 0; a < ph; a++) {
                for (int ki = 0; ki < kh; ki++) {
                    for (int b = 0; b < pw; b++) {
                        for (int kj = 0; kj < kw; kj++) {
                            used[(ci * eh + a * sh + ki * dh) * ew + b * sw + kj * dw] = true;
                        }
                    }
                }
            }
        }
        int nSrc = 0;
        for (boolean u : used) {
            nSrc += u ? 1 : 0;
        }
        long arrays = (gather ? 0L : (long) cin * decH * decW) + nSrc + (long) ph * pw + cout + (winogradOk ? 32 : 0);
        long perSample = (long) hd * wd * 4 * arrays;
        block = (int) Math.max(1, Math.min(256, blockBytes / Math.max(1, perSample)));
        grid = hd * wd;
        int len = block * grid;
        int slack = ((eh - 1) / decH) * wd + (ew - 1) / decW;
        planeStride = gather ? 0 : len + slack;
        planes = new float[cin * decH * decW * planeStride];
        src = new float[cin * eh * ew][];
        srcFrom = new int[src.length];
        gatherMap = new int[src.length][];
        for (int ci = 0; ci < cin; ci++) {
            for (int e = 0; e < eh; e++) {
                for (int f = 0; f < ew; f++) {
                    int k = (ci * eh + e) * ew + f;
                    if (used[k]) {
                        int plane = (ci * decH + e % decH) * decW + f % decW;
                        srcFrom[k] = plane * planeStride + (e / decH) * wd + f / decW;
                        src[k] = new float[len];
                        if (gather) {
                            gatherMap[k] = gatherMap(ci, e, f, channelsLast);
                        }
                    }
                }
            }
        }
        scatter = new int[gather ? 0 : cin * h * w];
        for (int r = 0; r < (gather ? 0 : h); r++) {
            for (int c = 0; c < w; c++) {
                for (int ci = 0; ci < cin; ci++) {
                    int pr = r + pt;
                    int pc = c + pl;
                    int i = pr / decH;
                    int q = pc / decW;
                    int plane = (ci * decH + pr % decH) * decW + pc % decW;
                    int idx = channelsLast ? (r * w + c) * cin + ci : (ci * h + r) * w + c;
                    scatter[idx] = i < hd && q < wd ? plane * planeStride + i * wd + q : -1;
                }
            }
        }
        acc = new float[ph * pw][len];
        wino = winogradOk ? new Winograd(cin, cout, len, eh, ew) : null;
    }

    /**
     * Measured costs behind the choice between shifted planes and gathered sources: ns per gathered element, per
     * scattered input element, per copied plane float, and multiply-adds per ns of the four-tap passes.
     */
    static final double GATHER_NS = 1.0;
    /** System property forcing the source layout (tests): auto (default), planes or gather. */
    static final String GRID_PROPERTY = "sparsimony.conv.grid";
    static final double SCATTER_NS = 0.7;
    static final double COPY_NS = 0.05;
    static final double PLANAR_RATE = 22;

    /** Distinct (channel, row offset, column offset) sources the taps of all phases read. */
    private static int countSources(int cin, int ph, int pw, int kh, int kw, int sh, int sw, int dh, int dw, int eh,
                                    int ew) {
        boolean[] used = new boolean[eh * ew];
        for (int a = 0; a < ph; a++) {
            for (int ki = 0; ki < kh; ki++) {
                for (int b = 0; b < pw; b++) {
                    for (int kj = 0; kj < kw; kj++) {
                        used[(a * sh + ki * dh) * ew + b * sw + kj * dw] = true;
                    }
                }
            }
        }
        int n = 0;
        for (boolean u : used) {
            n += u ? 1 : 0;
        }
        return n * cin;
    }

    /**
     * For the source (ci, e, f) on an exact grid: the index within one sample (model layout) of the input element at
     * each grid position, or {@code cin·h·w} (the zero kept after each sample, see {@link #sampleStride}) for padding.
     */
    private int[] gatherMap(int ci, int e, int f, boolean channelsLast) {
        int[] m = new int[hd * wd];
        for (int i = 0; i < hd; i++) {
            for (int q = 0; q < wd; q++) {
                int r = decH * i + e - pt;
                int c = decW * q + f - pl;
                boolean in = r >= 0 && r < h && c >= 0 && c < w;
                m[i * wd + q] = !in ? cin * h * w : channelsLast ? (r * w + c) * cin + ci : (ci * h + r) * w + c;
            }
        }
        return m;
    }

    /** Floats per sample in the array given to {@link #load}: the sample, then (gathering) one zero. */
    int sampleStride() {
        return cin * h * w + (gather ? 1 : 0);
    }

    /** Number of samples the caller gives per {@link #load} / {@link #compute} (the last block may be shorter). */
    int block() {
        return block;
    }

    /**
     * Rebuilds the tap lists from an HWIO kernel [kh, kw, cin/groups, cout] and a bias (null = 0), each output channel's
     * taps scaled by {@code scale[o]} and its bias mapped to bias·scale + shift (batch-norm folding; null = none).
     */
    void setWeights(float[] kernel, float[] b, float[] scale, float[] shift) {
        int targets = cout * ph * pw;
        int[][] ts = new int[targets][];
        float[][] tw = new float[targets][];
        int cg = cin / groups;
        int[] idx = new int[kh * kw * cg];
        float[] val = new float[kh * kw * cg];
        for (int o = 0; o < cout; o++) {
            float sc = scale == null ? 1f : scale[o];
            int c0 = o / (cout / groups) * cg;
            for (int a = 0; a < ph; a++) {
                for (int bb = 0; bb < pw; bb++) {
                    int k = 0;
                    for (int ki = 0; ki < kh; ki++) {
                        for (int kj = 0; kj < kw; kj++) {
                            for (int ci = 0; ci < cg; ci++) {
                                float v = kernel[((ki * kw + kj) * cg + ci) * cout + o] * sc;
                                if (v != 0f) {
                                    idx[k] = ((c0 + ci) * eh + a * sh + ki * dh) * ew + bb * sw + kj * dw;
                                    val[k++] = v;
                                }
                            }
                        }
                    }
                    int t = (o * ph + a) * pw + bb;
                    ts[t] = Arrays.copyOf(idx, k);
                    tw[t] = Arrays.copyOf(val, k);
                }
            }
        }
        float[] bi = new float[cout];
        for (int o = 0; o < cout; o++) {
            float v = b == null ? 0f : b[o];
            bi[o] = scale == null ? v : v * scale[o] + shift[o];
        }
        termSrc = ts;
        termW = tw;
        bias = bi;
        if (winogradOk) {
            wino.setWeights(kernel, scale);
            // measured rates (ConvBench): the Winograd form's fixed work against the direct form's non-zero taps
            String force = System.getProperty(METHOD_PROPERTY, "auto");
            winograd = force.equals("winograd") || !force.equals("direct") && wino.cost() < DIRECT_COST * terms();
        }
    }

    /**
     * System property forcing the conv method (tests and ConvBench): auto (default), direct or winograd for the planar
     * path, im2col for no fusion (a conv with one group then runs im2col + sgemm, its chain node by node).
     */
    static final String METHOD_PROPERTY = "sparsimony.conv.planar";

    /** Cost of one direct tap per grid position relative to Winograd's units ({@link Winograd#cost()}). */
    static final double DIRECT_COST = 1.0;

    boolean winograd() {
        return winograd;
    }

    /** Non-zero taps over all outputs and phases: the multiply-adds per grid position. */
    long terms() {
        long t = 0;
        for (int[] s : termSrc) {
            t += s.length;
        }
        return t;
    }

    /**
     * Fills the sources from {@code count} samples of {@code x}, {@link #sampleStride} floats apart from index 0:
     * gathered on an exact grid, or through the decimated planes and one shifted copy per source.
     */
    void load(float[] x, int count) {
        if (gather) {
            int stride = sampleStride();
            for (int k = 0; k < src.length; k++) {
                int[] m = gatherMap[k];
                float[] d = src[k];
                if (m == null) {
                    continue;
                }
                for (int s = 0; s < count; s++) {
                    int xs = s * stride;
                    int g = s * grid;
                    for (int p = 0; p < grid; p++) {
                        d[g + p] = x[xs + m[p]];
                    }
                }
            }
            return;
        }
        int sampleSize = scatter.length;
        int[] map = scatter;
        float[] p = planes;
        for (int s = 0; s < count; s++) {
            int xs = s * sampleSize;
            int g = s * grid;
            for (int k = 0; k < sampleSize; k++) {
                int d = map[k];
                if (d >= 0) {
                    p[d + g] = x[xs + k];
                }
            }
        }
        int len = count * grid;
        for (int k = 0; k < src.length; k++) {
            if (src[k] != null) {
                System.arraycopy(p, srcFrom[k], src[k], 0, len);
            }
        }
    }

    /** Prepares the loaded block for {@link #channel} (Winograd: the input transform, in place of the sources). */
    void prepare(int count) {
        if (winograd) {
            wino.transformInputs(src, eh, ew, count * grid);
        }
    }

    /** acc[a·pw + b][0, count·grid) = bias + the taps of output channel o, phase (a, b). */
    void channel(int o, int count) {
        int len = count * grid;
        if (winograd) {
            wino.channel(o, src, eh, ew, acc, bias[o], len);
            return;
        }
        int phases = ph * pw;
        // slices that keep a pass's five arrays in the L1 cache
        for (int from = 0; from < len; from += SLICE) {
            int to = Math.min(len, from + SLICE);
            for (int f = 0; f < phases; f++) {
                int t = o * phases + f;
                accumulate(acc[f], bias[o], termSrc[t], termW[t], src, from, to);
            }
        }
    }

    /** Floats per slice of {@link #channel}: five arrays of it stay in a 32 KB L1 cache. */
    static final int SLICE = 1024;

    /** y[from, to) = c + Σ_k w[k]·x[s[k]][from, to), four taps per pass. */
    static void accumulate(float[] y, float c, int[] s, float[] w, float[][] x, int from, int to) {
        int m = s.length;
        int k = Math.min(m, 4);
        switch (k) {
            case 4 -> set4(y, c, x[s[0]], x[s[1]], x[s[2]], x[s[3]], w[0], w[1], w[2], w[3], from, to);
            case 3 -> set3(y, c, x[s[0]], x[s[1]], x[s[2]], w[0], w[1], w[2], from, to);
            case 2 -> set2(y, c, x[s[0]], x[s[1]], w[0], w[1], from, to);
            case 1 -> set1(y, c, x[s[0]], w[0], from, to);
            default -> Arrays.fill(y, from, to, c);
        }
        for (; k + 4 <= m; k += 4) {
            axpy4(y, x[s[k]], x[s[k + 1]], x[s[k + 2]], x[s[k + 3]], w[k], w[k + 1], w[k + 2], w[k + 3], from, to);
        }
        switch (m - k) {
            case 3 -> axpy3(y, x[s[k]], x[s[k + 1]], x[s[k + 2]], w[k], w[k + 1], w[k + 2], from, to);
            case 2 -> axpy2(y, x[s[k]], x[s[k + 1]], w[k], w[k + 1], from, to);
            case 1 -> axpy1(y, x[s[k]], w[k], from, to);
            default -> {
            }
        }
    }

    // Up to four taps per pass: C2 vectorises these loops (at most five arrays, one index, scalar weights in
    // registers); bodies with more arrays are not unrolled and so not vectorised (ConvBench).
    static void axpy4(float[] y, float[] x0, float[] x1, float[] x2, float[] x3, float a0, float a1, float a2,
                      float a3, int from, int to) {
        for (int j = from; j < to; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
        }
    }

    static void axpy3(float[] y, float[] x0, float[] x1, float[] x2, float a0, float a1, float a2, int from, int to) {
        for (int j = from; j < to; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j];
        }
    }

    static void axpy2(float[] y, float[] x0, float[] x1, float a0, float a1, int from, int to) {
        for (int j = from; j < to; j++) {
            y[j] += a0 * x0[j] + a1 * x1[j];
        }
    }

    static void axpy1(float[] y, float[] x0, float a0, int from, int to) {
        for (int j = from; j < to; j++) {
            y[j] += a0 * x0[j];
        }
    }

    static void set1(float[] y, float c, float[] x0, float a0, int from, int to) {
        for (int j = from; j < to; j++) {
            y[j] = c + a0 * x0[j];
        }
    }

    static void set4(float[] y, float c, float[] x0, float[] x1, float[] x2, float[] x3, float a0, float a1, float a2,
                     float a3, int from, int to) {
        for (int j = from; j < to; j++) {
            y[j] = c + a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
        }
    }

    static void set3(float[] y, float c, float[] x0, float[] x1, float[] x2, float a0, float a1, float a2, int from,
                     int to) {
        for (int j = from; j < to; j++) {
            y[j] = c + a0 * x0[j] + a1 * x1[j] + a2 * x2[j];
        }
    }

    static void set2(float[] y, float c, float[] x0, float[] x1, float a0, float a1, int from, int to) {
        for (int j = from; j < to; j++) {
            y[j] = c + a0 * x0[j] + a1 * x1[j];
        }
    }
}
