package dev.sparsimony.app.explore;

import dev.sparsimony.engine.explore.PointResult;
import dev.sparsimony.engine.explore.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.control.cell.ComboBoxTableCell;
import javafx.scene.control.cell.TextFieldTableCell;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;

/**
 * The Explore tab: the search space's set-up (axes, strategy, budget), start / pause / cancel with progress, the
 * live Pareto plots (accuracy against DSP, BRAM, LUT and latency, and a pair the user picks), the selected point's
 * details with "Apply to model", "Compare" and "Export…", the comparison of two points, and the sensitivity curves. View only.
 */
public final class ExploreView extends BorderPane {
    static final List<String> METRICS = List.of("accuracy", "dsp", "bram18", "lut", "ff", "latency", "storage");

    private final ExploreViewModel vm;
    private final List<ParetoChart> charts = new ArrayList<>();
    private final BorderPane customSlot = new BorderPane();
    private ParetoChart custom;
    private final SensitivityView sensitivity = new SensitivityView();
    private TabPane plots;

    public ExploreView(ExploreViewModel vm) {
        this.vm = vm;
        setId("explore-view");
        getStyleClass().add("explore-view");
        setLeft(setup());
        GridPane grid = new GridPane();
        grid.setHgap(6);
        grid.setVgap(6);
        grid.setPadding(new Insets(6));
        String[][] pairs = {{"dsp", "accuracy"}, {"bram18", "accuracy"}, {"lut", "accuracy"}, {"latency", "accuracy"}};
        for (int i = 0; i < pairs.length; i++) {
            ParetoChart c = chart(pairs[i][0], pairs[i][1]);
            c.setId("pareto-" + pairs[i][0]);
            grid.add(c, i % 2, i / 2);
        }
        for (int i = 0; i < 2; i++) {
            javafx.scene.layout.ColumnConstraints cc = new javafx.scene.layout.ColumnConstraints();
            cc.setPercentWidth(50);
            cc.setHgrow(Priority.ALWAYS);
            grid.getColumnConstraints().add(cc);
            javafx.scene.layout.RowConstraints rc = new javafx.scene.layout.RowConstraints();
            rc.setPercentHeight(50);
            rc.setVgrow(Priority.ALWAYS);
            grid.getRowConstraints().add(rc);
        }
        Label legend = new Label("blue: feasible · grey: over the device or below the minimum accuracy · orange line:"
                + " Pareto front · black diamond: the unpruned design · red: selected · dashed: device capacity."
                + " Hover for a point's choices; click to select.");
        legend.getStyleClass().add("hint");
        legend.setWrapText(true);
        BorderPane gridPane = new BorderPane(grid);
        gridPane.setBottom(legend);
        BorderPane.setMargin(legend, new Insets(0, 8, 4, 8));
        TabPane plots = new TabPane(new Tab("Accuracy vs. resources", gridPane), new Tab("Custom pair", customPane()),
                new Tab("Sensitivity", sensitivity), new Tab("Compare", compareTable()));
        plots.setId("explore-plots");
        this.plots = plots;
        plots.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        SplitPane center = new SplitPane(plots, details());
        center.setDividerPositions(0.74);
        setCenter(center);

        vm.onBatch(batch -> {
            for (ParetoChart c : allCharts()) {
                c.add(batch);
            }
            sensitivity.add(batch);
        });
        vm.onClear(() -> {
            for (ParetoChart c : allCharts()) {
                c.clear();
            }
            sensitivity.clear();
        });
        vm.referenceProperty().addListener((o, a, r) -> {
            for (ParetoChart c : allCharts()) {
                c.setReference(r);
                capacity(c, r);
            }
            sensitivity.setReference(r);
        });
        vm.selectedProperty().addListener((o, a, r) -> allCharts().forEach(c -> c.setSelected(r)));
    }

    private List<ParetoChart> allCharts() {
        List<ParetoChart> all = new ArrayList<>(charts);
        if (custom != null) {
            all.add(custom);
        }
        return all;
    }

    private ParetoChart chart(String x, String y) {
        ParetoChart c = new ParetoChart(x, y);
        c.setOnPointClicked(vm::select);
        charts.add(c);
        return c;
    }

    /** The device's capacity as a line, from the reference point's device (DSP, BRAM, LUT, FF axes). */
    private static void capacity(ParetoChart c, PointResult ref) {
        if (ref == null || ref.point() == null) {
            c.setCapacity(Double.NaN, "");
            return;
        }
        try {
            var d = dev.sparsimony.engine.explore.PointHardware.device(ref.point(),
                    dev.sparsimony.engine.hardware.DeviceCatalogue.standard());
            double cap = switch (c.xMetric()) {
                case "dsp" -> d.dsp();
                case "bram18" -> d.bram18();
                case "lut" -> d.lut();
                case "ff" -> d.ff();
                default -> Double.NaN;
            };
            c.setCapacity(cap, Double.isNaN(cap) ? "" : d.name() + String.format(Locale.ROOT, ": %,.0f", cap));
        } catch (RuntimeException e) {
            c.setCapacity(Double.NaN, "");
        }
    }

    private Region customPane() {
        ComboBox<String> x = new ComboBox<>(FXCollections.observableArrayList(METRICS));
        ComboBox<String> y = new ComboBox<>(FXCollections.observableArrayList(METRICS));
        x.setId("custom-x");
        y.setId("custom-y");
        x.setValue("dsp");
        y.setValue("latency");
        Runnable rebuild = () -> {
            if (x.getValue() == null || y.getValue() == null) {
                return;
            }
            custom = new ParetoChart(x.getValue(), y.getValue());
            custom.setId("pareto-custom");
            custom.setOnPointClicked(vm::select);
            custom.add(vm.results());
            custom.setReference(vm.referenceProperty().get());
            capacity(custom, vm.referenceProperty().get());
            custom.setSelected(vm.selectedProperty().get());
            customSlot.setCenter(custom);
        };
        x.valueProperty().addListener((o, a, b) -> rebuild.run());
        y.valueProperty().addListener((o, a, b) -> rebuild.run());
        rebuild.run();
        HBox bar = new HBox(8, caption("y"), y, caption("against x"), x);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6));
        customSlot.setTop(bar);
        return customSlot;
    }

    // ------------------------------------------------------------------ set-up column

    private Region setup() {
        Label title = new Label("Search space");
        title.getStyleClass().add("section-title");
        Label base = new Label("Base: the design point of the bar above (granularity, selection, weights, hardware,"
                + " per-layer settings); each axis varies one field of it.");
        base.setWrapText(true);
        base.getStyleClass().add("hint");

        TableView<ExploreViewModel.AxisEntry> axes = new TableView<>(vm.axes());
        axes.setId("axes-table");
        axes.setEditable(true);
        axes.setPrefHeight(190);
        axes.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<ExploreViewModel.AxisEntry, String> field = new TableColumn<>("Field");
        field.setCellValueFactory(c -> c.getValue().fieldProperty());
        field.setCellFactory(ComboBoxTableCell.forTableColumn(FXCollections.observableArrayList(
                vm.fields().stream().map(SearchSpace.Field::path).toList())));
        field.setPrefWidth(150);
        TableColumn<ExploreViewModel.AxisEntry, String> values = new TableColumn<>("Values");
        values.setCellValueFactory(c -> c.getValue().valuesProperty());
        values.setCellFactory(TextFieldTableCell.forTableColumn());
        axes.getColumns().add(field);
        axes.getColumns().add(values);
        axes.setPlaceholder(new Label("no axes: add one"));
        // the field list follows the opened model (per-layer fields)
        axes.sceneProperty().addListener((o, a, b) -> field.setCellFactory(ComboBoxTableCell.forTableColumn(
                FXCollections.observableArrayList(vm.fields().stream().map(SearchSpace.Field::path).toList()))));
        Button add = new Button("Add axis");
        add.setId("add-axis");
        add.setOnAction(e -> vm.axes().add(new ExploreViewModel.AxisEntry("prune.sparsity", "0, 0.5")));
        Button remove = new Button("Remove");
        remove.setId("remove-axis");
        remove.disableProperty().bind(axes.getSelectionModel().selectedItemProperty().isNull());
        remove.setOnAction(e -> vm.axes().remove(axes.getSelectionModel().getSelectedItem()));
        Label help = new Label("Values: 0, 0.25, 0.5  ·  ranges 0:0.9:0.1  ·  bit widths for weights/outputs:"
                + " 4, 6, 8  ·  words: resource, latency  ·  blocks to shrink: none, b1+b2");
        help.setWrapText(true);
        help.getStyleClass().add("hint");

        ComboBox<String> strategy = new ComboBox<>(FXCollections.observableArrayList(ExploreViewModel.strategies()));
        strategy.setId("strategy");
        strategy.valueProperty().bindBidirectional(vm.strategyProperty());
        strategy.setTooltip(new Tooltip("grid: every combination · random: seeded draws · nsga2: evolutionary"
                + " multi-objective search · sensitivity: each layer alone · budget-walk: a resource budget from"
                + " 100 % down"));
        Spinner<Integer> evals = new Spinner<>(1, 1_000_000, vm.evaluationsProperty().get(), 50);
        evals.setId("evaluations");
        evals.setEditable(true);
        evals.setPrefWidth(100);
        commitOnFocusLoss(evals);
        evals.valueProperty().addListener((o, a, b) -> vm.evaluationsProperty().set(b));
        evals.disableProperty().bind(Bindings.createBooleanBinding(() -> List.of("grid", "sensitivity",
                "budget-walk").contains(vm.strategyProperty().get()), vm.strategyProperty()));
        Spinner<Integer> threads = new Spinner<>(1, 256, vm.threadsProperty().get());
        threads.setId("threads");
        threads.setEditable(true);
        threads.setPrefWidth(70);
        commitOnFocusLoss(threads);
        threads.valueProperty().addListener((o, a, b) -> vm.threadsProperty().set(b));
        GridPane opts = new GridPane();
        opts.setHgap(8);
        opts.setVgap(6);
        opts.addRow(0, caption("Strategy"), strategy);
        opts.addRow(1, caption("Evaluations"), evals);
        opts.addRow(2, caption("Threads"), threads);

        TextField out = new TextField();
        out.setId("out-dir");
        out.setPromptText("not saved");
        out.setEditable(false);
        out.textProperty().bind(Bindings.createStringBinding(() -> vm.outDirProperty().get() == null ? ""
                : vm.outDirProperty().get().toString(), vm.outDirProperty()));
        Button choose = new Button("Save to…");
        choose.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Folder for the sweep's result files");
            var f = dc.showDialog(getScene() == null ? null : getScene().getWindow());
            if (f != null) {
                vm.outDirProperty().set(f.toPath());
            }
        });
        HBox outRow = new HBox(6, out, choose);
        HBox.setHgrow(out, Priority.ALWAYS);

        Button start = new Button("Start");
        start.setId("start-sweep");
        start.setDefaultButton(true);
        start.disableProperty().bind(vm.runningProperty());
        start.setOnAction(e -> vm.start());
        Button pause = new Button();
        pause.setId("pause-sweep");
        pause.textProperty().bind(Bindings.when(vm.pausedProperty()).then("Resume").otherwise("Pause"));
        pause.disableProperty().bind(vm.runningProperty().not());
        pause.setOnAction(e -> {
            if (vm.pausedProperty().get()) {
                vm.resume();
            } else {
                vm.pause();
            }
        });
        Button cancel = new Button("Cancel");
        cancel.setId("cancel-sweep");
        cancel.disableProperty().bind(vm.runningProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        HBox buttons = new HBox(6, start, pause, cancel);

        ProgressBar bar = new ProgressBar();
        bar.setId("sweep-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(vm.progressProperty());
        bar.visibleProperty().bind(vm.runningProperty().or(vm.progressProperty().greaterThan(0)));
        Label status = new Label();
        status.setId("sweep-status");
        status.setWrapText(true);
        status.getStyleClass().add("hint");
        status.textProperty().bind(vm.statusProperty());
        Label error = new Label();
        error.setId("sweep-error");
        error.setWrapText(true);
        error.getStyleClass().add("error-text");
        error.textProperty().bind(vm.errorProperty());
        error.managedProperty().bind(vm.errorProperty().isNotEmpty());

        VBox box = new VBox(8, title, base, axes, new HBox(6, add, remove), help, opts, caption("Results folder"),
                outRow, buttons, bar, status, error);
        box.setPadding(new Insets(10));
        box.setPrefWidth(330);
        box.setMinWidth(260);
        box.getStyleClass().add("explore-setup");
        return box;
    }

    private static void commitOnFocusLoss(Spinner<Integer> s) {
        // a typed value counts when the field loses focus, not only on Enter
        s.focusedProperty().addListener((o, was, now) -> {
            if (!now) {
                try {
                    s.increment(0);
                } catch (RuntimeException e) {
                    s.getEditor().setText(String.valueOf(s.getValue()));
                }
            }
        });
    }

    private static Label caption(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("bar-caption");
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    // ------------------------------------------------------------------ details and comparison

    private Region details() {
        Label title = new Label("Selected point");
        title.getStyleClass().add("section-title");
        TextArea text = new TextArea();
        text.setId("selected-point");
        text.setEditable(false);
        text.setWrapText(true);
        text.getStyleClass().add("mono");
        text.textProperty().bind(Bindings.createStringBinding(() -> vm.selectedProperty().get() == null
                ? "Click a point on a plot." : ParetoChart.describe(vm.selectedProperty().get()),
                vm.selectedProperty()));
        VBox.setVgrow(text, Priority.ALWAYS);
        Button apply = new Button("Apply to model");
        apply.setId("apply-point");
        apply.disableProperty().bind(vm.selectedProperty().isNull());
        apply.setOnAction(e -> vm.apply(vm.selectedProperty().get()));
        apply.setTooltip(new Tooltip("Show this point in the Model tab: heat maps, masks, layer table and hardware"
                + " panel"));
        Button compare = new Button("Compare");
        compare.setId("compare-point");
        compare.disableProperty().bind(vm.selectedProperty().isNull());
        compare.setOnAction(e -> vm.compare(vm.selectedProperty().get()));
        compare.setTooltip(new Tooltip("Add to the comparison (the last two points)"));
        Button export = new Button("Export…");
        export.setId("export-point");
        export.disableProperty().bind(vm.selectedProperty().isNull());
        export.setOnAction(e -> vm.export(vm.selectedProperty().get()));
        export.setTooltip(new Tooltip("Write this point for the hardware flow: hls4ml configuration, ONNX, project"
                + " folder with masks, and a report whose plots show this sweep"));
        VBox box = new VBox(8, title, text, new HBox(6, apply, compare, export));
        box.setPadding(new Insets(10));
        box.setMinWidth(220);
        return box;
    }

    /** One row of the comparison: a layer (or the totals) under both points. */
    public record CompareRow(String name, PointResult.Layer a, PointResult.Layer b) {
    }

    private Region compareTable() {
        TableView<CompareRow> t = new TableView<>();
        t.setId("compare-table");
        t.setPlaceholder(new Label("Select a point on a plot and press Compare; then another."));
        TableColumn<CompareRow, String> name = new TableColumn<>("layer");
        name.setCellValueFactory(c -> new javafx.beans.property.SimpleStringProperty(c.getValue().name()));
        t.getColumns().add(name);
        Label heading = new Label();
        heading.setId("compare-heading");
        heading.setWrapText(true);
        Runnable refresh = () -> {
            t.getColumns().setAll(List.of(name));
            List<PointResult> pts = List.copyOf(vm.compared());
            for (int k = 0; k < pts.size(); k++) {
                PointResult p = pts.get(k);
                boolean first = k == 0;
                TableColumn<CompareRow, String> group = new TableColumn<>((first ? "A" : "B") + "  #" + p.id()
                        + String.format(Locale.ROOT, "  %.2f %%", 100 * p.accuracy()));
                group.getColumns().addAll(List.of(
                        col("sparsity", first, l -> String.format(Locale.ROOT, "%.1f %%", 100 * l.sparsity())),
                        col("bits", first, l -> l.bits() == 0 ? "" : String.valueOf(l.bits())),
                        col("RF", first, l -> l.reuseFactor() == 0 ? "" : String.valueOf(l.reuseFactor())),
                        col("DSP", first, l -> String.format(Locale.ROOT, "%,d", l.dsp())),
                        col("BRAM", first, l -> String.format(Locale.ROOT, "%,d", l.bram18())),
                        col("LUT", first, l -> String.format(Locale.ROOT, "%,d", l.lut())),
                        col("latency", first, l -> String.format(Locale.ROOT, "%,d", l.latencyCycles()))));
                t.getColumns().add(group);
            }
            List<CompareRow> rows = new ArrayList<>();
            if (!pts.isEmpty()) {
                PointResult a = pts.get(0);
                PointResult b = pts.size() > 1 ? pts.get(1) : null;
                for (PointResult.Layer la : a.layers()) {
                    PointResult.Layer lb = b == null ? null : b.layers().stream().filter(x -> x.name().equals(
                            la.name())).findFirst().orElse(null);
                    rows.add(new CompareRow(la.name(), la, lb));
                }
                rows.add(new CompareRow("total", total(a), b == null ? null : total(b)));
                heading.setText(headingText(a) + (b == null ? "" : "\n" + headingText(b)));
            } else {
                heading.setText("");
            }
            t.getItems().setAll(rows);
        };
        vm.compared().addListener((javafx.collections.ListChangeListener<PointResult>) c -> refresh.run());
        VBox box = new VBox(6, heading, t);
        box.setPadding(new Insets(6));
        VBox.setVgrow(t, Priority.ALWAYS);
        return box;
    }

    private static String headingText(PointResult p) {
        return String.format(Locale.ROOT, "#%d: %s %.2f %%, DSP %,d, BRAM18 %,d, LUT %,d, latency %,d cycles — %s",
                p.id(), p.metric(), 100 * p.accuracy(), p.dsp(), p.bram18(), p.lut(), p.latencyCycles(), p.choices());
    }

    private static PointResult.Layer total(PointResult p) {
        return new PointResult.Layer("total", p.sparsity(), 0, 0, "", p.dsp(), p.bram18(), p.lut(), p.ff(),
                p.latencyCycles());
    }

    private static TableColumn<CompareRow, String> col(String title, boolean first,
                                                        Function<PointResult.Layer, String> f) {
        TableColumn<CompareRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> {
            PointResult.Layer l = first ? cd.getValue().a() : cd.getValue().b();
            return new javafx.beans.property.SimpleStringProperty(l == null ? "" : f.apply(l));
        });
        c.setCellFactory(x -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
            }
        });
        c.getStyleClass().add("num");
        return c;
    }

    /** Brings a plot tab to the front by its title ("Compare", "Sensitivity", ...). */
    public void showTab(String title) {
        plots.getTabs().stream().filter(t -> t.getText().equals(title)).findFirst()
                .ifPresent(t -> plots.getSelectionModel().select(t));
    }

    /** The Pareto charts (for tests and benchmarks). */
    public List<ParetoChart> charts() {
        return allCharts();
    }

    public SensitivityView sensitivityView() {
        return sensitivity;
    }
}
