package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.prune.StructureMap;
import dev.sparsimony.engine.quantize.FixedPoint;

/**
 * LUTs each pruning structure keeps in use, charged with the same per-product terms (and calibration factors) as
 * {@link FpgaModel}'s kernel layers: a constant multiplier in fabric (shift-and-add: one adder per extra CSD digit),
 * a generic LUT multiplier when the constants are not visible, the adder-tree input of each product, and the operand
 * multiplexers of a reused multiplier. Terms per output or per layer (result registers, control) are not charged to
 * structures: the caller counts them as fixed from the layer's estimate.
 */
public final class LutCost extends KernelUnitCost {
    public LutCost(Device device, LayerHwConfig config, FixedPoint dataPrecision, FpgaParams params) {
        this(device, config, dataPrecision, params, Hls4mlVersion.LATEST);
    }

    public LutCost(Device device, LayerHwConfig config, FixedPoint dataPrecision, FpgaParams params,
                   Hls4mlVersion version) {
        super("LUT", device, config, dataPrecision, params, version);
    }

    @Override
    void charge(KernelModel km, StructureMap map, UnitAttribution a) {
        Calibration c = km.params.calibration();
        double constF = c.factor(CostTerms.Lut.CONST_ADDERS);
        double treeF = c.factor(CostTerms.Lut.ADDER_TREE);
        double multF = c.factor(CostTerms.Lut.FABRIC_MULT);
        double muxF = c.factor(CostTerms.Lut.MUX);
        int wW = km.weightWidth;
        int dW = km.dataWidth;
        if (km.strategy == Strategy.LATENCY) {
            double tree = km.accWidth * FpgaModel.TREE_LUT_PER_BIT * treeF;
            if (km.constantsVisible() && !km.limitBinds()) {
                for (int k = 0; k < km.n; k++) {
                    if (km.codes[k] != 0) {
                        a.add(map, new int[] {k}, km.constantLut(k) * constF + tree);
                    }
                }
            } else {
                boolean mult = km.product == LayerHwConfig.Product.MULT;
                double mux = km.rf > 1 ? (wW + dW) * (double) KernelModel.ceilDiv(km.rf, 4) * muxF : 0;
                double per = (km.fabricMultLut() * multF + mux) / (mult ? km.rf : 1) + tree / km.rf;
                for (int k = 0; k < km.n; k++) {
                    if (km.codes[k] != 0) {
                        double own = km.constantsVisible() && !km.needsMultiplier(k) ? km.constantLut(k) * constF : 0;
                        a.add(map, new int[] {k}, per + own);
                    }
                }
            }
        } else {
            double fabricMult = km.fabricMultLut() * multF;
            double mux = km.rf > 1 ? dW * (double) KernelModel.ceilDiv(Math.min(km.rf, km.nIn), 4) * muxF : 0;
            for (int pIdx = 0; pIdx < km.blockFactor(); pIdx++) {
                a.add(map, km.patternKernelIndices(pIdx), km.patternIsZero(pIdx) ? 0
                        : fabricMult + km.accWidth * treeF + mux);
            }
        }
    }
}
