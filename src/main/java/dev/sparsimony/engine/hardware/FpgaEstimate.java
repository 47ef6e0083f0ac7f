package dev.sparsimony.engine.hardware;

import java.util.ArrayList;
import java.util.List;

/** A whole-network FPGA estimate: per-layer rows, totals, timing at the clock, utilisation and fit verdict. */
public record FpgaEstimate(Device device, double clockMhz, IoType io, List<LayerEstimate> layers, long dsp,
                           long bram18, long lut, long ff, long latencyCycles, long intervalCycles,
                           double lutFfUncertainty, List<String> notes) {
    public FpgaEstimate {
        layers = List.copyOf(layers);
        notes = List.copyOf(notes);
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
