package dev.sparsimony.engine.hardware;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole-network FPGA estimate: per-layer rows, totals, timing at the clock, utilisation and fit verdict. The totals
 * include what the top-level function adds between layers ({@code topFf} registers, {@code topLatency} cycles with
 * io_parallel; FIFOs with io_stream are in the layer rows).
 *
 * @param lutFfUncertainty relative band stated with LUT and FF (the larger of the two bands below)
 * @param lutBand          relative band of the LUT total (calibration residual, else the first-order default)
 * @param ffBand           relative band of the FF total
 * @param latencyBand      band of the latency in cycles (0 when no calibration measured it)
 * @param version          the hls4ml release whose rules were applied
 * @param calibration      the factors the LUT, FF and latency terms were scaled by
 */
public record FpgaEstimate(Device device, double clockMhz, IoType io, List<LayerEstimate> layers, long dsp,
                           long bram18, long lut, long ff, long latencyCycles, long intervalCycles,
                           double lutFfUncertainty, List<String> notes, long topFf, long topLatency, double lutBand,
                           double ffBand, double latencyBand, Hls4mlVersion version, Calibration calibration) {
    public FpgaEstimate {
        layers = List.copyOf(layers);
        notes = List.copyOf(notes);
        version = version == null ? Hls4mlVersion.LATEST : version;
        calibration = calibration == null ? Calibration.none() : calibration;
    }

    public FpgaEstimate(Device device, double clockMhz, IoType io, List<LayerEstimate> layers, long dsp, long bram18,
                        long lut, long ff, long latencyCycles, long intervalCycles, double lutFfUncertainty,
                        List<String> notes) {
        this(device, clockMhz, io, layers, dsp, bram18, lut, ff, latencyCycles, intervalCycles, lutFfUncertainty,
                notes, 0, 0, lutFfUncertainty, lutFfUncertainty, 0, Hls4mlVersion.LATEST, Calibration.none());
    }

    public double latencyNs() {
        return latencyCycles * 1000.0 / clockMhz;
    }

    public double intervalNs() {
        return intervalCycles * 1000.0 / clockMhz;
    }

    public double dspPercent() {
        return percent(dsp, device.dsp());
    }

    public double bramPercent() {
        return percent(bram18, device.bram18());
    }

    public double lutPercent() {
        return percent(lut, device.lut());
    }

    public double ffPercent() {
        return percent(ff, device.ff());
    }

    private static double percent(long used, long available) {
        return available == 0 ? (used == 0 ? 0 : Double.POSITIVE_INFINITY) : 100.0 * used / available;
    }

    /** One line per resource that exceeds the device, e.g. "DSP: 4256 needed, 2520 available (over by 1736, 169%)". */
    public List<String> fitProblems() {
        List<String> p = new ArrayList<>();
        check(p, "DSP", dsp, device.dsp());
        check(p, "BRAM18", bram18, device.bram18());
        check(p, "LUT", lut, device.lut());
        check(p, "FF", ff, device.ff());
        return p;
    }

    public boolean fits() {
        return fitProblems().isEmpty();
    }

    private static void check(List<String> p, String what, long used, long available) {
        if (used > available) {
            p.add(String.format("%s: %d needed, %d available (over by %d, %.0f%%)", what, used, available,
                    used - available, percent(used, available)));
        }
    }
}
