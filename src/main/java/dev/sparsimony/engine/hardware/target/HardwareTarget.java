package dev.sparsimony.engine.hardware.target;

import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.model.Model;

/**
 * One kind of hardware a model can be estimated on (an FPGA part through hls4ml, an EIE-style sparse accelerator,
 * a GPU with sparse tensor cores). One class per target, registered in {@link Targets}.
 */
public interface HardwareTarget {
    /** Name as given on the command line, e.g. "xcku115", "eie", "a100". */
    String name();

    /** One line on what is modelled. */
    String description();

    /**
     * Estimates the model. Throws {@link dev.sparsimony.engine.model.ModelException} with a one-line message for
     * a layer this target cannot map.
     */
    HardwareReport estimate(Model model, HardwareConfig config);
}
