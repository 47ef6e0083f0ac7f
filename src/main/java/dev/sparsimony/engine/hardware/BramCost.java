package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.prune.StructureCost;
import dev.sparsimony.engine.prune.StructureMap;
import dev.sparsimony.engine.quantize.FixedPoint;

/**
 * BRAM18 blocks each pruning structure keeps in use, following hls4ml's VivadoMultiObjectiveEstimator
 * (optimization/dsp_aware_pruning/objectives/vivado_objectives.py): with Resource/unrolled strategy and RF &gt; 1
 * the weights sit in a ROM of 36-bit columns; a group of consecutive patterns frees its column(s) only when it
 * fills the word exactly (36 bits when W divides 36, or 72 bits). Columns no group can free (W = 16, the last
 * partial group) are fixed cost. Latency strategy and RF 1 keep weights in registers: no BRAM.
 */
public final class BramCost implements StructureCost {
    private final Device device;
    private final LayerHwConfig config;
    private final FixedPoint data;
    private final FpgaParams params;

    public BramCost(Device device, LayerHwConfig config, FixedPoint dataPrecision, FpgaParams params) {
        this.device = device;
        this.config = config;
        this.data = dataPrecision;
        this.params = params;
    }

    @Override
    public String resource() {
        return "BRAM";
    }

    @Override
    public double[] costs(Node layer, int[] outputShape, StructureMap map) {
        return attribute(layer, map).costs;
    }

    @Override
    public double fixedCost(Node layer, int[] outputShape, StructureMap map) {
        return attribute(layer, map).fixed;
    }

    private UnitAttribution attribute(Node layer, StructureMap map) {
        KernelModel km = UnitAttribution.kernelOf(layer, map, config, data.width(), device, params);
        UnitAttribution a = new UnitAttribution(map);
        if (!km.usesBram()) {
            return a;
        }
        int perColumn = km.bram18PerColumn();
        int groups = km.fullGroups();
        long groupColumns = (long) groups * km.columnsPerGroup();
        for (int g = 0; g < groups; g++) {
            a.add(map, km.groupKernelIndices(g), km.groupIsZero(g) ? 0 : (double) km.columnsPerGroup() * perColumn);
        }
        a.fixed += (km.bramColumns() - groupColumns) * (double) perColumn;
        return a;
    }
}
