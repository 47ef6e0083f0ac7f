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
import javafx.scene.layout.VBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.util.StringConverter;
import org.controlsfx.control.SegmentedButton;

/**
 * The design-point bar under the slider: granularity (+ parameters), selection (global, per layer, knapsack),
 * knapsack budget, and the weights' fixed-point type. Values live in {@link DesignSettings}; the engine checks them.
 */
public final class DesignBar extends VBox {
    public DesignBar(PruneViewModel vm) {
        DesignSettings s = vm.settings();
        getStyleClass().add("design-bar");
        HBox row = new HBox();
        row.setAlignment(Pos.CENTER_LEFT);
        row.setSpacing(8);

        ComboBox<String> granularity = new ComboBox<>(FXCollections.observableArrayList(
                DesignSettings.granularities()));
        granularity.setId("granularity");
        granularity.setMinWidth(Region.USE_PREF_SIZE);
        granularity.valueProperty().bindBidirectional(s.granularityProperty());
        granularity.setTooltip(new Tooltip("What is pruned together: single weights, N of every M, blocks, DARB"
                + " blocks, rows, columns or filters, channels, the weights that share one DSP (dsp-pattern) or one"
                + " BRAM word (bram-block) at the hardware panel's reuse factor"));

        TextField params = new TextField();
        params.setId("granularity-params");
        params.setPrefColumnCount(8);
        params.setMinWidth(Region.USE_PREF_SIZE);
        Tooltip paramsTip = new Tooltip();
        params.setTooltip(paramsTip);
        Runnable describe = () -> {
            String hint = DesignSettings.paramsHint(s.granularityProperty().get());
            params.setDisable(hint.isEmpty());
            params.setPromptText(hint.isEmpty() ? "no parameters" : "name=value");
            paramsTip.setText(hint.isEmpty() ? "This granularity has no parameters"
                    : "Parameters as name=value (Enter to apply): " + hint);
        };
        s.granularityProperty().addListener((o, a, b) -> describe.run());
        describe.run();
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
        budget.focusedProperty().addListener((o, was, now) -> {
            if (!now) {
                try {
                    budget.getValueFactory().setValue(budget.getValueFactory().getConverter().fromString(
                            budget.getEditor().getText()));
                } catch (RuntimeException e) {
                    budget.getEditor().setText(String.valueOf(budget.getValue()));
                }
            }
        });
        budget.setPrefWidth(72);
        budget.disableProperty().bind(notKnapsack);
        budget.valueProperty().addListener((o, a, b) -> s.budgetPercentProperty().set(b));
        s.budgetPercentProperty().addListener((o, a, b) -> budget.getValueFactory().setValue(b.doubleValue()));
        budget.setTooltip(new Tooltip("Budget: % of the unpruned model's total of this resource that may be kept"));

        // the weight width: a list of common widths, or any width typed in (applied on Enter or focus loss)
        ComboBox<String> bits = new ComboBox<>(FXCollections.observableArrayList("float", "4", "6", "8", "10", "12",
                "14", "16", "18", "24", "32"));
        bits.setId("weight-bits");
        bits.setEditable(true);
        bits.setPrefWidth(84);
        bits.setMinWidth(Region.USE_PREF_SIZE);
        bits.setValue(widthText(s.weightBitsProperty().get()));
        bits.valueProperty().addListener((o, a, b) -> {
            Integer w = width(b);
            if (w == null) {
                bits.setValue(widthText(s.weightBitsProperty().get())); // not a width: back to the applied one
            } else {
                s.weightBitsProperty().set(w);
            }
        });
        bits.getEditor().focusedProperty().addListener((o, was, now) -> {
            if (!now) {
                bits.setValue(bits.getEditor().getText());
            }
        });
        s.weightBitsProperty().addListener((o, a, b) -> bits.setValue(widthText(b.intValue())));
        bits.setTooltip(new Tooltip("Weight width W of ap_fixed<W,I> in bits (1 to 32), or float for no"
                + " quantization"));
        Spinner<Integer> integer = new Spinner<>(-8, 32, s.weightIntegerBitsProperty().get());
        integer.setId("weight-integer-bits");
        integer.setEditable(true);
        integer.setPrefWidth(64);
        integer.setMinWidth(Region.USE_PREF_SIZE);
        integer.valueProperty().addListener((o, a, b) -> s.weightIntegerBitsProperty().set(b));
        s.weightIntegerBitsProperty().addListener((o, a, b) -> integer.getValueFactory().setValue(b.intValue()));
        integer.focusedProperty().addListener((o, was, now) -> {
            if (!now) {
                commitTyped(integer);
            }
        });
        integer.getEditor().setOnAction(e -> commitTyped(integer));
        integer.disableProperty().bind(s.weightBitsProperty().isEqualTo(0));
        integer.setTooltip(new Tooltip("Integer bits I of ap_fixed<W,I>, sign included"));
        Label type = new Label();
        type.getStyleClass().addAll("num", "hint");
        type.textProperty().bind(Bindings.createStringBinding(() -> s.weightBitsProperty().get() == 0 ? "float32"
                        : "ap_fixed<" + s.weightBitsProperty().get() + "," + s.weightIntegerBitsProperty().get() + ">",
                s.weightBitsProperty(), s.weightIntegerBitsProperty()));
        type.setMinWidth(Region.USE_PREF_SIZE);

        // the error on its own line under the controls: it never squeezes them, and it wraps
        Label error = new Label();
        error.setId("design-error");
        error.getStyleClass().add("error-text");
        error.textProperty().bind(vm.designErrorProperty());
        error.setWrapText(true);
        error.setMaxWidth(Double.MAX_VALUE);
        error.managedProperty().bind(vm.designErrorProperty().isNotEmpty());
        error.visibleProperty().bind(error.managedProperty());

        row.getChildren().addAll(caption("Granularity"), granularity, params, gap(), caption("Selection"), selection,
                gap(), caption("Budget"), resource, budget, gap(), caption("Weights"), bits, caption("I"), integer,
                type);
        getChildren().addAll(row, error);
    }

    static String widthText(int w) {
        return w == 0 ? "float" : String.valueOf(w);
    }

    /** "float" (or "0") is no quantization; 1..32 a width; anything else null. */
    static Integer width(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toLowerCase(java.util.Locale.ROOT).replace("bits", "").replace("bit", "").trim();
        if (t.equals("float") || t.equals("0") || t.isEmpty()) {
            return 0;
        }
        try {
            int w = Integer.parseInt(t);
            return w >= 1 && w <= 32 ? w : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A typed spinner value counts (Enter or focus loss); a value it cannot read goes back to the current one. */
    static void commitTyped(Spinner<Integer> sp) {
        try {
            sp.getValueFactory().setValue(sp.getValueFactory().getConverter().fromString(sp.getEditor().getText()));
        } catch (RuntimeException e) {
            sp.getEditor().setText(String.valueOf(sp.getValue()));
        }
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
