package dev.sparsimony.engine.hardware.target;

/**
 * Energy per operation in a 45 nm process, as tabulated by Han et al., "EIE: Efficient Inference Engine on Compressed
 * Deep Neural Network", ISCA 2016, Table I (from Horowitz, "Computing's energy problem", ISSCC 2014), and used by
 * Han et al., "Deep Compression", ICLR 2016 / "Learning both Weights and Connections", NeurIPS 2015, Figure 1.
 * Values in picojoules per 32-bit operation or access.
 */
public record EnergyTable(double intAdd32, double floatAdd32, double registerFile32, double intMult32,
                          double floatMult32, double sram32, double dram32) {
    /** EIE Table I: 0.1, 0.9, 1, 3.1, 3.7, 5, 640 pJ. */
    public static EnergyTable horowitz45nm() {
        return new EnergyTable(0.1, 0.9, 1.0, 3.1, 3.7, 5.0, 640.0);
    }
}
