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
 * @param hls4mlVersion the hls4ml release whose templates the hardware model follows (e.g. "1.3.0", "0.5.0";
 *                    default: the latest release the build knows, written out in the canonical form)
 */
public record HardwareSpec(String device, String strategy, Integer reuseFactor, String io, Double clockMhz,
                           String precision, Boolean strictReuse, String hls4mlVersion) {
    /** hls4ml's defaults: xcvu9p (hls4ml's default part), Latency, RF 1, io_parallel, ap_fixed&lt;16,6&gt;. */
    public static final HardwareSpec DEFAULTS = new HardwareSpec("xcvu9p", "latency", 1, "parallel", null,
            "ap_fixed<16,6>", false, dev.sparsimony.engine.hardware.Hls4mlVersion.LATEST.toString());

    public HardwareSpec(String device, String strategy, Integer reuseFactor, String io, Double clockMhz,
                        String precision, Boolean strictReuse) {
        this(device, strategy, reuseFactor, io, clockMhz, precision, strictReuse, null);
    }

    public HardwareSpec withHls4mlVersion(String v) {
        return new HardwareSpec(device, strategy, reuseFactor, io, clockMhz, precision, strictReuse, v);
    }

    public static HardwareSpec defaults() {
        return DEFAULTS;
    }

    public HardwareSpec withDevice(String d) {
        return new HardwareSpec(d, strategy, reuseFactor, io, clockMhz, precision, strictReuse, hls4mlVersion);
    }

    public HardwareSpec withStrategy(String s) {
        return new HardwareSpec(device, s, reuseFactor, io, clockMhz, precision, strictReuse, hls4mlVersion);
    }

    public HardwareSpec withReuseFactor(Integer rf) {
        return new HardwareSpec(device, strategy, rf, io, clockMhz, precision, strictReuse, hls4mlVersion);
    }

    public HardwareSpec withIo(String i) {
        return new HardwareSpec(device, strategy, reuseFactor, i, clockMhz, precision, strictReuse, hls4mlVersion);
    }

    public HardwareSpec withClockMhz(Double c) {
        return new HardwareSpec(device, strategy, reuseFactor, io, c, precision, strictReuse, hls4mlVersion);
    }

    public HardwareSpec withPrecision(String p) {
        return new HardwareSpec(device, strategy, reuseFactor, io, clockMhz, p, strictReuse, hls4mlVersion);
    }

    public HardwareSpec withStrictReuse(Boolean s) {
        return new HardwareSpec(device, strategy, reuseFactor, io, clockMhz, precision, s, hls4mlVersion);
    }
}
