package dev.sparsimony.engine.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Import-time constant evaluation against naive definitions. */
class ConstFoldPropertiesTest {

    private static int[] randomShape(Random r, int rank) {
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = 1 + r.nextInt(4);
        }
        return s;
    }

    private static Const randomConst(Random r, int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(100) - 50;
        }
        return Const.ofFloats(shape, v);
    }

    @Property(tries = 200)
    void transposeThenInverseIsIdentity(@ForAll @IntRange(min = 1, max = 5) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        Const c = randomConst(r, randomShape(r, rank));
        List<Integer> p = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            p.add(i);
        }
        Collections.shuffle(p, r);
        int[] perm = p.stream().mapToInt(Integer::intValue).toArray();
        int[] inv = new int[rank];
        for (int i = 0; i < rank; i++) {
            inv[perm[i]] = i;
        }
        Const t = ConstFold.transpose(c, perm);
        for (int i = 0; i < rank; i++) {
            assertEquals(c.shape[perm[i]], t.shape[i]);
        }
        Const back = ConstFold.transpose(t, inv);
        assertArrayEquals(c.shape, back.shape);
        assertArrayEquals(c.floats(), back.floats());
    }

    @Property(tries = 200)
    void broadcastAddMatchesNaiveIndexing(@ForAll @IntRange(min = 1, max = 4) int rank, @ForAll long seed) {
        Random r = new Random(seed);
        int[] out = randomShape(r, rank);
        int rb = 1 + r.nextInt(rank);
        int[] bs = new int[rb];
        for (int i = 0; i < rb; i++) {
            bs[i] = r.nextBoolean() ? 1 : out[rank - rb + i];
        }
        Const a = randomConst(r, out);
        Const b = randomConst(r, bs);
        Const s = ConstFold.binary(ConstFold.Arith.SUB, a, b);
        assertArrayEquals(out, s.shape);
        long[] st = ConstFold.strides(out);
        long[] sb = ConstFold.strides(bs);
        for (int k = 0; k < s.size(); k++) {
            long bi = 0;
            for (int i = 0; i < rank; i++) {
                int idx = (int) (k / st[i] % out[i]);
                int j = i - (rank - rb);
                if (j >= 0 && bs[j] != 1) {
                    bi += idx * sb[j];
                }
            }
            assertEquals(a.floats()[k] - b.floats()[(int) bi], s.floats()[k]);
        }
    }
}
