package dev.sparsimony.engine.storage;

/**
 * Huffman code lengths from symbol frequencies (Huffman 1952; Deep Compression stage 3 codes the quantized weights
 * and the sparse index gaps this way). Ties are broken by insertion order so the lengths are deterministic. A single
 * distinct symbol gets a 1-bit code.
 */
public final class Huffman {
    private Huffman() {
    }

    /**
     * Code length in bits of every symbol (frequencies must be non-negative; zero-frequency symbols get 0).
     *
     * <p>Van Leeuwen's two-queue construction (1976): leaves sorted by (frequency, symbol), internal nodes queued in
     * the order they are made, which is already by weight. Taking the leaf on equal weights, and the earlier node
     * within a queue, merges exactly the nodes a priority queue ordered by (weight, node id) would, so the lengths
     * are the same; it only avoids the queue's object per node (this runs once per layer and design point).
     */
    public static int[] codeLengths(long[] freq) {
        int n = freq.length;
        int[] len = new int[n];
        int used = 0;
        boolean narrow = true;
        for (long f : freq) {
            if (f < 0) {
                throw new IllegalArgumentException("negative frequency " + f);
            }
            if (f > 0) {
                used++;
                narrow &= f <= Integer.MAX_VALUE;
            }
        }
        if (used <= 1) {
            for (int i = 0; i < n; i++) {
                len[i] = freq[i] > 0 ? 1 : 0;
            }
            return len;
        }
        int[] leaf = sortedLeaves(freq, used, narrow);
        // node ids: leaves 0..used-1 (in sorted order), internal nodes used.. in creation order
        long[] weight = new long[2 * used - 1];
        int[] parent = new int[2 * used - 1];
        for (int i = 0; i < used; i++) {
            weight[i] = freq[leaf[i]];
        }
        int nextLeaf = 0;
        int nextInternal = used;
        int made = used;
        while (made < 2 * used - 1) {
            int a = nextLeaf < used && (nextInternal == made || weight[nextLeaf] <= weight[nextInternal])
                    ? nextLeaf++ : nextInternal++;
            int b = nextLeaf < used && (nextInternal == made || weight[nextLeaf] <= weight[nextInternal])
                    ? nextLeaf++ : nextInternal++;
            weight[made] = weight[a] + weight[b];
            parent[a] = made;
            parent[b] = made;
            made++;
        }
        int root = made - 1;
        int[] depth = new int[made];
        for (int v = root - 1; v >= used; v--) {
            depth[v] = depth[parent[v]] + 1;
        }
        for (int i = 0; i < used; i++) {
            len[leaf[i]] = depth[parent[i]] + 1;
        }
        return len;
    }

    /** Symbols with a non-zero frequency, sorted by (frequency, symbol). */
    private static int[] sortedLeaves(long[] freq, int used, boolean narrow) {
        int n = freq.length;
        if (narrow) {
            long[] key = new long[used]; // frequency in the high word, symbol in the low: one primitive sort
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (freq[i] > 0) {
                    key[k++] = freq[i] << 32 | i;
                }
            }
            java.util.Arrays.sort(key);
            int[] leaf = new int[used];
            for (int i = 0; i < used; i++) {
                leaf[i] = (int) key[i];
            }
            return leaf;
        }
        return java.util.stream.IntStream.range(0, n).filter(i -> freq[i] > 0).boxed()
                .sorted((x, y) -> freq[x] != freq[y] ? Long.compare(freq[x], freq[y]) : Integer.compare(x, y))
                .mapToInt(Integer::intValue).toArray();
    }

    /** Total coded size in bits: sum over symbols of frequency * code length. */
    public static long encodedBits(long[] freq) {
        int[] len = codeLengths(freq);
        long bits = 0;
        for (int i = 0; i < freq.length; i++) {
            bits += freq[i] * len[i];
        }
        return bits;
    }

    /**
     * Huffman-coded size of a sequence of symbols (any values; frequencies counted here). The total does not
     * depend on the order of the symbols (every Huffman code has the same, optimal, total), so the frequencies are
     * counted in a hash table in one pass instead of sorting a copy (the sort was most of the storage accounting
     * of a design point).
     */
    public static long encodedBits(float[] symbols) {
        int[] bits = new int[symbols.length];
        for (int i = 0; i < symbols.length; i++) {
            bits[i] = Float.floatToIntBits(symbols[i] + 0f); // one symbol for -0.0 and 0.0, and for every NaN
        }
        return encodedBits(bits);
    }

    /** Huffman-coded size of a sequence of int symbols (frequencies counted here, by open addressing). */
    public static long encodedBits(int[] symbols) {
        int cap = Integer.highestOneBit(Math.max(2, symbols.length)) << 1; // a power of two, at least 2n
        int shift = 32 - Integer.numberOfTrailingZeros(cap);
        int[] key = new int[cap];
        long[] count = new long[cap];
        int distinct = 0;
        for (int sym : symbols) {
            int h = (sym * 0x9E3779B9) >>> shift; // Fibonacci hashing
            while (count[h] != 0 && key[h] != sym) {
                h = (h + 1) & (cap - 1);
            }
            if (count[h]++ == 0) {
                key[h] = sym;
                distinct++;
            }
        }
        long[] freq = new long[distinct];
        int k = 0;
        for (long c : count) {
            if (c != 0) {
                freq[k++] = c;
            }
        }
        return encodedBits(freq);
    }
}
