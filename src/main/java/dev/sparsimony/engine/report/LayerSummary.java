package dev.sparsimony.engine.report;

import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One row of the layer table shown by {@code sparsimony info} and the GUI's model panel.
 *
 * @param outputShape output shape, with -1 (shown "?") for a leading batch axis that follows a dynamic input batch,
 *                    as the model's inputs show it; a model of fixed batch keeps its numbers
 * @param parameters  number of weight values (constants excluded)
 * @param sparsity    fraction of exact zeros in the kernel (prunable layers) or in all weights; 0 when none
 */
public record LayerSummary(String name, String type, List<String> inputs, int[] outputShape, long parameters,
                           double sparsity, boolean prunable) {

    /** Rows for every node of the model, in graph order. */
    public static List<LayerSummary> of(Model model) {
        Map<String, int[]> shapes = batchShapes(model);
        List<LayerSummary> rows = new ArrayList<>();
        for (Node n : model.nodes()) {
            long params = 0;
            long zeros = 0;
            long counted = 0;
            boolean constant = n.op() instanceof Ops.Constant;
            for (Map.Entry<String, Tensor> e : n.op().weights().entrySet()) {
                if (constant) {
                    continue;
                }
                params += e.getValue().size();
                // sparsity is measured on the kernel for prunable layers (biases are not pruned)
                if (!n.op().isPrunable() || e.getKey().equals("kernel")) {
                    for (float v : e.getValue().data()) {
                        if (v == 0f) {
                            zeros++;
                        }
                    }
                    counted += e.getValue().size();
                }
            }
            rows.add(new LayerSummary(n.name(), n.op().kind(), n.inputs(), shapes.get(n.name()), params,
                    counted == 0 ? 0 : (double) zeros / counted, n.op().isPrunable()));
        }
        return rows;
    }

    /**
     * Shapes for batch 1, where a leading axis that is 1 for batch 1 and 2 for batch 2 (all else equal) becomes -1:
     * exactly the outputs that carry the batch first. A Flatten or Reshape that folds the batch into another axis
     * keeps its batch-1 numbers, and so does every node when no input has a dynamic batch.
     */
    static Map<String, int[]> batchShapes(Model model) {
        Map<String, int[]> one = model.inferShapes(1);
        boolean dynamic = model.inputs().stream().anyMatch(v -> v.shape().length > 0 && v.shape()[0] < 0);
        if (!dynamic) {
            return one;
        }
        Map<String, int[]> two;
        try {
            two = model.inferShapes(2);
        } catch (RuntimeException e) {
            return one; // a graph that only takes batch 1 (a fixed reshape): its batch-1 shapes are its shapes
        }
        Map<String, int[]> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : one.entrySet()) {
            int[] a = e.getValue();
            int[] b = two.get(e.getKey());
            boolean batchFirst = a != null && b != null && a.length == b.length && a.length > 0 && a[0] == 1
                    && b[0] == 2 && java.util.Arrays.equals(a, 1, a.length, b, 1, b.length);
            if (batchFirst) {
                a = a.clone();
                a[0] = -1;
            }
            out.put(e.getKey(), a);
        }
        return out;
    }

    /** "[1, 64]" style, with -1 shown as "?". */
    public static String shapeString(int[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "?" : String.valueOf(shape[i]));
        }
        return sb.append(']').toString();
    }
}
