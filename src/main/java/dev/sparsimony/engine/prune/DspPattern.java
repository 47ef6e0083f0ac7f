package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;

/**
 * hls4ml's DSP pattern (Ramhorst et al., "FPGA Resource-aware Structured Pruning for Real-Time Neural Networks",
 * 2023; hls4ml optimization/dsp_aware_pruning, structure PATTERN with pattern_offset = n_weights / RF and
 * consecutive_patterns = 1). In the Resource strategy (nnet_dense_resource.h) the kernel is transposed to
 * [cols, rows] and flattened, and multiplier {@code im} processes weights {@code w_index = ir + RF*im} for
 * ir = 0..RF-1: the RF consecutive weights of the transposed, flattened matrix share one multiplier (DSP).
 * Pruning all of them removes the multiplier. Kernel weight (r, c) has transposed index t = c*rows + r and belongs
 * to pattern t / RF (a trailing partial pattern when RF does not divide the weight count).
 */
public final class DspPattern implements Granularity {
    /** The reuse factor is the layer's, from the design point (through {@link LayerContext}). */
    public DspPattern() {
    }

    @Override
    public String id() {
        return "dsp-pattern";
    }

    @Override
    public StructureMap structures(Node layer, LayerContext ctx) {
        int rf = ctx.reuseFactor();
        return transposedGroups(layer, rf, "dsp-pattern RF=" + rf, "reuse factor");
    }

    /** Structures of {@code size} consecutive weights of the transposed, flattened kernel. */
    static StructureMap transposedGroups(Node layer, int size, String name, String what) {
        KernelView k = KernelView.of(layer);
        int rows = k.rows();
        int cols = k.cols();
        if (size > k.size()) {
            throw new ModelException(what + " " + size + " is larger than the " + k.size() + " weights of layer '"
                    + layer.name() + "'");
        }
        int[] of = new int[k.size()];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                of[r * cols + c] = (c * rows + r) / size;
            }
        }
        return new StructureMap(name, rows, cols, of, (k.size() + size - 1) / size);
    }
}
