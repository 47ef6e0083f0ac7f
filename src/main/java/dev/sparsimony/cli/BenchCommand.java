package dev.sparsimony.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.explore.Bench;
import dev.sparsimony.engine.io.npyjson.ProjectFormat;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsimony bench}: full design points per second, next to the sgemm roofline of the same MACs. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure full design points per second on a model (pruning, quantization, inference on all"
                + " samples, accuracy, storage and hardware estimate) on 1 thread and on N, next to the direct"
                + " sgemm of the same multiply-accumulates on this machine (the limit).")
final class BenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelArgument modelArg;

    @Option(names = {"-d", "--data"}, paramLabel = "DATA", description = "Data. Default: validation.npz beside the model.")
    Path data;

    @Option(names = "--threads", paramLabel = "N", description = "threads of the parallel run (default: all cores)")
    Integer threads;

    @Option(names = "--seconds", defaultValue = "5", paramLabel = "S", description = "measuring time per phase (5)")
    double seconds;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1 || n > 1024) {
            throw new ModelException("--threads must be in 1..1024, got " + n);
        }
        if (!(seconds > 0 && seconds <= 3600)) {
            throw new ModelException("--seconds must be in (0, 3600], got " + seconds);
        }
        Model model = modelArg.load();
        Path d = data != null ? data : ProjectFormat.defaultValidationData(modelArg.path).orElseThrow(
                () -> new ModelException("no --data given and no validation.npz beside " + modelArg.path));
        Dataset ds = DataFiles.load(d, dev.sparsimony.engine.data.DataOptions.DEFAULT, modelArg.policy());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Bench.Result r = Bench.run(String.valueOf(modelArg.path.getFileName()), model, ds, n, seconds,
                phase -> {
                    if (!json) {
                        err.printf("measuring on %d thread%s...%n", phase, phase == 1 ? "" : "s");
                        err.flush();
                    }
                });
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", r.model());
            m.put("samples", r.samples());
            m.put("macs_per_point", r.macsPerPoint());
            m.put("threads", r.threads());
            m.put("points_per_second_1", r.pointsPerSecond1());
            m.put("points_per_second_n", r.pointsPerSecondN());
            m.put("speedup", r.speedup());
            m.put("roofline_points_per_second", r.rooflinePointsPerSecond1());
            m.put("roofline_points_per_second_n", r.rooflinePointsPerSecondN());
            m.put("roofline_fraction_1", r.rooflineFraction1());
            m.put("roofline_fraction_n", r.rooflineFractionN());
            m.put("gmac_per_second_1", r.gmacPerSecond1());
            m.put("seconds", r.seconds());
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            out.printf(Locale.ROOT, "%s: %,d samples, %,d MACs per point%n", r.model(), r.samples(), r.macsPerPoint());
            out.printf(Locale.ROOT, "1 thread:  %8.1f points/s   roofline %8.1f points/s (%.0f %%), %.1f GMAC/s%n",
                    r.pointsPerSecond1(), r.rooflinePointsPerSecond1(), 100 * r.rooflineFraction1(),
                    r.gmacPerSecond1());
            out.printf(Locale.ROOT, "%d threads: %8.1f points/s   roofline %8.1f points/s (%.0f %%), speed-up %.2fx%n",
                    r.threads(), r.pointsPerSecondN(), r.rooflinePointsPerSecondN(), 100 * r.rooflineFractionN(),
                    r.speedup());
        }
        out.flush();
        return 0;
    }
}
