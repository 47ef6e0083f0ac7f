package dev.sparsimony.app.prune;

import dev.sparsimony.engine.explore.LayerSpec;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.quantize.QuantizerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.control.cell.CheckBoxTableCell;
import javafx.scene.control.cell.ComboBoxTableCell;
import javafx.scene.control.cell.TextFieldTableCell;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Per-layer settings: each prunable layer may be exempt from pruning or override the bar's granularity (with its
 * parameters), sparsity (layer selection), weight and output widths, reuse factor and strategy. Blank cells follow
 * the bar. The table writes {@link DesignSettings#layersProperty()}; the engine checks the values (a bad one is
 * shown in red under the table and in the design bar).
 */
public final class LayerSettingsTable extends VBox {
    /** One editable row. */
    public static final class Row {
        final String layer;
        final BooleanProperty exempt = new SimpleBooleanProperty();
        final StringProperty granularity = new SimpleStringProperty("");
        final StringProperty params = new SimpleStringProperty("");
        final StringProperty sparsity = new SimpleStringProperty("");
        final StringProperty weightBits = new SimpleStringProperty("");
        final StringProperty outputBits = new SimpleStringProperty("");
        final StringProperty reuseFactor = new SimpleStringProperty("");
        final StringProperty strategy = new SimpleStringProperty("");

        Row(String layer) {
            this.layer = layer;
        }

        public String layer() {
            return layer;
        }
    }

    private final DesignSettings settings;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final Label error = new Label();
    private boolean loading;

    public LayerSettingsTable(DesignSettings settings) {
        this.settings = settings;
        setId("layer-settings");
        setSpacing(6);
        setPadding(new Insets(6));
        TableView<Row> t = new TableView<>(rows);
        t.setId("layer-settings-table");
        t.setEditable(true);
        t.setPlaceholder(new Label("no prunable layers"));
        TableColumn<Row, String> name = new TableColumn<>("layer");
        name.setCellValueFactory(c -> new SimpleStringProperty(c.getValue().layer));
        name.setEditable(false);
        TableColumn<Row, Boolean> exempt = new TableColumn<>("exempt");
        exempt.setCellValueFactory(c -> c.getValue().exempt);
        exempt.setCellFactory(CheckBoxTableCell.forTableColumn(exempt));
        List<String> grans = new ArrayList<>(List.of(""));
        grans.addAll(DesignSettings.granularities());
        TableColumn<Row, String> gran = new TableColumn<>("granularity");
        gran.setCellValueFactory(c -> c.getValue().granularity);
        gran.setCellFactory(ComboBoxTableCell.forTableColumn(FXCollections.observableArrayList(grans)));
        TableColumn<Row, String> rf = new TableColumn<>("RF");
        rf.setCellValueFactory(c -> c.getValue().reuseFactor);
        rf.setCellFactory(TextFieldTableCell.forTableColumn());
        TableColumn<Row, String> strategy = new TableColumn<>("strategy");
        strategy.setCellValueFactory(c -> c.getValue().strategy);
        strategy.setCellFactory(ComboBoxTableCell.forTableColumn(FXCollections.observableArrayList("", "latency",
                "resource", "unrolled")));
        t.getColumns().add(name);
        t.getColumns().add(exempt);
        t.getColumns().add(gran);
        t.getColumns().add(text("params", r -> r.params, "e.g. rows=2, cols=4"));
        t.getColumns().add(text("sparsity %", r -> r.sparsity, "blank: the slider's (layer selection only)"));
        t.getColumns().add(text("weight bits", r -> r.weightBits, "W or W,I (ap_fixed<W,I>); blank: the bar's"));
        t.getColumns().add(text("output bits", r -> r.outputBits, "W or W,I of the layer's result type"));
        t.getColumns().add(rf);
        t.getColumns().add(strategy);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        VBox.setVgrow(t, Priority.ALWAYS);
        error.setId("layer-settings-error");
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        error.managedProperty().bind(error.textProperty().isNotEmpty());
        Button clear = new Button("Clear all");
        clear.setOnAction(e -> settings.layersProperty().set(Map.of()));
        Label hint = new Label("Blank cells follow the design bar. Exempt layers are never pruned.");
        hint.getStyleClass().add("hint");
        HBox bar = new HBox(8, clear, hint);
        getChildren().addAll(t, error, bar);
        settings.layersProperty().addListener((o, a, b) -> load(b));
    }

    private TableColumn<Row, String> text(String title, java.util.function.Function<Row, StringProperty> p,
                                          String tip) {
        TableColumn<Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> p.apply(cd.getValue()));
        c.setCellFactory(TextFieldTableCell.forTableColumn());
        Label header = new Label(title);
        header.setTooltip(new Tooltip(tip));
        c.setGraphic(header);
        c.setText("");
        return c;
    }

    /** The prunable layers of the opened model (rows); their settings come from the design settings. */
    public void setLayers(List<String> names) {
        loading = true;
        try {
            rows.clear();
            for (String n : names) {
                Row r = new Row(n);
                for (var p : List.of(r.granularity, r.params, r.sparsity, r.weightBits, r.outputBits, r.reuseFactor,
                        r.strategy)) {
                    p.addListener((o, a, b) -> commit());
                }
                r.exempt.addListener((o, a, b) -> commit());
                rows.add(r);
            }
        } finally {
            loading = false;
        }
        load(settings.layersProperty().get());
    }

    private void load(Map<String, LayerSpec> specs) {
        if (loading) {
            return;
        }
        loading = true;
        try {
            for (Row r : rows) {
                LayerSpec s = specs.getOrDefault(r.layer, LayerSpec.empty());
                r.exempt.set(Boolean.TRUE.equals(s.exempt()));
                r.granularity.set(s.granularity() == null ? "" : s.granularity());
                r.params.set(s.params() == null ? "" : DesignSettings.formatParams(s.params()));
                r.sparsity.set(s.sparsity() == null ? "" : fmt(100 * s.sparsity()));
                r.weightBits.set(bits(s.weights()));
                r.outputBits.set(bits(s.outputs()));
                r.reuseFactor.set(s.reuseFactor() == null ? "" : String.valueOf(s.reuseFactor()));
                r.strategy.set(s.strategy() == null ? "" : s.strategy().toLowerCase(Locale.ROOT));
            }
        } finally {
            loading = false;
        }
    }

    private static String bits(QuantizerSpec q) {
        return q == null || q.fixed() == null ? "" : q.fixed().width() + "," + q.fixed().integer();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** The rows as per-layer overrides; a value that cannot be read is shown and the last good settings kept. */
    private void commit() {
        if (loading) {
            return;
        }
        try {
            Map<String, LayerSpec> out = new LinkedHashMap<>();
            for (Row r : rows) {
                String f = "layer '" + r.layer + "': ";
                LayerSpec s = new LayerSpec(blank(r.granularity.get()),
                        r.params.get().isBlank() ? null : DesignSettings.parseParams(r.params.get()),
                        percent(r.sparsity.get(), f + "sparsity"), r.exempt.get() ? Boolean.TRUE : null,
                        fixed(r.weightBits.get(), settings.weightIntegerBitsProperty().get(), f + "weight bits"),
                        null, fixed(r.outputBits.get(), 6, f + "output bits"),
                        integer(r.reuseFactor.get(), f + "RF"), blank(r.strategy.get()));
                if (!s.overridesNothing()) {
                    out.put(r.layer, s);
                }
            }
            error.setText("");
            loading = true;
            try {
                settings.layersProperty().set(out);
            } finally {
                loading = false;
            }
        } catch (ModelException e) {
            error.setText(e.getMessage());
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Double percent(String s, String what) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            double v = Double.parseDouble(s.trim().replace("%", "").trim());
            if (!(v >= 0 && v < 100)) {
                throw new ModelException(what + " must be in [0, 100) %, got " + s.trim());
            }
            return v / 100;
        } catch (NumberFormatException e) {
            throw new ModelException(what + " must be a number of %, got '" + s.trim() + "'");
        }
    }

    private static Integer integer(String s, String what) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            int v = Integer.parseInt(s.trim());
            if (v < 1) {
                throw new ModelException(what + " must be at least 1, got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ModelException(what + " must be a whole number, got '" + s.trim() + "'");
        }
    }

    /** "6" (integer bits from {@code defaultInteger}, at most W) or "8,3". */
    private static QuantizerSpec fixed(String s, int defaultInteger, String what) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String[] p = s.trim().split("\\s*,\\s*");
        try {
            int w = Integer.parseInt(p[0]);
            int i = p.length > 1 ? Integer.parseInt(p[1]) : Math.min(defaultInteger, w);
            if (p.length > 2) {
                throw new NumberFormatException();
            }
            return QuantizerSpec.fixed(w, i);
        } catch (NumberFormatException e) {
            throw new ModelException(what + " must be W or W,I (e.g. 8 or 8,3), got '" + s.trim() + "'");
        } catch (ModelException e) {
            throw new ModelException(what + ": " + e.getMessage(), e);
        }
    }

    /** The rows (for tests). */
    public ObservableList<Row> rows() {
        return rows;
    }

    /** Sets one cell of a row by column name (for tests and scripted demos). */
    public void edit(String layer, String column, String value) {
        for (Row r : rows) {
            if (r.layer.equals(layer)) {
                switch (column) {
                    case "exempt" -> r.exempt.set(Boolean.parseBoolean(value));
                    case "granularity" -> r.granularity.set(value);
                    case "params" -> r.params.set(value);
                    case "sparsity" -> r.sparsity.set(value);
                    case "weight bits" -> r.weightBits.set(value);
                    case "output bits" -> r.outputBits.set(value);
                    case "RF" -> r.reuseFactor.set(value);
                    case "strategy" -> r.strategy.set(value);
                    default -> throw new IllegalArgumentException(column);
                }
            }
        }
    }
}
