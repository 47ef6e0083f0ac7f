package dev.sparsimony.app;

import dev.sparsimony.app.dialogs.DialogService;
import dev.sparsimony.app.explore.ExploreViewModel;
import dev.sparsimony.app.hardware.HardwareViewModel;
import dev.sparsimony.app.layer.LayerDetail;
import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.LayerRow;
import dev.sparsimony.app.model.ModelSession;
import dev.sparsimony.app.model.RecentFiles;
import dev.sparsimony.app.model.SampleModels;
import dev.sparsimony.app.prune.PruneViewModel;
import dev.sparsimony.app.prune.SweepViewModel;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointCodec;
import dev.sparsimony.engine.explore.SearchSpace;
import dev.sparsimony.engine.explore.DesignResult;
import dev.sparsimony.engine.report.LayerSummary;
import dev.sparsimony.engine.metric.Quality;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.NonFinite;
import dev.sparsimony.engine.model.NonFiniteException;
import dev.sparsimony.engine.model.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;

/**
 * State of the main window: the opened model and data, the layer table, the selected layer's views and the
 * pruning slider. Talks to the engine only through {@link EngineGateway}, on background tasks; everything here is
 * touched on the JavaFX thread only.
 */
public final class MainViewModel {
    private final EngineGateway engine;
    private final DialogService dialogs;
    private final RecentFiles recent;
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sparsimony-io");
        t.setDaemon(true);
        return t;
    });

    private final ReadOnlyObjectWrapper<ModelSession> session = new ReadOnlyObjectWrapper<>(this, "session");
    private final ObservableList<LayerRow> layers = FXCollections.observableArrayList();
    private final ObjectProperty<String> selectedLayer = new SimpleObjectProperty<>(this, "selectedLayer");
    private final ReadOnlyObjectWrapper<LayerDetail> detail = new ReadOnlyObjectWrapper<>(this, "detail");
    private final ReadOnlyStringWrapper modelName = new ReadOnlyStringWrapper(this, "modelName", "no model");
    private final ReadOnlyStringWrapper parameterText = new ReadOnlyStringWrapper(this, "parameterText", "–");
    private final ReadOnlyStringWrapper sparsityText = new ReadOnlyStringWrapper(this, "sparsityText", "–");
    private final ReadOnlyStringWrapper storageText = new ReadOnlyStringWrapper(this, "storageText", "–");
    private final ReadOnlyStringWrapper dataText = new ReadOnlyStringWrapper(this, "dataText", "no data");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "Ready");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final PruneViewModel prune;
    private final SweepViewModel sweep;
    private final HardwareViewModel hardware;
    private final ExploreViewModel explore;
    /** Incremented whenever a point from elsewhere (a plot, a file) is shown: the window brings the model view up. */
    private final javafx.beans.property.ReadOnlyIntegerWrapper pointsShown =
            new javafx.beans.property.ReadOnlyIntegerWrapper(this, "pointsShown");

    public MainViewModel(EngineGateway engine, DialogService dialogs, RecentFiles recent) {
        this.engine = engine;
        this.dialogs = dialogs;
        this.recent = recent;
        this.prune = new PruneViewModel(engine, session.getReadOnlyProperty(),
                msg -> dialogs.showError("Pruning failed", msg));
        this.sweep = new SweepViewModel(engine, session.getReadOnlyProperty(), prune.settings());
        this.hardware = new HardwareViewModel(engine, prune);
        this.explore = new ExploreViewModel(engine, session.getReadOnlyProperty(), this::explorationBase,
                this::showPoint);
        prune.prunedProperty().addListener((obs, o, n) -> refreshFromPruned());
        selectedLayer.addListener((obs, o, n) -> refreshDetail());
    }

    // ------------------------------------------------------------------ commands

    /**
     * Opens a model file or folder in the background; on failure shows the error and keeps the current model. A model
     * with NaN or infinite weights is opened only when the user says so (the engine's one NaN/Inf policy).
     */
    public void openModel(Path path) {
        openModel(path, NonFinite.Policy.REFUSE);
    }

    private void openModel(Path path, NonFinite.Policy policy) {
        runIo("Loading " + path.getFileName() + "…", () -> {
            long t0 = System.nanoTime();
            Model m = engine.loadModel(path, policy);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            ModelSession s = new ModelSession(path, m, null, null, null, null);
            Path data = engine.defaultValidationData(path).orElse(null);
            s = data == null ? s.withData(null, null, null, "no validation data beside the model")
                    : withData(s, data);
            return new Loaded(s, "Opened " + m.name() + " in " + ms + " ms");
        }, loaded -> {
            recent.add(path);
            show(loaded);
        }, "Cannot open " + path.getFileName(), nf -> {
            String q = path.getFileName() + " holds NaN or infinite weights: " + NonFinite.summary(nf.findings())
                    + ". Outputs computed with them are NaN or meaningless. Open it anyway?";
            if (dialogs.confirm("NaN or infinite weights", q)) {
                openModel(path, NonFinite.Policy.ALLOW);
            } else {
                status.set("Not opened: " + path.getFileName() + " holds NaN or infinite weights");
            }
        });
    }

    /** Opens validation data for the current model; data with NaN or infinite values only when the user says so. */
    public void openData(Path path) {
        openData(path, NonFinite.Policy.REFUSE);
    }

    private void openData(Path path, NonFinite.Policy policy) {
        ModelSession current = session.get();
        if (current == null) {
            dialogs.showError("No model", "open a model before its validation data");
            return;
        }
        runIo("Loading data " + path.getFileName() + "…", () -> {
            // NaN/Inf: the question below; any other problem: the error dialog
            ModelSession s = measured(current, path, engine.loadData(path, policy));
            if (!s.hasData()) {
                // unreadable data, or data the model cannot run (wrong feature count): keep the current data
                throw new ModelException(s.dataNote());
            }
            return new Loaded(s, "Validation data: " + path.getFileName());
        }, this::show, "Cannot use data " + path.getFileName(), nf -> {
            String q = path.getFileName() + " holds NaN or infinite values: " + NonFinite.summary(nf.findings())
                    + ". Accuracies measured on them are meaningless. Use it anyway?";
            if (dialogs.confirm("NaN or infinite data", q)) {
                openData(path, NonFinite.Policy.ALLOW);
            } else {
                status.set("Not used: " + path.getFileName() + " holds NaN or infinite values");
            }
        });
    }

    /** Shows the built-in demonstration model (when no model is given and no sample folder exists). */
    public void openDemo() {
        runIo("Building demo model…", () -> {
            Model m = SampleModels.demoMlp(42);
            Dataset d = SampleModels.demoData(7, 1000);
            Quality base = engine.evaluate(m, m, d);
            return new Loaded(new ModelSession(null, m, d, null, base, null),
                    "Built-in demo model (random weights; quality = agreement with the unpruned model)");
        }, this::show, "Cannot build the demo model");
    }

    public void chooseAndOpenModel() {
        dialogs.chooseModel(initialDirectory()).ifPresent(this::openModel);
    }

    public void chooseAndOpenModelFolder() {
        dialogs.chooseModelFolder(initialDirectory()).ifPresent(this::openModel);
    }

    /** Saves the current design point as JSON (what {@code sparsimony estimate --config POINT.json} reads). */
    public void chooseAndSaveDesignPoint() {
        ModelSession s = session.get();
        String base = s == null ? "design-point" : s.model().name();
        String name = String.format(Locale.ROOT, "%s-%s-%.0f.json", base,
                prune.settings().granularityProperty().get(), prune.sparsityPercentProperty().get());
        dialogs.chooseDesignPointTarget(initialDirectory(), name).ifPresent(this::saveDesignPoint);
    }

    public void saveDesignPoint(Path target) {
        DesignPoint point;
        try {
            point = prune.currentDesignPoint();
        } catch (ModelException e) {
            dialogs.showError("Cannot save the design point", e.getMessage());
            return;
        }
        runIo("Saving " + target.getFileName() + "…", () -> {
            DesignPointCodec.write(target, point); // the one codec of design points (atomic write)
            return target;
        }, p -> status.set("Saved design point " + p.getFileName()), "Cannot save " + target.getFileName());
    }

    public void chooseAndOpenData() {
        dialogs.chooseData(initialDirectory()).ifPresent(this::openData);
    }

    private Path initialDirectory() {
        ModelSession s = session.get();
        if (s != null && s.source() != null) {
            Path p = s.source().toAbsolutePath();
            return Files.isDirectory(p) ? p.getParent() : p.getParent();
        }
        return recent.items().isEmpty() ? null : recent.items().get(0).getParent();
    }

    /** Reads data and measures the unpruned model's quality on it; problems become a note, not a failure. */
    private ModelSession withData(ModelSession s, Path dataPath) {
        Dataset d;
        try {
            d = engine.loadData(dataPath);
        } catch (ModelException e) {
            return s.withData(null, null, null, e.getMessage());
        }
        return measured(s, dataPath, d);
    }

    /** The session with data {@code d} and the unpruned model's quality on it (a problem becomes the note). */
    private ModelSession measured(ModelSession s, Path dataPath, Dataset d) {
        try {
            return s.withData(d, dataPath, engine.evaluate(s.model(), s.model(), d), null);
        } catch (ModelException e) {
            return s.withData(d, dataPath, null, e.getMessage());
        }
    }

    private record Loaded(ModelSession session, String message) {
    }

    private <T> void runIo(String message, Callable<T> work, Consumer<T> onSuccess, String errorTitle) {
        runIo(message, work, onSuccess, errorTitle, null);
    }

    /** As above; {@code onNonFinite} (may be null) handles non-finite weights instead of the error dialog. */
    private <T> void runIo(String message, Callable<T> work, Consumer<T> onSuccess, String errorTitle,
                           Consumer<NonFiniteException> onNonFinite) {
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                return work.call();
            }
        };
        status.set(message);
        loading.set(true);
        task.setOnSucceeded(e -> {
            loading.set(false);
            onSuccess.accept(task.getValue());
        });
        task.setOnFailed(e -> {
            loading.set(false);
            Throwable ex = task.getException();
            if (ex instanceof NonFiniteException nf && onNonFinite != null) {
                onNonFinite.accept(nf);
                return;
            }
            String msg = ex instanceof ModelException ? ex.getMessage() : String.valueOf(ex);
            status.set(errorTitle + ": " + msg);
            dialogs.showError(errorTitle, msg);
        });
        io.execute(task);
    }

    private void show(Loaded loaded) {
        ModelSession s = loaded.session();
        String keep = selectedLayer.get();
        session.set(s); // resets the pruning slider (PruneViewModel listens)
        modelName.set(s.model().name());
        parameterText.set(String.format("%,d", s.model().parameterCount()));
        if (s.data() == null) {
            dataText.set(s.dataNote() == null ? "no data" : "no data");
        } else {
            dataText.set(String.format("%s · %,d samples%s", s.dataSource() == null ? s.data().name()
                    : s.dataSource().getFileName(), s.data().size(), s.data().hasLabels() ? "" : " (no labels)"));
        }
        refreshFromPruned();
        List<Node> prunable = s.model().prunableNodes();
        if (keep != null && s.model().hasNode(keep) && s.model().node(keep).op().isPrunable()) {
            refreshDetail();
        } else {
            selectedLayer.set(prunable.isEmpty() ? null : prunable.get(0).name());
        }
        String note = s.dataNote() == null ? "" : " · " + s.dataNote();
        status.set(loaded.message() + note);
    }

    private void refreshFromPruned() {
        Model m = prune.prunedProperty().get();
        if (m == null) {
            layers.clear();
            return;
        }
        List<LayerRow> rows = new ArrayList<>();
        Map<String, Integer> bits = new HashMap<>();
        DesignResult design = prune.designProperty().get();
        if (design != null) {
            design.layers().forEach(l -> bits.put(l.layer(), l.bitsPerWeight()));
        }
        try {
            for (LayerSummary ls : LayerSummary.of(m)) {
                rows.add(row(ls, bits.get(ls.name())));
            }
        } catch (ModelException e) {
            status.set("Cannot list the layers: " + e.getMessage());
        }
        layers.setAll(rows);
        sparsityText.set(String.format("%.1f %%", 100 * m.kernelSparsity()));
        storageText.set(design == null ? "–" : String.format("%,.1f KiB (%.1f×)",
                design.storage().bestBits() / 8.0 / 1024, design.storage().compressionRatio()));
        refreshDetail();
    }

    private static LayerRow row(LayerSummary s, Integer designBits) {
        String shape = s.outputShape() == null ? "?" : shapeWithoutBatch(s.outputShape());
        // float models: 32-bit weights unless the design point quantizes them
        int bits = s.parameters() == 0 ? 0 : designBits != null ? designBits : 32;
        return new LayerRow(s.name(), s.type(), shape, s.parameters(), s.prunable() ? s.sparsity() : Double.NaN,
                bits, s.prunable());
    }

    /** "26×26×8" for a [1, 26, 26, 8] output (batch axis dropped; -1 shown as "?"). */
    static String shapeWithoutBatch(int[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < shape.length; i++) {
            sb.append(i == 1 ? "" : "×").append(shape[i] < 0 ? "?" : String.valueOf(shape[i]));
        }
        return sb.length() == 0 ? "scalar" : sb.toString();
    }

    private void refreshDetail() {
        ModelSession s = session.get();
        Model m = prune.prunedProperty().get();
        String name = selectedLayer.get();
        if (s == null || m == null || name == null || !s.model().hasNode(name)
                || !s.model().node(name).op().isPrunable()) {
            detail.set(null);
            return;
        }
        detail.set(LayerDetail.of(s.model().node(name), m.node(name), prune.structuresProperty().get().get(name)));
    }

    /** The base of a window sweep: the design point of the bar, slider and per-layer settings. */
    private DesignPoint explorationBase() {
        return prune.currentDesignPoint();
    }

    /** Shows a design point in the model view (every control takes its values). */
    public void showPoint(DesignPoint p) {
        prune.applyPoint(p);
        pointsShown.set(pointsShown.get() + 1);
        status.set("Showing design point " + (p.name() == null ? "" : p.name()) + " (" + p.key() + ")");
    }

    /**
     * Reads a search-space file and starts its sweep at once ({@code gui MODEL --space SPACE.json --out DIR}): the
     * space's base point is shown in the model view, its axes fill the Explore tab, and the results go to
     * {@code out} as {@code sparsimony explore} writes them. A bad file is a dialog; nothing starts.
     */
    public void exploreSpaceFile(Path spaceFile, Path out, String strategy, Integer evaluations) {
        runIo("Reading " + spaceFile.getFileName() + "…", () -> SearchSpace.read(spaceFile), space -> {
            prune.applyPoint(space.base());
            explore.startSpace(space, out, strategy, evaluations);
            exploreRequested.set(exploreRequested.get() + 1);
        }, "Cannot read the search space " + spaceFile.getFileName());
    }

    private final javafx.beans.property.ReadOnlyIntegerWrapper exploreRequested =
            new javafx.beans.property.ReadOnlyIntegerWrapper(this, "exploreRequested");

    /** Incremented when a sweep starts from outside the Explore tab: the window brings the tab up. */
    public javafx.beans.property.ReadOnlyIntegerProperty exploreRequestedProperty() {
        return exploreRequested.getReadOnlyProperty();
    }

    public DialogService dialogs() {
        return dialogs;
    }

    public javafx.beans.property.ReadOnlyIntegerProperty pointsShownProperty() {
        return pointsShown.getReadOnlyProperty();
    }

    public ExploreViewModel explore() {
        return explore;
    }

    public void shutdown() {
        explore.shutdown();
        io.shutdownNow();
        prune.shutdown();
        sweep.shutdown();
        hardware.shutdown();
    }

    // ------------------------------------------------------------------ properties

    public ReadOnlyObjectProperty<ModelSession> sessionProperty() {
        return session.getReadOnlyProperty();
    }

    public ObservableList<LayerRow> layers() {
        return layers;
    }

    public ObjectProperty<String> selectedLayerProperty() {
        return selectedLayer;
    }

    public ReadOnlyObjectProperty<LayerDetail> detailProperty() {
        return detail.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty modelNameProperty() {
        return modelName.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty parameterTextProperty() {
        return parameterText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty sparsityTextProperty() {
        return sparsityText.getReadOnlyProperty();
    }

    /** Best storage of the weights for the current design point and its ratio to 32-bit dense, or "–". */
    public ReadOnlyStringProperty storageTextProperty() {
        return storageText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty dataTextProperty() {
        return dataText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public void setStatus(String message) {
        status.set(message);
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** True while anything runs in the background (loading or pruning). */
    public BooleanBinding busyBinding() {
        return Bindings.or(loading, prune.computingProperty());
    }

    public HardwareViewModel hardware() {
        return hardware;
    }

    public PruneViewModel prune() {
        return prune;
    }

    public SweepViewModel sweep() {
        return sweep;
    }

    public RecentFiles recentFiles() {
        return recent;
    }
}
