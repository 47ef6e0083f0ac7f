package dev.sparsimony.engine.hardware.hls4ml;

import dev.sparsimony.engine.hardware.Calibration;
import dev.sparsimony.engine.hardware.CostTerms;
import dev.sparsimony.engine.hardware.IoType;
import dev.sparsimony.engine.model.ModelException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Fits the LUT and FF factors and the latency constants of the hardware model on the user's own HLS reports, by
 * non-negative least squares (Lawson and Hanson, "Solving Least Squares Problems", 1974, ch. 23) over every layer
 * of every project: each row is one layer's uncalibrated terms ({@link CostTerms}) against the report's value for
 * its instance, weighted by 1/value so that small and large layers count alike; a weak prior row per factor keeps
 * factors the data cannot see at 1. The relative RMS residual of the fitted rows becomes the error band.
 */
public final class Calibrator {
    /** Weight of the prior pulling each factor towards 1 (relative to one observation). */
    static final double PRIOR = 0.02;

    private Calibrator() {
    }

    /** The fit of {@code comparisons} (each from an uncalibrated estimate); their report folders name the sources. */
    public static Calibration fit(List<Comparison> comparisons, List<String> sources) {
        if (comparisons.isEmpty()) {
            throw new ModelException("calibration needs at least one project with a synthesis report");
        }
        List<double[]> lutX = new ArrayList<>();
        List<Double> lutY = new ArrayList<>();
        List<double[]> ffX = new ArrayList<>();
        List<Double> ffY = new ArrayList<>();
        List<double[]> latX = new ArrayList<>();
        List<Double> latY = new ArrayList<>();
        int nl = CostTerms.Lut.values().length;
        int nf = CostTerms.Ff.values().length;
        for (Comparison c : comparisons) {
            if (!c.estimate().calibration().isNone()) {
                throw new ModelException("calibrate from uncalibrated estimates (no --profile)");
            }
            double[] topLut = new double[nl];
            double[] topFf = new double[nf];
            for (Comparison.Row r : c.rows()) {
                if (r.reportInstance() == null || r.estimateRow() == null) {
                    continue;
                }
                CostTerms t = r.estimateRow().terms();
                double[] xl = new double[nl];
                for (CostTerms.Lut k : CostTerms.Lut.values()) {
                    // FIFOs are reported at the top level
                    (k == CostTerms.Lut.FIFO ? topLut : xl)[k.ordinal()] += t.get(k);
                }
                lutX.add(xl);
                lutY.add((double) r.lut().report());
                double[] xf = new double[nf];
                for (CostTerms.Ff k : CostTerms.Ff.values()) {
                    boolean atTop = k == CostTerms.Ff.BOUNDARY || k == CostTerms.Ff.FIFO;
                    (atTop ? topFf : xf)[k.ordinal()] += t.get(k);
                }
                ffX.add(xf);
                ffY.add((double) r.ff().report());
            }
            if (c.top().ff().known()) {
                // the input register is part of the top level's registers, not of any layer's terms
                topFf[CostTerms.Ff.BOUNDARY.ordinal()] += Math.max(0, c.estimate().topFf()
                        - c.estimate().layers().stream().mapToLong(l -> l.terms().boundaryFf(Calibration.none()))
                        .sum());
                ffX.add(topFf);
                ffY.add((double) c.top().ff().report());
                if (c.top().lut().known() && sum(topLut) > 0) {
                    lutX.add(topLut);
                    lutY.add((double) c.top().lut().report());
                }
            }
            if (c.estimate().io() == IoType.PARALLEL && c.top().latency().known()) {
                long boundaries = c.estimate().layers().stream().mapToLong(l -> l.boundaryCycles()).sum();
                latX.add(new double[] {boundaries, 1});
                latY.add((double) c.top().latency().report());
            }
        }
        if (lutX.isEmpty()) {
            throw new ModelException("the reports have no per-layer instances to calibrate on (a *_csynth.rpt with"
                    + " its Instance tables is needed; csynth.xml holds totals only)");
        }
        double[] lutF = nnls(lutX, lutY);
        double[] ffF = nnls(ffX, ffY);
        Map<CostTerms.Lut, Double> lut = new EnumMap<>(CostTerms.Lut.class);
        for (CostTerms.Lut k : CostTerms.Lut.values()) {
            lut.put(k, round(lutF[k.ordinal()]));
        }
        Map<CostTerms.Ff, Double> ff = new EnumMap<>(CostTerms.Ff.class);
        for (CostTerms.Ff k : CostTerms.Ff.values()) {
            ff.put(k, round(ffF[k.ordinal()]));
        }
        double[] lat = latency(latX, latY);
        double lutBand = relativeRms(lutX, lutY, lutF);
        double ffBand = relativeRms(ffX, ffY, ffF);
        double latBand = 0;
        int n = 0;
        for (Comparison c : comparisons) {
            if (c.estimate().io() == IoType.PARALLEL && c.total().latency().known()) {
                long boundaries = c.estimate().layers().stream().mapToLong(l -> l.boundaryCycles()).sum();
                double est = c.estimate().latencyCycles() - c.estimate().topLatency()
                        + Math.max(0, Math.round(boundaries * lat[0] + lat[1]));
                latBand += Math.pow(est - c.total().latency().report(), 2);
                n++;
            }
        }
        latBand = n == 0 ? 0 : Math.sqrt(latBand / n);
        return new Calibration(lut, ff, round(lat[0]), round(lat[1]), round(lutBand), round(ffBand), round(latBand),
                sources, lutY.size() + ffY.size() + latY.size());
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s;
    }

    /** cycles per boundary and offset; the offset only when the boundary counts differ (else it is 0). */
    private static double[] latency(List<double[]> x, List<Double> y) {
        if (x.isEmpty()) {
            return new double[] {1, 0};
        }
        boolean distinct = x.stream().mapToDouble(v -> v[0]).distinct().count() > 1;
        if (!distinct) {
            double sx = 0;
            double sy = 0;
            for (int i = 0; i < x.size(); i++) {
                sx += x.get(i)[0] * x.get(i)[0];
                sy += x.get(i)[0] * y.get(i);
            }
            return new double[] {sx == 0 ? 1 : Math.max(0, sy / sx), 0};
        }
        List<double[]> rows = new ArrayList<>(x);
        double[] sol = solve(rows, y, new boolean[] {true, true});
        return new double[] {Math.max(0, sol[0]), sol[1]};
    }

    /** Relative RMS residual of rows with a positive target. */
    static double relativeRms(List<double[]> x, List<Double> y, double[] f) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < x.size(); i++) {
            double t = y.get(i);
            if (t <= 0) {
                continue;
            }
            double p = 0;
            for (int k = 0; k < f.length; k++) {
                p += f[k] * x.get(i)[k];
            }
            s += Math.pow((p - t) / t, 2);
            n++;
        }
        return n == 0 ? 0 : Math.sqrt(s / n);
    }

    /**
     * Non-negative least squares of rows weighted by 1/max(target, 1), with a prior row per factor pulling it to 1
     * (factors whose feature is zero in every row stay at exactly 1).
     */
    static double[] nnls(List<double[]> x, List<Double> y) {
        int m = x.get(0).length;
        double[] f = new double[m];
        boolean[] seen = new boolean[m];
        for (double[] r : x) {
            for (int k = 0; k < m; k++) {
                seen[k] |= r[k] != 0;
            }
        }
        List<double[]> rows = new ArrayList<>();
        List<Double> targets = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            double w = 1.0 / Math.max(1.0, y.get(i));
            double[] r = new double[m];
            for (int k = 0; k < m; k++) {
                r[k] = x.get(i)[k] * w;
            }
            rows.add(r);
            targets.add(y.get(i) * w);
        }
        for (int k = 0; k < m; k++) {
            if (seen[k]) {
                double[] r = new double[m];
                r[k] = PRIOR;
                rows.add(r);
                targets.add(PRIOR);
            }
        }
        double[] sol = lawsonHanson(rows, targets, seen);
        for (int k = 0; k < m; k++) {
            f[k] = seen[k] ? sol[k] : 1.0;
        }
        return f;
    }

    /** Lawson-Hanson active-set NNLS over the columns marked {@code use}. */
    static double[] lawsonHanson(List<double[]> rows, List<Double> b, boolean[] use) {
        int m = use.length;
        double[] x = new double[m];
        boolean[] passive = new boolean[m];
        for (int iter = 0; iter < 10 * m + 10; iter++) {
            double[] w = gradient(rows, b, x);
            int j = -1;
            double best = 1e-10;
            for (int k = 0; k < m; k++) {
                if (use[k] && !passive[k] && w[k] > best) {
                    best = w[k];
                    j = k;
                }
            }
            if (j < 0) {
                break;
            }
            passive[j] = true;
            while (true) {
                double[] s = solve(rows, b, passive);
                boolean positive = true;
                for (int k = 0; k < m; k++) {
                    if (passive[k] && s[k] <= 0) {
                        positive = false;
                    }
                }
                if (positive) {
                    x = s;
                    break;
                }
                double alpha = 1;
                for (int k = 0; k < m; k++) {
                    if (passive[k] && s[k] <= 0) {
                        alpha = Math.min(alpha, x[k] / (x[k] - s[k]));
                    }
                }
                for (int k = 0; k < m; k++) {
                    x[k] += alpha * (s[k] - x[k]);
                    if (passive[k] && x[k] <= 1e-12) {
                        passive[k] = false;
                        x[k] = 0;
                    }
                }
            }
        }
        return x;
    }

    private static double[] gradient(List<double[]> rows, List<Double> b, double[] x) {
        int m = x.length;
        double[] w = new double[m];
        for (int i = 0; i < rows.size(); i++) {
            double[] r = rows.get(i);
            double res = b.get(i);
            for (int k = 0; k < m; k++) {
                res -= r[k] * x[k];
            }
            for (int k = 0; k < m; k++) {
                w[k] += r[k] * res;
            }
        }
        return w;
    }

    /** Unconstrained least squares over the chosen columns (SVD: rank-deficient systems get the minimum norm). */
    private static double[] solve(List<double[]> rows, List<Double> b, boolean[] cols) {
        int m = cols.length;
        List<Integer> idx = new ArrayList<>();
        for (int k = 0; k < m; k++) {
            if (cols[k]) {
                idx.add(k);
            }
        }
        RealMatrix a = new Array2DRowRealMatrix(rows.size(), idx.size());
        RealVector v = new ArrayRealVector(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            for (int c = 0; c < idx.size(); c++) {
                a.setEntry(i, c, rows.get(i)[idx.get(c)]);
            }
            v.setEntry(i, b.get(i));
        }
        RealVector s = new SingularValueDecomposition(a).getSolver().solve(v);
        double[] out = new double[m];
        for (int c = 0; c < idx.size(); c++) {
            out[idx.get(c)] = s.getEntry(c);
        }
        return out;
    }
}
