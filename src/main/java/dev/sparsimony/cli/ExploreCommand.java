package dev.sparsimony.cli;

import dev.sparsimony.engine.explore.Exploration;
import dev.sparsimony.engine.explore.LocalBackend;
import dev.sparsimony.engine.explore.PointResult;
import dev.sparsimony.engine.explore.SearchSpace;
import dev.sparsimony.engine.explore.Strategies;
import dev.sparsimony.engine.explore.SweepRunner;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.infer.Nd4jRuntime;
import dev.sparsimony.engine.model.ModelException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsimony explore}: a sweep over a search space, with its result files in an output folder. */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = "Sweep a search space of design points (pruning, quantization, hardware settings) on every"
                + " core and write every result, the accuracy-DSP Pareto front and a summary to --out"
                + " (see docs/exploration.md).")
final class ExploreCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelArgument modelArg;

    @Option(names = {"-d", "--data"}, paramLabel = "DATA",
            description = "Validation data. Default: validation.npz beside the model.")
    Path data;

    @Option(names = "--space", paramLabel = "SPACE.json", description = "the search space")
    Path space;

    @Option(names = "--out", paramLabel = "DIR", description = "folder for the result files")
    Path out;

    @Option(names = "--list-axes", description = "list the fields a search space can vary for this model (with each"
            + " granularity's declared parameters and the strategies), then exit")
    boolean listAxes;

    @Option(names = "--strategy", defaultValue = "grid", paramLabel = "S",
            description = "grid (default), random, nsga2, sensitivity or budget-walk")
    String strategy;

    @Option(names = "--evaluations", paramLabel = "N",
            description = "evaluation budget (random, nsga2: default 200; grid, budget-walk: a limit on the size)")
    Integer evaluations;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "seed of random choices (1)")
    long seed;

    @Option(names = "--resume", description = "continue the sweep in --out: points already in points.jsonl are"
            + " not evaluated again")
    boolean resume;

    @Option(names = "--devices", paramLabel = "FILE", description = "extra device catalogue JSON")
    Path devices;

    @Option(names = "--quiet", description = "no progress line")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (listAxes) {
            listAxes(out);
            return 0;
        }
        if (space == null || this.out == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "explore needs --space SPACE.json and --out DIR");
        }
        if (!Strategies.ids().contains(strategy)) {
            throw new ModelException("--strategy '" + strategy + "' is unknown; known: "
                    + String.join(", ", Strategies.ids()));
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1 || n > 1024) {
            throw new ModelException("--threads must be in 1..1024, got " + n);
        }
        SearchSpace s = SearchSpace.read(space);
        DeviceCatalogue cat = DeviceCatalogue.standard(devices);
        Nd4jRuntime.useSingleThread(); // one OpenBLAS thread per worker: the workers are the parallelism
        try (LocalBackend backend = LocalBackend.open(modelArg.path, data, cat, n, modelArg.policy())) {
            Exploration ex = new Exploration(backend, s, new Exploration.Options(strategy, evaluations, n, seed,
                    resume), this.out);
            ProgressLine line = quiet ? null : new ProgressLine(err, ex::feasible);
            if (line != null) {
                ex.runner().addListener(line);
            }
            Thread hook = new Thread(ex::cancel, "sparsimony-explore-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            Exploration.Summary sum;
            try {
                sum = ex.run();
            } finally {
                ex.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down (Ctrl-C): the hook is running
                }
            }
            if (line != null) {
                line.finish();
            }
            out.printf(Locale.ROOT, "%,d points (%,d evaluated, %,d from cache, %,d failed) in %.1f s, %.0f"
                            + " evaluations/s on %d threads%n", sum.points(), sum.evaluations(), sum.cacheHits(),
                    sum.failures(), sum.wallSeconds(), sum.evaluationsPerSecond(), sum.threads());
            out.printf(Locale.ROOT, "accuracy-DSP front: %d points, hypervolume %.4f%n", sum.front(),
                    sum.hypervolume());
            out.println("results in " + this.out + " (points.csv, points.jsonl, front.csv, front/, summary.json)");
            out.flush();
            return sum.cancelled() ? 130 : 0;
        }
    }

    /** The axes a space can have on this model (the engine's list, as the window's axis editor shows it). */
    private void listAxes(PrintWriter out) {
        var model = modelArg.load();
        Table t = new Table("field", "values");
        for (SearchSpace.Field f : SearchSpace.fields(model, DeviceCatalogue.standard(devices).names())) {
            t.row(f.path(), f.bits() ? f.values() + "; axis: {\"field\": \"" + f.path() + "\", \"bits\": [4, 6, 8]}"
                    : f.values());
        }
        t.print(out);
        out.println("strategies: " + Strategies.ids().stream().map(id -> id + " (" + Strategies.description(id) + ")")
                .collect(java.util.stream.Collectors.joining("; ")));
        out.flush();
    }

    /** One progress line on the terminal, rewritten at most five times a second. */
    static final class ProgressLine implements SweepRunner.Listener {
        private final PrintWriter err;
        private final java.util.function.Predicate<PointResult> feasible;
        private final List<PointResult> results = new ArrayList<>();
        private long lastPrint;
        private int width;

        /** {@code feasible}: the space's constraints, so the live front is the one the result files will hold. */
        ProgressLine(PrintWriter err, java.util.function.Predicate<PointResult> feasible) {
            this.err = err;
            this.feasible = feasible;
        }

        @Override
        public void result(PointResult r) {
            results.add(r);
        }

        @Override
        public void progress(SweepRunner.Progress p) {
            long now = System.nanoTime();
            if (now - lastPrint < 200_000_000L && p.done() < p.planned()) {
                return;
            }
            lastPrint = now;
            List<PointResult> ok = results.stream().filter(feasible).toList();
            boolean[] all = new boolean[ok.size()];
            java.util.Arrays.fill(all, true);
            int front = Exploration.front(ok, all, "accuracy", "dsp").size();
            String eta = Double.isNaN(p.etaSeconds()) ? "-" : String.format(Locale.ROOT, "%.0f s", p.etaSeconds());
            String text = String.format(Locale.ROOT, "%s %,d/%,d points  %.0f/s  ETA %s  front %d  failed %,d",
                    bar(p.done(), p.planned()), p.done(), p.planned(), p.pointsPerSecond(), eta, front, p.failures());
            err.print("\r" + text + " ".repeat(Math.max(0, width - text.length())));
            width = text.length();
            err.flush();
        }

        void finish() {
            if (width > 0) {
                err.println();
                err.flush();
            }
        }

        private static String bar(long done, long planned) {
            int w = 20;
            int fill = planned <= 0 ? 0 : (int) Math.min(w, done * w / planned);
            return "[" + "#".repeat(fill) + ".".repeat(w - fill) + "]";
        }
    }
}
