package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.ModelException;
import java.util.List;

/**
 * One FPGA part as the resource model sees it. Counts are those of the vendor's product tables (sources per device in
 * {@code docs/devices.md}); block RAM is counted in BRAM18 halves because Vivado/Vitis HLS reports "BRAM_18K".
 *
 * @param name              short catalogue key, e.g. "xcvu9p"
 * @param part              full part name passed to the HLS tool, e.g. "xcvu9p-flga2104-2L-e"
 * @param family            e.g. "Virtex UltraScale+"
 * @param dsp               DSP slices
 * @param bram18            18 Kb block RAMs (2 per BRAM36)
 * @param lut               CLB LUTs
 * @param ff                CLB flip-flops
 * @param uram              UltraRAM blocks (288 Kb each), 0 when the part has none
 * @param clockMhz          default clock used when none is given (hls4ml's default period is 5 ns, i.e. 200 MHz)
 * @param lutMultThreshold  a product whose narrower operand (for a constant weight: the constant's own width) has
 *                          fewer bits is built in LUT fabric, not a DSP (default 5: Vitis HLS 2024.1 binds mul cores
 *                          from 5-bit constants upwards in hls4ml's tutorial build; hls4ml's dsp_aware_pruning
 *                          estimator uses weight width &lt; 9 instead, which ignores the data width)
 * @param dspWidthA         width of the DSP multiplier's wide port (27 for DSP48E2, 25 for DSP48E1)
 * @param dspWidthB         width of the narrow port (18 for both)
 * @param aliases           other names accepted on the command line (board names)
 * @param source            where the counts come from (document and table)
 */
public record Device(String name, String part, String family, int dsp, int bram18, int lut, int ff, int uram,
                     double clockMhz, int lutMultThreshold, int dspWidthA, int dspWidthB, List<String> aliases,
                     String source) {
    public Device {
        if (name == null || name.isBlank()) {
            throw new ModelException("every device needs a name");
        }
        if (dsp < 0 || bram18 < 0 || lut <= 0 || ff <= 0 || uram < 0) {
            throw new ModelException("device '" + name + "' has a negative or missing resource count");
        }
        if (!(clockMhz > 0)) {
            throw new ModelException("device '" + name + "' needs a positive default clock (MHz)");
        }
        if (lutMultThreshold < 1 || dspWidthA < 2 || dspWidthB < 2) {
            throw new ModelException("device '" + name + "' has an invalid multiplier description");
        }
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        source = source == null ? "" : source;
        part = part == null ? name : part;
        family = family == null ? "" : family;
    }
}
