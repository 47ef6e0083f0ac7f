package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.prune.StructureMap;
import dev.sparsimony.engine.quantize.FixedPoint;

/**
 * DSPs each pruning structure keeps in use, following hls4ml's VivadoDSPEstimator
 * (optimization/dsp_aware_pruning/objectives/vivado_objectives.py) and the same rules as {@link FpgaModel}:
 * <ul>
 *   <li>Latency, RF 1: each weight is its own constant multiplier; it costs DSPs only when its quantized value is
 *       neither 0, a power of two nor a cheap CSD constant (hls4ml: "savings 1" per weight);</li>
 *   <li>Latency, RF &gt; 1: multiplier_limit = ceil(n/RF) - zeros/RF, charged linearly as 1/RF per weight (exact
 *       whenever the zeros come in multiples of RF; hls4ml counts no saving here);</li>
 *   <li>Resource / unrolled: one DSP per pattern of RF consecutive weights of the transposed kernel.</li>
 * </ul>
 * Weights narrower than the device's LUT-multiplier threshold cost no DSP at all.
 */
public final class DspCost extends KernelUnitCost {
    public DspCost(Device device, LayerHwConfig config, FixedPoint dataPrecision, FpgaParams params) {
        super("DSP", device, config, dataPrecision, params);
    }

    @Override
    void charge(KernelModel km, StructureMap map, UnitAttribution a) {
        if (km.dspPerMult == 0) {
            return;
        }
        if (km.strategy == Strategy.LATENCY) {
            if (km.rf == 1) {
                for (int k = 0; k < km.n; k++) {
                    a.add(map, new int[] {k}, km.needsMultiplier(k) ? km.dspPerMult : 0);
                }
            } else {
                double per = (double) km.dspPerMult / km.rf;
                for (int k = 0; k < km.n; k++) {
                    a.add(map, new int[] {k}, km.codes[k] != 0 ? per : 0);
                }
                // ceil(n/RF) - zeros/RF differs from the linear sum by the rounding of both terms
                a.fixed += km.dsp() - per * km.nonZero();
            }
        } else {
            for (int pIdx = 0; pIdx < km.blockFactor(); pIdx++) {
                a.add(map, km.patternKernelIndices(pIdx), km.patternIsZero(pIdx) ? 0 : km.dspPerMult);
            }
        }
    }
}
