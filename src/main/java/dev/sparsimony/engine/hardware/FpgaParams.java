package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.ModelException;

/**
 * The adjustable constants of the FPGA model that are not device counts. Defaults and their sources are listed in
 * {@code docs/hardware-models.md}; the LUT/FF coefficients are first-order and carry {@link #lutFfUncertainty()}.
 *
 * @param maxCsdDigitsInFabric constant weights with at most this many canonical-signed-digit digits are built from
 *                             shifts and adders in LUTs (power of two = 1 digit = wiring only) instead of a DSP
 * @param tableSize            activation lookup-table entries (hls4ml default 1024, backends/fpga/fpga_backend.py)
 * @param tableWidth           table entry width in bits (hls4ml default table_t ap_fixed&lt;18,8&gt;)
 * @param romBramMinBits       a ROM of at least this many bits goes to block RAM, a smaller one to LUTs (LUTRAM)
 * @param adderDelayNs         delay of one adder level, used to pack adder-tree levels into clock cycles
 * @param lutPerFabricMultBit  LUTs per (weight bit x data bit) of a generic multiplier built in fabric
 * @param controlLut           per-layer control/handshake LUTs
 * @param controlFf            per-layer control/handshake flip-flops
 * @param lutFfUncertainty     relative uncertainty stated with LUT and FF estimates (0.5 = plus or minus 50 %)
 */
public record FpgaParams(int maxCsdDigitsInFabric, int tableSize, int tableWidth, int romBramMinBits,
                         double adderDelayNs, double lutPerFabricMultBit, int controlLut, int controlFf,
                         double lutFfUncertainty) {
    public FpgaParams {
        if (maxCsdDigitsInFabric < 0 || tableSize < 1 || tableWidth < 1 || romBramMinBits < 0 || !(adderDelayNs > 0)
                || lutPerFabricMultBit < 0 || controlLut < 0 || controlFf < 0 || lutFfUncertainty < 0) {
            throw new ModelException("invalid FPGA model parameters");
        }
    }

    public static FpgaParams defaults() {
        return new FpgaParams(2, 1024, 18, 1024, 0.8, 0.6, 40, 40, 0.5);
    }

    public FpgaParams withMaxCsdDigitsInFabric(int d) {
        return new FpgaParams(d, tableSize, tableWidth, romBramMinBits, adderDelayNs, lutPerFabricMultBit,
                controlLut, controlFf, lutFfUncertainty);
    }

    public FpgaParams withTable(int size, int width) {
        return new FpgaParams(maxCsdDigitsInFabric, size, width, romBramMinBits, adderDelayNs, lutPerFabricMultBit,
                controlLut, controlFf, lutFfUncertainty);
    }
}
