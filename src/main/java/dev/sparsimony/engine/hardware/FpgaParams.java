package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.ModelException;

/**
 * The adjustable constants of the FPGA model that are not device counts. Defaults and their sources are listed in
 * {@code docs/hardware-models.md}; LUT, FF and latency carry a {@link Calibration} (scale factors fitted by
 * {@code sparsimony calibrate} on the user's own HLS reports) whose residuals become the error band.
 *
 * @param maxCsdDigitsInFabric constant weights with at most this many canonical-signed-digit digits are built from
 *                             shifts and adders in LUTs (power of two = 1 digit = wiring only) instead of a multiplier
 * @param tableSize            activation lookup-table entries (hls4ml default 1024, backends/fpga/fpga_backend.py)
 * @param tableWidth           table entry width in bits (hls4ml default table_t ap_fixed&lt;18,8&gt;)
 * @param romBramMinBits       a ROM or FIFO of at least this many bits goes to block RAM, a smaller one to LUTs
 * @param adderDelayNs         delay of one adder (or comparator) level, used to cut adder trees into clock cycles
 * @param multDelayNs          delay of a DSP multiplication (a LUT constant multiplier costs adder levels instead)
 * @param dspMinWideBits       a product whose wider operand is below this width is built in LUTs (6-bit x 6-bit
 *                             QKeras layers synthesise without DSPs, 16-bit x 6-bit ones with); the narrower operand's
 *                             threshold is the device's {@link Device#lutMultThreshold()}
 * @param lutPerFabricMultBit  LUTs per (weight bit x data bit) of a generic (non-constant) multiplier built in LUTs
 * @param controlLut           per-layer control/handshake LUTs of a pipelined function
 * @param controlFf            per-layer control/handshake flip-flops of a pipelined function
 * @param lutFfUncertainty     relative uncertainty stated with LUT and FF when no calibration band is known
 * @param calibration          scale factors of the LUT, FF and latency terms and the band of their fit
 */
public record FpgaParams(int maxCsdDigitsInFabric, int tableSize, int tableWidth, int romBramMinBits,
                         double adderDelayNs, double multDelayNs, int dspMinWideBits,
                         double lutPerFabricMultBit, int controlLut, int controlFf, double lutFfUncertainty,
                         Calibration calibration) {
    public FpgaParams {
        if (maxCsdDigitsInFabric < 0 || tableSize < 1 || tableWidth < 1 || romBramMinBits < 0 || !(adderDelayNs > 0)
                || !(multDelayNs >= 0) || dspMinWideBits < 1 || lutPerFabricMultBit < 0
                || controlLut < 0 || controlFf < 0 || lutFfUncertainty < 0) {
            throw new ModelException("invalid FPGA model parameters");
        }
        calibration = calibration == null ? Calibration.none() : calibration;
    }

    public static FpgaParams defaults() {
        return new FpgaParams(2, 1024, 18, 1024, 0.5, 2.0, 10, 0.6, 40, 40, 0.5, Calibration.none());
    }

    public FpgaParams withMaxCsdDigitsInFabric(int d) {
        return new FpgaParams(d, tableSize, tableWidth, romBramMinBits, adderDelayNs, multDelayNs,
                dspMinWideBits, lutPerFabricMultBit, controlLut, controlFf, lutFfUncertainty, calibration);
    }

    public FpgaParams withTable(int size, int width) {
        return new FpgaParams(maxCsdDigitsInFabric, size, width, romBramMinBits, adderDelayNs, multDelayNs,
                dspMinWideBits, lutPerFabricMultBit, controlLut, controlFf, lutFfUncertainty,
                calibration);
    }

    public FpgaParams withDspMinWideBits(int wide) {
        return new FpgaParams(maxCsdDigitsInFabric, tableSize, tableWidth, romBramMinBits, adderDelayNs, multDelayNs,
                wide, lutPerFabricMultBit, controlLut, controlFf, lutFfUncertainty, calibration);
    }

    public FpgaParams withCalibration(Calibration c) {
        return new FpgaParams(maxCsdDigitsInFabric, tableSize, tableWidth, romBramMinBits, adderDelayNs, multDelayNs,
                dspMinWideBits, lutPerFabricMultBit, controlLut, controlFf, lutFfUncertainty, c);
    }

    /** The relative band stated with LUT estimates: the calibration's fit residual, else the first-order default. */
    public double lutBand() {
        return calibration.lutBand() > 0 ? calibration.lutBand() : lutFfUncertainty;
    }

    /** The relative band stated with FF estimates. */
    public double ffBand() {
        return calibration.ffBand() > 0 ? calibration.ffBand() : lutFfUncertainty;
    }
}
