package dev.sparsimony.engine.explore;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ParetoTest {
    static double[][] random(long seed, int n, int m, int levels) {
        Random r = new Random(seed);
        double[][] v = new double[n][m];
        for (double[] row : v) {
            for (int k = 0; k < m; k++) {
                row[k] = r.nextInt(levels); // few levels: many ties and duplicates
            }
        }
        return v;
    }

    static int[] bruteFront(double[][] v, boolean[] max) {
        return java.util.stream.IntStream.range(0, v.length).filter(i -> Arrays.stream(v)
                .noneMatch(o -> Pareto.dominates(o, v[i], max))).toArray();
    }

    @Property(tries = 300)
    void frontEqualsBruteForce(@ForAll long seed, @ForAll @IntRange(min = 0, max = 60) int n,
                               @ForAll @IntRange(min = 2, max = 3) int m, @ForAll @IntRange(min = 1, max = 12) int levels,
                               @ForAll boolean firstMax, @ForAll boolean secondMax) {
        double[][] v = random(seed, n, m, levels);
        boolean[] max = m == 2 ? new boolean[] {firstMax, secondMax} : new boolean[] {firstMax, secondMax, true};
        int[] f = Pareto.front(v, max);
        Arrays.sort(f);
        assertArrayEquals(bruteFront(v, max), f);
    }

    @Property(tries = 100)
    void ranksPeelFronts(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int n,
                         @ForAll @IntRange(min = 2, max = 3) int m) {
        double[][] v = random(seed, n, m, 6);
        boolean[] max = new boolean[m];
        max[0] = true;
        int[] rank = Pareto.ranks(v, max);
        for (int i = 0; i < n; i++) {
            // rank r: dominated by some point of rank r-1 (when r > 0), by none of rank >= r
            for (int j = 0; j < n; j++) {
                if (Pareto.dominates(v[j], v[i], max)) {
                    assertEquals(true, rank[j] < rank[i], "dominated by a point of no lower rank");
                }
            }
            if (rank[i] > 0) {
                final int ii = i;
                assertEquals(true, java.util.stream.IntStream.range(0, n).anyMatch(j -> rank[j] == rank[ii] - 1
                        && Pareto.dominates(v[j], v[ii], max)));
            }
        }
    }

    @Test
    void hypervolumeAgainstHandComputedCases() {
        boolean[] accDsp = {true, false};
        // one point: accuracy 0.5 at half the DSP: a quarter of the unit box
        assertEquals(0.25, Pareto.hypervolume(new double[][] {{0.5, 50}}, accDsp, new double[] {0, 100},
                new double[] {1, 100}), 1e-12);
        // a staircase: (0.4, 20), (0.7, 60), (0.9, 90): 0.4*0.8 + 0.3*0.4 + 0.2*0.1
        assertEquals(0.4 * 0.8 + 0.3 * 0.4 + 0.2 * 0.1, Pareto.hypervolume(new double[][] {{0.4, 20}, {0.7, 60},
                {0.9, 90}, {0.5, 70}}, accDsp, new double[] {0, 100}, new double[] {1, 100}), 1e-12);
        // points outside the reference box add nothing
        assertEquals(0, Pareto.hypervolume(new double[][] {{0.9, 120}}, accDsp, new double[] {0, 100},
                new double[] {1, 100}), 1e-12);
        // 3-D, all minimised, reference (1,1,1): two boxes [0.5,1]^3-ish overlapping
        boolean[] min3 = {false, false, false};
        double[] ref = {1, 1, 1};
        double[] unit = {1, 1, 1};
        assertEquals(0.5 * 0.5 * 0.5, Pareto.hypervolume(new double[][] {{0.5, 0.5, 0.5}}, min3, ref, unit), 1e-12);
        // (0,0.5,0.5) -> 1*0.5*0.5 = 0.25; (0.5,0,0.5) -> 0.25; overlap [0.5,1]x[0.5,1]x[0.5,1] = 0.125
        assertEquals(0.375, Pareto.hypervolume(new double[][] {{0, 0.5, 0.5}, {0.5, 0, 0.5}}, min3, ref, unit),
                1e-12);
        // three mutually non-dominated corners: 3 * 0.25 - 3 * 0.125 + 0.125 (inclusion-exclusion)
        assertEquals(0.5, Pareto.hypervolume(new double[][] {{0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}}, min3,
                ref, unit), 1e-12);
    }
}
