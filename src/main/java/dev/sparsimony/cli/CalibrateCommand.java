package dev.sparsimony.cli;

import dev.sparsimony.engine.hardware.Calibration;
import dev.sparsimony.engine.hardware.CostTerms;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.hardware.Hls4mlVersion;
import dev.sparsimony.engine.hardware.hls4ml.Calibrator;
import dev.sparsimony.engine.hardware.hls4ml.Comparison;
import dev.sparsimony.engine.io.AtomicFiles;
import dev.sparsimony.engine.model.ModelException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sparsimony calibrate}: fit the LUT, FF and latency constants on the user's own hls4ml reports. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Fit the hardware model's LUT and FF factors and latency constants by least squares on hls4ml"
                + " projects with their synthesis reports, and write them as a profile that estimate, compare and the"
                + " window use (--profile); estimates then carry the fit's error band.")
public final class CalibrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PROJECT_DIR", arity = "1..*", description = "hls4ml project folders with reports")
    List<Path> projects;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "profile file to write (JSON)")
    Path out;

    @Option(names = "--model", paramLabel = "FILE", description = "the model, when a single project folder does"
            + " not hold it")
    Path model;

    @Option(names = "--hls4ml-version", paramLabel = "V", description = "hls4ml release of the projects (default:"
            + " the latest, 1.3.0)")
    String hls4mlVersion;

    @Option(names = "--devices", paramLabel = "FILE", description = "extra device catalogue JSON")
    Path devices;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (model != null && projects.size() > 1) {
                throw new ModelException("--model applies to a single project; give each project its model");
            }
            Hls4mlVersion v = Hls4mlVersion.parse(hls4mlVersion);
            DeviceCatalogue cat = DeviceCatalogue.standard(devices);
            List<Comparison> cs = new ArrayList<>();
            List<String> sources = new ArrayList<>();
            for (Path p : projects) {
                ProjectEstimates.Result r = ProjectEstimates.compare(p, model, v, Calibration.none(), cat);
                cs.add(r.comparison());
                sources.add(String.valueOf(p.getFileName()));
            }
            Calibration c = Calibrator.fit(cs, sources);
            AtomicFiles.write(out, c.toJson());
            o.printf("fitted on %d observations of %d project(s): %s%n", c.points(), projects.size(),
                    String.join(", ", sources));
            Table t = new Table("term", "factor");
            t.rightAlign(1);
            for (CostTerms.Lut k : CostTerms.Lut.values()) {
                t.row("LUT " + k.key(), String.format(Locale.ROOT, "%.3f", c.factor(k)));
            }
            for (CostTerms.Ff k : CostTerms.Ff.values()) {
                t.row("FF " + k.key(), String.format(Locale.ROOT, "%.3f", c.factor(k)));
            }
            t.row("cycles per layer boundary", String.format(Locale.ROOT, "%.3f", c.boundaryCycles()));
            t.row("latency offset (cycles)", String.format(Locale.ROOT, "%.3f", c.latencyOffset()));
            t.print(o);
            o.printf(Locale.ROOT, "error band: LUT +/-%.1f%%, FF +/-%.1f%%, latency +/-%.1f cycles (RMS of the fit)%n",
                    100 * c.lutBand(), 100 * c.ffBand(), c.latencyBand());
            o.println("wrote " + out);
            o.flush();
            return 0;
        } catch (ModelException e) {
            err.println("sparsimony: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
