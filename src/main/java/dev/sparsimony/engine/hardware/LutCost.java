package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.prune.StructureMap;
import dev.sparsimony.engine.quantize.FixedPoint;

/**
 * LUTs each pruning structure keeps in use, charged with the same per-product terms as {@link FpgaModel}'s kernel
 * layers: a constant multiplier in fabric (shift-and-add: one adder per extra CSD digit; a generic LUT multiplier
 * when the constants are not visible), the adder-tree input of each product, and the operand multiplexers of a
 * reused multiplier. Terms per output or per layer (result registers, control) are not charged to structures: the
 * caller counts them as fixed from the layer's estimate.
 */
public final class LutCost extends KernelUnitCost {
    public LutCost(Device device, LayerHwConfig config, FixedPoint dataPrecision, FpgaParams params) {
        super("LUT", device, config, dataPrecision, params);
    }

    @Override
    void charge(KernelModel km, StructureMap map, UnitAttribution a) {
        int wW = km.weightWidth;
        int dW = km.dataWidth;
        double fabricMult = km.dspPerMult == 0 ? wW * dW * km.params.lutPerFabricMultBit() : 0;
        if (km.strategy == Strategy.LATENCY) {
            if (km.constantsVisible()) {
                for (int k = 0; k < km.n; k++) {
                    int digits = km.csd[k];
                    if (digits == 0) {
                        continue;
                    }
                    boolean dsp = km.dspPerMult > 0 && km.needsMultiplier(k);
                    a.add(map, new int[] {k}, (dsp ? 0 : Math.max(0, digits - 1) * (wW + dW)) + km.accWidth);
                }
            } else {
                double mux = km.rf > 1 ? (wW + dW) * (double) KernelModel.ceilDiv(km.rf, 4) : 0;
                double per = (fabricMult + mux + km.accWidth) / km.rf;
                for (int k = 0; k < km.n; k++) {
                    if (km.codes[k] != 0) {
                        a.add(map, new int[] {k}, per);
                    }
                }
            }
        } else {
            double mux = km.rf > 1 ? dW * (double) KernelModel.ceilDiv(Math.min(km.rf, km.nIn), 4) : 0;
            for (int pIdx = 0; pIdx < km.blockFactor(); pIdx++) {
                a.add(map, km.patternKernelIndices(pIdx), km.patternIsZero(pIdx) ? 0 : fabricMult + km.accWidth + mux);
            }
        }
    }
}
