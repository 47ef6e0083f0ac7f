package dev.sparsimony.cli;

import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.data.DataOptions;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointCodec;
import dev.sparsimony.engine.export.Export;
import dev.sparsimony.engine.export.ExportJob;
import dev.sparsimony.engine.export.ExportOptions;
import dev.sparsimony.engine.io.npyjson.ProjectFormat;
import dev.sparsimony.engine.model.Model;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsimony export MODEL --point POINT.json --format FORMAT --out DIR}: a design point for the hardware flow. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a design point: the compressed model and the settings for the hardware flow.",
            "Formats: hls4ml (hls4ml_config.yml/.json, the ONNX model it names, convert.py), onnx (the compressed"
                    + " model with QONNX Quant nodes), native (project folder with masks.npz and point.json),"
                    + " report (report.html, report.csv, Pareto plots as SVG and PNG, point.json,"
                    + " provenance.json). Every file is replaced only once all of them are written."})
final class ExportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelArgument modelArg;

    @Option(names = {"-p", "--point"}, required = true, paramLabel = "POINT.json",
            description = "The design point (as written by explore, the window's Save Design Point, or by hand).")
    Path point;

    @Option(names = {"-f", "--format"}, required = true, paramLabel = "FORMAT",
            description = "hls4ml, onnx, native, report or all; several separated by commas.")
    String format;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
            description = "Folder to write into (created when absent; files of the same names are replaced).")
    Path out;

    @Option(names = {"-d", "--data"}, paramLabel = "DATA",
            description = "Validation data for the report's accuracy. Default: validation.npz beside the model.")
    Path data;

    @Option(names = "--sweep", paramLabel = "DIR",
            description = "A sweep folder (points.jsonl) whose results the report's Pareto plots show.")
    Path sweep;

    @Option(names = "--project-name", paramLabel = "NAME",
            description = "hls4ml ProjectName (default: the model's name as a C identifier).")
    String projectName;

    @Option(names = "--backend", paramLabel = "NAME", description = "hls4ml Backend (default: Vivado).")
    String backend;

    @Override
    public Integer call() {
        List<String> formats = Export.formats(format);
        DesignPoint p = DesignPointCodec.read(point);
        Model model = modelArg.load();
        Path dataPath = data != null ? data : ProjectFormat.defaultValidationData(modelArg.path).orElse(null);
        Dataset ds = dataPath == null ? null : DataFiles.load(dataPath, DataOptions.DEFAULT, modelArg.policy());
        ExportJob job = Export.prepare(model, ds, p, Export.provenance(modelArg.path, dataPath),
                new ExportOptions(projectName, backend, null, sweep));
        List<Path> files = Export.write(job, formats, out);
        var o = spec.commandLine().getOut();
        o.printf("exported design point %s (key %s) as %s into %s:%n", p.name() == null ? "" : "'" + p.name() + "'",
                p.key(), String.join(", ", formats), out);
        Path base = out.toAbsolutePath().normalize();
        for (Path f : files) {
            o.println("  " + (f.startsWith(base) ? base.relativize(f) : f));
        }
        o.flush();
        return 0;
    }
}
