package dev.sparsimony.engine.quantize;

/**
 * Fast, in-place quantization of floats to an {@link FixedPoint} type with the exact semantics of Vivado/Vitis HLS
 * ap_fixed (UG902 "Arbitrary Precision Fixed-Point Data Types"): the value is scaled by 2^F (F = W - I fractional
 * bits, exact in double), rounded to an integer q (AP_TRN: floor; AP_RND: floor(x + 1/2), ties to +inf;
 * AP_RND_CONV: ties to even), then brought into [qmin, qmax] = [-2^(W-1), 2^(W-1)-1] (signed) or [0, 2^W-1]
 * (unsigned) by AP_SAT (clamp) or AP_WRAP (two's-complement wrap: keep the low W bits), and stored back as q * 2^-F.
 * NaN becomes 0. The stored float is exact for W &lt;= 24 (a float has a 24-bit significand).
 * Loops are branch-light and allocation-free so the JIT can keep them tight.
 */
public final class Quantizer {
    private final FixedPoint type;
    private final double scale;
    private final double lsb;
    private final double qmin;
    private final double qmax;
    private final double modulus;

    public Quantizer(FixedPoint type) {
        this.type = type;
        this.scale = Math.scalb(1.0, type.fractionalBits());
        this.lsb = Math.scalb(1.0, -type.fractionalBits());
        this.modulus = Math.scalb(1.0, type.width());
        this.qmin = type.signed() ? -modulus / 2 : 0;
        this.qmax = type.signed() ? modulus / 2 - 1 : modulus - 1;
    }

    public FixedPoint type() {
        return type;
    }

    /** The quantized value of one number (same rules as the array methods). */
    public double quantize(double x) {
        if (Double.isNaN(x)) {
            return 0;
        }
        double s = x * scale;
        double q = switch (type.rounding()) {
            case TRUNCATE -> Math.floor(s);
            case ROUND_HALF_UP -> Math.floor(s + 0.5);
            case CONVERGENT -> Math.rint(s);
        };
        q = type.overflow() == FixedPoint.Overflow.SATURATE ? Math.min(Math.max(q, qmin), qmax) : wrap(q);
        return q * lsb + 0.0; // no negative zero in ap_fixed
    }

    private double wrap(double q) {
        if (q >= qmin && q <= qmax) {
            return q;
        }
        if (Double.isInfinite(q)) {
            return 0;
        }
        double r = q % modulus; // exact (fmod), in (-modulus, modulus)
        if (r < qmin) {
            r += modulus;
        }
        if (r > qmax) {
            r -= modulus;
        }
        return r;
    }

    /** Quantizes {@code a} in place. */
    public void quantize(float[] a) {
        quantize(a, 0, a.length);
    }

    /** Quantizes {@code a[from, to)} in place. */
    public void quantize(float[] a, int from, int to) {
        if (type.width() <= 23) {
            quantizeFloat(a, from, to);
            return;
        }
        final double sc = scale;
        final double ls = lsb;
        final double lo = qmin;
        final double hi = qmax;
        boolean sat = type.overflow() == FixedPoint.Overflow.SATURATE;
        switch (type.rounding()) {
            case TRUNCATE -> {
                if (sat) {
                    for (int i = from; i < to; i++) {
                        double q = Math.floor(a[i] * sc);
                        a[i] = (float) (Math.min(Math.max(q, lo), hi) * ls + 0.0);
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        double q = Math.floor(a[i] * sc);
                        a[i] = (float) ((q >= lo && q <= hi ? q : wrap(q)) * ls + 0.0);
                    }
                }
            }
            case ROUND_HALF_UP -> {
                if (sat) {
                    for (int i = from; i < to; i++) {
                        double q = Math.floor(a[i] * sc + 0.5);
                        a[i] = (float) (Math.min(Math.max(q, lo), hi) * ls + 0.0);
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        double q = Math.floor(a[i] * sc + 0.5);
                        a[i] = (float) ((q >= lo && q <= hi ? q : wrap(q)) * ls + 0.0);
                    }
                }
            }
            case CONVERGENT -> {
                if (sat) {
                    for (int i = from; i < to; i++) {
                        double q = Math.rint(a[i] * sc);
                        a[i] = (float) (Math.min(Math.max(q, lo), hi) * ls + 0.0);
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        double q = Math.rint(a[i] * sc);
                        a[i] = (float) ((q >= lo && q <= hi ? q : wrap(q)) * ls + 0.0);
                    }
                }
            }
        }
        // NaN compares false everywhere: it survives Math.min/max and the range check; map it to 0
        for (int i = from; i < to; i++) {
            if (a[i] != a[i]) {
                a[i] = 0f;
            }
        }
    }

    /**
     * Float/int fast path for W &lt;= 23: the scaling by 2^F is exact in float, the integer grid index q is computed
     * with an int cast instead of Math.floor / Math.rint (much faster on JDK 17), SAT is an int clamp and WRAP an
     * int mask (two's complement: keep the low W bits). Values too large for an int (and NaN, infinities) take the
     * exact double path, so results are identical to {@link #quantize(double)}.
     */
    private void quantizeFloat(float[] a, int from, int to) {
        final float sc = (float) scale;
        final float ls = (float) lsb;
        final int lo = (int) qmin;
        final int hi = (int) qmax;
        final int mask = (int) (modulus - 1);
        final boolean sat = type.overflow() == FixedPoint.Overflow.SATURATE;
        switch (type.rounding()) {
            case TRUNCATE -> {
                if (sat) {
                    floorSat(a, from, to, sc, 0f, ls, lo, hi);
                } else {
                    floorWrap(a, from, to, sc, 0f, ls, lo, mask);
                }
            }
            case ROUND_HALF_UP -> {
                if (sat) {
                    floorSat(a, from, to, sc, 0.5f, ls, lo, hi);
                } else {
                    floorWrap(a, from, to, sc, 0.5f, ls, lo, mask);
                }
            }
            case CONVERGENT -> {
                for (int i = from; i < to; i++) {
                    float v = a[i];
                    float s = v * sc;
                    float m = Math.abs(s);
                    if (!(m < 0x1p22f)) {
                        a[i] = (float) quantize((double) v);
                        continue;
                    }
                    // the float addition rounds ties to even: exactly rint for |s| < 2^22
                    int q = (int) Math.copySign((m + 0x1p23f) - 0x1p23f, s);
                    q = sat ? Math.min(Math.max(q, lo), hi) : ((q - lo) & mask) + lo;
                    a[i] = q * ls;
                }
            }
        }
    }

    private void floorSat(float[] a, int from, int to, float sc, float off, float ls, int lo, int hi) {
        for (int i = from; i < to; i++) {
            float v = a[i];
            float s = v * sc + off;
            if (!(Math.abs(s) < 0x1p30f)) {
                a[i] = (float) quantize((double) v);
                continue;
            }
            int t = (int) s;
            int q = t - (s < t ? 1 : 0);
            a[i] = Math.min(Math.max(q, lo), hi) * ls;
        }
    }

    private void floorWrap(float[] a, int from, int to, float sc, float off, float ls, int lo, int mask) {
        for (int i = from; i < to; i++) {
            float v = a[i];
            float s = v * sc + off;
            if (!(Math.abs(s) < 0x1p30f)) {
                a[i] = (float) quantize((double) v);
                continue;
            }
            int t = (int) s;
            int q = t - (s < t ? 1 : 0);
            a[i] = (((q - lo) & mask) + lo) * ls;
        }
    }
}
