package dev.sparsimony.engine.quantize;

import dev.sparsimony.engine.model.ModelException;

import java.util.Arrays;
import java.util.Random;

/**
 * Weight sharing by k-means (Han, Mao, Dally, "Deep Compression", ICLR 2016, stage 2): the non-zero weights of a
 * layer are clustered into k shared values with linear initialisation (centroids evenly spaced between min and max,
 * the paper's best choice) and Lloyd iterations; each weight is replaced by its centroid and stored as a
 * ceil(log2 k)-bit index plus a k-entry codebook of 32-bit values. Zeros (pruned weights) are not clustered.
 * In one dimension the clusters are intervals, so each iteration works on the sorted weights with prefix sums.
 * An empty cluster is re-seeded at a weight drawn with {@code seed}, which makes the result deterministic.
 * A layer with at most k distinct non-zero values is left unchanged (so quantizing twice changes nothing).
 */
public record KMeansSharing(int k, long seed, int maxIterations) implements WeightQuantizer {
    public KMeansSharing {
        if (k < 1 || k > 65536) {
            throw new ModelException("k-means clusters k must be in 1..65536, got " + k);
        }
        if (maxIterations < 1) {
            throw new ModelException("k-means iterations must be at least 1, got " + maxIterations);
        }
    }

    public KMeansSharing(int k, long seed) {
        this(k, seed, 100);
    }

    @Override
    public String id() {
        return "kmeans";
    }

    @Override
    public int bitsPerWeight() {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(k - 1));
    }

    @Override
    public long overheadBits() {
        return 32L * k;
    }

    @Override
    public void quantize(float[] w) {
        double[] centroids = centroids(w);
        if (centroids == null) {
            return;
        }
        for (int i = 0; i < w.length; i++) {
            if (w[i] != 0) {
                w[i] = (float) centroids[nearest(centroids, w[i])];
            }
        }
    }

    /** The sorted centroids for the non-zero weights, or null when the layer needs no change. */
    public double[] centroids(float[] w) {
        int n = 0;
        for (float v : w) {
            if (v != 0 && v == v) {
                n++;
            }
        }
        if (n == 0) {
            return null;
        }
        double[] x = new double[n];
        int j = 0;
        for (float v : w) {
            if (v != 0 && v == v) {
                x[j++] = v;
            }
        }
        Arrays.sort(x);
        int distinct = 1;
        for (int i = 1; i < n; i++) {
            if (x[i] != x[i - 1]) {
                distinct++;
            }
        }
        if (distinct <= k) {
            return null;
        }
        double[] prefix = new double[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + x[i];
        }
        double[] c = new double[k];
        double lo = x[0];
        double hi = x[n - 1];
        for (int i = 0; i < k; i++) {
            c[i] = k == 1 ? (lo + hi) / 2 : lo + (hi - lo) * i / (k - 1);
        }
        Random rnd = new Random(seed);
        int[] bounds = new int[k + 1];
        int[] previous = null;
        for (int it = 0; it < maxIterations; it++) {
            Arrays.sort(c);
            // cluster i takes x in [mid(c[i-1], c[i]), mid(c[i], c[i+1]))
            bounds[0] = 0;
            bounds[k] = n;
            for (int i = 1; i < k; i++) {
                double mid = (c[i - 1] + c[i]) / 2;
                int p = Arrays.binarySearch(x, mid);
                if (p < 0) {
                    p = -p - 1;
                } else {
                    while (p > 0 && x[p - 1] == mid) {
                        p--;
                    }
                }
                bounds[i] = Math.max(p, bounds[i - 1]);
            }
            if (previous != null && Arrays.equals(previous, bounds)) {
                break;
            }
            previous = bounds.clone();
            for (int i = 0; i < k; i++) {
                int a = bounds[i];
                int b = bounds[i + 1];
                c[i] = b > a ? (prefix[b] - prefix[a]) / (b - a) : x[rnd.nextInt(n)];
            }
        }
        Arrays.sort(c);
        return c;
    }

    static int nearest(double[] sorted, double v) {
        int p = Arrays.binarySearch(sorted, v);
        if (p >= 0) {
            return p;
        }
        p = -p - 1;
        if (p == 0) {
            return 0;
        }
        if (p == sorted.length) {
            return sorted.length - 1;
        }
        return v - sorted[p - 1] <= sorted[p] - v ? p - 1 : p;
    }
}
