package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.prune.StructureMap;
import dev.sparsimony.engine.quantize.FixedPoint;

/**
 * BRAM18 blocks each pruning structure keeps in use, following hls4ml's VivadoMultiObjectiveEstimator
 * (optimization/dsp_aware_pruning/objectives/vivado_objectives.py): with Resource/unrolled strategy and RF &gt; 1
 * the weights sit in a ROM of 36-bit columns; a group of consecutive patterns frees its column(s) only when it
 * fills the word exactly (36 bits when W divides 36, or 72 bits). Columns no group can free (W = 16, the last
 * partial group) are fixed cost. Latency strategy and RF 1 keep weights in registers: no BRAM.
 */
public final class BramCost extends KernelUnitCost {
    public BramCost(Device device, LayerHwConfig config, FixedPoint dataPrecision, FpgaParams params) {
        this(device, config, dataPrecision, params, Hls4mlVersion.LATEST);
    }

    public BramCost(Device device, LayerHwConfig config, FixedPoint dataPrecision, FpgaParams params,
                    Hls4mlVersion version) {
        super("BRAM", device, config, dataPrecision, params, version);
    }

    @Override
    void charge(KernelModel km, StructureMap map, UnitAttribution a) {
        if (!km.usesBram()) {
            return;
        }
        int perColumn = km.bram18PerColumn();
        int groups = km.fullGroups();
        long groupColumns = (long) groups * km.columnsPerGroup();
        for (int g = 0; g < groups; g++) {
            a.add(map, km.groupKernelIndices(g), km.groupIsZero(g) ? 0 : (double) km.columnsPerGroup() * perColumn);
        }
        a.fixed += (km.bramColumns() - groupColumns) * (double) perColumn;
    }
}
