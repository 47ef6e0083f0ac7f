package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;

import java.util.Map;

/**
 * What a granularity may need to know about a layer beyond its kernel: the model (e.g. the following BatchNorm),
 * the layer's output shape (batch 1), the target sparsity (DARB picks block sizes from it), and the hardware
 * parameters of hls4ml's Resource strategy (weight bit width, reuse factor) for the DSP / BRAM structures.
 */
public record LayerContext(Model model, int[] outputShape, double sparsity, int weightBits, int reuseFactor) {
    public LayerContext {
        Pruning.checkSparsity(sparsity, "sparsity");
        if (weightBits < 1 || weightBits > 32) {
            throw new ModelException("weight bit width must be in 1..32, got " + weightBits);
        }
        if (reuseFactor < 1) {
            throw new ModelException("reuse factor must be at least 1, got " + reuseFactor);
        }
    }

    /** Context with the output shape inferred for batch 1, sparsity 0.5, 16-bit weights, reuse factor 1. */
    public static LayerContext of(Model model, Node layer) {
        return of(model, layer, model.inferShapes(1));
    }

    public static LayerContext of(Model model, Node layer, Map<String, int[]> shapes) {
        return new LayerContext(model, shapes.get(layer.name()), 0.5, 16, 1);
    }

    public LayerContext withSparsity(double s) {
        return new LayerContext(model, outputShape, s, weightBits, reuseFactor);
    }

    public LayerContext withHardware(int bits, int rf) {
        return new LayerContext(model, outputShape, sparsity, bits, rf);
    }

    /** Output positions of a layer: the product of the output's non-batch, non-channel dimensions (1 for Dense). */
    public int outputPositions(Node layer) {
        if (outputShape == null) {
            return 1;
        }
        int cols = KernelView.of(layer).cols();
        long n = 1;
        for (int i = 1; i < outputShape.length; i++) {
            n *= outputShape[i];
        }
        return (int) Math.max(1, n / cols);
    }
}
