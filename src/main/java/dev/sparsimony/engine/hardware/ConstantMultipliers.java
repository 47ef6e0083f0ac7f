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
        long x = Math.abs(k);
        int digits = 0;
        while (x != 0) {
            if ((x & 1) != 0) {
                digits++;
                // digit +1 when x mod 4 == 1, -1 when x mod 4 == 3 (non-adjacent form)
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
