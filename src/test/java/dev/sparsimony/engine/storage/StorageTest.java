package dev.sparsimony.engine.storage;

import dev.sparsimony.engine.model.ModelException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StorageTest {
    @Test
    void huffmanMatchesAHandCount() {
        // frequencies a:5 b:2 c:1 d:1 -> merge c+d (2), then b+(cd) (4), then a+(4) (9)
        // lengths a:1 b:2 c:3 d:3 -> 5 + 4 + 3 + 3 = 15 bits
        assertArrayEquals(new int[] {1, 2, 3, 3}, Huffman.codeLengths(new long[] {5, 2, 1, 1}));
        assertEquals(15, Huffman.encodedBits(new long[] {5, 2, 1, 1}));
        assertEquals(15, Huffman.encodedBits(new float[] {1, 1, 1, 1, 1, 2, 2, 3, 4}));
        assertEquals(4, Huffman.encodedBits(new long[] {4}));
        assertEquals(0, Huffman.encodedBits(new long[0]));
        // equal frequencies: 4 symbols -> 2 bits each
        assertEquals(16, Huffman.encodedBits(new long[] {2, 2, 2, 2}));
    }

    @Test
    void csrAndRelativeIndexing() {
        float[] w = {1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0};
        // 2 rows x 8 cols, nnz 3, 8-bit values, 3-bit column index, 4-bit pointers: 3*11 + 3*4
        assertEquals(45, Storage.csrBits(w, 2, 8, 8, 3, 4));
        // relative 3-bit: gaps 0, 2, 9 -> 9 >= 8 needs one padding entry: 4 entries * (8+3)
        assertEquals(4, Storage.relativeIndexEntries(w, 3));
        assertArrayEquals(new int[] {0, 2, 7, 1}, Storage.relativeIndexGaps(w, 3));
        assertEquals(44, Storage.relativeIndexBits(w, 8, 3));
        // a gap of exactly 2^b - 1 needs no padding; 2^b needs one; 2*2^b needs two
        assertEquals(1, Storage.relativeIndexEntries(new float[] {0, 0, 0, 0, 0, 0, 0, 1}, 3));
        assertEquals(2, Storage.relativeIndexEntries(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 1}, 3));
        float[] z = new float[17];
        z[16] = 1;
        assertEquals(3, Storage.relativeIndexEntries(z, 3));
        // values {0,0,1} and gaps {7,7,0}: two symbols each, 1 bit per entry: 3 + 3, plus the 4-bit codebook
        assertEquals(10, Storage.huffmanBits(z, 3, 4));
        assertEquals(Storage.ratio(100, 25), 4.0);
        assertThrows(ModelException.class, () -> Storage.csrBits(w, 2, 8, 8, 2, 4));
    }

    @net.jqwik.api.Property(tries = 50)
    void huffmanStorageMatchesTheReference(@net.jqwik.api.ForAll long seed,
                                           @net.jqwik.api.ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 18) int b) {
        java.util.Random r = new java.util.Random(seed);
        float[] w = new float[300];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextDouble() < 0.8 ? 0f : r.nextInt(5) - 2;
        }
        int[] gaps = Storage.relativeIndexGaps(w, b);
        float[] values = new float[gaps.length];
        int k = 0;
        int g = 0;
        for (float v : w) {
            if (v == 0) {
                g++;
            } else {
                while (g >= 1 << b) {
                    values[k++] = 0;
                    g -= 1 << b;
                }
                values[k++] = v;
                g = 0;
            }
        }
        assertEquals(Huffman.encodedBits(values) + Huffman.encodedBits(gaps) + 7, Storage.huffmanBits(w, b, 7));
    }
}
