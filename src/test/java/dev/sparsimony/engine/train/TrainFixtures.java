package dev.sparsimony.engine.train;

import java.util.SplittableRandom;

/** Deterministic test values shared by the trainer tests. */
final class TrainFixtures {
    private TrainFixtures() {
    }

    /** {@code n} values uniform in [-scale, scale), the same for the same seed. */
    static float[] random(int n, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }
}
