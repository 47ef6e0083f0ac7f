package dev.sparsimony.engine.export;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A scatter plot of design points (accuracy against a resource), laid out once and drawn on either {@link Canvas}:
 * {@link #svg} writes SVG text, {@link #png} draws with java.awt (headless).
 *
 * @param yPercent the y values are fractions shown as percent (accuracy)
 */
record Plot(String title, String xLabel, String yLabel, boolean yPercent, List<Series> series) {
    enum Marker { DOT, CIRCLE, DIAMOND }

    /**
     * One set of points. {@code connect} joins them in x order (a Pareto front); {@code labels} (may be null) are
     * written beside the points.
     */
    record Series(String name, double[] x, double[] y, Color color, Marker marker, double size, boolean connect,
                  List<String> labels) {
    }

    static final Color INK = new Color(0x22, 0x22, 0x22);
    static final Color GRID = new Color(0xe3, 0xe3, 0xe3);

    String svg(int width, int height) {
        Canvas.Svg c = new Canvas.Svg(width, height);
        c.rect(0, 0, width, height, Color.WHITE, null);
        draw(c, width, height);
        return c.document(title);
    }

    byte[] png(int width, int height) {
        Canvas.Png c = new Canvas.Png(width, height, 2);
        draw(c, width, height);
        return c.bytes();
    }

    void draw(Canvas c, double width, double height) {
        double left = 78;
        double right = 36; // room for the last x tick label
        double top = 44;
        double bottom = 56;
        double pw = width - left - right;
        double ph = height - top - bottom;
        double[] xr = range(true);
        double[] yr = range(false);
        double[] xt = ticks(xr[0], xr[1], 7);
        double[] yt = ticks(yr[0], yr[1], 6);
        xr = new double[] {Math.min(xr[0], xt[0]), Math.max(xr[1], xt[xt.length - 1])};
        yr = new double[] {Math.min(yr[0], yt[0]), Math.max(yr[1], yt[yt.length - 1])};
        final double[] fx = xr;
        final double[] fy = yr;
        java.util.function.DoubleUnaryOperator sx = v -> left + (v - fx[0]) / (fx[1] - fx[0]) * pw;
        java.util.function.DoubleUnaryOperator sy = v -> top + ph - (v - fy[0]) / (fy[1] - fy[0]) * ph;

        double xStep = xt.length > 1 ? xt[1] - xt[0] : 1;
        double yStep = yt.length > 1 ? yt[1] - yt[0] : 1;
        for (double t : xt) {
            double x = sx.applyAsDouble(t);
            c.line(x, top, x, top + ph, GRID, 1, false);
            c.text(x, top + ph + 18, label(t, xStep, false), 12, INK, Canvas.Anchor.MIDDLE, false, 0);
        }
        for (double t : yt) {
            double y = sy.applyAsDouble(t);
            c.line(left, y, left + pw, y, GRID, 1, false);
            c.text(left - 8, y + 4, label(t, yStep, yPercent), 12, INK, Canvas.Anchor.END, false, 0);
        }
        c.rect(left, top, pw, ph, null, new Color(0x99, 0x99, 0x99));

        List<double[]> placed = new ArrayList<>();
        for (Series s : series) {
            int[] order = order(s.x());
            if (s.connect() && order.length > 1) {
                double[] px = new double[order.length];
                double[] py = new double[order.length];
                for (int i = 0; i < order.length; i++) {
                    px[i] = sx.applyAsDouble(s.x()[order[i]]);
                    py[i] = sy.applyAsDouble(s.y()[order[i]]);
                }
                c.polyline(px, py, s.color(), 1.6);
            }
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) {
                    continue;
                }
                double x = sx.applyAsDouble(s.x()[i]);
                double y = sy.applyAsDouble(s.y()[i]);
                switch (s.marker()) {
                    case DOT -> c.circle(x, y, s.size(), s.color(), null);
                    case CIRCLE -> c.circle(x, y, s.size(), s.color(), Color.WHITE);
                    case DIAMOND -> c.diamond(x, y, s.size(), s.color(), INK);
                }
                if (s.labels() != null && i < s.labels().size() && s.labels().get(i) != null) {
                    label(c, placed, x, y, s.size(), s.labels().get(i), left + pw);
                }
            }
        }
        legend(c, left, top, pw, ph, sx, sy);
        c.text(left, 26, title, 15, INK, Canvas.Anchor.START, true, 0);
        c.text(left + pw / 2, height - 14, xLabel, 13, INK, Canvas.Anchor.MIDDLE, false, 0);
        c.text(20, top + ph / 2, yLabel, 13, INK, Canvas.Anchor.MIDDLE, false, -90);
    }

    /**
     * A point's label beside it: above right, above left, below right or below left, the first place that
     * overlaps no label written before (points on top of each other keep readable labels).
     */
    private static void label(Canvas c, List<double[]> placed, double x, double y, double r, String text,
                              double rightEdge) {
        double w = c.textWidth(text, 12, true);
        double h = 13;
        double[][] tries = {{x + r + 4, y - r - 2}, {x - r - 4 - w, y - r - 2}, {x + r + 4, y + r + h},
            {x - r - 4 - w, y + r + h}};
        double[] at = tries[0];
        for (double[] t : tries) {
            if (t[0] + w > rightEdge) {
                continue;
            }
            boolean free = placed.stream().noneMatch(b -> t[0] < b[0] + b[2] && b[0] < t[0] + w
                    && t[1] - h < b[1] && b[1] - h < t[1]);
            if (free) {
                at = t;
                break;
            }
        }
        placed.add(new double[] {at[0], at[1], w});
        c.text(at[0], at[1], text, 12, INK, Canvas.Anchor.START, true, 0);
    }

    /** The legend in the plot corner that covers the fewest points. */
    private void legend(Canvas c, double left, double top, double pw, double ph,
                        java.util.function.DoubleUnaryOperator sx, java.util.function.DoubleUnaryOperator sy) {
        List<Series> shown = series.stream().filter(s -> s.name() != null && s.x().length > 0).toList();
        if (shown.isEmpty()) {
            return;
        }
        double w = 0;
        for (Series s : shown) {
            w = Math.max(w, c.textWidth(s.name(), 12, false));
        }
        w += 36;
        double h = 18 * shown.size() + 8;
        double[][] corners = {{left + 10, top + 10}, {left + pw - 10 - w, top + 10},
            {left + 10, top + ph - 10 - h}, {left + pw - 10 - w, top + ph - 10 - h}};
        double x = corners[0][0];
        double y = corners[0][1];
        int best = Integer.MAX_VALUE;
        for (double[] corner : corners) {
            int covered = 0;
            for (Series s : series) {
                for (int i = 0; i < s.x().length; i++) {
                    double px = sx.applyAsDouble(s.x()[i]);
                    double py = sy.applyAsDouble(s.y()[i]);
                    // a label may stand up to 60 px right of its point
                    if (px >= corner[0] - 8 - (s.labels() == null ? 0 : 60) && px <= corner[0] + w + 8
                            && py >= corner[1] - 8 && py <= corner[1] + h + 16) {
                        covered += s.labels() == null ? 1 : 100;
                    }
                }
            }
            if (covered < best) {
                best = covered;
                x = corner[0];
                y = corner[1];
            }
        }
        c.rect(x, y, w, h, new Color(255, 255, 255, 230), new Color(0xcc, 0xcc, 0xcc));
        double ly = y + 17;
        for (Series s : shown) {
            double mx = x + 12;
            double my = ly - 4;
            switch (s.marker()) {
                case DOT -> c.circle(mx, my, Math.max(3, s.size()), s.color(), null);
                case CIRCLE -> c.circle(mx, my, 5, s.color(), Color.WHITE);
                case DIAMOND -> c.diamond(mx, my, 6, s.color(), INK);
            }
            c.text(x + 24, ly, s.name(), 12, INK, Canvas.Anchor.START, false, 0);
            ly += 18;
        }
    }

    /** The data range of x or y over every series, padded; resources start at 0. */
    private double[] range(boolean x) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            double[] v = x ? s.x() : s.y();
            for (double d : v) {
                if (Double.isFinite(d)) {
                    lo = Math.min(lo, d);
                    hi = Math.max(hi, d);
                }
            }
        }
        if (!Double.isFinite(lo)) {
            return new double[] {0, 1};
        }
        if (x && lo >= 0) {
            lo = 0;
        }
        if (hi - lo < 1e-12) {
            double pad = Math.max(Math.abs(hi) * 0.05, yPercent && !x ? 0.01 : 1);
            return new double[] {lo - (x && lo == 0 ? 0 : pad), hi + pad};
        }
        double pad = (hi - lo) * 0.05;
        return new double[] {x && lo == 0 ? 0 : lo - pad, hi + pad};
    }

    /** Ticks at 1, 2 or 5 times a power of ten covering [lo, hi] with about {@code n} of them. */
    static double[] ticks(double lo, double hi, int n) {
        double raw = (hi - lo) / Math.max(1, n - 1);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / mag;
        double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
        double first = Math.floor(lo / step + 1e-9) * step;
        double last = Math.ceil(hi / step - 1e-9) * step;
        int count = (int) Math.round((last - first) / step) + 1;
        double[] t = new double[count];
        for (int i = 0; i < count; i++) {
            t[i] = first + i * step;
        }
        return t;
    }

    /** A tick label with as many decimals as the step needs ("12,000", "0.25", "74.5 %"). */
    static String label(double v, double step, boolean percent) {
        double value = percent ? v * 100 : v;
        double s = percent ? step * 100 : step;
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(s) - 1e-9));
        if (Math.abs(value) < s * 1e-6) {
            value = 0; // no "-0"
        }
        String text = String.format(Locale.ROOT, "%,." + decimals + "f", value);
        return percent ? text + " %" : text;
    }

    private static int[] order(double[] x) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            idx.add(i);
        }
        idx.sort((a, b) -> Double.compare(x[a], x[b]));
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }
}
