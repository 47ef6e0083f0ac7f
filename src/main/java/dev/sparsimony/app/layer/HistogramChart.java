package dev.sparsimony.app.layer;

import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.chartfx.renderer.LineStyle;
import io.fair_acc.chartfx.renderer.spi.ErrorDataSetRenderer;
import io.fair_acc.chartfx.renderer.ErrorStyle;
import io.fair_acc.dataset.spi.DoubleDataSet;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.shape.Rectangle;
import javafx.scene.layout.VBox;

/**
 * Histogram of a layer's weight values: kept weights, and pruned weights at their original values drawn apart
 * (so the pruning threshold shows as the gap around 0). Bins come precomputed from {@link LayerDetail}.
 */
public final class HistogramChart extends VBox {
    private final XYChart chart;
    private final DefaultNumericAxis xAxis = new DefaultNumericAxis("weight value", null);
    private final DefaultNumericAxis yAxis = new DefaultNumericAxis("count", null);
    private final DoubleDataSet kept = new DoubleDataSet("kept");
    private final DoubleDataSet pruned = new DoubleDataSet("pruned (original value)");

    public HistogramChart() {
        xAxis.setAnimated(false);
        yAxis.setAnimated(false);
        xAxis.setAutoRangeRounding(false);
        yAxis.setAutoRangeRounding(true);
        chart = new XYChart(xAxis, yAxis);
        chart.setTitle("Weight histogram");
        chart.setAnimated(false);
        chart.setLegendVisible(false);
        ErrorDataSetRenderer r = new ErrorDataSetRenderer();
        r.setPolyLineStyle(LineStyle.HISTOGRAM_FILLED);
        r.setErrorStyle(ErrorStyle.NONE);
        r.setDrawMarker(false);
        pruned.setStyle("-fx-line-color: #d0584a; -fx-line-width: 1.5;");
        kept.setStyle("-fx-line-color: #1e3a5f; -fx-line-width: 1.5;");
        r.getDatasets().addAll(pruned, kept);
        chart.getRenderers().setAll(r);
        chart.getStyleClass().add("histogram");
        // own legend: ChartFX's draws error-bar glyphs that read badly for filled histograms
        HBox legend = new HBox(14, swatch("kept", "swatch-kept"), swatch("pruned (at original value)",
                "swatch-pruned"));
        legend.setAlignment(Pos.CENTER);
        legend.getStyleClass().add("chart-legend-line");
        getChildren().addAll(chart, legend);
        VBox.setVgrow(chart, Priority.ALWAYS);
    }

    private static Label swatch(String text, String styleClass) {
        Rectangle r = new Rectangle(11, 11);
        r.getStyleClass().addAll("swatch", styleClass);
        Label l = new Label(text, r);
        l.getStyleClass().add("hint");
        return l;
    }

    public void show(LayerDetail d) {
        kept.set(d.binCentres(), d.keptCounts());
        pruned.set(d.binCentres(), d.prunedCounts());
        chart.invalidate();
    }

    public void clear() {
        kept.clearData();
        pruned.clearData();
    }

    public DoubleDataSet keptDataSet() {
        return kept;
    }

    public DoubleDataSet prunedDataSet() {
        return pruned;
    }
}
