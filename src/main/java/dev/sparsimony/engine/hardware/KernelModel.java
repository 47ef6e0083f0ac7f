package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.ModelException;
import java.util.Arrays;

/**
 * The matrix-multiply kernel of one Dense/Conv layer as hls4ml builds it: its multipliers (DSP or fabric),
 * BRAM words and the "units" (a multiplier, a BRAM word group) whose removal pruning can achieve.
 *
 * <p>Indexing: the kernel matrix is [nIn, nOut] row-major (index i*nOut+o). hls4ml's Resource/unrolled strategies
 * transpose it (backends/vivado/passes/resource_strategy.py) and reshape the flat transposed array
 * (index t = o*nIn+i) into (block_factor, RF): row p, the "pattern" of RF consecutive transposed weights, is one
 * multiplier (backends/vivado/passes/unrolled_codegen.py: zero DSPs are the all-zero rows of that reshape). The
 * weight ROM is block_factor*W bits wide and RF deep, packed into 36-bit block-RAM columns.
 */
final class KernelModel {
    /** Width of one block-RAM column (BRAM18 in 512 x 36 mode; hls4ml's estimate divides by 36). */
    static final int BRAM_WORD_BITS = 36;
    /** Depth of a BRAM18 at 36 bits width. */
    static final int BRAM18_DEPTH_AT_36 = 512;

    final int nIn;
    final int nOut;
    final int n;
    final int rf;
    final Strategy strategy;
    final int weightWidth;
    final int dataWidth;
    final int accWidth;
    final int dspPerMult;
    final long[] codes;
    final FpgaParams params;

    KernelModel(float[] kernel, int nIn, int nOut, LayerHwConfig cfg, int dataWidth, Device device,
                FpgaParams params) {
        this.nIn = nIn;
        this.nOut = nOut;
        this.n = nIn * nOut;
        this.rf = cfg.reuseFactor();
        this.strategy = cfg.strategy();
        this.weightWidth = cfg.weight().width();
        this.dataWidth = dataWidth;
        this.accWidth = cfg.result().width();
        this.params = params;
        this.dspPerMult = dspPerMultiplier(weightWidth, dataWidth, device);
        if (kernel.length != n) {
            throw new ModelException("kernel of " + kernel.length + " values does not match " + nIn + "x" + nOut);
        }
        codes = new long[n];
        csd = new byte[n];
        long z = 0;
        long real = 0;
        Precisions.Quantizer q = new Precisions.Quantizer(cfg.weight());
        for (int k = 0; k < n; k++) {
            long c = q.code(kernel[k]);
            codes[k] = c;
            if (c == 0) {
                z++;
            } else {
                int d = ConstantMultipliers.csdDigits(c);
                csd[k] = (byte) d;
                if (d > params.maxCsdDigitsInFabric()) {
                    real++;
                }
            }
        }
        zeros = z;
        realMultipliers = real;
    }

    /** CSD digit count of each weight's code (0 for a zero weight). */
    final byte[] csd;
    private final long zeros;
    /** Constants that need a real multiplier (more CSD digits than the fabric threshold). */
    private final long realMultipliers;

    /**
     * DSPs per product: none when the weight is narrower than the device's LUT-multiplier threshold (hls4ml's
     * dsp_aware_pruning objectives: weight width &lt; 9 uses no DSP), else the DSP tiles of a wide x narrow product.
     */
    static int dspPerMultiplier(int weightWidth, int dataWidth, Device d) {
        if (weightWidth < d.lutMultThreshold()) {
            return 0;
        }
        int a = Math.max(weightWidth, dataWidth);
        int b = Math.min(weightWidth, dataWidth);
        return ceilDiv(a, d.dspWidthA()) * ceilDiv(b, d.dspWidthB());
    }

    static int ceilDiv(long a, long b) {
        return (int) ((a + b - 1) / b);
    }

    /** Kernel index (i*nOut+o) of transposed position t (o*nIn+i). */
    int kernelIndex(int t) {
        int o = t / nIn;
        int i = t % nIn;
        return i * nOut + o;
    }

    boolean resourceLike() {
        return strategy != Strategy.LATENCY;
    }

    int blockFactor() {
        return ceilDiv(n, rf);
    }

    /** Latency strategy at RF 1: every constant weight is seen by the tool. */
    boolean constantsVisible() {
        return strategy == Strategy.LATENCY && rf == 1;
    }

    /** True when a constant weight needs a real multiplier (not zero, not a shift, not a cheap shift-and-add). */
    boolean needsMultiplier(int k) {
        return csd[k] > params.maxCsdDigitsInFabric();
    }

    long zeros() {
        return zeros;
    }

    boolean patternIsZero(int p) {
        for (int t = p * rf; t < Math.min(n, (p + 1) * rf); t++) {
            if (codes[kernelIndex(t)] != 0) {
                return false;
            }
        }
        return true;
    }

    int zeroPatterns() {
        int z = 0;
        for (int p = 0; p < blockFactor(); p++) {
            if (patternIsZero(p)) {
                z++;
            }
        }
        return z;
    }

    /** Multiplier instances (DSP or fabric) the layer allocates. */
    long multiplierInstances() {
        if (strategy == Strategy.LATENCY) {
            if (rf == 1) {
                return realMultipliers;
            }
            // nnet_dense_latency.h: multiplier_limit = DIV_ROUNDUP(n_in*n_out, RF) - n_zeros / RF
            return ceilDiv(n, rf) - zeros() / rf;
        }
        // Resource / unrolled: block_factor multipliers, an all-zero pattern frees its multiplier
        // (dsp_aware_pruning vivado_objectives.py; unrolled_codegen.py ALLOCATION limit = mult_limit - zeros)
        return blockFactor() - zeroPatterns();
    }

    long dsp() {
        return multiplierInstances() * dspPerMult;
    }

    /** Non-zero products per output column (what the adder tree of that output sums). */
    int[] productsPerOutput() {
        int[] m = new int[nOut];
        for (int k = 0; k < n; k++) {
            if (codes[k] != 0) {
                m[k % nOut]++;
            }
        }
        return m;
    }

    long nonZero() {
        return n - zeros();
    }

    // ------------------------------------------------------------------ BRAM

    boolean usesBram() {
        return resourceLike() && rf > 1;
    }

    /** 36-bit columns of the weight ROM: hls4ml's ceil(n_in*n_out*W / (RF*36)). */
    int bramColumns() {
        return ceilDiv((long) blockFactor() * weightWidth, BRAM_WORD_BITS);
    }

    int bram18PerColumn() {
        return ceilDiv(rf, BRAM18_DEPTH_AT_36);
    }

    /**
     * Patterns per word group that pruning can free, following hls4ml's VivadoMultiObjectiveEstimator: 36/W when W
     * divides 36, else ceil(72/W); the group frees its block RAM only when it fills the word exactly (36 bits, or
     * 72 bits = a BRAM36 in 512 x 72 mode). Returns 0 when no group can ever be freed (e.g. W = 16).
     */
    int patternsPerGroup() {
        int w = weightWidth;
        int cp = BRAM_WORD_BITS % w == 0 ? BRAM_WORD_BITS / w : ceilDiv(2L * BRAM_WORD_BITS, w);
        boolean exact = (cp * w == BRAM_WORD_BITS && BRAM_WORD_BITS % w == 0) || cp * w == 2 * BRAM_WORD_BITS;
        return exact ? cp : 0;
    }

    /** Columns occupied by one full group. */
    int columnsPerGroup() {
        int cp = patternsPerGroup();
        return cp == 0 ? 0 : cp * weightWidth / BRAM_WORD_BITS;
    }

    int fullGroups() {
        int cp = patternsPerGroup();
        return cp == 0 ? 0 : blockFactor() / cp;
    }

    boolean groupIsZero(int g) {
        int cp = patternsPerGroup();
        for (int p = g * cp; p < (g + 1) * cp; p++) {
            if (!patternIsZero(p)) {
                return false;
            }
        }
        return true;
    }

    /** BRAM18 blocks for the weights, with all-zero exact groups removed. */
    long bram18() {
        if (!usesBram()) {
            return 0;
        }
        long cols = bramColumns();
        int groups = fullGroups();
        for (int g = 0; g < groups; g++) {
            if (groupIsZero(g)) {
                cols -= columnsPerGroup();
            }
        }
        return cols * bram18PerColumn();
    }

    /** Transposed positions of pattern p. */
    int[] patternKernelIndices(int p) {
        int lo = p * rf;
        int hi = Math.min(n, lo + rf);
        int[] r = new int[hi - lo];
        for (int t = lo; t < hi; t++) {
            r[t - lo] = kernelIndex(t);
        }
        return r;
    }

    int[] groupKernelIndices(int g) {
        int cp = patternsPerGroup();
        int[] r = new int[cp * rf];
        int k = 0;
        for (int p = g * cp; p < (g + 1) * cp; p++) {
            for (int idx : patternKernelIndices(p)) {
                r[k++] = idx;
            }
        }
        return Arrays.copyOf(r, k);
    }
}
