package dev.sparsimony.app;

import dev.sparsimony.app.dialogs.FxDialogService;
import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.RecentFiles;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.image.Image;
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
        Application.launch(SparsimonyApp.class, args);
    }

    /** Starts the GUI (blocks until the window is closed); called by {@code dev.sparsimony.Launcher}. */
    public static void launch(String... args) {
        main(args);
    }

    @Override
    public void start(Stage stage) {
        EngineGateway engine = EngineGateway.defaultGateway();
        // the numeric runtime (ND4J) starts in the background so the window appears at once
        engine.warmUpAsync();
        MainWindow window = createWindow(stage, engine, RecentFiles.userPreferences());
        stage.addEventHandler(WindowEvent.WINDOW_SHOWN, e -> {
            long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            LOG.info("window shown {} ms after process start", ms);
            window.setStartupTime(ms);
        });
        stage.show();
        Path initial = initialModel(getParameters().getUnnamed());
        if (initial != null) {
            vm.openModel(initial);
        } else {
            vm.openDemo();
        }
    }

    /** Builds the main window in {@code stage} (not shown); tests use it with their own engine. */
    MainWindow createWindow(Stage stage, EngineGateway engine, RecentFiles recent) {
        FxDialogService dialogs = new FxDialogService(stage);
        vm = new MainViewModel(engine, dialogs, recent);
        MainWindow window = new MainWindow(vm);
        stage.setScene(scene(window));
        stage.setTitle("Sparsimony");
        stage.titleProperty().bind(vm.modelNameProperty().concat(" — Sparsimony"));
        stage.setMinWidth(1000);
        stage.setMinHeight(640);
        var icon = SparsimonyApp.class.getResource("icon-64.png");
        if (icon != null) {
            stage.getIcons().add(new Image(icon.toExternalForm()));
        }
        return window;
    }

    static Scene scene(MainWindow window) {
        Scene scene = new Scene(window, 1480, 920);
        scene.getStylesheets().add(Objects.requireNonNull(
                SparsimonyApp.class.getResource("sparsimony.css")).toExternalForm());
        return scene;
    }

    MainViewModel viewModel() {
        return vm;
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
