package dev.sparsimony.engine.hardware;

import java.util.Arrays;
import java.util.Locale;

/**
 * The LUT and flip-flop counts of one layer split by what they pay for, before the calibration's scale factors: the
 * estimate of a resource is the sum of its terms, each multiplied by its factor ({@link Calibration}), so that
 * {@code sparsimony calibrate} can fit the factors by least squares on the user's own reports.
 */
public final class CostTerms {
    /** What LUTs pay for. */
    public enum Lut {
        /** shift-and-add constant multipliers and constant multipliers bound to fabric */
        CONST_ADDERS,
        /** generic (non-constant) multipliers built in LUTs */
        FABRIC_MULT,
        /** adder trees of dense/conv outputs and of softmax sums */
        ADDER_TREE,
        /** operand multiplexers of a multiplier reused RF times */
        MUX,
        /** element-wise activations (comparators, clipping) */
        ACTIVATION,
        /** rounding and saturation logic of a result type with AP_RND* or AP_SAT* modes */
        REQUANT,
        /** lookup tables kept in LUT RAM and line buffers in shift registers */
        MEMORY,
        /** FIFOs between dataflow stages (io_stream), kept in shift registers */
        FIFO,
        /** per-layer control */
        CONTROL;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What flip-flops pay for. */
    public enum Ff {
        /** registers at the clock-cycle cuts inside a layer (partial sums, multiplier outputs) */
        PIPELINE,
        /** registers the top-level function puts on a layer's output (the boundary to the next layer) */
        BOUNDARY,
        /** FIFOs between dataflow stages kept in flip-flops/shift registers */
        FIFO,
        /** per-layer control */
        CONTROL;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final double[] lut = new double[Lut.values().length];
    private final double[] ff = new double[Ff.values().length];
    /** BRAM18 of FIFOs (io_stream): reported by HLS at the top level, not inside the layer's function. */
    private long fifoBram;

    public CostTerms addFifoBram(long b) {
        fifoBram += b;
        return this;
    }

    public long fifoBram() {
        return fifoBram;
    }

    public CostTerms add(Lut t, double v) {
        lut[t.ordinal()] += v;
        return this;
    }

    public CostTerms add(Ff t, double v) {
        ff[t.ordinal()] += v;
        return this;
    }

    public double get(Lut t) {
        return lut[t.ordinal()];
    }

    public double get(Ff t) {
        return ff[t.ordinal()];
    }

    /** Every term of {@code o} added to this one (for totals). */
    public CostTerms addAll(CostTerms o) {
        for (int i = 0; i < lut.length; i++) {
            lut[i] += o.lut[i];
        }
        for (int i = 0; i < ff.length; i++) {
            ff[i] += o.ff[i];
        }
        fifoBram += o.fifoBram;
        return this;
    }

    /** LUTs after the calibration's factors, rounded. */
    public long lut(Calibration c) {
        double s = 0;
        for (Lut t : Lut.values()) {
            s += lut[t.ordinal()] * c.factor(t);
        }
        return Math.round(s);
    }

    /** Flip-flops inside the layer (every term but {@link Ff#BOUNDARY}) after the calibration's factors. */
    public long instanceFf(Calibration c) {
        double s = 0;
        for (Ff t : Ff.values()) {
            if (t != Ff.BOUNDARY) {
                s += ff[t.ordinal()] * c.factor(t);
            }
        }
        return Math.round(s);
    }

    /** Flip-flops on the layer's output at the top level after the calibration's factor. */
    public long boundaryFf(Calibration c) {
        return Math.round(ff[Ff.BOUNDARY.ordinal()] * c.factor(Ff.BOUNDARY));
    }

    public CostTerms copy() {
        CostTerms t = new CostTerms();
        t.addAll(this);
        return t;
    }

    /** LUTs of the FIFOs after the calibration's factor (part of {@link #lut}). */
    public long fifoLut(Calibration c) {
        return Math.round(lut[Lut.FIFO.ordinal()] * c.factor(Lut.FIFO));
    }

    /** Flip-flops of the FIFOs after the calibration's factor (part of {@link #instanceFf}). */
    public long fifoFf(Calibration c) {
        return Math.round(ff[Ff.FIFO.ordinal()] * c.factor(Ff.FIFO));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CostTerms c && Arrays.equals(lut, c.lut) && Arrays.equals(ff, c.ff)
                && fifoBram == c.fifoBram;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(lut) + Arrays.hashCode(ff);
    }

    @Override
    public String toString() {
        return "lut " + Arrays.toString(lut) + ", ff " + Arrays.toString(ff);
    }
}
