package dev.sparsimony.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointCodec;
import dev.sparsimony.engine.explore.DesignPointHardware;
import dev.sparsimony.engine.explore.PointHardware;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.hardware.HardwareConfigFile;
import dev.sparsimony.engine.hardware.IoType;
import dev.sparsimony.engine.hardware.Strategy;
import dev.sparsimony.engine.hardware.target.HardwareReport;
import dev.sparsimony.engine.hardware.target.HardwareTarget;
import dev.sparsimony.engine.hardware.target.Targets;
import dev.sparsimony.engine.model.Model;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparsimony estimate}: per-layer and total hardware cost of a model on a device or other target. */
@Command(name = "estimate", mixinStandardHelpOptions = true,
        description = "Estimate DSP, BRAM, LUT, FF, latency and interval of a model on an FPGA (as hls4ml builds it),"
                + " or cycles/energy on an EIE-style accelerator (eie) or a 2:4 sparse GPU (a100).")
public final class EstimateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgument modelArg;

    @Option(names = "--target", paramLabel = "DEVICE",
            description = "device from the catalogue (e.g. xcvu9p, xcu250, xcku115, xczu9eg, xc7z020), eie or a100;"
                    + " default: the design point's device, else xcvu9p")
    String target;

    @Option(names = "--config", paramLabel = "POINT.json",
            description = "a compression design point (pruned and quantized first), or per-layer precision / reuse"
                    + " factor / strategy overrides (see docs/hardware-models.md)")
    Path config;

    @Option(names = "--devices", paramLabel = "FILE", description = "extra device catalogue JSON")
    Path devices;

    @Option(names = "--precision", paramLabel = "TYPE",
            description = "default precision, e.g. ap_fixed<16,6> (the default)")
    String precision;

    @Option(names = "--reuse-factor", paramLabel = "N", description = "default reuse factor (1)")
    Integer reuseFactor;

    @Option(names = "--strategy", paramLabel = "S", description = "latency (default), resource or unrolled")
    String strategy;

    @Option(names = "--io", paramLabel = "IO", description = "parallel (default) or stream")
    String io;

    @Option(names = "--clock", paramLabel = "MHZ", description = "clock in MHz (default: the device's)")
    Double clockMhz;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", description = "batch size (GPU target)")
    int batch;

    @Option(names = "--strict-reuse", description = "reject an invalid reuse factor instead of using the closest"
            + " valid one as hls4ml does")
    boolean strictReuse;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            JsonNode pointJson = designPoint();
            DeviceCatalogue catalogue = DeviceCatalogue.standard(devices);
            Model model = modelArg.load();
            HardwareConfig cfg;
            String t = target;
            if (pointJson != null) {
                DesignPoint point = DesignPointCodec.fromTree(pointJson, String.valueOf(config.getFileName()));
                boolean fpga = t == null || catalogue.find(t).isPresent();
                point = DesignPointHardware.withOverrides(point, fpga ? t : null, precision, reuseFactor, strategy,
                        io, clockMhz, strictReuse);
                if (t == null) {
                    t = PointHardware.device(point, catalogue).name();
                }
                DesignPointHardware.Result dp = DesignPointHardware.apply(point, model);
                model = dp.model();
                cfg = dp.config();
            } else {
                cfg = configuration(config);
            }
            HardwareTarget ht = Targets.resolve(t == null ? "xcvu9p" : t, catalogue, batch);
            HardwareReport r = ht.estimate(model, cfg);
            out.print(json ? toJson(r) : table(r));
            out.flush();
            return 0;
        } catch (ModelException e) {
            err.println("sparsimony: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** The --config file when it is a compression design point, else null. */
    JsonNode designPoint() {
        if (config == null) {
            return null;
        }
        if (!java.nio.file.Files.isRegularFile(config)) {
            throw new ModelException("configuration file not found: " + config);
        }
        try {
            JsonNode root = new ObjectMapper().readTree(config.toFile());
            return DesignPointHardware.isDesignPoint(root) ? root : null;
        } catch (java.io.IOException e) {
            throw new ModelException("configuration " + config.getFileName() + " is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    HardwareConfig configuration(Path overrides) {
        HardwareConfig cfg = HardwareConfig.hls4mlDefaults();
        if (overrides != null) {
            cfg = HardwareConfigFile.read(overrides, cfg);
        }
        // command-line options override the file's defaults (its per-layer entries stay)
        return cfg.withOptions(precision, reuseFactor, strategy == null ? null : Strategy.parse(strategy),
                io == null ? null : IoType.parse(io), clockMhz, strictReuse);
    }

    static String toJson(HardwareReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", r.target());
        m.put("description", r.description());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (HardwareReport.Row row : r.rows()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", row.name());
            l.put("kind", row.kind());
            l.putAll(row.values());
            l.put("note", row.note());
            layers.add(l);
        }
        m.put("layers", layers);
        m.put("total", r.total().values());
        m.put("summary", r.summary());
        m.put("fits", r.fits());
        m.put("fit_problems", r.fitProblems());
        m.put("notes", r.notes());
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m)
                    + System.lineSeparator();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            double a = Math.abs(d);
            return a == 0 ? "0" : a >= 100 ? String.format(Locale.ROOT, "%.1f", d)
                    : a >= 0.01 ? String.format(Locale.ROOT, "%.3f", d) : String.format(Locale.ROOT, "%.3g", d);
        }
        return String.valueOf(v);
    }

    /** An aligned text table: layer, kind, the target's columns, note; then the total row and summary lines. */
    static String table(HardwareReport r) {
        List<String> head = new ArrayList<>(List.of("layer", "kind"));
        head.addAll(r.columns());
        head.add("note");
        List<List<String>> lines = new ArrayList<>();
        lines.add(head);
        List<HardwareReport.Row> all = new ArrayList<>(r.rows());
        all.add(r.total());
        for (HardwareReport.Row row : all) {
            List<String> c = new ArrayList<>(List.of(row.name(), row.kind()));
            for (String col : r.columns()) {
                c.add(cell(row.values().get(col)));
            }
            c.add(row.note());
            lines.add(c);
        }
        int[] w = new int[head.size()];
        for (List<String> l : lines) {
            for (int i = 0; i < l.size(); i++) {
                w[i] = Math.max(w[i], l.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(r.target()).append(": ").append(r.description()).append('\n');
        for (int li = 0; li < lines.size(); li++) {
            List<String> l = lines.get(li);
            if (li == lines.size() - 1) {
                rule(sb, w);
            }
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < l.size(); i++) {
                boolean text = i < 2 || i == l.size() - 1 || i == 2 && "shape".equals(head.get(2));
                String s = l.get(i);
                line.append(text ? pad(s, w[i], false) : pad(s, w[i], true)).append(i < l.size() - 1 ? "  " : "");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (li == 0) {
                rule(sb, w);
            }
        }
        sb.append('\n');
        for (Map.Entry<String, Object> e : r.summary().entrySet()) {
            sb.append(String.format("%-22s %s%n", e.getKey().replace('_', ' ') + ":", cell(e.getValue())));
        }
        if (!r.fitProblems().isEmpty()) {
            sb.append("DOES NOT FIT:\n");
            r.fitProblems().forEach(p -> sb.append("  ").append(p).append('\n'));
        }
        r.notes().forEach(n -> sb.append("note: ").append(n).append('\n'));
        return sb.toString();
    }

    private static void rule(StringBuilder sb, int[] w) {
        int total = 0;
        for (int x : w) {
            total += x + 2;
        }
        sb.append("-".repeat(Math.max(0, total - 2))).append('\n');
    }

    private static String pad(String s, int width, boolean right) {
        String p = " ".repeat(Math.max(0, width - s.length()));
        return right ? p + s : s + p;
    }
}
