package dev.sparsimony.app.prune;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.collections.FXCollections;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.util.StringConverter;
import org.controlsfx.control.SegmentedButton;

/**
 * The design-point bar under the slider: granularity (+ parameters), selection (global, per layer, knapsack),
 * knapsack budget, and the weights' fixed-point type. Values live in {@link DesignSettings}; the engine checks them.
 */
public final class DesignBar extends HBox {
    public DesignBar(PruneViewModel vm) {
        DesignSettings s = vm.settings();
        getStyleClass().add("design-bar");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(8);

        ComboBox<String> granularity = new ComboBox<>(FXCollections.observableArrayList(
                DesignSettings.granularities()));
        granularity.setId("granularity");
        granularity.setMinWidth(Region.USE_PREF_SIZE);
        granularity.valueProperty().bindBidirectional(s.granularityProperty());
        granularity.setTooltip(new Tooltip("Pruning structure (engine.prune.Granularities): unstructured, N:M,"
                + " blocks, DARB, rows, columns/filters, channels, hls4ml DSP patterns, BRAM blocks"));

        TextField params = new TextField();
        params.setId("granularity-params");
        params.setPromptText("e.g. n=2, m=4");
        params.setPrefColumnCount(7);
        params.setTooltip(new Tooltip("Granularity parameters as name=value: n-of-m: n, m;  block: rows, cols;"
                + "  dsp-pattern: rf;  bram-block: rf, bits.  Enter to apply."));
        params.setText(s.paramsProperty().get());
        s.paramsProperty().addListener((o, a, b) -> params.setText(b));
        params.setOnAction(e -> s.paramsProperty().set(params.getText()));
        params.focusedProperty().addListener((o, was, now) -> {
            if (!now) {
                s.paramsProperty().set(params.getText());
            }
        });

        // ControlsFX SegmentedButton: the three selections side by side, exactly one pressed
        SegmentedButton selection = new SegmentedButton();
        selection.setMinWidth(Region.USE_PREF_SIZE);
        selection.setId("selection");
        for (String sel : DesignSettings.SELECTIONS) {
            ToggleButton b = new ToggleButton(sel);
            b.setId("selection-" + sel);
            b.setUserData(sel);
            b.setMinWidth(Region.USE_PREF_SIZE);
            b.setSelected(sel.equals(s.selectionProperty().get()));
            selection.getButtons().add(b);
        }
        selection.getToggleGroup().selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                a.setSelected(true); // keep one pressed
            } else {
                s.selectionProperty().set((String) b.getUserData());
            }
        });
        s.selectionProperty().addListener((o, a, b) -> selection.getButtons().forEach(t ->
                t.setSelected(b.equals(t.getUserData()))));
        Tooltip.install(selection, new Tooltip("global: one ranking over all layers;  layer: every layer at the"
                + " slider's sparsity;  knapsack: keep the most important structures within the budget"));

        BooleanBinding notKnapsack = Bindings.notEqual("knapsack", s.selectionProperty());
        ComboBox<String> resource = new ComboBox<>(FXCollections.observableArrayList(DesignSettings.resources()));
        resource.setId("budget-resource");
        resource.valueProperty().bindBidirectional(s.budgetResourceProperty());
        resource.disableProperty().bind(notKnapsack);
        Spinner<Double> budget = new Spinner<>(new SpinnerValueFactory.DoubleSpinnerValueFactory(1, 100,
                s.budgetPercentProperty().get(), 5));
        budget.setId("budget-percent");
        budget.setEditable(true);
        budget.setPrefWidth(72);
        budget.disableProperty().bind(notKnapsack);
        budget.valueProperty().addListener((o, a, b) -> s.budgetPercentProperty().set(b));
        s.budgetPercentProperty().addListener((o, a, b) -> budget.getValueFactory().setValue(b.doubleValue()));
        budget.setTooltip(new Tooltip("Budget: % of the unpruned model's total of this resource that may be kept"));

        Spinner<Integer> bits = new Spinner<>(0, 16, s.weightBitsProperty().get());
        bits.setId("weight-bits");
        bits.setPrefWidth(80);
        bits.getValueFactory().setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer v) {
                return v == null || v == 0 ? "float" : v + " bit";
            }

            @Override
            public Integer fromString(String t) {
                String d = t.replaceAll("[^0-9]", "");
                return d.isEmpty() ? 0 : Integer.parseInt(d);
            }
        });
        bits.valueProperty().addListener((o, a, b) -> s.weightBitsProperty().set(b));
        s.weightBitsProperty().addListener((o, a, b) -> bits.getValueFactory().setValue(b.intValue()));
        bits.setTooltip(new Tooltip("Weight width W of ap_fixed<W,I> (float: no quantization)"));
        Spinner<Integer> integer = new Spinner<>(0, 16, s.weightIntegerBitsProperty().get());
        integer.setId("weight-integer-bits");
        integer.setPrefWidth(58);
        integer.valueProperty().addListener((o, a, b) -> s.weightIntegerBitsProperty().set(b));
        s.weightIntegerBitsProperty().addListener((o, a, b) -> integer.getValueFactory().setValue(b.intValue()));
        integer.disableProperty().bind(s.weightBitsProperty().isEqualTo(0));
        integer.setTooltip(new Tooltip("Integer bits I of ap_fixed<W,I>, sign included"));
        Label type = new Label();
        type.getStyleClass().addAll("num", "hint");
        type.textProperty().bind(Bindings.createStringBinding(() -> s.weightBitsProperty().get() == 0 ? "float32"
                        : "ap_fixed<" + s.weightBitsProperty().get() + "," + s.weightIntegerBitsProperty().get() + ">",
                s.weightBitsProperty(), s.weightIntegerBitsProperty()));
        type.setMinWidth(Region.USE_PREF_SIZE);

        Label error = new Label();
        error.setId("design-error");
        error.getStyleClass().add("error-text");
        error.textProperty().bind(vm.designErrorProperty());
        error.setWrapText(false);
        error.setMaxWidth(Double.MAX_VALUE);
        error.setMinWidth(0);
        HBox.setHgrow(error, Priority.ALWAYS);
        error.setTooltip(new Tooltip());
        error.getTooltip().textProperty().bind(vm.designErrorProperty());

        getChildren().addAll(caption("Granularity"), granularity, params, gap(), caption("Selection"), selection,
                gap(), caption("Budget"), resource, budget, gap(), caption("Weights"), bits, caption("I"), integer,
                type, error);
    }

    private static Label caption(String text) {
        Label l = new Label(text);
        l.setMinWidth(Region.USE_PREF_SIZE);
        l.getStyleClass().add("bar-caption");
        return l;
    }

    private static Node gap() {
        Region r = new Region();
        r.setMinWidth(8);
        return r;
    }
}
