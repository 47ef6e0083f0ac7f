package dev.sparsimony.engine.explore;

/**
 * The hardware settings of a design point (hls4ml's project and Model-level settings). Null fields take the
 * defaults of {@link #DEFAULTS} in {@link DesignPoint#canonical()}. Per-layer reuse factor and strategy live in
 * {@link LayerSpec}; this record is the single source of every other hardware choice.
 *
 * @param device      catalogue name or full part string (e.g. "xcvu9p" or "xcvu9p-flga2104-2L-e")
 * @param strategy    latency, resource or unrolled
 * @param reuseFactor default reuse factor (also the one the dsp-pattern and bram-block structures follow)
 * @param io          parallel or stream
 * @param clockMhz    clock; null means the device's default
 * @param precision   hls4ml's Model precision: the type of every weight, bias, result and input the point's
 *                    quantizers leave as float (default ap_fixed&lt;16,6&gt;)
 * @param strictReuse true: an invalid reuse factor fails the point; false: hls4ml's closest valid one is used
 */
public record HardwareSpec(String device, String strategy, Integer reuseFactor, String io, Double clockMhz,
                           String precision, Boolean strictReuse) {
    /** hls4ml's defaults: xcvu9p (hls4ml's default part), Latency, RF 1, io_parallel, ap_fixed&lt;16,6&gt;. */
    public static final HardwareSpec DEFAULTS = new HardwareSpec("xcvu9p", "latency", 1, "parallel", null,
            "ap_fixed<16,6>", false);

    public static HardwareSpec defaults() {
        return DEFAULTS;
    }

    public HardwareSpec withDevice(String d) {
        return new HardwareSpec(d, strategy, reuseFactor, io, clockMhz, precision, strictReuse);
    }

    public HardwareSpec withStrategy(String s) {
        return new HardwareSpec(device, s, reuseFactor, io, clockMhz, precision, strictReuse);
    }

    public HardwareSpec withReuseFactor(Integer rf) {
        return new HardwareSpec(device, strategy, rf, io, clockMhz, precision, strictReuse);
    }

    public HardwareSpec withIo(String i) {
        return new HardwareSpec(device, strategy, reuseFactor, i, clockMhz, precision, strictReuse);
    }

    public HardwareSpec withClockMhz(Double c) {
        return new HardwareSpec(device, strategy, reuseFactor, io, c, precision, strictReuse);
    }

    public HardwareSpec withPrecision(String p) {
        return new HardwareSpec(device, strategy, reuseFactor, io, clockMhz, p, strictReuse);
    }

    public HardwareSpec withStrictReuse(Boolean s) {
        return new HardwareSpec(device, strategy, reuseFactor, io, clockMhz, precision, s);
    }
}
