package dev.sparsimony.app;

import dev.sparsimony.app.explore.ExploreView;
import dev.sparsimony.app.hardware.HardwarePanel;
import dev.sparsimony.app.layer.LayerDetailView;
import dev.sparsimony.app.layer.LayerTable;
import dev.sparsimony.app.model.ModelSession;
import dev.sparsimony.app.prune.DesignBar;
import dev.sparsimony.app.prune.LayerSettingsTable;
import dev.sparsimony.app.prune.PrunePanel;
import dev.sparsimony.app.prune.QualityCurveChart;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import org.controlsfx.control.StatusBar;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The main window's content: menus, pruning bar, layer table + summary, layer views, status bar. View only. */
public final class MainWindow extends BorderPane {
    private final MainViewModel vm;
    private final PrunePanel prunePanel;
    private LayerDetailView detailView;
    private final StackPane detailSlot = new StackPane();
    private final VBox top;
    private final VBox left;
    private DesignBar designBar;
    private final LayerTable table;
    private final Label startup = new Label();
    private final Tab modelTab;
    private final Tab exploreTab;
    private final TabPane views;
    private final StackPane exploreSlot = new StackPane();
    private ExploreView exploreView;
    private LayerSettingsTable layerSettings;

    /**
     * @param deferCharts build the ChartFX views and the design-point bar only when {@link #attachDeferredViews()}
     *                    is called (after the window is shown), so the window appears sooner at start-up
     */
    public MainWindow(MainViewModel vm, boolean deferCharts) {
        this.vm = vm;
        getStyleClass().add("main-window");
        setId("main-window");

        prunePanel = new PrunePanel(vm.prune());
        prunePanel.slider().disableProperty().bind(Bindings.equal("knapsack",
                vm.prune().settings().selectionProperty()));
        top = new VBox(menuBar(), prunePanel);
        setTop(top);

        table = new LayerTable(vm.layers(), vm.selectedLayerProperty());
        VBox.setVgrow(table, Priority.ALWAYS);
        left = new VBox(10, summary(), tableHeader(), table);
        left.getStyleClass().add("model-panel");
        left.setMinWidth(Region.USE_PREF_SIZE);

        detailSlot.getStyleClass().add("detail-panel");
        if (!deferCharts) {
            attachDeferredViews();
        }

        SplitPane split = new SplitPane(left, detailSlot);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.37);
        SplitPane.setResizableWithParent(left, false);
        modelTab = new Tab("Model", split);
        modelTab.setId("tab-model");
        exploreTab = new Tab("Explore", exploreSlot);
        exploreTab.setId("tab-explore");
        views = new TabPane(modelTab, exploreTab);
        views.setId("views");
        views.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        views.getStyleClass().add("view-tabs");
        setCenter(views);
        // a point applied from a plot: show it in the model view
        vm.pointsShownProperty().addListener((o, a, b) -> views.getSelectionModel().select(modelTab));
        vm.exploreRequestedProperty().addListener((o, a, b) -> views.getSelectionModel().select(exploreTab));
        setBottom(statusBar());
        installDragAndDrop();
    }

    private MenuBar menuBar() {
        MenuItem open = item("_Open Model…", "Shortcut+O", vm::chooseAndOpenModel);
        MenuItem openFolder = item("Open Model _Folder…", "Shortcut+Shift+O", vm::chooseAndOpenModelFolder);
        MenuItem openData = item("Open _Data…", "Shortcut+D", vm::chooseAndOpenData);
        openData.disableProperty().bind(vm.sessionProperty().isNull());
        Menu recent = new Menu("Open _Recent");
        Runnable fillRecent = () -> {
            recent.getItems().clear();
            for (Path p : vm.recentFiles().items()) {
                MenuItem mi = new MenuItem(p.toString());
                mi.setMnemonicParsing(false);
                mi.setOnAction(e -> vm.openModel(p));
                recent.getItems().add(mi);
            }
            recent.setDisable(recent.getItems().isEmpty());
        };
        vm.recentFiles().items().addListener((ListChangeListener<Path>) c -> fillRecent.run());
        fillRecent.run();
        MenuItem save = item("_Save Design Point…", "Shortcut+S", vm::chooseAndSaveDesignPoint);
        save.disableProperty().bind(vm.sessionProperty().isNull());
        MenuItem demo = item("Open Built-in _Demo", null, vm::openDemo);
        MenuItem quit = item("_Quit", "Shortcut+Q", Platform::exit);
        Menu file = new Menu("_File", null, open, openFolder, openData, recent, new SeparatorMenuItem(), save,
                new SeparatorMenuItem(), demo,
                new SeparatorMenuItem(), quit);

        MenuItem undo = item("_Undo Sparsity Change", "Shortcut+Z", () -> vm.prune().undo());
        undo.disableProperty().bind(vm.prune().canUndoProperty().not());
        MenuItem redo = item("_Redo Sparsity Change", "Shortcut+Shift+Z", () -> vm.prune().redo());
        redo.disableProperty().bind(vm.prune().canRedoProperty().not());
        MenuItem reset = item("Reset Sparsity to _0 %", "Shortcut+0", () -> setSparsity(0));
        MenuItem up = item("Sparsity +5 %", "Shortcut+UP", () -> setSparsity(
                Math.min(100, vm.prune().sparsityPercentProperty().get() + 5)));
        MenuItem down = item("Sparsity −5 %", "Shortcut+DOWN", () -> setSparsity(
                Math.max(0, vm.prune().sparsityPercentProperty().get() - 5)));
        Menu edit = new Menu("_Edit", null, undo, redo, new SeparatorMenuItem(), up, down, reset);

        MenuItem focusSlider = item("Focus Sparsity _Slider", "Shortcut+L", () -> prunePanel.slider().requestFocus());
        MenuItem focusTable = item("Focus _Layer Table", "Shortcut+T", () -> table.requestFocus());
        Menu view = new Menu("_View", null, focusSlider, focusTable);

        MenuItem keys = item("_Keyboard Shortcuts", "F1", this::showShortcuts);
        MenuItem about = item("_About Sparsimony", null, this::showAbout);
        Menu help = new Menu("_Help", null, keys, about);
        MenuBar bar = new MenuBar(file, edit, view, help);
        bar.setUseSystemMenuBar(true);
        return bar;
    }

    private void setSparsity(double percent) {
        vm.prune().sparsityPercentProperty().set(percent);
        vm.prune().settle();
    }

    private static MenuItem item(String text, String accelerator, Runnable action) {
        MenuItem mi = new MenuItem(text);
        if (accelerator != null) {
            mi.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        mi.setOnAction(e -> action.run());
        return mi;
    }

    private Region summary() {
        Label name = new Label();
        name.setId("model-name");
        name.getStyleClass().add("model-name");
        name.textProperty().bind(vm.modelNameProperty());
        GridPane g = new GridPane();
        g.getStyleClass().add("summary-grid");
        g.setHgap(14);
        g.setVgap(2);
        addFact(g, 0, "Parameters", vm.parameterTextProperty(), "summary-params");
        addFact(g, 1, "Kernel sparsity", vm.sparsityTextProperty(), "summary-sparsity");
        Label acc = new Label();
        acc.textProperty().bind(vm.prune().accuracyTextProperty());
        Label qCaption = addFact(g, 2, "Quality", acc.textProperty(), "summary-accuracy");
        qCaption.textProperty().bind(Bindings.createStringBinding(() -> {
            ModelSession s = vm.sessionProperty().get();
            return s == null || !s.hasData() ? "QUALITY" : s.qualityName().toUpperCase(Locale.ROOT);
        }, vm.sessionProperty()));
        addFact(g, 3, "Storage", vm.storageTextProperty(), "summary-storage");
        Label data = new Label();
        data.setId("summary-data");
        data.getStyleClass().add("hint");
        data.textProperty().bind(Bindings.concat("Data: ", vm.dataTextProperty()));
        VBox box = new VBox(4, name, g, data);
        box.getStyleClass().add("summary");
        return box;
    }

    private static Label addFact(GridPane g, int col, String caption,
                                 javafx.beans.value.ObservableValue<String> value, String id) {
        Label c = new Label(caption.toUpperCase(Locale.ROOT));
        c.getStyleClass().add("fact-caption");
        c.setMinWidth(Region.USE_PREF_SIZE);
        Label v = new Label();
        v.setId(id);
        v.getStyleClass().addAll("fact-value", "num");
        v.setMinWidth(Region.USE_PREF_SIZE);
        v.textProperty().bind(value);
        g.add(c, col, 0);
        g.add(v, col, 1);
        return c;
    }

    private Region tableHeader() {
        Label l = new Label("Layers");
        l.getStyleClass().add("section-title");
        return l;
    }

    private Region statusBar() {
        // ControlsFX StatusBar: message on the left, its own progress bar while anything runs in the background
        StatusBar bar = new StatusBar();
        bar.setId("status-bar");
        bar.textProperty().bind(vm.statusProperty());
        bar.progressProperty().bind(Bindings.when(vm.busyBinding()).then(-1.0).otherwise(0.0));
        bar.getStyleClass().add("status-bar");
        return bar;
    }

    private void installDragAndDrop() {
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        // a visible frame while files are dragged over the window
        setOnDragEntered(e -> {
            if (e.getDragboard().hasFiles()) {
                getStyleClass().add("drop-target");
            }
        });
        setOnDragExited(e -> getStyleClass().remove("drop-target"));
        setOnDragDropped(e -> {
            List<File> files = e.getDragboard().getFiles();
            boolean ok = files != null && !files.isEmpty();
            if (ok) {
                openDropped(files.get(0).toPath());
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    /** Data files dropped on an open model become its validation data; anything else is opened as a model. */
    void openDropped(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean data = n.endsWith(".npz") || n.endsWith(".npy") || n.endsWith(".csv");
        if (data && vm.sessionProperty().get() != null) {
            vm.openData(p);
        } else {
            vm.openModel(p);
        }
    }

    /** Builds and shows the layer views (ChartFX) and the design-point bar if not done yet. JavaFX thread. */
    public void attachDeferredViews() {
        if (detailView == null) {
            detailView = new LayerDetailView(vm.detailProperty());
            detailSlot.getChildren().setAll(detailView);
            HardwarePanel hw = new HardwarePanel(vm.hardware());
            detailView.addBottomTab("Hardware", hw, true).setId("tab-hardware");
            layerSettings = new LayerSettingsTable(vm.prune().settings());
            detailView.addBottomTab("Layer settings", layerSettings, false).setId("tab-layer-settings");
            Runnable layers = () -> {
                ModelSession s = vm.sessionProperty().get();
                layerSettings.setLayers(s == null ? List.of() : s.model().prunableNodes().stream()
                        .map(n -> n.name()).toList());
            };
            vm.sessionProperty().addListener((o, a, b) -> layers.run());
            layers.run();
            exploreView = new ExploreView(vm.explore());
            exploreSlot.getChildren().setAll(exploreView);
            QualityCurveChart curve = new QualityCurveChart(vm.sweep(), vm.prune().computedSparsityProperty()
                    .multiply(100), vm.prune().accuracyProperty());
            curve.getStyleClass().add("card");
            curve.setPrefHeight(240);
            curve.setMinHeight(200);
            left.getChildren().add(curve);
        }
        if (designBar == null) {
            designBar = new DesignBar(vm.prune());
            top.getChildren().add(designBar);
        }
    }

    /** Remembered for Help > About (the log has it too). */
    public void setStartupTime(long millis) {
        startup.setText("Window shown " + millis + " ms after process start.");
    }

    private void showShortcuts() {
        Alert a = new Alert(Alert.AlertType.INFORMATION, """
                Ctrl+O            Open model file
                Ctrl+Shift+O      Open model folder
                Ctrl+D            Open validation data
                Ctrl+S            Save the design point (JSON for the CLI)
                Ctrl+Z / Ctrl+Shift+Z   Undo / redo sparsity change
                Ctrl+Up / Ctrl+Down     Sparsity ±5 %
                Ctrl+0            Reset sparsity to 0 %
                Ctrl+L            Focus the sparsity slider (then ← → for ±1 %)
                Ctrl+T            Focus the layer table (↑ ↓ to change layer)
                Ctrl+Q            Quit""", ButtonType.OK);
        a.initOwner(getScene().getWindow());
        a.setHeaderText("Keyboard shortcuts");
        a.getDialogPane().lookup(".content").setStyle("-fx-font-family: 'DejaVu Sans Mono', monospace;");
        a.show();
    }

    private void showAbout() {
        Alert a = new Alert(Alert.AlertType.INFORMATION,
                "Sparsimony: explore pruning and quantization of neural networks for FPGA (hls4ml-style) flows.\n\n"
                        + startup.getText(),
                ButtonType.OK);
        a.initOwner(getScene().getWindow());
        a.setHeaderText("Sparsimony");
        a.show();
    }

    public PrunePanel prunePanel() {
        return prunePanel;
    }

    public LayerDetailView detailView() {
        return detailView;
    }

    public ExploreView exploreView() {
        return exploreView;
    }

    public LayerSettingsTable layerSettings() {
        return layerSettings;
    }

    public TabPane views() {
        return views;
    }

    public LayerTable layerTable() {
        return table;
    }
}
