package dev.sparsimony.engine.storage;

import dev.sparsimony.engine.model.ModelException;

import java.util.Arrays;

/** Storage formulas for one kernel (flat, row-major [rows, cols]). All sizes in bits. */
public final class Storage {
    private Storage() {
    }

    /** Dense storage: every weight at {@code valueBits}. */
    public static long denseBits(int weights, int valueBits) {
        return (long) weights * valueBits;
    }

    public static int nonZeros(float[] w) {
        int n = 0;
        for (float v : w) {
            if (v != 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Compressed sparse row: per non-zero a value and a column index, plus rows + 1 row pointers
     * (Saad, "Iterative Methods for Sparse Linear Systems", 2003, sec. 3.4): nnz * (valueBits + indexBits) +
     * (rows + 1) * pointerBits. The index width must address every column, the pointer width every entry.
     */
    public static long csrBits(float[] w, int rows, int cols, int valueBits, int indexBits, int pointerBits) {
        checkWidth(indexBits, "CSR index width");
        checkWidth(pointerBits, "CSR pointer width");
        if (cols > 0 && (long) cols - 1 >= 1L << Math.min(indexBits, 62)) {
            throw new ModelException("CSR index width " + indexBits + " bits cannot address " + cols + " columns");
        }
        int nnz = nonZeros(w);
        if (nnz >= 1L << Math.min(pointerBits, 62) + 1) {
            throw new ModelException("CSR pointer width " + pointerBits + " bits cannot count " + nnz + " entries");
        }
        return (long) nnz * (valueBits + indexBits) + (long) (rows + 1) * pointerBits;
    }

    /**
     * Relative indexing as in EIE (Han et al., ISCA 2016) and Deep Compression (Fig. 2): entries are stored in
     * scan order (the flat row-major kernel) as (value, zeros-before-it) with the gap in {@code indexBits}; a gap
     * larger than 2^b - 1 needs padding zero entries, each stands for 2^b positions, so a gap g costs floor(g / 2^b)
     * extra entries. Trailing zeros are not stored. Size = entries * (valueBits + indexBits).
     */
    public static long relativeIndexBits(float[] w, int valueBits, int indexBits) {
        return relativeIndexEntries(w, indexBits) * (valueBits + indexBits);
    }

    /** Number of stored entries (non-zeros plus padding zeros) of relative indexing. */
    public static long relativeIndexEntries(float[] w, int indexBits) {
        checkWidth(indexBits, "relative index width");
        long span = 1L << indexBits;
        long entries = 0;
        long gap = 0;
        for (float v : w) {
            if (v == 0) {
                gap++;
            } else {
                entries += 1 + gap / span;
                gap = 0;
            }
        }
        return entries;
    }

    /** The gaps (zeros before each stored entry) of relative indexing, padding entries included. */
    public static int[] relativeIndexGaps(float[] w, int indexBits) {
        int[] gaps = new int[(int) relativeIndexEntries(w, indexBits)];
        relativeIndexEncode(w, indexBits, gaps, null);
        return gaps;
    }

    /**
     * The one walk of relative indexing (EIE): for each stored entry its gap and its value; a gap that does not fit
     * the index width is bridged by padding entries of gap 2^bits - 1 and value 0. Either output may be null.
     */
    private static void relativeIndexEncode(float[] w, int indexBits, int[] gaps, float[] values) {
        long span = 1L << indexBits;
        int k = 0;
        long gap = 0;
        for (float v : w) {
            if (v == 0) {
                gap++;
            } else {
                for (; gap >= span; gap -= span, k++) {
                    if (gaps != null) {
                        gaps[k] = (int) (span - 1);
                    }
                    if (values != null) {
                        values[k] = 0f;
                    }
                }
                if (gaps != null) {
                    gaps[k] = (int) gap;
                }
                if (values != null) {
                    values[k] = v;
                }
                k++;
                gap = 0;
            }
        }
    }

    /**
     * Deep Compression stage 3: relative-index storage with both the values (padding zeros included) and the gaps
     * Huffman-coded, plus an optional codebook. Returns bits.
     */
    public static long huffmanBits(float[] w, int indexBits, long codebookBits) {
        checkWidth(indexBits, "relative index width");
        int n = (int) relativeIndexEntries(w, indexBits);
        int[] gaps = new int[n];
        float[] values = new float[n];
        relativeIndexEncode(w, indexBits, gaps, values);
        if (indexBits > 16) {
            return Huffman.encodedBits(values) + Huffman.encodedBits(gaps) + codebookBits;
        }
        // narrow indices: a frequency table of the gaps is cheaper than counting distinct symbols
        long[] gapFreq = new long[1 << indexBits];
        for (int g : gaps) {
            gapFreq[g]++;
        }
        return Huffman.encodedBits(values) + Huffman.encodedBits(gapFreq) + codebookBits;
    }

    /** Compression ratio: original size / compressed size (infinite when nothing is stored). */
    public static double ratio(long originalBits, long compressedBits) {
        return compressedBits == 0 ? Double.POSITIVE_INFINITY : (double) originalBits / compressedBits;
    }

    private static void checkWidth(int bits, String what) {
        if (bits < 1 || bits > 32) {
            throw new ModelException(what + " must be in 1..32 bits, got " + bits);
        }
    }

    /** Sum of an array (convenience for per-layer totals). */
    public static long sum(long[] a) {
        return Arrays.stream(a).sum();
    }
}
