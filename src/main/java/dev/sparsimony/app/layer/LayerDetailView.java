package dev.sparsimony.app.layer;

import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The selected layer: weight heat map, sparsity mask and weight histogram. View only; data from {@link LayerDetail}. */
public final class LayerDetailView extends VBox {
    private final Label title = new Label("No layer selected");
    private final Label facts = new Label("");
    private final HeatMapChart weights = new HeatMapChart("Weights", HeatMapChart.DIVERGING, "weight");
    private final HeatMapChart mask = new HeatMapChart("Sparsity mask", HeatMapChart.MASK, "kept fraction");
    private final HistogramChart histogram = new HistogramChart();
    private final Label placeholder = new Label("Select a Dense or Conv layer to see its weights");
    private final TabPane bottomTabs = new TabPane();
    private StackPane weightsCard;
    private StackPane maskCard;

    public LayerDetailView(ObservableValue<LayerDetail> detail) {
        getStyleClass().add("layer-detail");
        setSpacing(10);
        title.getStyleClass().add("section-title");
        title.setId("layer-title");
        facts.getStyleClass().addAll("facts", "num");
        facts.setId("layer-facts");
        weights.setId("weight-heatmap");
        mask.setId("mask-heatmap");
        histogram.setId("weight-histogram");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(12, title, spacer, facts);
        header.getStyleClass().add("detail-header");

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        ColumnConstraints half = new ColumnConstraints();
        half.setPercentWidth(50);
        grid.getColumnConstraints().addAll(half, half);
        RowConstraints top = new RowConstraints();
        top.setPercentHeight(58);
        top.setVgrow(Priority.ALWAYS);
        RowConstraints bottom = new RowConstraints();
        bottom.setPercentHeight(42);
        bottom.setVgrow(Priority.ALWAYS);
        grid.getRowConstraints().addAll(top, bottom);
        weightsCard = card(weights);
        maskCard = card(mask);
        grid.add(weightsCard, 0, 0);
        grid.add(maskCard, 1, 0);
        // the histogram shares the bottom row with other panels (hardware) as tabs
        Tab histTab = new Tab("Weight histogram", card(histogram));
        histTab.setId("tab-histogram");
        bottomTabs.getTabs().add(histTab);
        bottomTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        bottomTabs.getStyleClass().add("bottom-tabs");
        grid.add(bottomTabs, 0, 1, 2, 1);
        placeholder.getStyleClass().add("placeholder");
        grid.add(placeholder, 0, 0, 2, 1);
        GridPane.setHalignment(placeholder, javafx.geometry.HPos.CENTER);
        StackPane body = new StackPane(grid);
        VBox.setVgrow(body, Priority.ALWAYS);
        getChildren().addAll(header, body);
        setPadding(new Insets(0, 0, 0, 0));

        detail.addListener((obs, o, n) -> show(n, grid));
        show(detail.getValue(), grid);
    }

    private static StackPane card(Region content) {
        StackPane p = new StackPane(content);
        p.getStyleClass().add("card");
        return p;
    }

    private void show(LayerDetail d, GridPane grid) {
        weightsCard.setVisible(d != null);
        maskCard.setVisible(d != null);
        placeholder.setVisible(d == null);
        if (d == null) {
            title.setText("No prunable layer selected");
            facts.setText("");
            weights.clear();
            mask.clear();
            histogram.clear();
            return;
        }
        title.setText(d.layer() + "  ·  " + d.kind() + "  ·  kernel " + d.weightShape());
        facts.setText(String.format("%,d weights   %,d kept   %.1f %% pruned", d.total(), d.keptTotal(),
                100 * d.sparsity()));
        String reduced = d.rowStep() > 1 || d.colStep() > 1
                ? String.format("  (blocks of %d×%d)", d.rowStep(), d.colStep()) : "";
        weights.setTitle("Weights  [" + d.rows() + " × " + d.cols() + "]" + reduced);
        weights.setAxisNames(d.colAxis(), d.rowAxis());
        mask.setAxisNames(d.colAxis(), d.rowAxis());
        weights.show(d.layer(), d.x(), d.y(), d.weights(), -d.zLimit(), d.zLimit());
        if (d.structures() != null) {
            mask.setTitle(String.format("Structures: %s  (%.1f %% pruned; dark = kept)", d.granularity(),
                    100 * d.sparsity()));
            mask.setGradient(HeatMapChart.STRUCTURES, "structure colour");
            mask.setLegend("Each colour is one structure (neighbouring structures differ); dark = kept, pale ="
                    + " pruned.");
            mask.show(d.layer() + " structures", d.x(), d.y(), d.structures(), 0, 2 * LayerDetail.STRUCTURE_COLOURS);
        } else {
            mask.setTitle(String.format("Sparsity mask  (%.1f %% pruned)", 100 * d.sparsity()));
            mask.setGradient(HeatMapChart.MASK, "kept fraction");
            mask.setLegend("");
            mask.show(d.layer() + " mask", d.x(), d.y(), d.kept(), 0, 1);
        }
        histogram.show(d);
    }

    /** Adds a tab beside the weight histogram (e.g. the hardware panel); {@code select} brings it to the front. */
    public Tab addBottomTab(String title, Node content, boolean select) {
        Tab t = new Tab(title, content);
        bottomTabs.getTabs().add(t);
        if (select) {
            bottomTabs.getSelectionModel().select(t);
        }
        return t;
    }

    public TabPane bottomTabs() {
        return bottomTabs;
    }

    public HeatMapChart weightsChart() {
        return weights;
    }

    public HeatMapChart maskChart() {
        return mask;
    }

    public HistogramChart histogramChart() {
        return histogram;
    }
}
