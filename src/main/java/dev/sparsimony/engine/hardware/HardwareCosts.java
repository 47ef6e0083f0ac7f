package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.prune.LayerContext;
import dev.sparsimony.engine.prune.StructureCosts;
import dev.sparsimony.engine.quantize.FixedPoint;

/**
 * Registers "DSP" and "BRAM" in the compression engine's {@link StructureCosts} for knapsack budgets. The layer
 * context gives the weight width and reuse factor; the rest follows hls4ml's DSP-aware pruning setting: Resource
 * strategy (one DSP per pattern of RF weights; at RF 1 one per weight), ap_fixed&lt;W, min(W,6)&gt; weights (hls4ml's
 * default integer bits), 16-bit data, and the multiplier threshold of the reference device (xcvu9p: LUT
 * multipliers under 9 bits). For other settings build {@link DspCost} / {@link BramCost} directly.
 */
public final class HardwareCosts {
    private static final Device REFERENCE = DeviceCatalogue.builtIn().get("xcvu9p");
    private static final FixedPoint DATA = FixedPoint.of(16, 6);

    private HardwareCosts() {
    }

    public static LayerHwConfig configFor(LayerContext ctx) {
        int w = ctx.weightBits();
        return LayerHwConfig.of(FixedPoint.of(w, Math.min(w, 6)), ctx.reuseFactor(), Strategy.RESOURCE);
    }

    public static void register() {
        StructureCosts.register("DSP", ctx -> new DspCost(REFERENCE, configFor(ctx), DATA, FpgaParams.defaults()));
        StructureCosts.register("BRAM", ctx -> new BramCost(REFERENCE, configFor(ctx), DATA, FpgaParams.defaults()));
    }
}
