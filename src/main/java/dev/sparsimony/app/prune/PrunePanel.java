package dev.sparsimony.app.prune;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The global pruning bar: sparsity slider, its value, the resulting quality and a "computing…" indicator. */
public final class PrunePanel extends HBox {
    private final Slider slider = new Slider(0, 100, 0);

    public PrunePanel(PruneViewModel vm) {
        getStyleClass().add("prune-panel");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(14);

        Label caption = new Label();
        caption.getStyleClass().add("caption");
        DesignSettings s = vm.settings();
        caption.textProperty().bind(Bindings.createStringBinding(() -> s.isPlain() ? "Global magnitude pruning"
                : s.isKnapsack() ? "Knapsack selection" : "Pruning sparsity", s.all()));
        Label hint = new Label();
        hint.getStyleClass().add("hint");
        hint.textProperty().bind(Bindings.createStringBinding(() -> s.isKnapsack()
                ? "kept structures set by the budget below"
                : s.granularityProperty().get() + " · " + s.selectionProperty().get() + " L1 ranking",
                s.all()));
        hint.setMinWidth(Region.USE_PREF_SIZE);
        caption.setMinWidth(Region.USE_PREF_SIZE);
        VBox captionBox = new VBox(1, caption, hint);
        captionBox.setAlignment(Pos.CENTER_LEFT);

        slider.setId("sparsity-slider");
        slider.setShowTickMarks(true);
        slider.setShowTickLabels(true);
        slider.setMajorTickUnit(10);
        slider.setMinorTickCount(1);
        slider.setBlockIncrement(1);
        slider.setMinWidth(260);
        slider.setPrefWidth(420);
        slider.setMaxWidth(Double.MAX_VALUE); // stretches with the window
        slider.setTooltip(new Tooltip("Fraction of weights set to zero, smallest magnitudes first (← → 1 %)"));
        HBox.setHgrow(slider, Priority.ALWAYS);
        slider.valueProperty().bindBidirectional(vm.sparsityPercentProperty());
        // one undo step per drag, or per key/click change
        slider.valueChangingProperty().addListener((obs, o, changing) -> {
            if (!changing) {
                vm.settle();
            }
        });
        slider.valueProperty().addListener((obs, o, n) -> {
            if (!slider.isValueChanging()) {
                vm.settle();
            }
        });

        Label value = new Label();
        value.setId("sparsity-value");
        value.getStyleClass().addAll("big-number", "num");
        // the sparsity the model is at: the slider's, or, when the slider does not set it (N:M, knapsack), the
        // sparsity the engine computed
        DesignSettings st = vm.settings();
        value.textProperty().bind(Bindings.createStringBinding(() -> String.format(java.util.Locale.ROOT, "%5.1f %%",
                st.sliderApplies() ? vm.sparsityPercentProperty().get()
                        : 100 * vm.appliedSparsityProperty().get()), vm.sparsityPercentProperty(),
                vm.appliedSparsityProperty(), st.granularityProperty(), st.selectionProperty()));
        value.setMinWidth(Region.USE_PREF_SIZE);
        value.setAlignment(Pos.CENTER_RIGHT);

        Region sep = new Region();
        sep.getStyleClass().add("v-separator");

        Label accCaption = new Label("Validation quality");
        accCaption.getStyleClass().add("caption");
        Label accuracy = new Label();
        accuracy.setId("accuracy-value");
        accuracy.getStyleClass().addAll("big-number", "num", "accent");
        accuracy.textProperty().bind(vm.accuracyTextProperty());
        accuracy.setMinWidth(Region.USE_PREF_SIZE);
        Label delta = new Label();
        delta.setId("accuracy-delta");
        delta.getStyleClass().add("hint");
        delta.textProperty().bind(vm.deltaTextProperty());
        VBox accBox = new VBox(0, accCaption, accuracy, delta);
        accBox.setAlignment(Pos.CENTER_LEFT);
        accBox.setMinWidth(230);

        ProgressIndicator spinner = new ProgressIndicator(-1);
        spinner.setId("computing-indicator");
        spinner.setPrefSize(22, 22);
        spinner.setMaxSize(22, 22);
        Label computing = new Label("computing…");
        computing.setId("computing-label");
        computing.getStyleClass().add("hint");
        HBox busy = new HBox(6, spinner, computing);
        busy.setAlignment(Pos.CENTER_LEFT);
        busy.visibleProperty().bind(vm.computingProperty());
        busy.setMinWidth(120);

        getChildren().addAll(captionBox, slider, value, sep, accBox, busy);
    }

    public Slider slider() {
        return slider;
    }
}
