package dev.sparsimony.app.hardware;

import dev.sparsimony.engine.hardware.Device;
import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.hardware.IoType;
import dev.sparsimony.engine.hardware.LayerEstimate;
import dev.sparsimony.engine.hardware.Strategy;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * The hardware panel: device and hls4ml settings on top; totals with utilisation (red when a resource does not fit)
 * on the left; per-layer table on the right. View only; numbers from {@link HardwareViewModel}.
 */
public final class HardwarePanel extends VBox {
    private static final String OVER = "does-not-fit";
    private final HardwareViewModel vm;
    private final Label[] values = new Label[4];
    private final Label[] percents = new Label[4];
    private final ProgressBar[] bars = new ProgressBar[4];
    private final Label latency = new Label("–");
    /** Resource captions: LUT and FF carry their error band (the calibration's, else the first-order one). */
    private final Label[] captions = new Label[4];
    private final Label interval = new Label("–");
    private final Label verdict = new Label("");
    private final Label error = new Label("");
    /** What the estimate assumed: the type of float weights, corrected reuse factors, the LUT/FF uncertainty. */
    private final Label notes = new Label("");

    public HardwarePanel(HardwareViewModel vm) {
        this.vm = vm;
        getStyleClass().add("hardware-panel");
        setId("hardware-panel");
        setSpacing(6);

        ComboBox<String> device = new ComboBox<>();
        device.setId("hw-device");
        device.setMinWidth(Region.USE_PREF_SIZE);
        Runnable fill = () -> device.getItems().setAll(vm.devices().stream().map(Device::name).toList());
        vm.devices().addListener((ListChangeListener<Device>) c -> fill.run());
        fill.run();
        device.valueProperty().bindBidirectional(vm.deviceProperty());
        device.setTooltip(new Tooltip("The FPGA part the design is estimated on (its DSP, BRAM, LUT and FF counts come"
                + " from the vendor's product tables)"));

        Spinner<Integer> rf = new Spinner<>(1, 4096, vm.reuseFactorProperty().get());
        rf.setId("hw-reuse-factor");
        rf.setEditable(true);
        rf.setPrefWidth(78);
        rf.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.reuseFactorProperty().set(b);
            }
        });
        vm.reuseFactorProperty().addListener((o, a, b) -> rf.getValueFactory().setValue(b.intValue()));
        rf.setTooltip(new Tooltip("Default reuse factor of every layer (hls4ml ReuseFactor); design-point layers"
                + " may override it"));

        ComboBox<Strategy> strategy = new ComboBox<>(FXCollections.observableArrayList(Strategy.values()));
        strategy.setId("hw-strategy");
        strategy.setConverter(converter(s -> s.name().charAt(0) + s.name().substring(1).toLowerCase(Locale.ROOT),
                Strategy.values()));
        strategy.valueProperty().bindBidirectional(vm.strategyProperty());
        strategy.setMinWidth(Region.USE_PREF_SIZE);

        ComboBox<IoType> io = new ComboBox<>(FXCollections.observableArrayList(IoType.values()));
        io.setId("hw-io");
        io.setConverter(converter(IoType::label, IoType.values()));
        io.valueProperty().bindBidirectional(vm.ioProperty());
        io.setMinWidth(Region.USE_PREF_SIZE);

        TextField clock = new TextField(vm.clockProperty().get());
        clock.setId("hw-clock");
        clock.setPromptText("device");
        clock.setPrefColumnCount(4);
        clock.setOnAction(e -> vm.clockProperty().set(clock.getText()));
        clock.focusedProperty().addListener((o, was, now) -> {
            if (!now) {
                vm.clockProperty().set(clock.getText());
            }
        });
        clock.setTooltip(new Tooltip("Clock in MHz; empty = the device's default. Enter to apply."));

        CheckBox strict = new CheckBox("strict RF");
        strict.setId("hw-strict");
        strict.selectedProperty().bindBidirectional(vm.strictReuseProperty());
        strict.setTooltip(new Tooltip("Reject an invalid reuse factor instead of using the closest valid one as"
                + " hls4ml does"));
        strict.setMinWidth(Region.USE_PREF_SIZE);

        HBox settings = new HBox(6, caption("Device"), device, caption("RF"), rf, caption("Strategy"), strategy,
                io, caption("MHz"), clock, strict);
        settings.setAlignment(Pos.CENTER_LEFT);
        settings.getStyleClass().add("hw-settings");

        GridPane totals = new GridPane();
        totals.getStyleClass().add("hw-totals");
        totals.setHgap(8);
        totals.setVgap(3);
        String[] names = {"DSP", "BRAM18", "LUT (±50 %)", "FF (±50 %)"};
        String[] ids = {"hw-dsp", "hw-bram", "hw-lut", "hw-ff"};
        for (int i = 0; i < 4; i++) {
            values[i] = new Label("–");
            values[i].setId(ids[i]);
            values[i].getStyleClass().addAll("num", "hw-value");
            values[i].setMinWidth(Region.USE_PREF_SIZE);
            bars[i] = new ProgressBar(0);
            bars[i].setPrefWidth(70);
            percents[i] = new Label("");
            percents[i].getStyleClass().add("num");
            percents[i].setMinWidth(Region.USE_PREF_SIZE);
            captions[i] = caption(names[i]);
            totals.addRow(i, captions[i], values[i], bars[i], percents[i]);
        }
        latency.setId("hw-latency");
        interval.setId("hw-interval");
        latency.getStyleClass().add("num");
        interval.getStyleClass().add("num");
        totals.add(caption("Latency"), 0, 4);
        totals.add(latency, 1, 4, 3, 1);
        totals.add(caption("II"), 0, 5);
        totals.add(interval, 1, 5, 3, 1);
        ColumnConstraints right = new ColumnConstraints();
        right.setHalignment(javafx.geometry.HPos.RIGHT);
        totals.getColumnConstraints().addAll(new ColumnConstraints(), right);
        verdict.setId("hw-verdict");
        verdict.setWrapText(true);
        verdict.setMaxWidth(300);
        notes.setId("hw-notes");
        notes.setWrapText(true);
        notes.setMaxWidth(300);
        notes.getStyleClass().add("hint");
        VBox left = new VBox(4, totals, verdict, notes);
        left.setMinWidth(Region.USE_PREF_SIZE);

        TableView<LayerEstimate> table = new TableView<>(vm.layers());
        table.setId("hw-layers");
        table.getStyleClass().add("hw-layer-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<LayerEstimate, String> name = new TableColumn<>("Layer");
        name.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        name.setPrefWidth(90);
        table.getColumns().add(name);
        table.getColumns().add(number("DSP", LayerEstimate::dsp));
        table.getColumns().add(number("BRAM", LayerEstimate::bram18));
        table.getColumns().add(number("LUT", LayerEstimate::lut));
        table.getColumns().add(number("Latency", LayerEstimate::latencyCycles));
        table.setPlaceholder(new Label("no estimate"));
        table.setPrefHeight(120);
        HBox.setHgrow(table, Priority.ALWAYS);

        HBox body = new HBox(12, left, table);
        VBox.setVgrow(body, Priority.ALWAYS);

        error.setId("hw-error");
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());
        error.managedProperty().bind(error.textProperty().isNotEmpty());
        error.visibleProperty().bind(error.managedProperty());

        getChildren().addAll(settings, error, body);
        vm.estimateProperty().addListener((o, a, b) -> show(b));
        show(vm.estimateProperty().get());
    }

    private static Label caption(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hw-caption");
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private static <T> StringConverter<T> converter(Function<T, String> label, T[] all) {
        return new StringConverter<>() {
            @Override
            public String toString(T t) {
                return t == null ? "" : label.apply(t);
            }

            @Override
            public T fromString(String s) {
                for (T t : all) {
                    if (label.apply(t).equals(s)) {
                        return t;
                    }
                }
                return null;
            }
        };
    }

    private static TableColumn<LayerEstimate, Long> number(String title, ToLongFunction<LayerEstimate> f) {
        TableColumn<LayerEstimate, Long> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> new ReadOnlyObjectWrapper<>(f.applyAsLong(x.getValue())));
        c.setStyle("-fx-alignment: CENTER-RIGHT;");
        c.setPrefWidth(62);
        // grouped digits, as in the totals on the left (23,800 rather than 23800)
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Long v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : String.format(Locale.ROOT, "%,d", v));
            }
        });
        return c;
    }

    private void show(FpgaEstimate e) {
        if (e == null) {
            for (int i = 0; i < 4; i++) {
                values[i].setText("–");
                percents[i].setText("");
                bars[i].setProgress(0);
                mark(i, false);
            }
            latency.setText("–");
            interval.setText("–");
            verdict.setText("");
            notes.setText("");
            verdict.getStyleClass().removeAll(OVER, "fits");
            return;
        }
        captions[2].setText(String.format(Locale.ROOT, "LUT (±%.0f %%)", 100 * e.lutBand()));
        captions[3].setText(String.format(Locale.ROOT, "FF (±%.0f %%)", 100 * e.ffBand()));
        long[] used = {e.dsp(), e.bram18(), e.lut(), e.ff()};
        double[] pct = {e.dspPercent(), e.bramPercent(), e.lutPercent(), e.ffPercent()};
        for (int i = 0; i < 4; i++) {
            values[i].setText(String.format(Locale.ROOT, "%,d", used[i]));
            percents[i].setText(Double.isInfinite(pct[i]) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", pct[i]));
            bars[i].setProgress(Math.min(1, pct[i] / 100));
            mark(i, pct[i] > 100);
        }
        latency.setText(String.format(Locale.ROOT, "%,d cycles%s · %.1f ns @ %.0f MHz", e.latencyCycles(),
                e.latencyBand() > 0 ? String.format(Locale.ROOT, " ±%.1f", e.latencyBand()) : "", e.latencyNs(),
                e.clockMhz()));
        interval.setText(String.format(Locale.ROOT, "%,d cycles · %.1f ns", e.intervalCycles(), e.intervalNs()));
        notes.setText(e.notes().stream().map(n -> "• " + n).collect(java.util.stream.Collectors.joining("\n")));
        List<String> problems = e.fitProblems();
        verdict.getStyleClass().removeAll(OVER, "fits");
        if (problems.isEmpty()) {
            verdict.setText("Fits on " + e.device().name() + " (" + e.device().part() + ") · hls4ml " + e.version()
                    + (e.calibration().isNone() ? "" : " · calibrated"));
            verdict.getStyleClass().add("fits");
        } else {
            verdict.setText("DOES NOT FIT on " + e.device().name() + ": " + String.join("; ", problems));
            verdict.getStyleClass().add(OVER);
        }
    }

    private void mark(int i, boolean over) {
        for (javafx.scene.Node n : List.of(values[i], percents[i], bars[i])) {
            n.getStyleClass().remove(OVER);
            if (over) {
                n.getStyleClass().add(OVER);
            }
        }
    }
}
