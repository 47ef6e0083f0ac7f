package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.prune.StructureMap;
import dev.sparsimony.engine.quantize.FixedPoint;

/**
 * DSPs each pruning structure keeps in use, with the same rules as {@link FpgaModel} ({@link KernelModel}):
 * <ul>
 *   <li>Latency, constants visible (v0.5+): each weight is its own constant multiplier; it costs DSPs only when its
 *       constant is neither 0, a shift nor a cheap CSD constant and both operand widths reach the DSP thresholds
 *       (hls4ml's VivadoDSPEstimator: "savings 1" per weight);</li>
 *   <li>Latency with shared multipliers (v0.4, or the ALLOCATION limit binding): multiplier_limit =
 *       ceil(n/RF) - float zeros/RF, charged linearly as 1/RF per weight whose float value is not zero (exact
 *       whenever the zeros come in multiples of RF);</li>
 *   <li>Resource / unrolled: one multiplier per pattern of RF consecutive weights of the transposed kernel.</li>
 * </ul>
 */
public final class DspCost extends KernelUnitCost {
    public DspCost(Device device, LayerHwConfig config, FixedPoint dataPrecision, FpgaParams params) {
        this(device, config, dataPrecision, params, Hls4mlVersion.LATEST);
    }

    public DspCost(Device device, LayerHwConfig config, FixedPoint dataPrecision, FpgaParams params,
                   Hls4mlVersion version) {
        super("DSP", device, config, dataPrecision, params, version);
    }

    @Override
    void charge(KernelModel km, StructureMap map, UnitAttribution a) {
        if (km.strategy == Strategy.LATENCY) {
            if (km.constantsVisible() && !km.limitBinds()) {
                for (int k = 0; k < km.n; k++) {
                    a.add(map, new int[] {k}, km.dspOfConstant(k));
                }
            } else if (km.dspPerMult > 0) {
                double per = (double) km.dspPerMult / km.rf;
                long counted = 0;
                for (int k = 0; k < km.n; k++) {
                    if (!km.floatZero[k]) {
                        a.add(map, new int[] {k}, per);
                        counted++;
                    }
                }
                // ceil(n/RF) - zeros/RF differs from the linear sum by the rounding of both terms
                a.fixed += km.dsp() - per * counted;
            }
        } else if (km.dspPerMult > 0) {
            for (int pIdx = 0; pIdx < km.blockFactor(); pIdx++) {
                a.add(map, km.patternKernelIndices(pIdx), km.patternIsZero(pIdx) ? 0 : km.dspPerMult);
            }
        }
    }
}
