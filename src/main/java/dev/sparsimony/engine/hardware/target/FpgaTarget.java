package dev.sparsimony.engine.hardware.target;

import dev.sparsimony.engine.hardware.Device;
import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.hardware.FpgaModel;
import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.hardware.LayerEstimate;
import dev.sparsimony.engine.model.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An FPGA part of the device catalogue, estimated with hls4ml's resource model ({@link FpgaModel}). */
public final class FpgaTarget implements HardwareTarget {
    /** Name of the row holding what the top-level function adds between layers. */
    public static final String TOP_LEVEL = "(top level)";
    public static final List<String> COLUMNS = List.of("shape", "RF", "strategy", "DSP", "BRAM18", "LUT", "FF",
            "latency", "II");

    private final Device device;

    public FpgaTarget(Device device) {
        this.device = device;
    }

    public Device device() {
        return device;
    }

    @Override
    public String name() {
        return device.name();
    }

    @Override
    public String description() {
        return device.family() + " " + device.part() + " via hls4ml (Vivado/Vitis backend)";
    }

    @Override
    public HardwareReport estimate(Model model, HardwareConfig config) {
        return report(FpgaModel.estimate(model, config, device), config);
    }

    public static HardwareReport report(FpgaEstimate e, HardwareConfig config) {
        List<HardwareReport.Row> rows = new ArrayList<>();
        for (LayerEstimate l : e.layers()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("shape", l.shape());
            v.put("RF", l.reuseFactor() == 0 ? "" : String.valueOf(l.reuseFactor()));
            v.put("strategy", l.strategy());
            v.put("DSP", l.dsp());
            v.put("BRAM18", l.bram18());
            v.put("LUT", l.lut());
            v.put("FF", l.ff());
            v.put("latency", l.latencyCycles());
            v.put("II", l.intervalCycles());
            rows.add(new HardwareReport.Row(l.name(), l.kind(), v, l.note()));
        }
        if (e.topFf() > 0 || e.topLatency() > 0) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("shape", "");
            v.put("RF", "");
            v.put("strategy", "");
            v.put("DSP", 0L);
            v.put("BRAM18", 0L);
            v.put("LUT", 0L);
            v.put("FF", e.topFf());
            v.put("latency", e.topLatency());
            v.put("II", 1L);
            rows.add(new HardwareReport.Row(TOP_LEVEL, "top level", v,
                    e.io() == dev.sparsimony.engine.hardware.IoType.PARALLEL
                            ? "registers between layers and on the input, one cycle per weighted layer"
                            : "FIFO hand-over between dataflow stages"));
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("DSP", e.dsp());
        t.put("BRAM18", e.bram18());
        t.put("LUT", e.lut());
        t.put("FF", e.ff());
        t.put("latency", e.latencyCycles());
        t.put("II", e.intervalCycles());
        Map<String, Object> s = new LinkedHashMap<>();
        Device d = e.device();
        s.put("device", d.name());
        s.put("part", d.part());
        s.put("clock_mhz", e.clockMhz());
        s.put("io", e.io().label());
        s.put("default_precision", config.defaults().weight().hlsType());
        s.put("default_reuse_factor", (long) config.defaults().reuseFactor());
        s.put("default_strategy", config.defaults().strategy().label());
        s.put("hls4ml_version", e.version().toString());
        s.put("latency_cycles", e.latencyCycles());
        s.put("latency_ns", e.latencyNs());
        s.put("interval_cycles", e.intervalCycles());
        s.put("interval_ns", e.intervalNs());
        s.put("dsp_percent", e.dspPercent());
        s.put("bram18_percent", e.bramPercent());
        s.put("lut_percent", e.lutPercent());
        s.put("ff_percent", e.ffPercent());
        s.put("lut_ff_uncertainty", e.lutFfUncertainty());
        s.put("lut_band", e.lutBand());
        s.put("ff_band", e.ffBand());
        s.put("latency_band_cycles", e.latencyBand());
        Map<String, Object> available = new LinkedHashMap<>();
        available.put("DSP", (long) d.dsp());
        available.put("BRAM18", (long) d.bram18());
        available.put("LUT", (long) d.lut());
        available.put("FF", (long) d.ff());
        available.put("URAM", (long) d.uram());
        s.put("available", available);
        s.put("fits", e.fits());
        return new HardwareReport(d.name(), d.family() + " " + d.part(), COLUMNS, rows,
                new HardwareReport.Row("total", "", t, ""), s, e.notes(), e.fitProblems());
    }
}
