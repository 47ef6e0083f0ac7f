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
 * @param outputShape output shape for batch 1 (the batch axis shown as 1)
 * @param parameters  number of weight values (constants excluded)
 * @param sparsity    fraction of exact zeros in the kernel (prunable layers) or in all weights; 0 when none
 */
public record LayerSummary(String name, String type, List<String> inputs, int[] outputShape, long parameters,
                           double sparsity, boolean prunable) {

    /** Rows for every node of the model, in graph order; shapes inferred for batch 1. */
    public static List<LayerSummary> of(Model model) {
        Map<String, int[]> shapes = model.inferShapes(1);
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

    /** "[1, 64]" style, with -1 shown as "?". */
    public static String shapeString(int[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "?" : String.valueOf(shape[i]));
        }
        return sb.append(']').toString();
    }
}
