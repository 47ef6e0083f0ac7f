package dev.sparsimony.app.layer;

import io.fair_acc.chartfx.XYChart;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import io.fair_acc.chartfx.plugins.Zoomer;
import io.fair_acc.chartfx.renderer.ContourType;
import io.fair_acc.chartfx.renderer.spi.ContourDataSetRenderer;
import io.fair_acc.chartfx.renderer.spi.utils.ColorGradient;
import io.fair_acc.chartfx.ui.geometry.Side;
import io.fair_acc.dataset.DataSet;
import io.fair_acc.dataset.spi.DataSetBuilder;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.paint.Stop;

/**
 * A ChartFX heat map of a kernel matrix: x = output column, y = input row (row 0 at the top, as in the matrix),
 * z = value through a fixed colour scale. The caller hands in flat row-major arrays; nothing is boxed.
 */
public final class HeatMapChart extends VBox {
    /** Diverging blue–white–red centred on 0 (ColorBrewer RdBu), so pruned weights (0) are white. */
    public static final ColorGradient DIVERGING = new ColorGradient("RdBu",
            new Stop(0.0, Color.web("#053061")), new Stop(0.15, Color.web("#2166ac")),
            new Stop(0.32, Color.web("#92c5de")), new Stop(0.5, Color.web("#f7f7f7")),
            new Stop(0.68, Color.web("#f4a582")), new Stop(0.85, Color.web("#b2182b")),
            new Stop(1.0, Color.web("#67001f")));
    /** Mask: pruned = light grey, kept = dark slate; partial blocks in between. */
    public static final ColorGradient MASK = new ColorGradient("mask",
            new Stop(0.0, Color.web("#e4e7eb")), new Stop(0.02, Color.web("#c9d2dc")),
            new Stop(1.0, Color.web("#1e3a5f")));

    /**
     * Structures: {@link LayerDetail#STRUCTURE_COLOURS} hues, light when pruned (lower half of the scale), dark
     * when kept (upper half); discrete steps, so neighbouring structures stay apart.
     */
    public static final ColorGradient STRUCTURES = discrete("structures",
            "#e3e8ef", "#f1e4d8", "#e0ece4", "#ece2ee", "#f3efd6", "#dde9f0",
            "#1e3a5f", "#9a4a1c", "#2f6b45", "#6a3d7a", "#8a7420", "#2c6f8f");

    /**
     * {@code g} squeezed into the upper part of the scale, with white below {@code fraction}: a value there (e.g.
     * the gap between the k x k tiles of a convolution kernel) is drawn as background.
     */
    public static ColorGradient withBackground(ColorGradient g, double fraction) {
        java.util.List<Stop> stops = new java.util.ArrayList<>();
        stops.add(new Stop(0, Color.WHITE));
        stops.add(new Stop(fraction - 1e-6, Color.WHITE));
        for (Stop st : g.getStops()) {
            stops.add(new Stop(fraction + st.getOffset() * (1 - fraction), st.getColor()));
        }
        return new ColorGradient(g + "+background", stops);
    }

    private static ColorGradient discrete(String name, String... colours) {
        java.util.List<Stop> stops = new java.util.ArrayList<>();
        for (int i = 0; i < colours.length; i++) {
            Color c = Color.web(colours[i]);
            stops.add(new Stop((double) i / colours.length, c));
            stops.add(new Stop((i + 1.0) / colours.length - 1e-6, c));
        }
        return new ColorGradient(name, stops);
    }

    private final XYChart chart;
    private final DefaultNumericAxis xAxis = new DefaultNumericAxis("output", null);
    private final DefaultNumericAxis yAxis = new DefaultNumericAxis("input", null);
    private final DefaultNumericAxis zAxis = new DefaultNumericAxis("", null);
    private final ContourDataSetRenderer renderer = new ContourDataSetRenderer();
    private DataSet dataSet;

    public HeatMapChart(String title, ColorGradient gradient, String zName) {
        for (DefaultNumericAxis a : new DefaultNumericAxis[] {xAxis, yAxis, zAxis}) {
            a.setAnimated(false);
            a.setAutoRangeRounding(false);
        }
        yAxis.invertAxis(true);
        // rows and columns are indices: label whole numbers only
        for (DefaultNumericAxis a : new DefaultNumericAxis[] {xAxis, yAxis}) {
            a.setTickLabelFormatter(new javafx.util.StringConverter<>() {
                @Override
                public String toString(Number v) {
                    double d = v.doubleValue();
                    return Math.abs(d - Math.rint(d)) < 1e-9 ? String.valueOf((long) Math.rint(d)) : "";
                }

                @Override
                public Number fromString(String s) {
                    return Double.parseDouble(s);
                }
            });
        }
        zAxis.setName(zName);
        zAxis.setSide(Side.RIGHT);
        zAxis.setAutoRanging(false);
        zAxis.getProperties().put(Zoomer.ZOOMER_OMIT_AXIS, true);
        chart = new XYChart(xAxis, yAxis);
        chart.getAxes().add(zAxis);
        chart.setTitle(title);
        chart.setAnimated(false);
        chart.setLegendVisible(false);
        renderer.getAxes().addAll(xAxis, yAxis, zAxis);
        renderer.setContourType(ContourType.HEATMAP);
        renderer.setColorGradient(gradient);
        renderer.setSmooth(false);
        renderer.setComputeLocalRange(false);
        chart.getRenderers().setAll(renderer);
        chart.getPlugins().add(new Zoomer());
        chart.getStyleClass().add("heat-map");
        legend.getStyleClass().add("hint");
        legend.setWrapText(true);
        legend.managedProperty().bind(legend.textProperty().isNotEmpty());
        legend.visibleProperty().bind(legend.managedProperty());
        getChildren().addAll(chart, legend);
        VBox.setVgrow(chart, Priority.ALWAYS);
    }

    private final javafx.scene.control.Label legend = new javafx.scene.control.Label();

    /** A line of legend under the chart, in words ("" hides it). */
    public void setLegend(String text) {
        legend.setText(text);
    }

    /**
     * Shows a [rows, cols] grid.
     *
     * @param x    column centres (length cols)
     * @param y    row centres (length rows)
     * @param z    row-major values (length rows*cols), not copied: the caller must not change it afterwards
     * @param zMin colour-scale minimum
     * @param zMax colour-scale maximum
     */
    public void show(String name, double[] x, double[] y, double[] z, double zMin, double zMax) {
        // ChartFX grids are z[yIndex * nx + xIndex], i.e. row-major with y = row: exactly our layout
        dataSet = new DataSetBuilder(name).setValues(DataSet.DIM_X, x).setValues(DataSet.DIM_Y, y)
                .setValuesNoCopy(DataSet.DIM_Z, z).build();
        zAxis.set(zMin, zMax);
        // fixed ranges from the grid itself (cell edges), not auto-ranging: a resize re-ran ChartFX's auto range
        // on the old tick layout and left rows out until the layer was selected again
        xAxis.setAutoRanging(false);
        yAxis.setAutoRanging(false);
        xAxis.set(edge(x, true), edge(x, false));
        yAxis.set(edge(y, true), edge(y, false));
        // whole-number ticks: rows and columns are indices (no "2.5" on a 5-wide layer)
        xAxis.setTickUnit(indexStep(xAxis.getMax() - xAxis.getMin()));
        yAxis.setTickUnit(indexStep(yAxis.getMax() - yAxis.getMin()));
        renderer.getDatasets().setAll(dataSet);
        chart.invalidate();
    }

    /** A tick step of 1, 2, 5, 10, ... giving about ten ticks over {@code span}. */
    static double indexStep(double span) {
        double raw = Math.max(1, span / 10);
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return Math.max(1, m * p);
            }
        }
        return 10 * p;
    }

    /** The outer edge of the first or last cell of centres {@code c} (half a step beyond the centre). */
    static double edge(double[] c, boolean low) {
        if (c.length == 0) {
            return low ? 0 : 1;
        }
        double step = c.length > 1 ? Math.abs(c[1] - c[0]) : 1;
        return low ? c[0] - step / 2 : c[c.length - 1] + step / 2;
    }

    /** The axis range shown (for tests): {xMin, xMax, yMin, yMax}. */
    public double[] ranges() {
        return new double[] {xAxis.getMin(), xAxis.getMax(), yAxis.getMin(), yAxis.getMax()};
    }

    public void setAxisNames(String x, String y) {
        xAxis.setName(x);
        yAxis.setName(y);
    }

    public void setGradient(ColorGradient gradient, String zName) {
        if (renderer.getColorGradient() != gradient) {
            renderer.setColorGradient(gradient);
        }
        zAxis.setName(zName);
        zAxis.setVisible(!zName.isEmpty());
        if (gradient == STRUCTURES) {
            // the structure colours' strip: its lower half is pruned, its upper half kept; say so on the ticks
            zAxis.setTickUnit(LayerDetail.STRUCTURE_COLOURS / 2.0);
            zAxis.setTickLabelFormatter(new javafx.util.StringConverter<>() {
                @Override
                public String toString(Number v) {
                    double d = v.doubleValue();
                    double q = LayerDetail.STRUCTURE_COLOURS / 2.0;
                    return Math.abs(d - q) < 1e-9 ? "pruned" : Math.abs(d - 3 * q) < 1e-9 ? "kept" : "";
                }

                @Override
                public Number fromString(String s) {
                    return 0;
                }
            });
        } else {
            zAxis.setTickLabelFormatter(null);
        }
    }

    public void clear() {
        dataSet = null;
        renderer.getDatasets().clear();
        chart.invalidate();
    }

    public void setTitle(String title) {
        chart.setTitle(title);
    }

    /** The data set currently drawn (tests read its values), or null. */
    public DataSet dataSet() {
        return dataSet;
    }

    public XYChart chart() {
        return chart;
    }
}
