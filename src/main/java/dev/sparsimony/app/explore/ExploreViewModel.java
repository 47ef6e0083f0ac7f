package dev.sparsimony.app.explore;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.ModelSession;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointCodec;
import dev.sparsimony.engine.explore.EvaluationBackend;
import dev.sparsimony.engine.explore.Exploration;
import dev.sparsimony.engine.explore.LocalBackend;
import dev.sparsimony.engine.explore.PointResult;
import dev.sparsimony.engine.explore.PruneSpec;
import dev.sparsimony.engine.explore.SearchSpace;
import dev.sparsimony.engine.explore.Strategies;
import dev.sparsimony.engine.explore.SweepRunner;
import dev.sparsimony.engine.infer.Nd4jRuntime;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Duration;

/**
 * The exploration of the window: a search space set up from the current design point (the base) and axes edited
 * in a table, a strategy and an evaluation budget; start, pause, resume and cancel; results that arrive in batches
 * (every 100 ms at most) for the plots; the selected point and up to two points to compare. The sweep is the
 * engine's {@link Exploration} on {@link SweepRunner} workers (the same classes as {@code sparsimony explore}).
 * JavaFX thread only, except the sweep itself.
 */
public final class ExploreViewModel {
    /** One axis as the user edits it: a field path and its values as text ("0, 0.25, 0.5", "0:0.9:0.1", "4, 8"). */
    public static final class AxisEntry {
        private final StringProperty field = new SimpleStringProperty(this, "field", "");
        private final StringProperty values = new SimpleStringProperty(this, "values", "");

        public AxisEntry(String field, String values) {
            this.field.set(field);
            this.values.set(values);
        }

        public StringProperty fieldProperty() {
            return field;
        }

        public StringProperty valuesProperty() {
            return values;
        }
    }

    private final EngineGateway engine;
    private final ReadOnlyObjectProperty<ModelSession> session;
    private final Supplier<DesignPoint> basePoint;
    private final Consumer<DesignPoint> applyPoint;
    private final ObservableList<AxisEntry> axes = FXCollections.observableArrayList();
    private final StringProperty strategy = new SimpleStringProperty(this, "strategy", "grid");
    private final IntegerProperty evaluations = new SimpleIntegerProperty(this, "evaluations", 200);
    private final IntegerProperty threads = new SimpleIntegerProperty(this, "threads",
            Runtime.getRuntime().availableProcessors());
    private final ObjectProperty<Path> outDir = new SimpleObjectProperty<>(this, "outDir");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyBooleanWrapper paused = new ReadOnlyBooleanWrapper(this, "paused");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyObjectWrapper<PointResult> reference = new ReadOnlyObjectWrapper<>(this, "reference");
    private final ReadOnlyObjectWrapper<PointResult> selected = new ReadOnlyObjectWrapper<>(this, "selected");
    private final ObservableList<PointResult> compared = FXCollections.observableArrayList();
    private final List<PointResult> results = new ArrayList<>();
    private final List<Consumer<List<PointResult>>> batchListeners = new ArrayList<>();
    private final List<Runnable> clearListeners = new ArrayList<>();
    private final ConcurrentLinkedQueue<PointResult> arrived = new ConcurrentLinkedQueue<>();
    private final Timeline drain = new Timeline(new KeyFrame(Duration.millis(100), e -> drain()));
    private volatile Exploration exploration;
    private volatile SweepRunner runner;
    private long generation;

    /**
     * @param basePoint  the current design point of the model view (the space's base)
     * @param applyPoint shows a point in the model view
     */
    public ExploreViewModel(EngineGateway engine, ReadOnlyObjectProperty<ModelSession> session,
                            Supplier<DesignPoint> basePoint, Consumer<DesignPoint> applyPoint) {
        this.engine = engine;
        this.session = session;
        this.basePoint = basePoint;
        this.applyPoint = applyPoint;
        drain.setCycleCount(Timeline.INDEFINITE);
        axes.addAll(new AxisEntry("prune.sparsity", "0:0.9:0.1"), new AxisEntry("weights", "4, 6, 8, 12, 16"),
                new AxisEntry("hardware.reuseFactor", "1, 2, 4"));
        session.addListener((o, a, b) -> {
            cancel();
            clear();
        });
    }

    /** The fields an axis can vary on the opened model (the engine's list, as {@code explore --list-axes}). */
    public List<SearchSpace.Field> fields() {
        ModelSession s = session.get();
        List<String> layers = s == null ? List.of() : s.model().prunableNodes().stream().map(Node::name).toList();
        return SearchSpace.fields(layers, dev.sparsimony.engine.hardware.DeviceCatalogue.standard().names());
    }

    public static List<String> strategies() {
        return Strategies.ids();
    }

    /**
     * The space of the current base point and axes, read by the engine (which refuses a misspelt field or an
     * out-of-range value by name).
     */
    public SearchSpace space() {
        DesignPoint base = basePoint.get();
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("name", "window");
        root.set("base", DesignPointCodec.toTree(base));
        ArrayNode ax = root.putArray("axes");
        for (AxisEntry a : axes) {
            String field = a.fieldProperty().get().trim();
            if (field.isEmpty()) {
                continue;
            }
            ax.add(axisJson(field, a.valuesProperty().get(), fields()));
        }
        root.putObject("constraints").put("fitsDevice", true);
        return SearchSpace.read(root, "of the window");
    }

    /** An axis row as the space format: numbers, true/false or words; "a:b:step" ranges; bit widths for quantizers. */
    static ObjectNode axisJson(String field, String text, List<SearchSpace.Field> known) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("field", field);
        String t = text == null ? "" : text.trim();
        boolean bits = known.stream().anyMatch(f -> f.path().equals(field) && f.bits());
        if (t.matches("[-+0-9.eE]+:[-+0-9.eE]+:[-+0-9.eE]+") && !bits) {
            String[] p = t.split(":");
            ObjectNode r = o.putObject("range");
            try {
                r.put("from", Double.parseDouble(p[0]));
                r.put("to", Double.parseDouble(p[1]));
                r.put("step", Double.parseDouble(p[2]));
            } catch (NumberFormatException e) {
                throw new ModelException("axis '" + field + "': range '" + t + "' is not from:to:step");
            }
            return o;
        }
        ArrayNode v = o.putArray(bits ? "bits" : "values");
        for (String tok : t.split("[,;\\s]+")) {
            if (tok.isBlank()) {
                continue;
            }
            if (bits) {
                try {
                    v.add(Integer.parseInt(tok.replaceAll("(?i)\\s*bits?$", "")));
                } catch (NumberFormatException e) {
                    throw new ModelException("axis '" + field + "': '" + tok + "' is not a bit width");
                }
            } else if (tok.equals("true") || tok.equals("false")) {
                v.add(Boolean.parseBoolean(tok));
            } else {
                try {
                    double d = Double.parseDouble(tok);
                    if (d == Math.rint(d) && !tok.contains(".") && Math.abs(d) < 1e15) {
                        v.add((long) d);
                    } else {
                        v.add(d);
                    }
                } catch (NumberFormatException e) {
                    v.add(tok);
                }
            }
        }
        return o;
    }

    /** Starts a sweep of the current space (any running one is cancelled); a bad space is an inline error. */
    public void start() {
        SearchSpace space;
        try {
            space = space();
        } catch (ModelException e) {
            error.set(e.getMessage());
            return;
        }
        run(space);
    }

    /**
     * Starts the sweep of a space read from a file: its axes are shown in the table (base and constraints as the
     * file says), and results go to {@code out} when given. Strategy and budget override the current ones.
     */
    public void startSpace(SearchSpace space, Path out, String strat, Integer budget) {
        axes.clear();
        for (SearchSpace.Axis a : space.axes()) {
            axes.add(new AxisEntry(a.field(), a.values().stream().map(v -> String.valueOf(SearchSpace.Axis.class
                    .cast(a).label(a.values().indexOf(v)))).reduce((x, y) -> x + ", " + y).orElse("")));
        }
        if (out != null) {
            outDir.set(out);
        }
        if (strat != null) {
            strategy.set(strat);
        }
        if (budget != null) {
            evaluations.set(budget);
        }
        run(space);
    }

    private void run(SearchSpace space) {
        ModelSession s = session.get();
        if (s == null || !s.hasData()) {
            error.set("a sweep needs a model with validation data");
            return;
        }
        try {
            Strategies.create(strategy.get());
        } catch (ModelException e) {
            error.set(e.getMessage());
            return;
        }
        if (threads.get() < 1) {
            error.set("threads must be at least 1");
            return;
        }
        cancel();
        clear();
        error.set("");
        long gen = ++generation;
        String strat = strategy.get();
        Integer budget = evaluations.get();
        int n = threads.get();
        Path out = outDir.get();
        running.set(true);
        paused.set(false);
        status.set("starting…");
        drain.play();
        Thread t = new Thread(() -> runSweep(gen, s, space, strat, budget, n, out), "sparsimony-explore");
        t.setDaemon(true);
        t.start();
    }

    private void runSweep(long gen, ModelSession s, SearchSpace space, String strat, Integer budget, int n,
                          Path out) {
        Nd4jRuntime.useSingleThread();
        String message;
        try (EvaluationBackend backend = engine.evaluationBackend(s.model(), s.data(), s.source(), s.dataSource(),
                n)) {
            // the unpruned design of the same settings: the reference marker of the plots
            PointResult ref = backend.evaluate(space.base().withPrune(PruneSpec.none())
                    .withLayers(java.util.Map.of()));
            Platform.runLater(() -> {
                if (gen == generation) {
                    reference.set(ref.ok() ? ref : null);
                }
            });
            if (!(backend instanceof LocalBackend local)) {
                throw new ModelException("the window sweeps on this computer only");
            }
            Exploration ex = new Exploration(local, space, new Exploration.Options(strat,
                    "grid".equals(strat) || "budget-walk".equals(strat) ? null : budget, n, 1, false), out);
            exploration = ex;
            runner = ex.runner();
            ex.runner().addListener(arrived::add);
            Exploration.Summary sum;
            try {
                sum = ex.run();
            } finally {
                ex.close();
            }
            message = String.format(Locale.ROOT, "%s: %,d points (%,d evaluated, %,d from cache, %,d failed) in %.1f s,"
                            + " front %d, hypervolume %.3f%s", sum.cancelled() ? "cancelled" : "done", sum.points(),
                    sum.evaluations(), sum.cacheHits(), sum.failures(), sum.wallSeconds(), sum.front(),
                    sum.hypervolume(), out == null ? "" : "; saved in " + out);
        } catch (ModelException e) {
            message = null;
            String m = e.getMessage();
            Platform.runLater(() -> {
                if (gen == generation) {
                    error.set(m);
                }
            });
        } catch (RuntimeException e) {
            message = null;
            String m = "sweep failed: " + e;
            Platform.runLater(() -> {
                if (gen == generation) {
                    error.set(m);
                }
            });
        }
        String done = message;
        Platform.runLater(() -> {
            if (gen != generation) {
                return;
            }
            drain();
            drain.stop();
            running.set(false);
            paused.set(false);
            exploration = null;
            runner = null;
            if (done != null) {
                status.set(done);
                progress.set(1);
            }
        });
    }

    /** Hands the results that arrived since the last pulse to the plots, as one batch. */
    private void drain() {
        List<PointResult> batch = new ArrayList<>();
        for (PointResult r; (r = arrived.poll()) != null; ) {
            batch.add(r);
        }
        SweepRunner rn = runner;
        if (rn != null) {
            SweepRunner.Progress p = rn.progress(System.nanoTime());
            progress.set(p.planned() == 0 ? -1 : (double) p.done() / p.planned());
            status.set(String.format(Locale.ROOT, "%,d / %,d points · %.0f points/s · ETA %s · %,d failed%s",
                    p.done(), p.planned(), p.pointsPerSecond(), Double.isNaN(p.etaSeconds()) ? "–"
                            : String.format(Locale.ROOT, "%.0f s", p.etaSeconds()), p.failures(),
                    paused.get() ? " · paused" : ""));
        }
        if (batch.isEmpty()) {
            return;
        }
        results.addAll(batch);
        for (Consumer<List<PointResult>> l : batchListeners) {
            l.accept(batch);
        }
    }

    public void pause() {
        Exploration ex = exploration;
        if (ex != null && running.get()) {
            ex.pause();
            paused.set(true);
        }
    }

    public void resume() {
        Exploration ex = exploration;
        if (ex != null) {
            ex.resume();
            paused.set(false);
        }
    }

    /** Stops the sweep; results already shown stay. */
    public void cancel() {
        Exploration ex = exploration;
        if (ex != null) {
            ex.cancel();
        }
    }

    private void clear() {
        arrived.clear();
        results.clear();
        selected.set(null);
        compared.clear();
        reference.set(null);
        progress.set(0);
        status.set("");
        clearListeners.forEach(Runnable::run);
    }

    /** Selects a point (hover and click on a plot); null clears. */
    public void select(PointResult r) {
        selected.set(r);
    }

    /** Adds a point to the comparison (the two most recent stay). */
    public void compare(PointResult r) {
        if (r == null || compared.contains(r)) {
            return;
        }
        if (compared.size() == 2) {
            compared.remove(0);
        }
        compared.add(r);
    }

    /** Shows a result's point in the model view (heat maps, masks, layer table, hardware panel). */
    public void apply(PointResult r) {
        if (r != null && r.point() != null) {
            applyPoint.accept(r.point());
        }
    }

    /** Receives each batch of new results on the JavaFX thread. */
    public void onBatch(Consumer<List<PointResult>> l) {
        batchListeners.add(l);
    }

    /** Called when the results are cleared (a new sweep, another model). */
    public void onClear(Runnable r) {
        clearListeners.add(r);
    }

    /** Every result so far, in arrival order (JavaFX thread). */
    public List<PointResult> results() {
        return results;
    }

    public ObservableList<AxisEntry> axes() {
        return axes;
    }

    public StringProperty strategyProperty() {
        return strategy;
    }

    public IntegerProperty evaluationsProperty() {
        return evaluations;
    }

    public IntegerProperty threadsProperty() {
        return threads;
    }

    public ObjectProperty<Path> outDirProperty() {
        return outDir;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty pausedProperty() {
        return paused.getReadOnlyProperty();
    }

    /** Fraction done, -1 while unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<PointResult> referenceProperty() {
        return reference.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<PointResult> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    public ObservableList<PointResult> compared() {
        return compared;
    }

    public void shutdown() {
        cancel();
        drain.stop();
    }
}
