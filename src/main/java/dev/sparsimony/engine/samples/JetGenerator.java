package dev.sparsimony.engine.samples;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import java.util.List;

/**
 * Synthetic stand-in for the LHC jet-tagging data of hls4ml (Duarte et al., JINST 13 (2018) P07027; Zenodo
 * 3602260): 16 high-level features of a boosted jet, 5 classes g, q, W, Z, t. The real data cannot be fetched
 * here, so each jet is drawn from a small physics-flavoured latent model and mapped through non-linear functions
 * to features named like the real ones:
 * <ul>
 *   <li>true groomed mass: broad log-normal for gluon/quark jets (gluons heavier), Gaussian peaks at 80.4 (W),
 *       91.2 (Z) and 172.5 GeV (t), with a fraction of W/Z/t jets whose decay products were not all captured and
 *       that look like QCD jets or, for t, like a W;</li>
 *   <li>a per-jet energy-scale factor (about 12 %) that smears every mass-like feature, so W and Z overlap as in
 *       data;</li>
 *   <li>2-prong and 3-prong "N-subjettiness-like" ratios (Beta variates: low means the jet has that many prongs),
 *       jet width and constituent multiplicity (gluon jets are wider with more constituents than quark jets);</li>
 *   <li>features: energy-correlation-like ratios and products of those latents with noise, then standardised with
 *       fixed constants (mean and standard deviation of a reference sample of {@value #REFERENCE_SIZE} jets).</li>
 * </ul>
 * Classes are exactly balanced (sample i has class i mod 5 before a seeded shuffle). A 16-64-32-32-5 MLP reaches
 * about the accuracy the hls4ml model reaches on the real data (about 75 %); a linear model clearly less.
 */
public final class JetGenerator {
    public static final int FEATURES = 16;
    public static final int CLASSES = 5;
    public static final List<String> CLASS_NAMES = List.of("g", "q", "W", "Z", "t");
    /** Feature names of the hls4ml jet-tagging dataset, in its order. */
    public static final List<String> FEATURE_NAMES = List.of("zlogz", "c1_b0_mmdt", "c1_b1_mmdt", "c1_b2_mmdt",
            "c2_b1_mmdt", "c2_b2_mmdt", "d2_b1_mmdt", "d2_b2_mmdt", "d2_a1_b1_mmdt", "d2_a1_b2_mmdt", "m2_b1_mmdt",
            "m2_b2_mmdt", "n2_b1_mmdt", "n2_b2_mmdt", "mass_mmdt", "multiplicity");

    static final int REFERENCE_SIZE = 50_000;
    private static final double RHO = 0.75;
    private static final long REFERENCE_SEED = 0x5EED_0001L;
    private static double[][] standardisation;

    private JetGenerator() {
    }

    /** {@code n} jets, standardised features [n, 16] and labels 0..4, from {@code seed}. */
    public static Dataset generate(String name, int n, long seed) {
        if (n < 0) {
            throw new ModelException("number of jets must be 0 or more, got " + n);
        }
        int[] labels = new int[n];
        double[] raw = raw(n, seed, labels);
        double[][] st = standardisation();
        float[] x = new float[n * FEATURES];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < FEATURES; f++) {
                x[i * FEATURES + f] = (float) ((raw[i * FEATURES + f] - st[0][f]) / st[1][f]);
            }
        }
        return new Dataset(name, Tensor.of(x, n, FEATURES), labels);
    }

    private static synchronized double[][] standardisation() {
        if (standardisation == null) {
            double[] ref = raw(REFERENCE_SIZE, REFERENCE_SEED, new int[REFERENCE_SIZE]);
            double[] mean = new double[FEATURES];
            double[] sd = new double[FEATURES];
            for (int i = 0; i < REFERENCE_SIZE; i++) {
                for (int f = 0; f < FEATURES; f++) {
                    mean[f] += ref[i * FEATURES + f];
                }
            }
            for (int f = 0; f < FEATURES; f++) {
                mean[f] /= REFERENCE_SIZE;
            }
            for (int i = 0; i < REFERENCE_SIZE; i++) {
                for (int f = 0; f < FEATURES; f++) {
                    double d = ref[i * FEATURES + f] - mean[f];
                    sd[f] += d * d;
                }
            }
            for (int f = 0; f < FEATURES; f++) {
                sd[f] = StrictMath.sqrt(sd[f] / (REFERENCE_SIZE - 1));
            }
            standardisation = new double[][] {mean, sd};
        }
        return standardisation;
    }

    /** Raw (unstandardised) features, row-major [n, 16]; fills {@code labels}. */
    static double[] raw(int n, long seed, int[] labels) {
        SampleRandom r = new SampleRandom(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i % CLASSES;
        }
        r.shuffle(order);
        double[] x = new double[n * FEATURES];
        double[] jet = new double[FEATURES];
        for (int i = 0; i < n; i++) {
            labels[i] = order[i];
            jet(labels[i], r, jet);
            System.arraycopy(jet, 0, x, i * FEATURES, FEATURES);
        }
        return x;
    }

    private static double logNormal(SampleRandom r, double median, double sigma) {
        return median * StrictMath.exp(sigma * r.gaussian());
    }

    /** One jet of class {@code c} (0 g, 1 q, 2 W, 3 Z, 4 t). */
    static void jet(int c, SampleRandom r, double[] f) {
        double m;          // true groomed mass, GeV
        double t21;        // 2-prong ratio: low for 2-prong jets
        double t32;        // 3-prong ratio: low for 3-prong jets
        double width;      // jet girth
        double mult;       // constituent multiplicity (mean)
        boolean qcdLike;
        double u = r.uniform();
        switch (c) {
            case 0 -> { // gluon
                m = logNormal(r, 38, 0.45);
                qcdLike = true;
                mult = r.gaussian(44, 9);
                width = logNormal(r, 0.105, 0.3);
            }
            case 1 -> { // light quark
                m = logNormal(r, 27, 0.45);
                qcdLike = true;
                mult = r.gaussian(33, 8);
                width = logNormal(r, 0.075, 0.3);
            }
            case 2, 3 -> { // W, Z: two prongs when the decay is captured
                qcdLike = u > 0.82;
                m = qcdLike ? logNormal(r, 32, 0.5) : r.gaussian(c == 2 ? 80.4 : 91.2, 5.5);
                mult = r.gaussian(c == 2 ? 37 : 39, 7.5);
                width = qcdLike ? logNormal(r, 0.09, 0.3) : logNormal(r, 0.085, 0.2);
            }
            default -> { // top: three prongs, or only its W, or neither
                qcdLike = u > 0.88;
                boolean onlyW = !qcdLike && u > 0.62;
                m = qcdLike ? logNormal(r, 48, 0.5) : onlyW ? r.gaussian(80.4, 8) : r.gaussian(172.5, 12);
                mult = r.gaussian(onlyW ? 46 : 54, 9);
                width = logNormal(r, 0.12, 0.25);
            }
        }
        boolean twoProng = (c == 2 || c == 3) && !qcdLike;
        boolean threeProng = c == 4 && !qcdLike && m > 130;
        t21 = twoProng ? r.beta(3, 5) : c == 4 && !qcdLike ? r.beta(3.5, 4) : r.beta(c == 0 ? 5 : 6, 3);
        t32 = threeProng ? r.beta(3, 5) : r.beta(6, 3);
        // Pairs of latents whose correlation, not their marginals, depends on the class: quark and gluon jets
        // differ in the sign of corr(a, b), W and Z in the sign of corr(p, q). A linear model cannot use this.
        double rhoAb = c == 0 ? RHO : c == 1 ? -RHO : 0;
        double rhoPq = c == 2 && !qcdLike ? RHO : c == 3 && !qcdLike ? -RHO : 0;
        double a = r.gaussian();
        double b = rhoAb * a + StrictMath.sqrt(1 - rhoAb * rhoAb) * r.gaussian();
        double p = r.gaussian();
        double q = rhoPq * p + StrictMath.sqrt(1 - rhoPq * rhoPq) * r.gaussian();
        double jes = StrictMath.exp(0.12 * r.gaussian());
        double mObs = Math.max(m * jes, 1);
        double rho = mObs / 1000; // mass over a nominal 1 TeV jet pT
        mult = Math.max(mult, 4);
        double nObs = StrictMath.rint(Math.max(mult + r.gaussian(0, 3), 2));
        f[0] = -StrictMath.log(nObs) * (0.9 + 0.1 * r.gaussian()) - 3 * width;              // zlogz
        f[1] = width * (1 + 0.15 * r.gaussian());                                             // c1_b0
        f[2] = width * StrictMath.sqrt(rho * 10) * (1 + 0.15 * r.gaussian());                 // c1_b1
        f[3] = rho * rho * 100 / (0.5 + t21) * (1 + 0.2 * r.gaussian());                      // c1_b2
        f[4] = t21 * (1 + 0.1 * r.gaussian());                                                // c2_b1
        f[5] = t21 * t21 * jes * (1 + 0.2 * r.gaussian());                                    // c2_b2
        f[6] = t21 / (t32 + 0.25) * (1 + 0.15 * r.gaussian());                                // d2_b1
        f[7] = StrictMath.exp(t21 - t32) * (1 + 0.1 * r.gaussian());                          // d2_b2
        f[8] = StrictMath.exp(0.5 * a) + 0.3 * t21 * rho * 10;                               // d2_a1_b1
        f[9] = StrictMath.tanh(0.8 * b) + 0.2 * t21 * t21 / (width + 0.03);                   // d2_a1_b2
        f[10] = t32 * StrictMath.log(mObs) * (1 + 0.1 * r.gaussian());                         // m2_b1
        f[11] = t32 * t32 * (1 + 0.15 * r.gaussian());                                         // m2_b2
        f[12] = p + 0.1 * r.gaussian() + 0.3 * t21 / (width + 0.05) * 0.1;                     // n2_b1
        f[13] = StrictMath.sinh(0.6 * q) + 0.3 * t21 * t32;                                    // n2_b2
        f[14] = mObs + r.gaussian(0, 2);                                                       // mass_mmdt
        f[15] = nObs;                                                                          // multiplicity
    }
}
