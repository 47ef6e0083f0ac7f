package dev.sparsimony.engine.samples;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.hardware.IoType;
import dev.sparsimony.engine.hardware.Strategy;
import dev.sparsimony.engine.hardware.target.HardwareReport;
import dev.sparsimony.engine.hardware.target.Targets;
import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.metric.Accuracy;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.prune.KernelView;
import dev.sparsimony.engine.prune.LayerContext;
import dev.sparsimony.engine.train.TrainConfig;
import dev.sparsimony.engine.train.Trainer;
import dev.sparsimony.engine.transform.ConvBlocks;
import dev.sparsimony.engine.transform.DepthShrinker;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** The extra README sections and example search spaces of the CNN samples. */
final class SampleReports {
    /** hls4ml's setting for the SVHN model in Aarrestad et al. 2021: ZCU102, io_stream, Latency, ap_fixed<16,6>. */
    static final String DEVICE = "xczu9eg";

    private SampleReports() {
    }

    /** The FPGA estimate of the model in io_stream (hls4ml defaults otherwise), as a Markdown section. */
    static String hardware(Model model) {
        HardwareConfig cfg = HardwareConfig.hls4mlDefaults().withOptions("ap_fixed<16,6>", 1, Strategy.LATENCY,
                IoType.STREAM, null, false);
        HardwareReport r = Targets.resolve(DEVICE, DeviceCatalogue.builtIn(), 1).estimate(model, cfg);
        StringBuilder sb = new StringBuilder();
        sb.append("\n## Hardware estimate (io_stream)\n\n");
        sb.append("`sparsimony estimate sample-models/svhn-cnn --target ").append(DEVICE)
                .append(" --io stream --precision 'ap_fixed<16,6>'` (Latency strategy, reuse factor 1; ")
                .append(r.description()).append("):\n\n| layer | kind |");
        for (String c : r.columns()) {
            sb.append(' ').append(c).append(" |");
        }
        sb.append("\n|---|---|").append("---|".repeat(r.columns().size())).append('\n');
        List<HardwareReport.Row> rows = new ArrayList<>(r.rows());
        rows.add(r.total());
        for (HardwareReport.Row row : rows) {
            sb.append("| ").append(row.name()).append(" | ").append(row.kind()).append(" |");
            for (String c : r.columns()) {
                Object v = row.values().get(c);
                sb.append(' ').append(v == null ? "" : v instanceof Double d ? String.format(Locale.ROOT, "%.3g", d)
                        : v.toString()).append(" |");
            }
            sb.append('\n');
        }
        sb.append('\n');
        for (Map.Entry<String, Object> e : r.summary().entrySet()) {
            Object v = e.getValue();
            sb.append("- ").append(e.getKey()).append(": ").append(v instanceof Double d
                    ? String.format(Locale.ROOT, "%.4g", d) : String.valueOf(v)).append('\n');
        }
        for (String n : r.notes()) {
            sb.append("- ").append(n).append('\n');
        }
        return sb.toString();
    }

    /** Dense multiply-accumulates per sample of a model's weighted layers. */
    static long macs(Model m) {
        Map<String, int[]> shapes = m.inferShapes(1);
        long macs = 0;
        for (Node l : m.prunableNodes()) {
            macs += (long) KernelView.of(l).size() * new LayerContext(m, shapes.get(l.name()), 0, 16, 1)
                    .outputPositions(l);
        }
        return macs;
    }

    private static double accuracy(Model m, Dataset val) {
        return Accuracy.top1(Inference.predict(m, val.x()).data(), 10, val.labels());
    }

    /**
     * DepthShrinker on every inverted residual block, one at a time and all together: the merged model's cost and
     * accuracy as merged, and after fine-tuning the activation-free model (the paper's recipe: activations removed,
     * padding moved to the block input, then trained; batch norms frozen) for one epoch before merging.
     */
    static String depthShrink(Model model, Dataset train, Dataset val, TrainConfig cfg, Consumer<String> log) {
        List<ConvBlocks.Block> blocks = DepthShrinker.blocks(model);
        List<List<String>> choices = new ArrayList<>();
        for (ConvBlocks.Block b : blocks) {
            choices.add(List.of(b.expand()));
        }
        choices.add(blocks.stream().map(ConvBlocks.Block::expand).toList());
        TrainConfig fine = cfg.withEpochs(1).withLearningRate(5e-4).withTrainBatchNorm(false);
        StringBuilder sb = new StringBuilder();
        sb.append("\n## DepthShrinker\n\n");
        sb.append("Each inverted residual block, named by its expand conv (a design point's `depthShrink` entry), merged")
                .append(" into one dense 3x3 conv (`DepthShrinker.merge`: ReLU6 removed, batch norms folded, the skip")
                .append(" connection as an identity kernel). *Merged*: the trained model merged as it is. *Fine-tuned*:")
                .append(" the activation-free model (`DepthShrinker.activationFree`: activations removed, the depthwise")
                .append(" padding moved to the block input, which the merge computes exactly) trained ")
                .append(fine.epochs()).append(" epoch (Adam ").append(fine.learningRate())
                .append(", batch norms frozen), then merged, as the paper fine-tunes before merging.\n\n");
        sb.append("| shrunk blocks | MACs per sample | weights | accuracy merged | accuracy fine-tuned |\n")
                .append("|---|---|---|---|---|\n");
        sb.append("| none | ").append(String.format(Locale.ROOT, "%,d", macs(model))).append(" | ")
                .append(model.parameterCount()).append(" | ").append(pct(accuracy(model, val))).append(" | |\n");
        for (List<String> c : choices) {
            Model merged = DepthShrinker.merge(model, c);
            Model free = model;
            for (String b : c) {
                free = DepthShrinker.activationFree(free, b);
            }
            log.accept("mobile-cnn: fine-tuning the activation-free model of " + c);
            Model tuned = Trainer.train(free, train, fine, null, null).model();
            Model tunedMerged = DepthShrinker.merge(tuned, c);
            sb.append("| ").append(String.join(", ", c)).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", macs(merged))).append(" | ")
                    .append(merged.parameterCount()).append(" | ").append(pct(accuracy(merged, val))).append(" | ")
                    .append(pct(accuracy(tunedMerged, val))).append(" |\n");
        }
        return sb.toString();
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * v);
    }

    /** The example search space of a CNN sample (JSON, the format of docs/exploration.md). */
    static String space(String name) {
        String shrink = name.equals("mobile-cnn")
                ? "    {\"name\": \"shrink\", \"field\": \"depthShrink\", \"values\": [[], [\"b1_expand\"], [\"b2_expand\"],"
                + " [\"b3_expand\"], [\"b1_expand\", \"b2_expand\", \"b3_expand\"]]},\n" : "";
        return "{\n"
                + "  \"name\": \"" + name + ": " + (shrink.isEmpty() ? "" : "depth shrinking x ")
                + "granularity x sparsity x weight width, io_stream\",\n"
                + "  \"base\": {\n"
                + "    \"version\": 2,\n"
                + "    \"prune\": {\"importance\": \"l1\", \"selection\": \"layer\"},\n"
                + "    \"biases\": {\"type\": \"fixed\", \"hls\": \"ap_fixed<16,6>\"},\n"
                + "    \"outputs\": {\"type\": \"fixed\", \"hls\": \"ap_fixed<16,6>\"},\n"
                + "    \"hardware\": {\"device\": \"" + DEVICE + "\", \"strategy\": \"latency\", \"io\": \"stream\",\n"
                + "                 \"precision\": \"ap_fixed<16,6>\"}\n"
                + "  },\n"
                + "  \"axes\": [\n"
                + shrink
                + "    {\"name\": \"granularity\", \"field\": \"prune.granularity\", \"values\": [\"unstructured\", \"filters\"]},\n"
                + "    {\"name\": \"sparsity\", \"field\": \"prune.sparsity\", \"values\": [0, 0.25, 0.5, 0.75]},\n"
                + "    {\"name\": \"weight_bits\", \"field\": \"weights\", \"bits\": [4, 6, 8, 12, 16], \"integer\": 2}\n"
                + "  ],\n"
                + "  \"constraints\": {\"fitsDevice\": false, \"minAccuracy\": 0.5}\n"
                + "}\n";
    }
}
