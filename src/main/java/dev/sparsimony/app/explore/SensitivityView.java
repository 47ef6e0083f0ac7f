package dev.sparsimony.app.explore;

import dev.sparsimony.engine.explore.PointResult;
import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.chartfx.renderer.ErrorStyle;
import io.fair_acc.chartfx.renderer.LineStyle;
import io.fair_acc.chartfx.renderer.spi.ErrorDataSetRenderer;
import io.fair_acc.dataset.spi.DoubleDataSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Per-layer sensitivity from the sensitivity strategy: accuracy against each layer's sparsity (the others
 * unpruned) and against each layer's weight width, one line per layer, with the unpruned accuracy as reference:
 * the layers whose line stays flat can take more.
 */
public final class SensitivityView extends VBox {
    private static final String[] COLOURS = {"#2563eb", "#ea580c", "#16a34a", "#9333ea", "#dc2626", "#0891b2",
        "#a16207", "#db2777", "#4b5563", "#65a30d"};

    private final XYChart sparsityChart;
    private final XYChart bitsChart;
    private final Map<String, TreeMap<Double, Double>> bySparsity = new LinkedHashMap<>();
    private final Map<String, TreeMap<Double, Double>> byBits = new LinkedHashMap<>();
    private final Map<String, DoubleDataSet> sparsitySets = new LinkedHashMap<>();
    private final Map<String, DoubleDataSet> bitsSets = new LinkedHashMap<>();
    private final ErrorDataSetRenderer sparsityLines = lines();
    private final ErrorDataSetRenderer bitsLines = lines();
    private final Label hint = new Label("Run the sensitivity strategy to see, for each layer alone, accuracy against"
            + " its sparsity and against its weight width.");
    private double referenceAccuracy = Double.NaN;

    public SensitivityView() {
        setId("sensitivity-view");
        sparsityChart = chart("layer sparsity", "%", "Accuracy vs. one layer's sparsity", sparsityLines);
        bitsChart = chart("layer weight width", "bits", "Accuracy vs. one layer's weight width", bitsLines);
        HBox charts = new HBox(6, sparsityChart, bitsChart);
        HBox.setHgrow(sparsityChart, Priority.ALWAYS);
        HBox.setHgrow(bitsChart, Priority.ALWAYS);
        VBox.setVgrow(charts, Priority.ALWAYS);
        hint.getStyleClass().add("hint");
        hint.setWrapText(true);
        getChildren().addAll(hint, charts);
        setSpacing(6);
    }

    private static ErrorDataSetRenderer lines() {
        ErrorDataSetRenderer r = new ErrorDataSetRenderer();
        r.setPolyLineStyle(LineStyle.NORMAL);
        r.setErrorStyle(ErrorStyle.NONE);
        r.setDrawMarker(true);
        return r;
    }

    private static XYChart chart(String x, String unit, String title, ErrorDataSetRenderer r) {
        DefaultNumericAxis xa = new DefaultNumericAxis(x, unit);
        DefaultNumericAxis ya = new DefaultNumericAxis("accuracy", "%");
        xa.setAnimated(false);
        ya.setAnimated(false);
        ya.setAutoRangeRounding(true);
        XYChart c = new XYChart(xa, ya);
        c.setAnimated(false);
        c.setTitle(title);
        c.setLegendVisible(true);
        c.getRenderers().setAll(r);
        return c;
    }

    public void setReference(PointResult r) {
        referenceAccuracy = r == null ? Double.NaN : 100 * r.accuracy();
    }

    public void clear() {
        bySparsity.clear();
        byBits.clear();
        sparsitySets.clear();
        bitsSets.clear();
        sparsityLines.getDatasets().clear();
        bitsLines.getDatasets().clear();
    }

    /** Takes the sensitivity results of a batch (others are ignored). */
    public void add(java.util.List<PointResult> batch) {
        boolean any = false;
        for (PointResult r : batch) {
            Object layer = r.choices().get("layer");
            Object axis = r.choices().get("axis");
            Object value = r.choices().get("value");
            if (!r.ok() || layer == null || axis == null || !(value instanceof Number v)) {
                if (r.ok() && "reference".equals(axis)) {
                    referenceAccuracy = 100 * r.accuracy();
                }
                continue;
            }
            any = true;
            String l = layer.toString();
            boolean sp = "sparsity".equals(axis);
            (sp ? bySparsity : byBits).computeIfAbsent(l, k -> new TreeMap<>())
                    .put(sp ? 100 * v.doubleValue() : v.doubleValue(), 100 * r.accuracy());
        }
        if (any) {
            hint.setText(Double.isNaN(referenceAccuracy) ? "Each layer alone; the others untouched."
                    : String.format(java.util.Locale.ROOT, "Each layer alone; the others untouched (unpruned: %.2f %%).",
                    referenceAccuracy));
            update(bySparsity, sparsitySets, sparsityLines, 0.0);
            update(byBits, bitsSets, bitsLines, null);
        }
    }

    private void update(Map<String, TreeMap<Double, Double>> data, Map<String, DoubleDataSet> sets,
                        ErrorDataSetRenderer r, Double referenceX) {
        int i = sets.size();
        for (var e : data.entrySet()) {
            DoubleDataSet ds = sets.get(e.getKey());
            if (ds == null) {
                ds = new DoubleDataSet(e.getKey());
                String c = COLOURS[i++ % COLOURS.length];
                ds.setStyle("-fx-line-color: " + c + "; -fx-marker-color: " + c + "; -fx-line-width: 1.6;"
                        + " -fx-marker-size: 2.5;");
                sets.put(e.getKey(), ds);
                r.getDatasets().add(ds);
            }
            TreeMap<Double, Double> pts = new TreeMap<>(e.getValue());
            if (referenceX != null && !Double.isNaN(referenceAccuracy)) {
                pts.putIfAbsent(referenceX, referenceAccuracy);
            }
            double[] x = pts.keySet().stream().mapToDouble(Double::doubleValue).toArray();
            double[] y = pts.values().stream().mapToDouble(Double::doubleValue).toArray();
            DoubleDataSet d = ds;
            d.lock().writeLockGuard(() -> d.set(x, y));
        }
    }

    /** Layers with a sparsity curve (for tests). */
    public java.util.Set<String> layersWithCurves() {
        return bySparsity.keySet();
    }
}
