package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything an estimate depends on besides the model and the device: default and per-layer settings, the input
 * precision, io type, clock and model parameters.
 *
 * @param defaults    settings of every layer without an override
 * @param layers      per-layer overrides by node name
 * @param input       precision of the model inputs (hls4ml's input_t; defaults to the result precision)
 * @param io          io_parallel or io_stream
 * @param clockMhz    clock frequency; 0 or less means the device's default
 * @param params      model constants
 * @param strictReuse true: an invalid reuse factor is an error; false: hls4ml's behaviour (use the closest valid one
 *                    and say so in the notes)
 * @param hls4mlVersion the hls4ml release whose templates are modelled (null: the latest)
 * @param clockUncertaintyNs the HLS clock uncertainty subtracted from the period when cutting logic into cycles; a
 *                    negative value means hls4ml's Vivado default, 12.5 % of the period (vivado_backend.py)
 * @param unspecifiedResults Dense/Conv layers whose result type the hls4ml configuration left {@code 'auto'}
 *                    (inferred, in {@code layers}); hls4ml v1 folds a BatchNorm only into such a layer
 *                    ({@link BatchNormFusion})
 */
public record HardwareConfig(LayerHwConfig defaults, Map<String, LayerHwConfig> layers, FixedPoint input, IoType io,
                             double clockMhz, FpgaParams params, boolean strictReuse, Hls4mlVersion hls4mlVersion,
                             double clockUncertaintyNs, Set<String> unspecifiedResults) {
    /** hls4ml's default clock uncertainty for the Vivado backend (create_initial_config). */
    public static final double DEFAULT_UNCERTAINTY = 0.125;

    public HardwareConfig {
        if (defaults == null || io == null || params == null) {
            throw new ModelException("hardware configuration needs defaults, an io type and model parameters");
        }
        layers = layers == null ? Map.of() : Map.copyOf(layers);
        input = input == null ? defaults.result() : input;
        hls4mlVersion = hls4mlVersion == null ? Hls4mlVersion.LATEST : hls4mlVersion;
        if (clockMhz > 5000) {
            throw new ModelException("clock " + clockMhz + " MHz is out of range");
        }
        if (Double.isNaN(clockUncertaintyNs)) {
            clockUncertaintyNs = -1;
        }
        unspecifiedResults = unspecifiedResults == null ? Set.of() : Set.copyOf(unspecifiedResults);
    }

    public HardwareConfig(LayerHwConfig defaults, Map<String, LayerHwConfig> layers, FixedPoint input, IoType io,
                          double clockMhz, FpgaParams params, boolean strictReuse, Hls4mlVersion hls4mlVersion,
                          double clockUncertaintyNs) {
        this(defaults, layers, input, io, clockMhz, params, strictReuse, hls4mlVersion, clockUncertaintyNs, Set.of());
    }

    public HardwareConfig(LayerHwConfig defaults, Map<String, LayerHwConfig> layers, FixedPoint input, IoType io,
                          double clockMhz, FpgaParams params, boolean strictReuse) {
        this(defaults, layers, input, io, clockMhz, params, strictReuse, Hls4mlVersion.LATEST, -1);
    }

    /** The clock uncertainty in ns at a clock period. */
    public double uncertaintyNs(double periodNs) {
        return clockUncertaintyNs >= 0 ? clockUncertaintyNs : DEFAULT_UNCERTAINTY * periodNs;
    }

    /** ap_fixed&lt;16,6&gt;, RF 1, Latency, io_parallel, device clock: hls4ml's defaults. */
    public static HardwareConfig hls4mlDefaults() {
        return of(FixedPoint.of(16, 6), 1, Strategy.LATENCY, IoType.PARALLEL, 0);
    }

    public static HardwareConfig of(FixedPoint precision, int reuseFactor, Strategy strategy, IoType io,
                                    double clockMhz) {
        return new HardwareConfig(LayerHwConfig.of(precision, reuseFactor, strategy), Map.of(), precision, io,
                clockMhz, FpgaParams.defaults(), false);
    }

    public LayerHwConfig layer(String name) {
        return layers.getOrDefault(name, defaults);
    }

    public double clockFor(Device d) {
        return clockMhz > 0 ? clockMhz : d.clockMhz();
    }

    public HardwareConfig withLayers(Map<String, LayerHwConfig> overrides) {
        return new HardwareConfig(defaults, overrides, input, io, clockMhz, params, strictReuse, hls4mlVersion,
                clockUncertaintyNs, keptUnspecified(overrides));
    }

    /** The 'auto' results of layers whose settings {@code overrides} leaves as they were. */
    private Set<String> keptUnspecified(Map<String, LayerHwConfig> overrides) {
        return unspecifiedResults.stream().filter(n -> overrides != null && overrides.get(n) != null
                && overrides.get(n).equals(layers.get(n))).collect(Collectors.toSet());
    }

    public HardwareConfig withParams(FpgaParams p) {
        return new HardwareConfig(defaults, layers, input, io, clockMhz, p, strictReuse, hls4mlVersion,
                clockUncertaintyNs, unspecifiedResults);
    }

    public HardwareConfig withStrictReuse(boolean strict) {
        return new HardwareConfig(defaults, layers, input, io, clockMhz, params, strict, hls4mlVersion,
                clockUncertaintyNs, unspecifiedResults);
    }

    public HardwareConfig withVersion(Hls4mlVersion v) {
        return new HardwareConfig(defaults, layers, input, io, clockMhz, params, strictReuse, v, clockUncertaintyNs,
                unspecifiedResults);
    }

    public HardwareConfig withInput(FixedPoint in) {
        return new HardwareConfig(defaults, layers, in, io, clockMhz, params, strictReuse, hls4mlVersion,
                clockUncertaintyNs, unspecifiedResults);
    }

    public HardwareConfig withDefaults(LayerHwConfig d) {
        return new HardwareConfig(d, layers, input, io, clockMhz, params, strictReuse, hls4mlVersion,
                clockUncertaintyNs, unspecifiedResults);
    }

    public HardwareConfig withClock(double mhz, double uncertaintyNs) {
        return new HardwareConfig(defaults, layers, input, io, mhz, params, strictReuse, hls4mlVersion,
                uncertaintyNs, unspecifiedResults);
    }

    public HardwareConfig withIo(IoType t) {
        return new HardwareConfig(defaults, layers, input, t, clockMhz, params, strictReuse, hls4mlVersion,
                clockUncertaintyNs, unspecifiedResults);
    }

    /**
     * These settings with the options of the CLI's {@code estimate} and the GUI's hardware panel on top (null = keep):
     * a precision becomes weight, bias, result and input type; the per-layer entries stay.
     */
    public HardwareConfig withOptions(String precision, Integer reuseFactor, Strategy strategy, IoType ioType,
                                      Double clock, boolean strict) {
        if (reuseFactor != null && reuseFactor < 1) {
            throw new ModelException("reuse factor must be at least 1, got " + reuseFactor);
        }
        if (clock != null && !(clock > 0)) {
            throw new ModelException("clock must be positive, got " + clock + " MHz");
        }
        LayerHwConfig d = defaults;
        FixedPoint in = input;
        if (precision != null) {
            FixedPoint p = Precisions.parse(precision);
            d = d.withTypes(p, p, p).withAccum(null);
            in = p;
        }
        if (reuseFactor != null) {
            d = d.withReuseFactor(reuseFactor);
        }
        if (strategy != null) {
            d = d.withStrategy(strategy);
        }
        return new HardwareConfig(d, layers, in, ioType == null ? io : ioType, clock == null ? clockMhz : clock,
                params, strict || strictReuse, hls4mlVersion, clockUncertaintyNs, unspecifiedResults);
    }
}
