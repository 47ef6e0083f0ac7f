package dev.sparsimony.app.hardware;

import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.LatestOnlyRunner;
import dev.sparsimony.app.prune.PruneViewModel;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignResult;
import dev.sparsimony.engine.hardware.Device;
import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.explore.DesignPointHardware;
import dev.sparsimony.engine.explore.HardwareSpec;
import dev.sparsimony.engine.explore.PruneSpec;
import dev.sparsimony.engine.hardware.IoType;
import dev.sparsimony.engine.hardware.LayerEstimate;
import dev.sparsimony.engine.hardware.Strategy;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Hardware cost of the current design point: the compressed model of {@link PruneViewModel} with the point's
 * fixed-point types (engine's {@code DesignPointHardware}) on an FPGA of the device catalogue, estimated by the
 * engine's hls4ml model ({@code FpgaModel}) whenever the point or a hardware setting changes. The estimate takes
 * microseconds, but it runs on its own latest-only worker so the JavaFX thread never waits for the engine.
 * JavaFX thread only, except the work handed to the runner.
 */
public final class HardwareViewModel {
    /** Preferred first choice: hls4ml's default part. */
    public static final String DEFAULT_DEVICE = "xcvu9p";

    private final EngineGateway engine;
    private final PruneViewModel prune;
    private final LatestOnlyRunner<FpgaEstimate> runner = new LatestOnlyRunner<>("sparsimony-hw");
    private final ObservableList<Device> devices = FXCollections.observableArrayList();
    private final StringProperty device = new SimpleStringProperty(this, "device");
    private final IntegerProperty reuseFactor = new SimpleIntegerProperty(this, "reuseFactor", 1);
    private final ObjectProperty<Strategy> strategy = new SimpleObjectProperty<>(this, "strategy", Strategy.LATENCY);
    private final ObjectProperty<IoType> io = new SimpleObjectProperty<>(this, "io", IoType.PARALLEL);
    /** Clock in MHz as typed; blank = the device's default. */
    private final StringProperty clock = new SimpleStringProperty(this, "clock", "");
    private final BooleanProperty strictReuse = new SimpleBooleanProperty(this, "strictReuse", false);
    private final ReadOnlyObjectWrapper<FpgaEstimate> estimate = new ReadOnlyObjectWrapper<>(this, "estimate");
    private final ObservableList<LayerEstimate> layers = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyStringWrapper dspText = new ReadOnlyStringWrapper(this, "dspText", "–");

    private boolean shutDown;

    public HardwareViewModel(EngineGateway engine, PruneViewModel prune) {
        this.engine = engine;
        this.prune = prune;
        prune.prunedProperty().addListener(x -> schedule());
        prune.designProperty().addListener(x -> schedule());
        for (javafx.beans.Observable o : List.of(device, reuseFactor, strategy, io, clock, strictReuse)) {
            o.addListener(x -> {
                if (!showing) {
                    publish();
                    schedule();
                }
            });
        }
        // a point applied from elsewhere (a plot, a file) brings its own hardware settings: the panel shows them
        prune.settings().hardwareProperty().addListener((o, a, h) -> show(h));
        // the catalogue is a small JSON resource, but still read off the JavaFX thread
        CompletableFuture.supplyAsync(engine::devices).whenComplete((list, e) -> Platform.runLater(() -> {
            if (e != null) {
                Throwable c = e.getCause() == null ? e : e.getCause();
                error.set(c instanceof ModelException ? c.getMessage() : "device catalogue: " + c);
                return;
            }
            devices.setAll(list);
            if (device.get() == null && !list.isEmpty()) {
                device.set(list.stream().anyMatch(d -> d.name().equals(DEFAULT_DEVICE)) ? DEFAULT_DEVICE
                        : list.get(0).name());
            }
        }));
    }

    private boolean showing;

    /** The panel's controls take a point's hardware settings (without publishing them back). */
    private void show(HardwareSpec h) {
        if (publishing || h == null) {
            return;
        }
        showing = true;
        try {
            if (h.device() != null) {
                devices.stream().filter(d -> d.name().equalsIgnoreCase(h.device())
                        || d.part().equalsIgnoreCase(h.device())).findFirst().ifPresent(d -> device.set(d.name()));
            }
            if (h.reuseFactor() != null) {
                reuseFactor.set(h.reuseFactor());
            }
            if (h.strategy() != null) {
                strategy.set(Strategy.parse(h.strategy()));
            }
            if (h.io() != null) {
                io.set(IoType.parse(h.io()));
            }
            clock.set(h.clockMhz() == null ? "" : String.valueOf(h.clockMhz()));
            strictReuse.set(Boolean.TRUE.equals(h.strictReuse()));
        } catch (ModelException e) {
            showError(e.getMessage());
        } finally {
            showing = false;
        }
        schedule();
    }

    private boolean publishing;

    /**
     * The panel's settings become the design point's hardware settings (the single source of the reuse factor the
     * structures follow); a clock that is not a number leaves the point as it was (the panel shows the error).
     */
    private void publish() {
        if (showing) {
            return;
        }
        publishing = true;
        try {
            Double mhz = parseClock(clock.get());
            prune.settings().hardwareProperty().set(new HardwareSpec(device.get(), strategy.get().label(),
                    reuseFactor.get(), io.get() == IoType.STREAM ? "stream" : "parallel",
                    mhz != null && mhz > 0 ? mhz : null, null, strictReuse.get() ? Boolean.TRUE : null));
        } catch (ModelException e) {
            // shown by schedule()
        } finally {
            publishing = false;
        }
    }

    private void schedule() {
        if (shutDown) {
            return; // e.g. the device catalogue arriving after the window closed
        }
        Model model = prune.prunedProperty().get();
        Device d = devices.stream().filter(x -> x.name().equals(device.get())).findFirst().orElse(null);
        if (model == null || d == null) {
            runner.cancel();
            return;
        }
        DesignResult r = prune.designProperty().get();
        DesignPoint point;
        try {
            Double mhz = parseClock(clock.get());
            if (mhz != null && !(mhz > 0)) {
                throw new ModelException("clock must be positive, got " + mhz + " MHz");
            }
            // the panel's settings are the point's hardware settings (the single source the engine reads)
            point = DesignPointHardware.withOverrides(r == null ? DesignPoint.of(PruneSpec.none()) : r.point(),
                    d.name(), null, reuseFactor.get(), strategy.get().label(), io.get() == IoType.STREAM ? "stream"
                            : "parallel", mhz, strictReuse.get());
            point.canonical();
        } catch (ModelException e) {
            runner.cancel();
            showError(e.getMessage());
            return;
        }
        DesignPoint p = point;
        runner.submit(job -> engine.estimateFpga(model, p, d), this::apply, this::failed);
    }

    private static Double parseClock(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new ModelException("clock must be a number of MHz, got '" + text.trim() + "'");
        }
    }

    private void apply(FpgaEstimate e) {
        error.set("");
        estimate.set(e);
        layers.setAll(e.layers());
        dspText.set(String.format(Locale.ROOT, "%,d", e.dsp()));
    }

    private void failed(Throwable t) {
        showError(t instanceof ModelException ? t.getMessage() : "hardware estimate failed: " + t);
    }

    /** An error replaces the numbers (they would describe other settings), shown inline in the panel. */
    private void showError(String message) {
        error.set(message);
        estimate.set(null);
        layers.clear();
        dspText.set("–");
    }

    public ObservableList<Device> devices() {
        return devices;
    }

    public StringProperty deviceProperty() {
        return device;
    }

    public IntegerProperty reuseFactorProperty() {
        return reuseFactor;
    }

    public ObjectProperty<Strategy> strategyProperty() {
        return strategy;
    }

    public ObjectProperty<IoType> ioProperty() {
        return io;
    }

    public StringProperty clockProperty() {
        return clock;
    }

    public BooleanProperty strictReuseProperty() {
        return strictReuse;
    }

    /** The last estimate, null before the first one or after an error. */
    public ReadOnlyObjectProperty<FpgaEstimate> estimateProperty() {
        return estimate.getReadOnlyProperty();
    }

    /** Rows of the per-layer table. */
    public ObservableList<LayerEstimate> layers() {
        return layers;
    }

    /** Why there is no estimate (bad setting, unmappable layer), or "". */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Total DSP count, formatted ("–" without an estimate). */
    public ReadOnlyStringProperty dspTextProperty() {
        return dspText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty computingProperty() {
        return runner.runningProperty();
    }

    /** Estimates actually started (for tests). */
    public int computationsStarted() {
        return runner.startedCount();
    }

    public void shutdown() {
        shutDown = true;
        runner.shutdown();
    }
}
