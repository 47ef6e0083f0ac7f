package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.prune.StructureCost;
import dev.sparsimony.engine.prune.StructureMap;
import dev.sparsimony.engine.quantize.FixedPoint;

/**
 * A hardware resource whose units (multipliers, BRAM word groups) are charged to pruning structures through
 * {@link UnitAttribution}: subclasses only say which units a layer's {@link KernelModel} holds and what each costs.
 */
abstract sealed class KernelUnitCost implements StructureCost permits BramCost, DspCost, LutCost {
    private final String resource;
    private final Device device;
    private final LayerHwConfig config;
    private final FixedPoint data;
    private final FpgaParams params;

    KernelUnitCost(String resource, Device device, LayerHwConfig config, FixedPoint dataPrecision,
                   FpgaParams params) {
        this.resource = resource;
        this.device = device;
        this.config = config;
        this.data = dataPrecision;
        this.params = params;
    }

    @Override
    public final String resource() {
        return resource;
    }

    @Override
    public final double[] costs(Node layer, int[] outputShape, StructureMap map) {
        return attribute(layer, map).costs;
    }

    @Override
    public final double fixedCost(Node layer, int[] outputShape, StructureMap map) {
        return attribute(layer, map).fixed;
    }

    private UnitAttribution attribute(Node layer, StructureMap map) {
        KernelModel km = UnitAttribution.kernelOf(layer, map, config, data.width(), device, params);
        UnitAttribution a = new UnitAttribution(map);
        charge(km, map, a);
        return a;
    }

    /** Adds the cost of every unit of {@code km} to {@code a}. */
    abstract void charge(KernelModel km, StructureMap map, UnitAttribution a);
}
