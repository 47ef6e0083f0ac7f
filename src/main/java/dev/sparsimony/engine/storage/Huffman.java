package dev.sparsimony.engine.storage;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Huffman code lengths from symbol frequencies (Huffman 1952; Deep Compression stage 3 codes the quantized weights
 * and the sparse index gaps this way). Ties are broken by insertion order so the lengths are deterministic. A single
 * distinct symbol gets a 1-bit code.
 */
public final class Huffman {
    private Huffman() {
    }

    /** Code length in bits of every symbol (frequencies must be non-negative; zero-frequency symbols get 0). */
    public static int[] codeLengths(long[] freq) {
        int n = freq.length;
        int[] len = new int[n];
        // nodes 0..n-1 are leaves, n.. internal; parent links give depths
        int[] parent = new int[2 * n];
        long[] weight = new long[2 * n];
        PriorityQueue<long[]> pq = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
                : Long.compare(a[1], b[1]));
        int used = 0;
        for (int i = 0; i < n; i++) {
            if (freq[i] > 0) {
                pq.add(new long[] {freq[i], i});
                weight[i] = freq[i];
                used++;
            }
        }
        if (used == 0) {
            return len;
        }
        if (used == 1) {
            for (int i = 0; i < n; i++) {
                if (freq[i] > 0) {
                    len[i] = 1;
                }
            }
            return len;
        }
        int next = n;
        while (pq.size() > 1) {
            long[] a = pq.poll();
            long[] b = pq.poll();
            weight[next] = a[0] + b[0];
            parent[(int) a[1]] = next;
            parent[(int) b[1]] = next;
            pq.add(new long[] {weight[next], next});
            next++;
        }
        int root = next - 1;
        int[] depth = new int[2 * n];
        for (int v = root - 1; v >= n; v--) {
            depth[v] = depth[parent[v]] + 1;
        }
        for (int i = 0; i < n; i++) {
            if (freq[i] > 0) {
                len[i] = depth[parent[i]] + 1;
            }
        }
        return len;
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

    /** Huffman-coded size of a sequence of symbols (any values; frequencies counted here). */
    public static long encodedBits(float[] symbols) {
        // count runs of equal values in a sorted copy (no boxing; -0.0 and 0.0 are one symbol)
        float[] s = symbols.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] += 0f;
        }
        java.util.Arrays.sort(s);
        long[] freq = new long[s.length];
        int k = -1;
        for (int i = 0; i < s.length; i++) {
            if (i == 0 || Float.compare(s[i], s[i - 1]) != 0) {
                k++;
            }
            freq[k]++;
        }
        return encodedBits(java.util.Arrays.copyOf(freq, k + 1));
    }

    public static long encodedBits(int[] symbols) {
        Map<Integer, Long> f = new HashMap<>();
        for (int s : symbols) {
            f.merge(s, 1L, Long::sum);
        }
        return encodedBits(f.values().stream().mapToLong(Long::longValue).toArray());
    }
}
