package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.prune.StructureMap;

/**
 * Turns hardware units (a multiplier, a block-RAM word group: sets of kernel weights with a cost) into per-structure
 * costs: a unit whose weights all belong to one structure is charged to it (pruning that structure frees the unit);
 * a unit spread over several structures, or holding weights no structure covers, is fixed cost (the knapsack
 * cannot free it by removing one item). With a granularity that matches the hardware the attribution is exact.
 */
final class UnitAttribution {
    final double[] costs;
    double fixed;

    UnitAttribution(StructureMap map) {
        costs = new double[map.count()];
    }

    void add(StructureMap map, int[] kernelIndices, double cost) {
        if (cost == 0 || kernelIndices.length == 0) {
            return;
        }
        int s = map.structureOf()[kernelIndices[0]];
        for (int idx : kernelIndices) {
            if (map.structureOf()[idx] != s) {
                s = -1;
                break;
            }
        }
        if (s >= 0) {
            costs[s] += cost;
        } else {
            fixed += cost;
        }
    }

    static KernelModel kernelOf(Node layer, StructureMap map, LayerHwConfig cfg, int dataWidth, Device device,
                                FpgaParams params, Hls4mlVersion version) {
        int[] mn = FpgaModel.multSize(layer.op());
        if (mn == null) {
            throw new ModelException("layer '" + layer.name() + "' (" + layer.op().kind() + ") has no kernel");
        }
        if (map.rows() != mn[0] || map.cols() != mn[1]) {
            throw new ModelException("structure map " + map.rows() + "x" + map.cols() + " does not match layer '"
                    + layer.name() + "' kernel " + mn[0] + "x" + mn[1]);
        }
        LayerHwConfig lc = cfg;
        if (cfg.strategy() != Strategy.LATENCY) {
            java.util.List<Integer> valid = ReuseFactors.valid(mn[0], mn[1]);
            if (cfg.strategy() == Strategy.UNROLLED) {
                valid = ReuseFactors.withoutMaximum(valid, mn[0], mn[1]);
            }
            if (!valid.contains(cfg.reuseFactor()) && !valid.isEmpty()) {
                lc = cfg.withReuseFactor(ReuseFactors.closest(valid, cfg.reuseFactor()));
            }
        }
        return new KernelModel(layer.op().weights().get("kernel").data(), mn[0], mn[1], lc, dataWidth, device, params,
                version);
    }
}
