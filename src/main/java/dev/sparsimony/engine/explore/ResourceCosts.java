package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.hardware.BramCost;
import dev.sparsimony.engine.hardware.Device;
import dev.sparsimony.engine.hardware.DspCost;
import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.hardware.FpgaParams;
import dev.sparsimony.engine.hardware.LayerHwConfig;
import dev.sparsimony.engine.hardware.LutCost;
import dev.sparsimony.engine.prune.LayerContext;
import dev.sparsimony.engine.prune.StructureCost;
import dev.sparsimony.engine.prune.StructureCosts;
import dev.sparsimony.engine.quantize.FixedPoint;

import java.util.ArrayList;
import java.util.List;

/**
 * The composition root of the knapsack's costs: the compression engine's resources (params, MACs, bytes) and the
 * hardware model's (DSP, BRAM, LUT), the latter built with the design point's own device and per-layer settings.
 * Neither engine.prune nor engine.hardware knows the other's registry; this class joins them.
 */
public final class ResourceCosts {
    /** Resources the hardware model costs per structure. */
    public static final List<String> HARDWARE = List.of("DSP", "BRAM", "LUT");

    private ResourceCosts() {
    }

    /** Every budget resource, compression ones first. */
    public static List<String> resources() {
        List<String> r = new ArrayList<>(List.of("params", "MACs", "bytes"));
        for (String s : StructureCosts.resources()) {
            if (!r.contains(s)) {
                r.add(s);
            }
        }
        r.addAll(HARDWARE);
        return r;
    }

    public static boolean isHardware(String resource) {
        return HARDWARE.contains(resource);
    }

    /**
     * The cost of keeping each structure of a layer in {@code resource}: {@code hw} is the layer's effective
     * hardware settings, {@code data} the precision of its input.
     */
    static StructureCost create(String resource, LayerContext ctx, LayerHwConfig hw, FixedPoint data, Device device) {
        return switch (resource) {
            case "DSP" -> new DspCost(device, hw, data, FpgaParams.defaults());
            case "BRAM" -> new BramCost(device, hw, data, FpgaParams.defaults());
            case "LUT" -> new LutCost(device, hw, data, FpgaParams.defaults());
            default -> StructureCosts.create(resource, ctx);
        };
    }

    /** The estimate's total of a hardware resource. */
    static double total(FpgaEstimate e, String resource) {
        return switch (resource) {
            case "DSP" -> e.dsp();
            case "BRAM" -> e.bram18();
            case "LUT" -> e.lut();
            default -> throw new IllegalArgumentException(resource);
        };
    }

    /** The device's capacity of a hardware resource. */
    static double capacity(Device d, String resource) {
        return switch (resource) {
            case "DSP" -> d.dsp();
            case "BRAM" -> d.bram18();
            case "LUT" -> d.lut();
            default -> throw new IllegalArgumentException(resource);
        };
    }
}
