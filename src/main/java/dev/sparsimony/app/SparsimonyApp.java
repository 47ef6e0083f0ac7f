package dev.sparsimony.app;

import dev.sparsimony.app.dialogs.FxDialogService;
import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.RecentFiles;
import dev.sparsimony.app.prune.DesignSettings;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Sparsimony desktop application. Argument: an optional model file or folder to open; without one,
 * {@code sample-models/jet-mlp} when that folder exists, else the built-in demo model.
 */
public class SparsimonyApp extends Application {
    static final Path DEFAULT_MODEL = Path.of("sample-models", "jet-mlp");
    private static final Logger LOG = LoggerFactory.getLogger(SparsimonyApp.class);
    private MainViewModel vm;

    public static void main(String[] args) {
        preloadChartClasses();
        Application.launch(SparsimonyApp.class, args);
    }

    /** Starts the GUI (blocks until the window is closed); called by {@code dev.sparsimony.Launcher}. */
    public static void launch(String... args) {
        main(args);
    }

    @Override
    public void start(Stage stage) {
        long enteredStart = sinceProcessStart();
        EngineGateway engine = EngineGateway.defaultGateway();
        MainWindow window = createWindow(stage, engine, RecentFiles.userPreferences(), true);
        stage.addEventHandler(WindowEvent.WINDOW_SHOWN, e -> {
            long ms = sinceProcessStart();
            // CPU time too: on a busy machine the wall time says more about the neighbours than about us
            long cpu = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);
            LOG.info("window shown {} ms after process start (JavaFX start() entered after {} ms; {} ms CPU)", ms,
                    enteredStart, cpu);
            window.setStartupTime(ms);
            Platform.runLater(window::attachDeferredViews);
            // the numeric runtime (ND4J) starts in the background once the window is up: started earlier, its
            // native-library loading competes with the window for the CPU
            engine.warmUpAsync();
        });
        stage.show();
        applyInitialSparsity();
        GuiArgs args;
        try {
            args = GuiArgs.parse(getParameters().getRaw());
        } catch (IllegalArgumentException e) {
            vm.dialogs().showError("Cannot start the sweep", e.getMessage());
            args = new GuiArgs(null, null, null, null, null);
        }
        if (args.space() != null) {
            startSpaceOnceOpen(args);
        }
        Path initial = args.model() != null ? args.model() : initialModel(List.of());
        if (initial != null) {
            vm.openModel(initial);
        } else {
            vm.openDemo();
        }
    }

    /** Builds the main window in {@code stage} (not shown); tests use it with their own engine. */
    MainWindow createWindow(Stage stage, EngineGateway engine, RecentFiles recent, boolean deferCharts) {
        FxDialogService dialogs = new FxDialogService(stage);
        vm = new MainViewModel(engine, dialogs, recent);
        MainWindow window = new MainWindow(vm, deferCharts);
        stage.setScene(scene(window));
        stage.titleProperty().unbind();
        stage.titleProperty().bind(vm.modelNameProperty().concat(" — Sparsimony"));
        stage.setMinWidth(1000);
        stage.setMinHeight(640);
        for (int size : new int[] {16, 32, 64, 128}) {
            var icon = SparsimonyApp.class.getResource("icon-" + size + ".png");
            if (icon != null) {
                stage.getIcons().add(new Image(icon.toExternalForm(), true)); // loaded in the background
            }
        }
        return window;
    }

    static Scene scene(MainWindow window) {
        // 1480x920 where it fits, else most of the screen (small laptop screens, headless test screens)
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(window, Math.min(1480, screen.getWidth() * 0.94),
                Math.min(920, screen.getHeight() * 0.92));
        scene.getStylesheets().add(Objects.requireNonNull(
                SparsimonyApp.class.getResource("sparsimony.css")).toExternalForm());
        return scene;
    }

    /**
     * For demos and screenshots: {@code -Dsparsimony.gui.sparsity=P} sets the slider to P % once the first model is
     * open; {@code sparsimony.gui.granularity}, {@code .params}, {@code .selection}, {@code .bits} preset the
     * design-point bar, {@code sparsimony.gui.layer} selects a layer.
     */
    private void applyInitialSparsity() {
        var settings = vm.prune().settings();
        String g = System.getProperty("sparsimony.gui.granularity");
        if (g != null) {
            settings.granularityProperty().set(g);
        }
        String params = System.getProperty("sparsimony.gui.params");
        if (params != null) {
            settings.paramsProperty().set(params);
        }
        String sel = System.getProperty("sparsimony.gui.selection");
        if (sel != null) {
            settings.selectionProperty().set(sel);
        }
        String bits = System.getProperty("sparsimony.gui.bits");
        if (bits != null) {
            settings.weightBitsProperty().set(Integer.parseInt(bits));
        }
        String p = System.getProperty("sparsimony.gui.sparsity");
        if (p == null) {
            return;
        }
        double v = Double.parseDouble(p);
        vm.sessionProperty().addListener(new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends dev.sparsimony.app.model.ModelSession> o,
                                dev.sparsimony.app.model.ModelSession old, dev.sparsimony.app.model.ModelSession n) {
                vm.sessionProperty().removeListener(this);
                // after the slider reset that follows every newly opened model
                Platform.runLater(() -> {
                    vm.prune().sparsityPercentProperty().set(v);
                    String layer = System.getProperty("sparsimony.gui.layer");
                    if (layer != null) {
                        vm.selectedLayerProperty().set(layer);
                    }
                });
            }
        });
    }

    /** {@code gui [MODEL] [--space SPACE.json] [--out DIR] [--strategy S] [--evaluations N]}. */
    record GuiArgs(Path model, Path space, Path out, String strategy, Integer evaluations) {
        static GuiArgs parse(List<String> raw) {
            Path model = null;
            Path space = null;
            Path out = null;
            String strategy = null;
            Integer evaluations = null;
            for (int i = 0; i < raw.size(); i++) {
                String a = raw.get(i);
                String v = i + 1 < raw.size() ? raw.get(i + 1) : null;
                switch (a) {
                    case "--space", "--out", "--strategy", "--evaluations" -> {
                        if (v == null) {
                            throw new IllegalArgumentException(a + " needs a value");
                        }
                        i++;
                        switch (a) {
                            case "--space" -> space = Path.of(v);
                            case "--out" -> out = Path.of(v);
                            case "--strategy" -> strategy = v;
                            default -> {
                                try {
                                    evaluations = Integer.parseInt(v);
                                } catch (NumberFormatException e) {
                                    throw new IllegalArgumentException("--evaluations must be a whole number, got "
                                            + v);
                                }
                            }
                        }
                    }
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a + " (gui takes MODEL, --space,"
                                    + " --out, --strategy, --evaluations)");
                        }
                        model = Path.of(a);
                    }
                }
            }
            return new GuiArgs(model, space, out, strategy, evaluations);
        }
    }

    /** Once the model and its data are open, the sweep of {@code --space} starts (results saved to --out). */
    private void startSpaceOnceOpen(GuiArgs args) {
        vm.sessionProperty().addListener(new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends dev.sparsimony.app.model.ModelSession> o,
                                dev.sparsimony.app.model.ModelSession old, dev.sparsimony.app.model.ModelSession n) {
                if (n == null) {
                    return;
                }
                vm.sessionProperty().removeListener(this);
                Platform.runLater(() -> vm.exploreSpaceFile(args.space(), args.out(), args.strategy(),
                        args.evaluations()));
            }
        });
    }

    MainViewModel viewModel() {
        return vm;
    }

    /**
     * Loads (without initialising) the chart library's classes on a second core while the JavaFX toolkit starts;
     * they are the bulk of the class loading before the layer views appear.
     */
    private static void preloadChartClasses() {
        Thread t = new Thread(() -> {
            ClassLoader cl = SparsimonyApp.class.getClassLoader();
            for (String c : new String[] {"io.fair_acc.chartfx.XYChart", "io.fair_acc.chartfx.Chart",
                    "io.fair_acc.chartfx.axes.spi.DefaultNumericAxis", "io.fair_acc.chartfx.axes.spi.AbstractAxis",
                    "io.fair_acc.chartfx.renderer.spi.ContourDataSetRenderer",
                    "io.fair_acc.chartfx.renderer.spi.ErrorDataSetRenderer",
                    "io.fair_acc.chartfx.renderer.spi.GridRenderer", "io.fair_acc.chartfx.plugins.Zoomer",
                    "io.fair_acc.chartfx.ui.css.DataSetNode", "io.fair_acc.chartfx.legend.spi.DefaultLegend",
                    "io.fair_acc.dataset.spi.DataSetBuilder", "io.fair_acc.dataset.spi.DoubleDataSet",
                    "io.fair_acc.dataset.spi.DoubleGridDataSet"}) {
                try {
                    Class.forName(c, false, cl);
                } catch (ClassNotFoundException | LinkageError e) {
                    // only a warm-up: the class is loaded again, with a proper error, when first used
                }
            }
            // the engine's registries (pure Java, safe to initialise here) fill the design-point bar's lists
            try {
                DesignSettings.granularities();
                DesignSettings.resources();
            } catch (RuntimeException | LinkageError e) {
                // reported when the bar is built
            }
        }, "sparsimony-preload");
        t.setDaemon(true);
        t.start();
    }

    private static long sinceProcessStart() {
        return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    static Path initialModel(List<String> args) {
        if (!args.isEmpty()) {
            return Path.of(args.get(0));
        }
        return Files.isDirectory(DEFAULT_MODEL) ? DEFAULT_MODEL : null;
    }

    @Override
    public void stop() {
        if (vm != null) {
            vm.shutdown();
        }
    }
}
