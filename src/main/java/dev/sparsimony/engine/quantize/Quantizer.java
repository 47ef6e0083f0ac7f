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
    /** Modes beyond AP_TRN/AP_RND/AP_RND_CONV and AP_WRAP/AP_SAT take the exact per-value path. */
    private final boolean generic;

    public Quantizer(FixedPoint type) {
        this.type = type;
        this.scale = Math.scalb(1.0, type.fractionalBits());
        this.lsb = Math.scalb(1.0, -type.fractionalBits());
        this.modulus = Math.scalb(1.0, type.width());
        this.qmin = type.signed() ? -modulus / 2 : 0;
        this.qmax = type.signed() ? modulus / 2 - 1 : modulus - 1;
        this.generic = type.rounding().ordinal() > FixedPoint.Rounding.CONVERGENT.ordinal()
                || type.overflow().ordinal() > FixedPoint.Overflow.SATURATE.ordinal();
    }

    public FixedPoint type() {
        return type;
    }

    /** The quantized value of one number (same rules as the array methods). */
    public double quantize(double x) {
        if (Double.isNaN(x)) {
            return 0;
        }
        double q = type.rounding().round(x * scale);
        q = switch (type.overflow()) {
            case SATURATE -> Math.min(Math.max(q, qmin), qmax);
            case WRAP -> wrap(q);
            case SATURATE_ZERO -> q < qmin || q > qmax ? 0 : q;
            // symmetric: the most negative code is left out (-qmax .. qmax)
            case SATURATE_SYM -> Math.min(Math.max(q, type.signed() ? -qmax : qmin), qmax);
        };
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
        if (generic) {
            for (int i = from; i < to; i++) {
                a[i] = (float) quantize(a[i]);
            }
            return;
        }
        if (type.width() <= 23) {
            quantizeFloat(a, from, to);
        } else {
            quantizeDouble(a, from, to);
        }
    }

    /** The exact double path (any W). */
    private void quantizeDouble(float[] a, int from, int to) {
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

    private static final float MAGIC = 0x1.8p23f; // (s + MAGIC) - MAGIC = round-half-even(s) for |s| < 2^22
    private static final float BIG = 0x1p126f;

    /**
     * The largest |x| for which {@link #quantizeInRange} applies: x·2^F plus the rounding offset stays inside
     * [qmin, qmax] (so no overflow mode matters) and inside the float path's exactness guard 2^21. Zero when the
     * type is unsigned (negative inputs need the overflow mode) or too wide for the float path.
     */
    public double inRangeLimit() {
        if (!type.signed() || type.width() > 23 || generic) {
            return 0;
        }
        return Math.min(qmax - 1, 0x1p21) * lsb;
    }

    /**
     * Quantizes {@code a[from, to)} in place, for callers that have proved every value finite with
     * |x| &lt; {@link #inRangeLimit()} (e.g. from an interval bound of a layer's output): the same results as
     * {@link #quantize(float[], int, int)} without its scan of the values.
     */
    public void quantizeInRange(float[] a, int from, int to) {
        if (inRangeLimit() == 0) {
            quantize(a, from, to);
            return;
        }
        roundInRange(a, from, to);
    }

    /**
     * Fast path for W &lt;= 23, written with float add/sub/mul/min/abs only so that C2 vectorises it (no int
     * conversion, no data-dependent branch): s = x·2^F (exact); rne(s) by the 1.5·2^23 magic addition;
     * floor(s) = rne(s) - [rne(s) &gt; s], the indicator computed as min((d + |d|)·2^252, 1) with d = rne(s) - s
     * (any positive difference is at least 2^-149, so it saturates to 1); SAT by min/max; WRAP by
     * q - 2^W·floor((q - qmin)/2^W). Every step is exact while |s| &lt; 2^21, which a pre-pass (max |x|) checks; NaN,
     * infinities and larger values send the array to the exact double path. Results equal {@link #quantize(double)}.
     * Values already known to lie in range take loops without the overflow step (Java's Math.min/max cost about
     * four vector instructions each, because of their NaN and signed-zero rules).
     */
    private void quantizeFloat(float[] a, int from, int to) {
        final float sc = (float) scale;
        final float ls = (float) lsb;
        final float lo = (float) qmin;
        final float hi = (float) qmax;
        final FixedPoint.Rounding rounding = type.rounding();
        final float off = rounding == FixedPoint.Rounding.ROUND_HALF_UP ? 0.5f : 0f;
        // One pre-pass in the common case: every |s| + 1 within qmax (so no overflow; qmax < |qmin| for signed
        // types) also satisfies the exactness guard |s| < 2^21. Otherwise check the guard alone.
        final float rangeLimit = (hi - 1f) / sc;
        final float guardLimit = (float) (0x1p21 / scale);
        boolean inRange = rangeLimit <= guardLimit && allBelow(a, from, to, rangeLimit);
        if (!inRange && !allBelow(a, from, to, guardLimit)) {
            quantizeDouble(a, from, to);
            return;
        }
        if (inRange && (type.signed() || isNonNegative(a, from, to))) {
            roundInRange(a, from, to);
            return;
        }
        if (type.overflow() == FixedPoint.Overflow.WRAP) {
            final float mod = (float) modulus;
            final float inv = (float) (1.0 / modulus);
            final boolean conv = rounding == FixedPoint.Rounding.CONVERGENT;
            for (int i = from; i < to; i++) {
                float s = a[i] * sc + off;
                float r = (s + MAGIC) - MAGIC;
                float d = r - s;
                float q = conv ? r : r - Math.min((d + Math.abs(d)) * BIG * BIG, 1f);
                float x = (q - lo) * inv;
                float rx = (x + MAGIC) - MAGIC;
                float dx = rx - x;
                float fx = rx - Math.min((dx + Math.abs(dx)) * BIG * BIG, 1f);
                a[i] = (q - fx * mod) * ls + 0f;
            }
        } else if (rounding == FixedPoint.Rounding.CONVERGENT) {
            for (int i = from; i < to; i++) {
                float r = (a[i] * sc + MAGIC) - MAGIC;
                a[i] = Math.min(Math.max(r, lo), hi) * ls + 0f;
            }
        } else {
            for (int i = from; i < to; i++) {
                float s = a[i] * sc + off;
                float r = (s + MAGIC) - MAGIC;
                float d = r - s;
                float q = r - Math.min((d + Math.abs(d)) * BIG * BIG, 1f);
                a[i] = Math.min(Math.max(q, lo), hi) * ls + 0f;
            }
        }
    }

    /** Rounding only: every value is finite and its rounded scaled value lies in [qmin, qmax] below 2^21. */
    private void roundInRange(float[] a, int from, int to) {
        final float sc = (float) scale;
        final float ls = (float) lsb;
        switch (type.rounding()) {
            case CONVERGENT -> {
                for (int i = from; i < to; i++) {
                    a[i] = ((a[i] * sc + MAGIC) - MAGIC) * ls + 0f;
                }
            }
            case ROUND_HALF_UP, TRUNCATE -> {
                // floor(s + 1/2) or floor(s)
                final float off = type.rounding() == FixedPoint.Rounding.ROUND_HALF_UP ? 0.5f : 0f;
                for (int i = from; i < to; i++) {
                    float s = a[i] * sc + off;
                    float r = (s + MAGIC) - MAGIC;
                    float d = r - s;
                    a[i] = (r - Math.min((d + Math.abs(d)) * BIG * BIG, 1f)) * ls + 0f;
                }
            }
        }
    }

    /** True when every |a[i]| is below {@code limit} (false for NaN): a predictable, branch-only pass. */
    static boolean allBelow(float[] a, int from, int to, float limit) {
        for (int i = from; i < to; i++) {
            if (!(Math.abs(a[i]) < limit)) {
                return false;
            }
        }
        return true;
    }

    /** max |a[i]| over values known to be finite. */
    static float maxAbs(float[] a, int from, int to) {
        float m = 0f;
        for (int i = from; i < to; i++) {
            float v = Math.abs(a[i]);
            m = v > m ? v : m;
        }
        return m;
    }

    private static boolean isNonNegative(float[] a, int from, int to) {
        float mn = 0f;
        for (int i = from; i < to; i++) {
            mn = Math.min(mn, a[i]);
        }
        return mn >= 0f;
    }
}
