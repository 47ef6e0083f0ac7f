package dev.sparsimony.app.explore;

import dev.sparsimony.engine.explore.Pareto;
import dev.sparsimony.engine.explore.PointResult;
import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.chartfx.plugins.XValueIndicator;
import io.fair_acc.chartfx.renderer.ErrorStyle;
import io.fair_acc.chartfx.renderer.LineStyle;
import io.fair_acc.chartfx.renderer.spi.ErrorDataSetRenderer;
import io.fair_acc.dataset.spi.DoubleDataSet;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;

/**
 * One live scatter plot of sweep results: y against x, each any objective of a result (accuracy, DSP, BRAM, LUT,
 * FF, latency, storage). Feasible points in blue, infeasible ones (over the device or below the space's minimum
 * accuracy) in grey, the Pareto front of the feasible ones in orange and connected, the unpruned design as a black
 * marker, the selected point in red, the device's capacity as a vertical line.
 *
 * <p>Points are kept as primitive arrays and appended to ChartFX data sets in batches under each data set's write
 * lock. Before drawing they are reduced: a point whose 2x2-pixel cell already holds a drawn point of the same set
 * is not handed to the chart (it would be hidden anyway). When the axes must grow, the drawn sets are rebuilt from
 * the arrays. Hover shows the nearest point's choices and figures; a click selects it.
 */
public final class ParetoChart extends StackPane {
    private static final int CELL = 2;

    private final String xMetric;
    private final String yMetric;
    private final DefaultNumericAxis xAxis;
    private final DefaultNumericAxis yAxis;
    private final XYChart chart;
    private final DoubleDataSet feasible = new DoubleDataSet("feasible");
    private final DoubleDataSet infeasible = new DoubleDataSet("infeasible");
    private final DoubleDataSet front = new DoubleDataSet("front");
    private final DoubleDataSet reference = new DoubleDataSet("unpruned");
    private final DoubleDataSet selected = new DoubleDataSet("selected");
    private final XValueIndicator capacity;
    private final List<PointResult> points = new ArrayList<>();
    private double[] xs = new double[1024];
    private double[] ys = new double[1024];
    private boolean[] ok = new boolean[1024];
    private int n;
    private double xMax = Double.NaN;
    /** Largest x of the data and the reference (the axis may extend further, to the capacity line). */
    private double dataXMax = Double.NaN;
    private double yMin = Double.NaN;
    private double yMax = Double.NaN;
    private double capacityValue = Double.NaN;
    private final String baseTitle;
    private BitSet cellsFeasible = new BitSet();
    private BitSet cellsInfeasible = new BitSet();
    private final Tooltip tip = new Tooltip();
    private Consumer<PointResult> onClick = r -> { };
    private long lastUpdateNanos;

    public ParetoChart(String xMetric, String yMetric) {
        this.xMetric = xMetric;
        this.yMetric = yMetric;
        xAxis = new DefaultNumericAxis(label(xMetric), unit(xMetric));
        yAxis = new DefaultNumericAxis(label(yMetric), unit(yMetric));
        for (DefaultNumericAxis a : List.of(xAxis, yAxis)) {
            a.setAnimated(false);
            a.setAutoRanging(false);
            a.setAutoRangeRounding(false);
        }
        xAxis.set(0, 1);
        yAxis.set(0, 100);
        // plain grouped numbers on the ticks (12,000 rather than 1.2E4): resource counts are read as counts
        for (DefaultNumericAxis a : List.of(xAxis, yAxis)) {
            a.setTickLabelFormatter(new javafx.util.StringConverter<>() {
                @Override
                public String toString(Number v) {
                    double d = v.doubleValue();
                    return Math.abs(d) >= 1000 || d == Math.rint(d) ? String.format(Locale.ROOT, "%,.0f", d)
                            : String.format(Locale.ROOT, "%.2f", d).replaceAll("\\.?0+$", "");
                }

                @Override
                public Number fromString(String s) {
                    return Double.parseDouble(s.replace(",", ""));
                }
            });
        }
        chart = new XYChart(xAxis, yAxis);
        chart.setAnimated(false);
        chart.setLegendVisible(false);
        baseTitle = label(yMetric) + " vs. " + label(xMetric);
        chart.setTitle(baseTitle);
        chart.getStyleClass().add("pareto-chart");
        ErrorDataSetRenderer dots = markers();
        feasible.setStyle("-fx-marker-color: #2563eb; -fx-marker-size: 1.8;");
        infeasible.setStyle("-fx-marker-color: #a8a29e; -fx-marker-size: 1.6;");
        dots.getDatasets().addAll(infeasible, feasible);
        ErrorDataSetRenderer line = new ErrorDataSetRenderer();
        line.setPolyLineStyle(LineStyle.NORMAL);
        line.setErrorStyle(ErrorStyle.NONE);
        line.setDrawMarker(true);
        line.setPointReduction(false);
        front.setStyle("-fx-line-color: #ea580c; -fx-line-width: 2; -fx-marker-color: #ea580c; -fx-marker-size: 3.5;");
        line.getDatasets().add(front);
        ErrorDataSetRenderer marks = markers();
        reference.setStyle("-fx-marker-color: #111827; -fx-marker-size: 6; -fx-marker-type: diamond;");
        selected.setStyle("-fx-marker-color: #dc2626; -fx-marker-size: 7; -fx-marker-type: circle;");
        marks.getDatasets().addAll(reference, selected);
        chart.getRenderers().setAll(dots, line, marks);
        capacity = new XValueIndicator(xAxis, 0, "");
        capacity.setEditable(false);
        getChildren().add(chart);
        setMinSize(160, 120);
        tip.setShowDelay(Duration.millis(60));
        tip.setHideDelay(Duration.millis(100));
        tip.getStyleClass().add("point-tip");
        chart.getCanvas().setOnMouseMoved(e -> hover(e.getX(), e.getY(), e.getScreenX(), e.getScreenY()));
        chart.getCanvas().setOnMouseExited(e -> tip.hide());
        chart.getCanvas().setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY) {
                PointResult r = nearest(e.getX(), e.getY());
                if (r != null) {
                    onClick.accept(r);
                }
            }
        });
        // a resized plot has other pixel cells: rebuild the reduced sets, after the layout pass (ChartFX holds the
        // data sets' read locks while it lays the chart out, and the locks are not reentrant)
        chart.getCanvas().widthProperty().addListener((o, a, b) -> rebuildLater());
        chart.getCanvas().heightProperty().addListener((o, a, b) -> rebuildLater());
    }

    private static ErrorDataSetRenderer markers() {
        ErrorDataSetRenderer r = new ErrorDataSetRenderer();
        r.setPolyLineStyle(LineStyle.NONE);
        r.setErrorStyle(ErrorStyle.NONE);
        r.setDrawMarker(true);
        r.setPointReduction(false); // reduced here, by pixel cell, before the data reach the chart
        return r;
    }

    public void setOnPointClicked(Consumer<PointResult> c) {
        onClick = c;
    }

    public String xMetric() {
        return xMetric;
    }

    public String yMetric() {
        return yMetric;
    }

    public XYChart chart() {
        return chart;
    }

    /** The device's capacity on the x axis (NaN: none, e.g. latency). */
    public void setCapacity(double value, String text) {
        capacityValue = value;
        capacity.setText(text);
        chart.getPlugins().remove(capacity);
        if (!Double.isNaN(value)) {
            capacity.setValue(value);
            chart.getPlugins().add(capacity);
        }
        rangeFor(Double.NaN, yMin, yMax, true);
    }

    /** Appends a batch of results (JavaFX thread). */
    public void add(List<PointResult> batch) {
        long t0 = System.nanoTime();
        double bx = xMax;
        double by0 = yMin;
        double by1 = yMax;
        for (PointResult r : batch) {
            if (!r.ok()) {
                continue;
            }
            double x = value(r, xMetric);
            double y = value(r, yMetric);
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                continue;
            }
            if (n == xs.length) {
                xs = java.util.Arrays.copyOf(xs, 2 * n);
                ys = java.util.Arrays.copyOf(ys, 2 * n);
                ok = java.util.Arrays.copyOf(ok, 2 * n);
            }
            xs[n] = x;
            ys[n] = y;
            ok[n] = r.feasible();
            points.add(r);
            n++;
            bx = Double.isNaN(bx) ? x : Math.max(bx, x);
            by0 = Double.isNaN(by0) ? y : Math.min(by0, y);
            by1 = Double.isNaN(by1) ? y : Math.max(by1, y);
        }
        int first = n - countNew(batch);
        if (!rangeFor(bx, by0, by1, false)) {
            appendReduced(first, n);
        }
        updateFront(first);
        lastUpdateNanos = System.nanoTime() - t0;
    }

    private int countNew(List<PointResult> batch) {
        int k = 0;
        for (PointResult r : batch) {
            if (r.ok() && Double.isFinite(value(r, xMetric)) && Double.isFinite(value(r, yMetric))) {
                k++;
            }
        }
        return k;
    }

    /** Time the last {@link #add} took, in nanoseconds (for benchmarks). */
    public long lastUpdateNanos() {
        return lastUpdateNanos;
    }

    /** Points handed to the chart (after reduction), for tests and benchmarks. */
    public int drawnPoints() {
        return feasible.getDataCount() + infeasible.getDataCount();
    }

    public int points() {
        return n;
    }

    public void clear() {
        n = 0;
        frontIdx = new int[0];
        points.clear();
        xMax = Double.NaN;
        dataXMax = Double.NaN;
        yMin = Double.NaN;
        yMax = Double.NaN;
        for (DoubleDataSet d : List.of(feasible, infeasible, front, reference, selected)) {
            DataSetWrites.write(d, d::clearData);
        }
        cellsFeasible = new BitSet();
        cellsInfeasible = new BitSet();
        xAxis.set(0, 1);
        yAxis.set(0, 100);
    }

    public void setReference(PointResult r) {
        DataSetWrites.write(reference, reference::clearData);
        if (r != null && r.ok()) {
            double rx = value(r, xMetric);
            double ry = value(r, yMetric);
            DataSetWrites.write(reference, () -> reference.add(rx, ry));
            rangeFor(value(r, xMetric),
                    Double.isNaN(yMin) ? value(r, yMetric) : Math.min(yMin, value(r, yMetric)),
                    Double.isNaN(yMax) ? value(r, yMetric) : Math.max(yMax, value(r, yMetric)), false);
        }
    }

    public void setSelected(PointResult r) {
        DataSetWrites.write(selected, selected::clearData);
        if (r != null && r.ok()) {
            double sx = value(r, xMetric);
            double sy = value(r, yMetric);
            DataSetWrites.write(selected, () -> selected.add(sx, sy));
        }
    }

    /** The y axis shows accuracy in %, other metrics as they are. */
    static double value(PointResult r, String metric) {
        double v = r.objective(metric);
        return metric.equals("accuracy") ? 100 * v : v;
    }

    /**
     * Makes the axes cover the data with headroom; returns true when they changed (and the reduced sets were
     * rebuilt). Ranges grow in steps (x by at least 25 %), so a growing sweep rarely rebuilds.
     */
    private boolean rangeFor(double bx, double by0, double by1, boolean force) {
        boolean changed = force;
        if (!Double.isNaN(bx)) {
            dataXMax = Double.isNaN(dataXMax) ? bx : Math.max(dataXMax, bx);
        }
        if (!Double.isNaN(dataXMax)) {
            double top = dataXMax;
            double cap = capacityValue;
            if (!Double.isNaN(cap) && cap <= 4 * Math.max(1, dataXMax)) {
                top = Math.max(top, cap); // the capacity line in view when the data come near it
            }
            if (Double.isNaN(xMax) || top > xMax || force) {
                double grow = Double.isNaN(xMax) || force ? top : Math.max(top, xMax * 1.25);
                double next = nice(grow * 1.05);
                changed |= next != xMax;
                xMax = next;
            }
            // the capacity label beside its line, on the side with room, so the dashed line never crosses the text
            capacity.setLabelHorizontalAnchor(!Double.isNaN(cap) && cap > 0.5 * xMax ? javafx.geometry.HPos.RIGHT
                    : javafx.geometry.HPos.LEFT);
            // far beyond the data the line is left out of view (the data stay readable); the title still says it
            String title = !Double.isNaN(cap) && cap > xMax ? baseTitle + "   (" + capacity.getText() + ", off scale)"
                    : baseTitle;
            if (!title.equals(chart.getTitle())) {
                chart.setTitle(title);
            }
        }
        if (!Double.isNaN(by0) && (Double.isNaN(yMin) || by0 < yMin || by1 > yMax)) {
            boolean pct = yMetric.equals("accuracy");
            double lo = Double.isNaN(yMin) ? by0 : Math.min(yMin, by0);
            double hi = Double.isNaN(yMax) ? by1 : Math.max(yMax, by1);
            double pad = Math.max(pct ? 1 : 0, (hi - lo) * 0.08);
            yMin = pct ? Math.max(0, Math.floor(lo - pad)) : Math.max(0, lo - pad);
            yMax = pct ? Math.min(100, Math.ceil(hi + pad)) : hi + pad;
            if (yMax <= yMin) {
                yMax = yMin + 1;
            }
            changed = true;
        }
        if (changed) {
            xAxis.set(0, Double.isNaN(xMax) ? 1 : Math.max(xMax, 1));
            yAxis.set(Double.isNaN(yMin) ? 0 : yMin, Double.isNaN(yMax) ? 100 : yMax);
            rebuild();
        }
        return changed;
    }

    /** 1, 2 or 5 times a power of ten, at least v. */
    static double nice(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private boolean rebuildPending;

    private void rebuildLater() {
        if (!rebuildPending) {
            rebuildPending = true;
            javafx.application.Platform.runLater(() -> {
                rebuildPending = false;
                rebuild();
            });
        }
    }

    private void rebuild() {
        cellsFeasible = new BitSet();
        cellsInfeasible = new BitSet();
        DataSetWrites.write(feasible, () -> feasible.clearData());
        DataSetWrites.write(infeasible, () -> infeasible.clearData());
        appendReduced(0, n);
    }

    /** Appends points [from, to) whose pixel cell is still empty, one batch per data set. */
    private void appendReduced(int from, int to) {
        double w = Math.max(1, chart.getCanvas().getWidth());
        double h = Math.max(1, chart.getCanvas().getHeight());
        int cols = (int) Math.ceil(w / CELL) + 1;
        double x0 = xAxis.getMin();
        double x1 = xAxis.getMax();
        double y0 = yAxis.getMin();
        double y1 = yAxis.getMax();
        double sx = w / Math.max(1e-300, x1 - x0);
        double sy = h / Math.max(1e-300, y1 - y0);
        double[] fx = new double[to - from];
        double[] fy = new double[to - from];
        double[] ix = new double[to - from];
        double[] iy = new double[to - from];
        int nf = 0;
        int ni = 0;
        for (int i = from; i < to; i++) {
            int cx = (int) ((xs[i] - x0) * sx / CELL);
            int cy = (int) ((y1 - ys[i]) * sy / CELL);
            int cell = cx < 0 || cy < 0 ? -1 : cy * cols + cx;
            BitSet cells = ok[i] ? cellsFeasible : cellsInfeasible;
            if (cell >= 0 && cells.get(cell)) {
                continue;
            }
            if (cell >= 0) {
                cells.set(cell);
            }
            if (ok[i]) {
                fx[nf] = xs[i];
                fy[nf++] = ys[i];
            } else {
                ix[ni] = xs[i];
                iy[ni++] = ys[i];
            }
        }
        if (nf > 0) {
            double[] ax = java.util.Arrays.copyOf(fx, nf);
            double[] ay = java.util.Arrays.copyOf(fy, nf);
            DataSetWrites.write(feasible, () -> feasible.add(ax, ay));
        }
        if (ni > 0) {
            double[] ax = java.util.Arrays.copyOf(ix, ni);
            double[] ay = java.util.Arrays.copyOf(iy, ni);
            DataSetWrites.write(infeasible, () -> infeasible.add(ax, ay));
        }
    }

    /** Indices of the current front's points (a point once dominated stays dominated: the front grows from it). */
    private int[] frontIdx = new int[0];

    /**
     * The Pareto front of the feasible points (the engine's non-dominated sorting), connected in x order: the front
     * of the previous front and the points added since, so a batch costs O((front + batch) log) and not O(n log n).
     */
    private void updateFront(int from) {
        List<Integer> cand = new ArrayList<>();
        for (int i : frontIdx) {
            cand.add(i);
        }
        for (int i = from; i < n; i++) {
            if (ok[i]) {
                cand.add(i);
            }
        }
        double[][] v = new double[cand.size()][];
        for (int k = 0; k < v.length; k++) {
            v[k] = new double[] {xs[cand.get(k)], ys[cand.get(k)]};
        }
        int[] f = Pareto.front(v, new boolean[] {PointResult.maximised(xMetric), PointResult.maximised(yMetric)});
        int[] idx = new int[f.length];
        for (int k = 0; k < f.length; k++) {
            idx[k] = cand.get(f[k]);
        }
        frontIdx = idx;
        Integer[] order = new Integer[idx.length];
        for (int k = 0; k < idx.length; k++) {
            order[k] = idx[k];
        }
        java.util.Arrays.sort(order, (a, b) -> xs[a] != xs[b] ? Double.compare(xs[a], xs[b])
                : Double.compare(ys[a], ys[b]));
        double[] fx = new double[order.length];
        double[] fy = new double[order.length];
        for (int k = 0; k < order.length; k++) {
            fx[k] = xs[order[k]];
            fy[k] = ys[order[k]];
        }
        DataSetWrites.write(front, () -> front.set(fx, fy));
    }

    /** The result drawn nearest to a canvas position, within 8 pixels; null when none. */
    PointResult nearest(double px, double py) {
        double best = 64;
        int bi = -1;
        for (int i = 0; i < n; i++) {
            double dx = xAxis.getDisplayPosition(xs[i]) - px;
            double dy = yAxis.getDisplayPosition(ys[i]) - py;
            double d = dx * dx + dy * dy;
            if (d < best) {
                best = d;
                bi = i;
            }
        }
        return bi < 0 ? null : points.get(bi);
    }

    private void hover(double px, double py, double sx, double sy) {
        PointResult r = nearest(px, py);
        if (r == null) {
            tip.hide();
            return;
        }
        tip.setText(describe(r));
        tip.show(chart.getCanvas(), sx + 14, sy + 10);
    }

    /** A result's choices and figures in a few lines. */
    public static String describe(PointResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "#%d  %s %.2f %%%s%n", r.id(), r.metric(), 100 * r.accuracy(),
                r.feasible() ? "" : "  (infeasible)"));
        r.choices().forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        sb.append(String.format(Locale.ROOT, "DSP %,d · BRAM18 %,d · LUT %,d · FF %,d%nlatency %,d cycles (%.0f ns)"
                        + " · II %,d%nstorage %,d B · sparsity %.1f %%", r.dsp(), r.bram18(), r.lut(), r.ff(),
                r.latencyCycles(), r.latencyNs(), r.iiCycles(), r.storageBytes(), 100 * r.sparsity()));
        if (!r.fitProblems().isEmpty()) {
            sb.append('\n').append(String.join("\n", r.fitProblems()));
        }
        return sb.toString();
    }

    static String label(String metric) {
        return switch (metric) {
            case "accuracy" -> "accuracy";
            case "dsp" -> "DSP";
            case "bram18" -> "BRAM18";
            case "lut" -> "LUT";
            case "ff" -> "FF";
            case "latency" -> "latency";
            case "storage" -> "storage";
            default -> metric;
        };
    }

    static String unit(String metric) {
        return switch (metric) {
            case "accuracy" -> "%";
            case "latency" -> "cycles";
            case "storage" -> "B";
            default -> null;
        };
    }
}
