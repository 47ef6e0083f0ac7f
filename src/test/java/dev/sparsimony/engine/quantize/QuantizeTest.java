package dev.sparsimony.engine.quantize;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.quantize.FixedPoint.Overflow;
import dev.sparsimony.engine.quantize.FixedPoint.Rounding;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantizeTest {
    static float[] q(FixedPoint t, float... x) {
        float[] a = x.clone();
        new Quantizer(t).quantize(a);
        for (int i = 0; i < x.length; i++) {
            assertEquals(a[i], (float) new Quantizer(t).quantize(x[i]), "scalar and array paths agree");
        }
        return a;
    }

    static FixedPoint t(int w, int i, Rounding r, Overflow o) {
        return new FixedPoint(w, i, true, r, o);
    }

    @Test
    void truncateFloorsTowardsMinusInfinity() {
        assertArrayEquals(new float[] {0.25f, -0.5f, 0f, 1.75f, -2f},
                q(t(4, 2, Rounding.TRUNCATE, Overflow.SATURATE), 0.3f, -0.3f, 0.1f, 1.8f, -2f));
        assertArrayEquals(new float[] {3.140625f}, q(FixedPoint.of(16, 6), 3.14159f));
    }

    @Test
    void roundHalfUpTiesTowardsPlusInfinity() {
        FixedPoint t = t(4, 2, Rounding.ROUND_HALF_UP, Overflow.SATURATE);
        assertArrayEquals(new float[] {0.5f, -0.25f, 0.25f, 0f, 0.75f, -0.5f},
                q(t, 0.375f, -0.375f, 0.125f, -0.125f, 0.625f, -0.625f));
    }

    @Test
    void convergentTiesToEven() {
        FixedPoint t = t(4, 2, Rounding.CONVERGENT, Overflow.SATURATE);
        assertArrayEquals(new float[] {0.5f, 0.5f, -0.5f, -0.5f, 0f, 0f, 0.25f},
                q(t, 0.375f, 0.625f, -0.375f, -0.625f, 0.125f, -0.125f, 0.2f));
    }

    @Test
    void saturateClampsAndWrapKeepsTheLowBits() {
        assertArrayEquals(new float[] {1.75f, -2f}, q(t(4, 2, Rounding.TRUNCATE, Overflow.SATURATE), 5f, -5f));
        // q = 8 -> -8; q = 20 -> 4; q = -9 -> 7
        assertArrayEquals(new float[] {-2f, 1f, 1.75f, 1.75f},
                q(t(4, 2, Rounding.TRUNCATE, Overflow.WRAP), 2f, 5f, -2.25f, 1.75f));
        FixedPoint u = new FixedPoint(4, 2, false, Rounding.TRUNCATE, Overflow.WRAP);
        assertArrayEquals(new float[] {3.75f, 0f, 3.75f}, q(u, -0.25f, 4f, 3.8f));
        FixedPoint us = new FixedPoint(4, 2, false, Rounding.TRUNCATE, Overflow.SATURATE);
        assertArrayEquals(new float[] {0f, 3.75f}, q(us, -0.25f, 100f));
        assertArrayEquals(new float[] {0f, 0f}, q(FixedPoint.of(8, 3), Float.NaN, Float.POSITIVE_INFINITY));
        assertArrayEquals(new float[] {3.96875f}, q(t(8, 3, Rounding.TRUNCATE, Overflow.SATURATE),
                Float.POSITIVE_INFINITY));
    }

    @Property(tries = 200)
    void fixedPointIsIdempotentAndOnTheGrid(@ForAll @FloatRange(min = -100, max = 100) float x,
                                            @ForAll @IntRange(min = 1, max = 24) int w,
                                            @ForAll @IntRange(min = -4, max = 24) int i0,
                                            @ForAll @IntRange(min = 0, max = 5) int mode) {
        int i = Math.min(i0, w);
        FixedPoint t = new FixedPoint(w, i, mode % 2 == 0, Rounding.values()[mode % 3],
                Overflow.values()[mode % 2]);
        float[] a = {x};
        Quantizer qz = new Quantizer(t);
        qz.quantize(a);
        float once = a[0];
        qz.quantize(a);
        assertEquals(once, a[0]);
        assertTrue(once >= t.min() && once <= t.max());
        double steps = once / t.lsb();
        assertEquals(Math.rint(steps), steps);
    }

    /** The vectorised array loops (in range, saturating, wrapping) give exactly the scalar reference. */
    @Property(tries = 300)
    void arrayPathEqualsScalarPath(@ForAll @IntRange(min = 2, max = 23) int w,
                                   @ForAll @IntRange(min = -2, max = 12) int i0,
                                   @ForAll @IntRange(min = 0, max = 11) int mode,
                                   @ForAll @FloatRange(min = 0.01f, max = 4096) float scale,
                                   @ForAll @IntRange(min = 0, max = 1000) int seed) {
        FixedPoint t = new FixedPoint(w, Math.min(i0, w), mode % 2 == 0, Rounding.values()[mode % 3],
                Overflow.values()[(mode / 3) % 2]);
        Quantizer qz = new Quantizer(t);
        Random r = new Random(seed);
        float[] a = new float[257];
        for (int k = 0; k < a.length; k++) {
            // grid points, half-way points and arbitrary values
            a[k] = switch (k % 3) {
                case 0 -> (float) (Math.round(r.nextGaussian() * 64) * t.lsb());
                case 1 -> (float) ((Math.round(r.nextGaussian() * 64) + 0.5) * t.lsb());
                default -> (float) (r.nextGaussian() * scale);
            };
        }
        float[] fast = a.clone();
        qz.quantize(fast);
        for (int k = 0; k < a.length; k++) {
            assertEquals((float) qz.quantize(a[k]), fast[k], "x = " + a[k] + " as " + t);
        }
        // the in-range entry point agrees wherever its precondition holds
        double limit = qz.inRangeLimit();
        float[] in = new float[a.length];
        for (int k = 0; k < a.length; k++) {
            in[k] = Math.abs(a[k]) < limit ? a[k] : 0f;
        }
        float[] viaRange = in.clone();
        qz.quantizeInRange(viaRange, 0, viaRange.length);
        float[] viaCheck = in.clone();
        qz.quantize(viaCheck);
        assertArrayEquals(viaCheck, viaRange);
    }

    @Test
    void fixedPointValidation() {
        // up to 64 bits: hls4ml's inferred accumulators exceed 32 (infer_precision.py); Vivado allows 1024
        assertThrows(ModelException.class, () -> FixedPoint.of(65, 6));
        assertTrue(assertThrows(ModelException.class, () -> FixedPoint.of(8, 9)).getMessage().contains("I"));
    }

    @Test
    void powerOfTwo() {
        float[] w = {0.7f, -0.3f, 0.01f, 0f, 0.2f};
        PowerOfTwo p = new PowerOfTwo(3, null); // eMax = round(log2 0.7) = -1, exponents -1..-3
        p.quantize(w);
        assertArrayEquals(new float[] {0.5f, -0.25f, 0f, 0f, 0.25f}, w);
        float[] again = w.clone();
        p.quantize(again);
        assertArrayEquals(w, again);
    }

    @Test
    void kmeansIsDeterministicAndShares() {
        float[] w = random(500, 7);
        w[3] = 0;
        float[] a = w.clone();
        float[] b = w.clone();
        new KMeansSharing(8, 42).quantize(a);
        new KMeansSharing(8, 42).quantize(b);
        assertArrayEquals(a, b);
        assertEquals(0f, a[3]);
        assertTrue(java.util.stream.IntStream.range(0, a.length).mapToDouble(i -> a[i]).distinct().count() <= 9);
        float[] c = a.clone();
        new KMeansSharing(8, 1).quantize(c);
        assertArrayEquals(a, c);
        assertEquals(3, new KMeansSharing(8, 1).bitsPerWeight());
        // centroids on a hand example: two clear clusters
        double[] cs = new KMeansSharing(2, 0).centroids(new float[] {1, 1.2f, 0.8f, -1, -1.2f, -0.8f});
        assertEquals(-1, cs[0], 1e-6);
        assertEquals(1, cs[1], 1e-6);
    }

    @Test
    void binaryAndTernary() {
        float[] w = {1f, -3f, 0f, 2f};
        new BinaryWeights().quantize(w);
        assertArrayEquals(new float[] {2f, -2f, 0f, 2f}, w);
        float[] t = {1f, -3f, 0.1f, 2f, -0.2f};
        // mean |w| = 6.3/5 = 1.26, delta = 0.882: kept 1, -3, 2, alpha = 2
        new TernaryWeights().quantize(t);
        assertArrayEquals(new float[] {2f, -2f, 0f, 2f, 0f}, t);
        for (WeightQuantizer q : new WeightQuantizer[] {new BinaryWeights(), new TernaryWeights(),
                new PowerOfTwo(4, null), new FixedPointWeights(FixedPoint.of(8, 2))}) {
            float[] r = random(100, 3);
            q.quantize(r);
            float[] r2 = r.clone();
            q.quantize(r2);
            assertArrayEquals(r, r2, q.id() + " is idempotent");
        }
    }

    @Test
    void registry() {
        assertEquals("kmeans", WeightQuantizers.create(QuantizerSpec.kmeans(4), 1).id());
        assertEquals(null, WeightQuantizers.create(QuantizerSpec.none(), 1));
        assertThrows(ModelException.class, () -> WeightQuantizers.create(QuantizerSpec.of("zzz"), 1));
    }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
