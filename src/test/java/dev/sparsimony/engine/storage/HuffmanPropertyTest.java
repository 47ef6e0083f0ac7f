package dev.sparsimony.engine.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.PriorityQueue;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class HuffmanPropertyTest {
    /** Two-queue construction gives exactly the lengths of the textbook priority-queue construction. */
    @Property(tries = 300)
    void sameLengthsAsAPriorityQueue(@ForAll @Size(max = 60) List<@LongRange(min = 0, max = 40) Long> f) {
        long[] freq = f.stream().mapToLong(Long::longValue).toArray();
        assertArrayEquals(reference(freq), Huffman.codeLengths(freq));
    }

    /** Counting by hash table gives the total of counting by a sorted map (NaN one symbol, -0.0 == 0.0). */
    @Property(tries = 300)
    void symbolCountsMatchASortedMap(@ForAll @Size(max = 300) List<@IntRange(min = -6, max = 6) Integer> codes) {
        float[] v = new float[codes.size()];
        java.util.Map<Float, Long> f = new java.util.TreeMap<>();
        for (int i = 0; i < v.length; i++) {
            int c = codes.get(i);
            v[i] = c == 6 ? Float.NaN : c == -6 ? -0f : c * 0.25f;
            f.merge(v[i] + 0f, 1L, Long::sum);
        }
        long[] freq = f.values().stream().mapToLong(Long::longValue).toArray();
        assertEquals(Huffman.encodedBits(freq), Huffman.encodedBits(v));
    }

    /** Huffman (1952) with a queue ordered by (weight, node id); leaves are 0..n-1, internal nodes n.. */
    static int[] reference(long[] freq) {
        int n = freq.length;
        int[] len = new int[n];
        int[] parent = new int[2 * n];
        PriorityQueue<long[]> pq = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
                : Long.compare(a[1], b[1]));
        for (int i = 0; i < n; i++) {
            if (freq[i] > 0) {
                pq.add(new long[] {freq[i], i});
            }
        }
        if (pq.size() <= 1) {
            for (int i = 0; i < n; i++) {
                len[i] = freq[i] > 0 ? 1 : 0;
            }
            return len;
        }
        int next = n;
        while (pq.size() > 1) {
            long[] a = pq.poll();
            long[] b = pq.poll();
            parent[(int) a[1]] = next;
            parent[(int) b[1]] = next;
            pq.add(new long[] {a[0] + b[0], next++});
        }
        int[] depth = new int[2 * n];
        for (int v = next - 2; v >= n; v--) {
            depth[v] = depth[parent[v]] + 1;
        }
        for (int i = 0; i < n; i++) {
            if (freq[i] > 0) {
                len[i] = depth[parent[i]] + 1;
            }
        }
        return len;
    }
}
