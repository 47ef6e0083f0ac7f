package dev.sparsimony.app.teach;

import dev.sparsimony.app.layer.HeatMapChart;
import dev.sparsimony.app.layer.LayerDetail;
import dev.sparsimony.engine.explore.Teaching;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * Teaching: the same layer side by side under every granularity at the same sparsity, each with its structures
 * (one colour per structure; for the DSP patterns, the weights one multiplier takes in turn at the chosen reuse
 * factor; for the BRAM blocks, the weights of one memory word group), what it frees in DSP and BRAM and what it costs
 * in accuracy, and a plain-language explanation with the paper it comes from. Convolution kernels are drawn as
 * k x k tiles. View only.
 */
public final class TeachView extends BorderPane {
    private final TeachViewModel vm;
    private final FlowPane cards = new FlowPane(10, 10);

    public TeachView(TeachViewModel vm) {
        this.vm = vm;
        setId("teach-view");
        ComboBox<String> layer = new ComboBox<>(vm.layers());
        layer.setId("teach-layer");
        layer.valueProperty().bindBidirectional(vm.layerProperty());
        Slider sparsity = new Slider(0, 95, vm.sparsityPercentProperty().get());
        sparsity.setId("teach-sparsity");
        sparsity.setPrefWidth(220);
        sparsity.setMajorTickUnit(25);
        sparsity.setShowTickLabels(true);
        sparsity.valueChangingProperty().addListener((o, was, now) -> {
            if (!now) {
                vm.sparsityPercentProperty().set(Math.round(sparsity.getValue()));
            }
        });
        sparsity.setOnMouseReleased(e -> vm.sparsityPercentProperty().set(Math.round(sparsity.getValue())));
        Label sp = new Label();
        sp.textProperty().bind(Bindings.format("%.0f %%", vm.sparsityPercentProperty()));
        Spinner<Integer> rf = new Spinner<>(1, 1024, vm.reuseFactorProperty().get());
        rf.setId("teach-rf");
        rf.setEditable(true);
        rf.setPrefWidth(80);
        rf.valueProperty().addListener((o, a, b) -> vm.reuseFactorProperty().set(b));
        Label hint = new Label("One layer pruned alone; the model view's weight type and device; Resource strategy at"
                + " this reuse factor (it decides which weights share a DSP or a BRAM word).");
        hint.getStyleClass().add("hint");
        hint.setWrapText(true);
        HBox bar = new HBox(10, caption("Layer"), layer, caption("Sparsity"), sparsity, sp, caption("Reuse factor"),
                rf);
        bar.setAlignment(Pos.CENTER_LEFT);
        Label error = new Label();
        error.getStyleClass().add("error-text");
        error.textProperty().bind(vm.errorProperty());
        error.managedProperty().bind(vm.errorProperty().isNotEmpty());
        VBox top = new VBox(6, bar, hint, error);
        top.setPadding(new Insets(10));
        setTop(top);
        cards.setPadding(new Insets(10));
        cards.setId("teach-cards");
        ScrollPane scroll = new ScrollPane(cards);
        scroll.setFitToWidth(true);
        setCenter(scroll);
        vm.comparisonProperty().addListener((o, a, c) -> show(c));
    }

    private static Label caption(String t) {
        Label l = new Label(t);
        l.getStyleClass().add("bar-caption");
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private void show(Teaching.Comparison c) {
        cards.getChildren().clear();
        if (c == null || vm.session() == null) {
            return;
        }
        Node original = vm.session().model().node(c.layer());
        for (Teaching.Row r : c.rows()) {
            cards.getChildren().add(card(original, r, c.baseAccuracy()));
        }
    }

    private VBox card(Node original, Teaching.Row r, double baseAccuracy) {
        Label title = new Label(r.granularity());
        title.getStyleClass().add("section-title");
        HeatMapChart map = new HeatMapChart("", HeatMapChart.STRUCTURES, "");
        map.setPrefSize(300, 220);
        map.setMinSize(300, 220);
        Label figures = new Label();
        figures.getStyleClass().add("num");
        figures.setWrapText(true);
        if (r.error() != null) {
            figures.setText("cannot prune this layer: " + r.error());
            map.setVisible(false);
        } else {
            Node current = original.withOp(original.op().withWeight("kernel",
                    original.op().weights().get("kernel").withData(r.kept())));
            LayerDetail d = LayerDetail.of(original, current, r.structures());
            boolean structured = d.structures() != null;
            double[] z = structured ? d.structures() : d.kept();
            map.setGradient(structured ? HeatMapChart.STRUCTURES : HeatMapChart.MASK, structured ? "structure colour"
                    : "kept fraction");
            if (original.op() instanceof Ops.Conv conv && conv.spatialRank() == 2 && d.rowStep() == 1
                    && d.colStep() == 1 && conv.inChannelsPerGroup() <= 32 && conv.outChannels() <= 32) {
                // a convolution kernel as k x k tiles: tile (input channel, output channel), white gaps between
                double top = structured ? 2 * LayerDetail.STRUCTURE_COLOURS : 1;
                int[] size = new int[2];
                float[] zf = new float[z.length];
                for (int i = 0; i < z.length; i++) {
                    zf[i] = (float) (z[i] + top); // values in [top, 2*top]; the gaps (NaN) become 0: background
                }
                int[] k = conv.kernelSize();
                double[] img = Teaching.tiles(zf, k[0], k[1], conv.inChannelsPerGroup(), conv.outChannels(), size);
                for (int i = 0; i < img.length; i++) {
                    img[i] = Double.isNaN(img[i]) ? 0 : img[i];
                }
                // coordinates in channels: each tile's centre column and row fall on its channel number, so the
                // axis ticks count channels, not kernel pixels
                double[] xs = new double[size[1]];
                double[] ys = new double[size[0]];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = (i - (k[1] - 1) / 2.0) / (k[1] + 1);
                }
                for (int i = 0; i < ys.length; i++) {
                    ys[i] = (i - (k[0] - 1) / 2.0) / (k[0] + 1);
                }
                map.setGradient(HeatMapChart.withBackground(structured ? HeatMapChart.STRUCTURES : HeatMapChart.MASK,
                        0.5), "");
                map.setAxisNames("output channel (a " + k[0] + "×" + k[1] + " tile each)", "input channel");
                map.show(r.granularity(), xs, ys, img, 0, 2 * top);
            } else {
                map.setAxisNames(d.colAxis(), d.rowAxis());
                map.show(r.granularity(), d.x(), d.y(), z, 0, structured ? 2 * LayerDetail.STRUCTURE_COLOURS : 1);
            }
            figures.setText(String.format(Locale.ROOT, "%.1f %% pruned · accuracy %.2f %% (%+.2f pp)%n"
                            + "DSP %,d → %,d (%s) · BRAM18 %,d → %,d (%s) · LUT %,d → %,d", 100 * r.sparsity(),
                    100 * r.accuracy(), 100 * (r.accuracy() - baseAccuracy), r.baseDsp(), r.dsp(),
                    saved(r.baseDsp(), r.dsp()), r.baseBram18(), r.bram18(), saved(r.baseBram18(), r.bram18()),
                    r.baseLut(), r.lut()) + "\n" + r.structureSummary());
        }
        Label text = new Label(r.explanation());
        text.setWrapText(true);
        text.getStyleClass().add("hint");
        text.setMaxWidth(300);
        figures.setMaxWidth(300);
        VBox box = new VBox(4, title, map, figures, text);
        box.getStyleClass().add("card");
        box.setPadding(new Insets(8));
        box.setPrefWidth(320);
        box.setId("teach-" + r.granularity());
        return box;
    }

    private static String saved(long before, long after) {
        long d = before - after;
        return d > 0 ? String.format(Locale.ROOT, "−%,d", d) : d < 0 ? String.format(Locale.ROOT, "+%,d", -d)
                : "no saving";
    }

    /** Cards shown (for tests). */
    public int cardCount() {
        return cards.getChildren().size();
    }
}
