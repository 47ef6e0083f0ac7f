package dev.sparsimony.app.prune;

import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.HardwareSpec;
import dev.sparsimony.engine.explore.LayerSpec;
import dev.sparsimony.engine.explore.PruneSpec;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.prune.Granularities;
import dev.sparsimony.engine.explore.ResourceCosts;
import dev.sparsimony.engine.quantize.QuantizerSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.Observable;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The compression choices of the design-point bar (granularity and its parameters, selection, knapsack budget,
 * weight fixed-point type), resolved into the engine's immutable {@link DesignPoint} together with the slider's
 * sparsity. JavaFX thread only; {@link #toDesignPoint} results are immutable and go to the worker.
 */
public final class DesignSettings {
    public static final String UNSTRUCTURED = "unstructured";
    public static final List<String> SELECTIONS = List.of("global", "layer", "knapsack");

    private final StringProperty granularity = new SimpleStringProperty(this, "granularity", UNSTRUCTURED);
    private final StringProperty params = new SimpleStringProperty(this, "params", "");
    private final StringProperty selection = new SimpleStringProperty(this, "selection", "global");
    private final StringProperty budgetResource = new SimpleStringProperty(this, "budgetResource", "params");
    private final DoubleProperty budgetPercent = new SimpleDoubleProperty(this, "budgetPercent", 50);
    /** Weight width W of ap_fixed&lt;W,I&gt;; 0 keeps float weights. */
    private final IntegerProperty weightBits = new SimpleIntegerProperty(this, "weightBits", 0);
    private final IntegerProperty weightIntegerBits = new SimpleIntegerProperty(this, "weightIntegerBits", 1);
    /**
     * The hardware settings of the point (set by the hardware panel): the reuse factor the dsp-pattern and
     * bram-block structures follow, and the settings hardware budgets are costed with.
     */
    private final ObjectProperty<HardwareSpec> hardware = new SimpleObjectProperty<>(this, "hardware",
            HardwareSpec.DEFAULTS);
    /** Per-layer overrides by layer name (the per-layer settings table); empty = every layer follows the bar. */
    private final ObjectProperty<Map<String, LayerSpec>> layers = new SimpleObjectProperty<>(this, "layers", Map.of());
    /**
     * What the bar does not show of an applied point (bias and output quantizers, other weight quantizers,
     * depth shrinking, seed); the bar's controls and the slider override the rest.
     */
    private final ObjectProperty<DesignPoint> base = new SimpleObjectProperty<>(this, "base",
            DesignPoint.of(PruneSpec.none()));

    /** Granularity ids of the engine's registry, "unstructured" first, the rest alphabetically. */
    public static List<String> granularities() {
        List<String> ids = new ArrayList<>(Granularities.ids());
        ids.sort((a, b) -> a.equals(UNSTRUCTURED) ? -1 : b.equals(UNSTRUCTURED) ? 1 : a.compareTo(b));
        return ids;
    }

    /** Budget resources the engine costs (params, MACs, bytes, DSP, BRAM, LUT, ...). */
    public static List<String> resources() {
        List<String> r = new ArrayList<>(ResourceCosts.resources());
        r.sort(String.CASE_INSENSITIVE_ORDER);
        return r;
    }

    /** Plain global magnitude pruning of float weights: what the slider alone does, with or without data. */
    public boolean isPlain() {
        DesignPoint b = base.get();
        return UNSTRUCTURED.equals(granularity.get()) && "global".equals(selection.get()) && weightBits.get() == 0
                && layers.get().isEmpty() && b.weights().absent() && b.biases().absent() && b.outputs().absent()
                && b.depthShrink().isEmpty();
    }

    public boolean isKnapsack() {
        return "knapsack".equals(selection.get());
    }

    /** The design point for a slider sparsity (0..1); throws {@link ModelException} for unreadable parameters. */
    public DesignPoint toDesignPoint(double sparsity) {
        Map<String, Double> p = parseParams(params.get());
        String g = granularity.get();
        PruneSpec ps = isKnapsack()
                ? PruneSpec.knapsack(g, p, "l1", Map.of(budgetResource.get(), budgetPercent.get() / 100.0), true,
                null)
                : PruneSpec.structured(g, p, "l1", selection.get(), sparsity);
        DesignPoint b = base.get();
        QuantizerSpec w = weightBits.get() > 0 ? QuantizerSpec.fixed(weightBits.get(), weightIntegerBits.get())
                : "fixed".equals(b.weights().type()) ? QuantizerSpec.none() : b.weights();
        return b.withPrune(ps).withQuantizers(w, b.biases(), b.outputs()).withHardware(hardware.get())
                .withLayers(layers.get()).withName("gui");
    }

    /**
     * Sets every control from a point (a result clicked on a plot, a file opened) and returns the sparsity the slider
     * must show (NaN for knapsack selection). What the bar cannot show is kept in {@link #baseProperty()}, so
     * {@link #toDesignPoint} at that sparsity gives the same point back.
     */
    public double apply(DesignPoint p) {
        PruneSpec ps = p.prune();
        base.set(p);
        granularity.set(ps.granularity() == null ? UNSTRUCTURED : ps.granularity());
        params.set(formatParams(ps.params()));
        String sel = ps.selectionOrDefault();
        selection.set(sel);
        if ("knapsack".equals(sel) && ps.budgets().size() == 1) {
            var e = ps.budgets().entrySet().iterator().next();
            budgetResource.set(e.getKey());
            budgetPercent.set(100 * e.getValue());
        }
        if ("fixed".equals(p.weights().type()) && p.weights().fixed() != null) {
            weightIntegerBits.set(p.weights().fixed().integer());
            weightBits.set(p.weights().fixed().width());
        } else {
            weightBits.set(0);
        }
        hardware.set(p.hardware());
        layers.set(p.layers());
        return "knapsack".equals(sel) ? Double.NaN : ps.sparsityOrZero();
    }

    /** {n=2.0, m=4.0} -&gt; "m=4, n=2". */
    public static String formatParams(Map<String, Double> p) {
        StringBuilder sb = new StringBuilder();
        for (var e : new java.util.TreeMap<>(p).entrySet()) {
            double v = e.getValue();
            sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append('=')
                    .append(v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v));
        }
        return sb.toString();
    }

    /** "n=2, m=4" -&gt; {n=2.0, m=4.0}. */
    public static Map<String, Double> parseParams(String text) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return m;
        }
        for (String part : text.trim().replaceAll("\\s*=\\s*", "=").split("[,;\\s]+")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new ModelException("granularity parameters are name=value pairs, e.g. n=2, m=4; got '"
                        + part + "'");
            }
            try {
                m.put(kv[0].trim().toLowerCase(Locale.ROOT), Double.parseDouble(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new ModelException("granularity parameter '" + kv[0].trim() + "' must be a number, got '"
                        + kv[1].trim() + "'");
            }
        }
        return m;
    }

    /** Every property, for listeners that re-run the computation on any change. */
    public Observable[] all() {
        return new Observable[] {granularity, params, selection, budgetResource, budgetPercent, weightBits,
                weightIntegerBits, hardware, layers, base};
    }

    public StringProperty granularityProperty() {
        return granularity;
    }

    public StringProperty paramsProperty() {
        return params;
    }

    public StringProperty selectionProperty() {
        return selection;
    }

    public StringProperty budgetResourceProperty() {
        return budgetResource;
    }

    public DoubleProperty budgetPercentProperty() {
        return budgetPercent;
    }

    public IntegerProperty weightBitsProperty() {
        return weightBits;
    }

    public ObjectProperty<Map<String, LayerSpec>> layersProperty() {
        return layers;
    }

    public ObjectProperty<DesignPoint> baseProperty() {
        return base;
    }

    public ObjectProperty<HardwareSpec> hardwareProperty() {
        return hardware;
    }

    public IntegerProperty weightIntegerBitsProperty() {
        return weightIntegerBits;
    }
}
