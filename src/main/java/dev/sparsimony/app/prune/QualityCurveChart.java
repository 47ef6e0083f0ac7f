package dev.sparsimony.app.prune;

import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.chartfx.renderer.ErrorStyle;
import io.fair_acc.chartfx.renderer.LineStyle;
import io.fair_acc.chartfx.renderer.spi.ErrorDataSetRenderer;
import io.fair_acc.dataset.spi.DoubleDataSet;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;

/** Quality (%) against sparsity (%) from {@link SweepViewModel}, with the slider's current point marked. */
public final class QualityCurveChart extends StackPane {
    private final XYChart chart;
    private final DoubleDataSet curve = new DoubleDataSet("quality");
    private final DoubleDataSet current = new DoubleDataSet("current");

    public QualityCurveChart(SweepViewModel sweep, ObservableValue<Number> sparsityPercent,
                             ObservableValue<Number> qualityFraction) {
        DefaultNumericAxis x = new DefaultNumericAxis("sparsity", "%");
        DefaultNumericAxis y = new DefaultNumericAxis("quality", "%");
        x.setAnimated(false);
        y.setAnimated(false);
        x.setAutoRanging(false);
        x.set(0, 100);
        y.setAutoRanging(false);
        y.set(0, 100); // fixed: curves of different settings stay comparable
        chart = new XYChart(x, y);
        chart.setAnimated(false);
        chart.setLegendVisible(false);
        chart.setTitle("Quality vs. sparsity");
        ErrorDataSetRenderer line = new ErrorDataSetRenderer();
        line.setPolyLineStyle(LineStyle.NORMAL);
        line.setErrorStyle(ErrorStyle.NONE);
        line.setDrawMarker(true);
        line.setAllowNaNs(true);
        curve.setStyle("-fx-line-color: #1d4ed8; -fx-line-width: 1.8; -fx-marker-color: #1d4ed8; -fx-marker-size: 2.5;");
        line.getDatasets().add(curve);
        ErrorDataSetRenderer marker = new ErrorDataSetRenderer();
        marker.setPolyLineStyle(LineStyle.NONE);
        marker.setErrorStyle(ErrorStyle.NONE);
        marker.setDrawMarker(true);
        current.setStyle("-fx-marker-color: #d0584a; -fx-line-color: #d0584a; -fx-marker-size: 6;");
        marker.getDatasets().add(current);
        chart.getRenderers().setAll(line, marker);
        chart.getStyleClass().add("quality-curve");
        setId("quality-curve");

        Label note = new Label();
        note.getStyleClass().add("hint");
        note.textProperty().bind(sweep.noteProperty());
        note.setMouseTransparent(true);
        getChildren().addAll(chart, note);

        sweep.curveProperty().addListener((o, a, c) -> {
            if (c == null) {
                curve.clearData();
            } else {
                curve.set(c.sparsity(), c.quality());
            }
            chart.invalidate();
        });
        Runnable mark = () -> {
            double q = qualityFraction.getValue().doubleValue();
            // no point on a chart that does not apply (knapsack: the budget sets the sparsity, not the curve)
            if (Double.isNaN(q) || sweep.curveProperty().get() == null && !sweep.noteProperty().get().isEmpty()
                    && !sweep.noteProperty().get().startsWith("computing")) {
                current.clearData();
            } else {
                current.set(new double[] {sparsityPercent.getValue().doubleValue()}, new double[] {100 * q});
            }
            chart.invalidate();
        };
        qualityFraction.addListener((o, a, b) -> mark.run());
        sweep.curveProperty().addListener((o, a, b) -> mark.run());
        sweep.noteProperty().addListener((o, a, b) -> mark.run());
        sparsityPercent.addListener((o, a, b) -> mark.run());
        mark.run();
    }

    public DoubleDataSet curveDataSet() {
        return curve;
    }
}
