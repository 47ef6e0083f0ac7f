package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.ModelException;
import java.util.Arrays;

/**
 * The matrix-multiply kernel of one Dense/Conv layer as hls4ml builds it: its multipliers (DSP or fabric),
 * BRAM words and the "units" (a multiplier, a BRAM word group) whose removal pruning can achieve. One place for the
 * per-weight rules, shared by {@link FpgaModel} and the knapsack's {@link DspCost}, {@link BramCost} and
 * {@link LutCost}.
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
    final LayerHwConfig.Product product;
    final Hls4mlVersion version;
    final int weightWidth;
    final int dataWidth;
    final int accWidth;
    /** DSPs of one generic (weight-type x data-type) multiplier; 0 when the widths map it to LUTs. */
    final int dspPerMult;
    final long[] codes;
    /** CSD digit count of each weight's code (0 for a zero weight). */
    final byte[] csd;
    final FpgaParams params;
    final Device device;
    /** Weights whose float value is exactly 0: hls4ml counts n_zeros on the float array (model/types.py). */
    private final long floatZeros;
    /** Per weight: its float value is exactly 0. */
    final boolean[] floatZero;
    private final long codeZeros;
    /** Constant multiplications left as a mul operation (more CSD digits than the fabric threshold). */
    private final long mulOps;

    KernelModel(float[] kernel, int nIn, int nOut, LayerHwConfig cfg, int dataWidth, Device device,
                FpgaParams params) {
        this(kernel, nIn, nOut, cfg, dataWidth, device, params, Hls4mlVersion.LATEST);
    }

    KernelModel(float[] kernel, int nIn, int nOut, LayerHwConfig cfg, int dataWidth, Device device,
                FpgaParams params, Hls4mlVersion version) {
        this.nIn = nIn;
        this.nOut = nOut;
        this.n = nIn * nOut;
        this.rf = cfg.reuseFactor();
        this.strategy = cfg.strategy();
        this.product = cfg.product();
        this.version = version;
        this.weightWidth = cfg.weight().width();
        this.dataWidth = dataWidth;
        this.accWidth = cfg.accumulator().width();
        this.params = params;
        this.device = device;
        this.dspPerMult = product == LayerHwConfig.Product.MULT
                ? dspTiles(weightWidth, dataWidth, device, params) : 0;
        if (kernel.length != n) {
            throw new ModelException("kernel of " + kernel.length + " values does not match " + nIn + "x" + nOut);
        }
        codes = new long[n];
        csd = new byte[n];
        floatZero = new boolean[n];
        long fz = 0;
        long cz = 0;
        long ops = 0;
        Precisions.Quantizer q = new Precisions.Quantizer(cfg.weight());
        for (int k = 0; k < n; k++) {
            if (kernel[k] == 0f) {
                fz++;
                floatZero[k] = true;
            }
            // shifts and sign selections only need the weight's sign; zero only when the float is zero
            long c = product == LayerHwConfig.Product.MULT ? q.code(kernel[k]) : (long) Math.signum(kernel[k]);
            codes[k] = c;
            if (c == 0) {
                cz++;
            } else {
                int d = ConstantMultipliers.csdDigits(c);
                csd[k] = (byte) d;
                if (d > params.maxCsdDigitsInFabric()) {
                    ops++;
                }
            }
        }
        floatZeros = fz;
        codeZeros = cz;
        mulOps = ops;
    }

    /**
     * DSPs of a product of a {@code a}-bit and a {@code b}-bit operand: none when the narrower is below the device's
     * {@link Device#lutMultThreshold()} or the wider below {@link FpgaParams#dspMinWideBits()} (the tool builds
     * it in LUTs), else the DSP tiles of the wide x narrow product on the device's multiplier.
     */
    static int dspTiles(int a, int b, Device d, FpgaParams p) {
        int wide = Math.max(a, b);
        int narrow = Math.min(a, b);
        if (narrow < d.lutMultThreshold() || wide < p.dspMinWideBits()) {
            return 0;
        }
        return ceilDiv(wide, d.dspWidthA()) * ceilDiv(narrow, d.dspWidthB());
    }

    /** DSPs of a generic product of the two widths (the knapsack's context and element-wise multiplies). */
    static int dspPerMultiplier(int weightWidth, int dataWidth, Device d, FpgaParams p) {
        return dspTiles(weightWidth, dataWidth, d, p);
    }

    static int ceilDiv(long a, long b) {
        return (int) ((a + b - 1) / b);
    }

    /** Bits of a constant as the HLS tool sizes it: unsigned width of a positive code, signed width of a negative. */
    static int constantWidth(long k) {
        if (k >= 0) {
            return 64 - Long.numberOfLeadingZeros(k);
        }
        return 65 - Long.numberOfLeadingZeros(~k);
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

    /**
     * Latency strategy with a multiplying product: the weights are constants the tool folds, at any reuse factor
     * since v0.5.0 ({@code product} is {@code #pragma HLS INLINE}, nnet_mult.h); in v0.4 {@code product} was
     * {@code inline off} (nnet_dense.h) and nothing was folded.
     */
    boolean constantsVisible() {
        return strategy == Strategy.LATENCY && product == LayerHwConfig.Product.MULT && version.inlinesProduct();
    }

    /** A constant weight left as a mul operation (not zero, not a shift, not a cheap shift-and-add). */
    boolean needsMultiplier(int k) {
        return csd[k] > params.maxCsdDigitsInFabric();
    }

    /** Non-zero CSD digits of weight k's code (0 for a zero weight). */
    int csdDigits(int k) {
        return csd[k];
    }

    /** DSPs of the constant multiplication of weight k by the data (0: shift-and-add or fabric multiplier). */
    int dspOfConstant(int k) {
        if (!needsMultiplier(k)) {
            return 0;
        }
        return dspTiles(constantWidth(codes[k]), dataWidth, device, params);
    }

    long zeros() {
        return codeZeros;
    }

    long floatZeros() {
        return floatZeros;
    }

    /**
     * hls4ml's multiplier_limit = DIV_ROUNDUP(n_in*n_out, RF) - n_zeros/RF (backends/vivado/passes/core_templates.py;
     * nnet_dense_latency.h before v0.7), n_zeros counted on the float weights.
     */
    long multiplierLimit() {
        return ceilDiv(n, rf) - floatZeros / rf;
    }

    /** Latency with visible constants and more mul operations than the ALLOCATION limit lets through. */
    boolean limitBinds() {
        return constantsVisible() && mulOps > multiplierLimit();
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
        if (product != LayerHwConfig.Product.MULT) {
            return 0; // shifts (po2) and sign selections (binary, ternary): no multiplier (nnet_mult.h)
        }
        if (strategy == Strategy.LATENCY) {
            long limit = multiplierLimit();
            return constantsVisible() ? Math.min(mulOps, limit) : limit;
        }
        // Resource / unrolled: block_factor multipliers, an all-zero pattern frees its multiplier
        // (dsp_aware_pruning vivado_objectives.py; unrolled_codegen.py ALLOCATION limit = mult_limit - zeros)
        return blockFactor() - zeroPatterns();
    }

    long dsp() {
        if (constantsVisible() && !limitBinds()) {
            long d = 0;
            for (int k = 0; k < n; k++) {
                d += dspOfConstant(k);
            }
            return d;
        }
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

    /**
     * LUTs of the constant multiplication of weight k (visible constants): a shift-and-add of (digits - 1) adders as
     * wide as the data plus the constant, unless it is a DSP; a power of two is wiring. Power-of-two (exponent),
     * binary and ternary products negate the data for a negative weight.
     */
    double constantLut(int k) {
        long c = codes[k];
        if (c == 0) {
            return 0;
        }
        if (product != LayerHwConfig.Product.MULT) {
            return c < 0 ? dataWidth : 0;
        }
        if (dspOfConstant(k) > 0) {
            return 0;
        }
        return Math.max(0, csd[k] - 1) * (double) (dataWidth + constantWidth(c));
    }

    /** LUTs of one generic multiplier built in fabric (0 when it is a DSP). */
    double fabricMultLut() {
        if (product != LayerHwConfig.Product.MULT) {
            return dataWidth; // a run-time shift or sign selection per product
        }
        return dspPerMult > 0 ? 0 : weightWidth * dataWidth * params.lutPerFabricMultBit();
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
