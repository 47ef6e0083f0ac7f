package dev.sparsimony.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Quantization;
import dev.sparsimony.engine.report.LayerSummary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsimony info MODEL}: the layer table. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the layers of a model: name, type, output shape, parameters, sparsity.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelArgument modelArg;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Model model = modelArg.load();
        List<LayerSummary> rows = LayerSummary.of(model);
        var out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper om = new ObjectMapper();
            ObjectNode root = om.createObjectNode();
            root.put("model", model.name());
            ArrayNode inputs = root.putArray("inputs");
            model.inputs().forEach(v -> {
                ObjectNode i = inputs.addObject();
                i.put("name", v.name());
                ArrayNode s = i.putArray("shape");
                for (int d : v.shape()) {
                    s.add(d);
                }
            });
            root.put("parameters", model.parameterCount());
            ArrayNode quant = root.putArray("quantization");
            Quantization.of(model).forEach(q -> quant.add(om.valueToTree(q)));
            root.put("kernelSparsity", model.kernelSparsity());
            ArrayNode layers = root.putArray("layers");
            for (LayerSummary r : rows) {
                layers.add(om.valueToTree(r));
            }
            out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            return 0;
        }
        out.printf("Model %s: %d layers, %,d parameters, kernel sparsity %.1f %%%n", model.name(),
                model.nodes().size(), model.parameterCount(), 100 * model.kernelSparsity());
        model.inputs().forEach(v -> out.printf("Input %s %s%n", v.name(), LayerSummary.shapeString(v.shape())));
        Table t = new Table("layer", "type", "inputs", "output shape", "params", "sparsity");
        t.rightAlign(4, 5);
        for (LayerSummary r : rows) {
            t.row(r.name(), r.type(), String.join(",", r.inputs()), LayerSummary.shapeString(r.outputShape()),
                    String.format("%,d", r.parameters()),
                    r.parameters() == 0 ? "-" : String.format("%.1f %%", 100 * r.sparsity()));
        }
        t.print(out);
        out.println("Outputs: " + String.join(", ", model.outputs()));
        List<Quantization> quant = Quantization.of(model);
        if (!quant.isEmpty()) {
            // the model's own precision (QONNX/Brevitas quantizers), as the importer recorded it
            out.println("Quantized: " + String.join(", ", quant.stream().map(q -> q.layer() + " " + q.tensor() + " "
                    + q.bits() + "-bit " + (q.signed() ? "signed" : "unsigned") + (q.narrow() ? " narrow" : "")
                    + " " + q.scale()).toList()));
        }
        return 0;
    }
}
