package dev.sparsimony.engine.samples;

import java.util.SplittableRandom;

/**
 * Seeded random variates built only from {@link SplittableRandom#nextDouble()} and {@link StrictMath}, so that
 * generated data are bit-identical on every JDK and machine ({@code nextGaussian} of the JDK may change between
 * versions; {@code Math} functions may differ in the last bit between platforms).
 */
final class SampleRandom {
    private final SplittableRandom rng;
    private double spare = Double.NaN;

    SampleRandom(long seed) {
        rng = new SplittableRandom(seed);
    }

    double uniform() {
        return rng.nextDouble();
    }

    double uniform(double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    int nextInt(int bound) {
        return rng.nextInt(bound);
    }

    /** Standard normal by the Marsaglia polar method. */
    double gaussian() {
        if (!Double.isNaN(spare)) {
            double s = spare;
            spare = Double.NaN;
            return s;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * rng.nextDouble() - 1;
            v = 2 * rng.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        spare = v * f;
        return u * f;
    }

    double gaussian(double mean, double sd) {
        return mean + sd * gaussian();
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang (2000), with the shape &lt; 1 boost. */
    double gamma(double shape) {
        if (shape < 1) {
            return gamma(shape + 1) * StrictMath.pow(uniformOpen(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / StrictMath.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = gaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = uniformOpen();
            if (StrictMath.log(u) < 0.5 * x * x + d - d * v + d * StrictMath.log(v)) {
                return d * v;
            }
        }
    }

    /** Beta(a, b) as G(a) / (G(a) + G(b)). */
    double beta(double a, double b) {
        double x = gamma(a);
        double y = gamma(b);
        return x / (x + y);
    }

    private double uniformOpen() {
        double u;
        do {
            u = rng.nextDouble();
        } while (u == 0);
        return u;
    }

    /** Fisher-Yates shuffle of the first {@code n} entries. */
    void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
