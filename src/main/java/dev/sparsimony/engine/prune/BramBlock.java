package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.Node;

/**
 * hls4ml's BRAM-aware structure (Ramhorst et al. 2023; hls4ml optimization/dsp_aware_pruning, objectives
 * VivadoMultiObjectiveEstimator): with the Resource strategy and RF &gt; 1 the weights are stored so that one memory
 * word holds the weights of the parallel multipliers; a BRAM18/36 port is 36 bits (72 with both ports), so
 * {@code consecutive_patterns} = 36 / W DSP patterns when W divides 36, else ceil(72 / W), share one 36-bit-wide
 * memory word group. A structure = consecutive_patterns * RF consecutive weights of the transposed, flattened kernel;
 * pruning all of them frees one BRAM word group (and consecutive_patterns DSPs).
 */
public final class BramBlock implements Granularity {
    /** Reuse factor and weight width are the layer's, from the design point (through {@link LayerContext}). */
    public BramBlock() {
    }

    /** Patterns per BRAM word group, as in hls4ml's VivadoMultiObjectiveEstimator. */
    public static int consecutivePatterns(int width) {
        return 36 % width == 0 ? 36 / width : (int) Math.ceil(72.0 / width);
    }

    @Override
    public String id() {
        return "bram-block";
    }

    @Override
    public StructureMap structures(Node layer, LayerContext ctx) {
        int rf = ctx.reuseFactor();
        int w = ctx.weightBits();
        int cp = consecutivePatterns(w);
        int size = (int) Math.min(Integer.MAX_VALUE, (long) cp * rf);
        return DspPattern.transposedGroups(layer, Math.min(size, KernelView.of(layer).size()),
                "bram-block RF=" + rf + " W=" + w, "BRAM block of " + cp + "x" + rf + " weights");
    }
}
