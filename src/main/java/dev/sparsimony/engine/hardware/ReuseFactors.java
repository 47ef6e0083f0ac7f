package dev.sparsimony.engine.hardware;

import java.util.ArrayList;
import java.util.List;

/**
 * Reuse-factor validity exactly as hls4ml checks it for the Resource strategy (hls4ml
 * backends/fpga/fpga_backend.py, {@code _validate_reuse_factor}, {@code get_valid_reuse_factors},
 * {@code get_closest_reuse_factor}).
 */
public final class ReuseFactors {
    private ReuseFactors() {
    }

    public static boolean isValid(int nIn, int nOut, int rf) {
        if (rf < 1) {
            return false;
        }
        long n = (long) nIn * nOut;
        int multFactor = Math.min(nIn, rf);
        long multiplierLimit = (n + multFactor - 1) / multFactor;
        // functional correctness of the dense kernel's output indexing
        boolean ok = multiplierLimit % nOut == 0 || rf >= nIn;
        ok = ok && (rf % nIn == 0 || rf < nIn);
        // quality of results / HLS run time: every multiplier gets exactly RF products
        return ok && n % rf == 0;
    }

    /** All valid reuse factors in 1..nIn*nOut, ascending. */
    public static List<Integer> valid(int nIn, int nOut) {
        List<Integer> v = new ArrayList<>();
        long n = (long) nIn * nOut;
        // valid RFs divide n, so only divisors need checking (same result as hls4ml's full scan)
        for (long d = 1; d * d <= n; d++) {
            if (n % d == 0) {
                v.add((int) d);
                if (d != n / d) {
                    v.add((int) (n / d));
                }
            }
        }
        v.removeIf(rf -> !isValid(nIn, nOut, rf));
        v.sort(null);
        return v;
    }

    /**
     * The valid factors of the unrolled strategy: hls4ml drops the largest, RF = n_in*n_out
     * ({@code set_closest_reuse_factor(..., include_max_rf=False)}, backends/vivado/vivado_backend.py).
     */
    public static List<Integer> withoutMaximum(List<Integer> valid, int nIn, int nOut) {
        List<Integer> v = new ArrayList<>(valid);
        v.remove(Integer.valueOf(nIn * nOut));
        return v;
    }

    /** hls4ml's choice: the closest valid value, the smaller one on a tie. */
    public static int closest(List<Integer> valid, int chosen) {
        int best = valid.get(0);
        for (int rf : valid) {
            if (Math.abs(rf - chosen) < Math.abs(best - chosen)) {
                best = rf;
            }
        }
        return best;
    }

    /** The valid neighbours of an invalid choice: the largest below and the smallest above (one or two values). */
    public static List<Integer> neighbours(List<Integer> valid, int chosen) {
        Integer below = null;
        Integer above = null;
        for (int rf : valid) {
            if (rf < chosen) {
                below = rf;
            } else if (rf > chosen && above == null) {
                above = rf;
            }
        }
        List<Integer> r = new ArrayList<>();
        if (below != null) {
            r.add(below);
        }
        if (above != null) {
            r.add(above);
        }
        return r;
    }
}
