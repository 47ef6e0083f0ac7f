package dev.sparsimony.engine.hardware;

/**
 * How the HLS tool implements a multiplication by a constant weight (integer code k of the weight type):
 * k = 0 needs nothing, |k| a power of two is a shift (wiring), a constant with few non-zero digits in canonical
 * signed-digit form (CSD; Reitwiesner 1960) is built from shifts and (digits - 1) adders in LUT fabric, any
 * other constant uses a DSP. The digit threshold is a parameter ({@link FpgaParams#maxCsdDigitsInFabric()}).
 */
public final class ConstantMultipliers {
    private ConstantMultipliers() {
    }

    /** Number of non-zero digits of |k| in canonical signed-digit (non-adjacent) form. */
    public static int csdDigits(long k) {
        // non-adjacent form via x3 = x + x/2: its non-zero digits sit where x3 and x/2 differ (Prodinger's identity)
        long x = Math.abs(k);
        long half = x >>> 1;
        return Long.bitCount((x + half) ^ half);
    }

    /** Reference digit-by-digit recoding (+1 when x mod 4 == 1, -1 when x mod 4 == 3), for tests. */
    static int csdDigitsSlow(long k) {
        long x = Math.abs(k);
        int digits = 0;
        while (x != 0) {
            if ((x & 1) != 0) {
                digits++;
                x = (x & 3) == 3 ? x + 1 : x - 1;
            }
            x >>>= 1;
        }
        return digits;
    }

    public static boolean isPowerOfTwo(long k) {
        long x = Math.abs(k);
        return x != 0 && (x & (x - 1)) == 0;
    }
}
