package dev.sparsimony.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sparsimony.engine.hardware.Calibration;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.hardware.Hls4mlVersion;
import dev.sparsimony.engine.hardware.hls4ml.Comparison;
import dev.sparsimony.engine.hardware.hls4ml.CsynthReport;
import dev.sparsimony.engine.model.ModelException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sparsimony compare}: the estimate of an hls4ml project against its own HLS synthesis report. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Estimate an hls4ml project (its hls4ml_config.yml and model) and set the estimate against the"
                + " project's own Vivado/Vitis HLS report (*_csynth.rpt), layer by layer and in total, with the"
                + " error of each figure.")
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROJECT_DIR", description = "hls4ml project folder (output_dir)")
    Path project;

    @Option(names = "--model", paramLabel = "FILE",
            description = "the model (default: the one the configuration names, or one saved in the folder)")
    Path model;

    @Option(names = "--hls4ml-version", paramLabel = "V", description = "hls4ml release of the project (default:"
            + " the latest, 1.3.0)")
    String hls4mlVersion;

    @Option(names = "--profile", paramLabel = "FILE", description = "calibration profile to apply")
    Path profile;

    @Option(names = "--devices", paramLabel = "FILE", description = "extra device catalogue JSON")
    Path devices;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Calibration cal = profile == null ? Calibration.none() : Calibration.read(profile);
            ProjectEstimates.Result r = ProjectEstimates.compare(project, model, Hls4mlVersion.parse(hls4mlVersion),
                    cal, DeviceCatalogue.standard(devices));
            if (json) {
                out.print(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree(r))
                        + System.lineSeparator());
            } else {
                print(out, r);
            }
            out.flush();
            return 0;
        } catch (ModelException e) {
            err.println("sparsimony: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    static String cell(Comparison.Metric m) {
        if (!m.known()) {
            return m.estimate() + " / -";
        }
        double e = m.relativeError();
        String err = Double.isNaN(e) ? (m.difference() == 0 ? "" : " (" + signed(m.difference()) + ")")
                : String.format(Locale.ROOT, " (%+.0f%%)", 100 * e);
        return m.estimate() + " / " + m.report() + err;
    }

    static String cycles(Comparison.Metric m) {
        return m.known() ? m.estimate() + " / " + m.report() + (m.difference() == 0 ? "" : " (" + signed(m.difference())
                + ")") : m.estimate() + " / -";
    }

    private static String signed(long d) {
        return (d > 0 ? "+" : "") + d;
    }

    static void print(PrintWriter out, ProjectEstimates.Result r) {
        Comparison c = r.comparison();
        CsynthReport rep = c.report();
        out.printf("%s: %s %s, report %s (%s)%n", r.project().dir(), rep.version().isEmpty() ? "HLS" : "HLS "
                + rep.version(), rep.part(), rep.source().getFileName(), c.estimate().device().part());
        out.println("estimate / report (error)");
        Table t = new Table("layer", "kind", "latency", "II", "DSP", "BRAM18", "FF", "LUT");
        List<Comparison.Row> all = new ArrayList<>(c.rows());
        all.add(c.top());
        for (Comparison.Row row : all) {
            t.row(row.layer(), row.kind(), cycles(row.latency()), cycles(row.interval()), cell(row.dsp()),
                    cell(row.bram()), cell(row.ff()), cell(row.lut()));
        }
        Comparison.Row tot = c.total();
        t.row("total", "", cycles(tot.latency()), cycles(tot.interval()), cell(tot.dsp()), cell(tot.bram()),
                cell(tot.ff()), cell(tot.lut()));
        t.print(out);
        out.println();
        r.notes().forEach(n -> out.println("note: " + n));
    }

    static Map<String, Object> metric(Comparison.Metric m) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("estimate", m.estimate());
        x.put("report", m.known() ? m.report() : null);
        double e = m.relativeError();
        x.put("relative_error", Double.isNaN(e) ? null : e);
        return x;
    }

    static Map<String, Object> row(Comparison.Row row) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("layer", row.layer());
        x.put("kind", row.kind());
        x.put("instance", row.instance());
        x.put("latency", metric(row.latency()));
        x.put("II", metric(row.interval()));
        x.put("DSP", metric(row.dsp()));
        x.put("BRAM18", metric(row.bram()));
        x.put("FF", metric(row.ff()));
        x.put("LUT", metric(row.lut()));
        return x;
    }

    static Map<String, Object> tree(ProjectEstimates.Result r) {
        Comparison c = r.comparison();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("project", String.valueOf(r.project().dir()));
        m.put("report", String.valueOf(c.report().source()));
        m.put("hls_version", c.report().version());
        m.put("part", c.report().part());
        m.put("hls4ml_version", c.estimate().version().toString());
        List<Map<String, Object>> rows = new ArrayList<>();
        c.rows().forEach(x -> rows.add(row(x)));
        rows.add(row(c.top()));
        m.put("layers", rows);
        m.put("total", row(c.total()));
        m.put("notes", r.notes());
        return m;
    }
}
