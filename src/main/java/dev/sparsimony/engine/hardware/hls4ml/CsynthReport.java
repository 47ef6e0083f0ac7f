package dev.sparsimony.engine.hardware.hls4ml;

import dev.sparsimony.engine.model.ModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A Vivado/Vitis HLS C-synthesis report of an hls4ml project: the top function's latency, interval and resources,
 * and per instance (one per layer function) the same, read from {@code <top>_csynth.rpt} (both the Vivado HLS
 * 2019-2020 and the Vitis HLS 2023-2024 layouts) or, without it, {@code <top>_csynth.xml} (totals only, as hls4ml's
 * report/vivado_report.py parse_vivado_report reads it).
 *
 * @param version       the HLS tool version the report names
 * @param part          the part the report was synthesised for
 * @param targetNs      the target clock period
 * @param estimatedNs   the estimated clock period
 * @param latencyMin    best-case latency of the top function in cycles
 * @param latencyMax    worst-case latency
 * @param intervalMin   initiation interval (min)
 * @param intervalMax   initiation interval (max)
 * @param total         the top function's resources
 * @param instances     the layer functions, in the order the design instantiates them
 * @param source        the file read
 */
public record CsynthReport(String version, String part, double targetNs, double estimatedNs, long latencyMin,
                           long latencyMax, long intervalMin, long intervalMax, Resources total,
                           List<Instance> instances, Path source) {
    public CsynthReport {
        instances = List.copyOf(instances);
    }

    /** Resources as csynth counts them (DSP48E or DSP; BRAM in 18 Kb blocks). */
    public record Resources(long bram18, long dsp, long ff, long lut, long uram) {
        public Resources minus(Resources o) {
            return new Resources(bram18 - o.bram18, dsp - o.dsp, ff - o.ff, lut - o.lut, uram - o.uram);
        }

        public Resources plus(Resources o) {
            return new Resources(bram18 + o.bram18, dsp + o.dsp, ff + o.ff, lut + o.lut, uram + o.uram);
        }

        public static final Resources ZERO = new Resources(0, 0, 0, 0, 0);
    }

    /**
     * One instance of the top function (a layer's HLS function).
     *
     * @param function the hls4ml function it implements, e.g. "dense_latency", "relu", "softmax_stable"
     * @param config   hls4ml's layer index from the module name ({@code config2}), -1 when the name has none
     * @param order    position in the design (config index, else the instance's own number)
     */
    public record Instance(String name, String module, String function, int config, long order, long latencyMin,
                           long latencyMax, long intervalMin, long intervalMax, Resources resources) {
    }

    private static final Pattern CONFIG = Pattern.compile("config(\\d+)");
    private static final Pattern NUMBER_SUFFIX = Pattern.compile("_(?:fu|U)?(\\d+)$");
    private static final Pattern U0 = Pattern.compile("_U0$");

    /** The csynth report of an hls4ml project folder (searched under it), or an error naming the folder. */
    public static CsynthReport find(Path projectDir) {
        if (!Files.isDirectory(projectDir)) {
            throw new ModelException("project folder not found: " + projectDir);
        }
        List<Path> rpt = search(projectDir, "_csynth.rpt");
        if (!rpt.isEmpty()) {
            return readRpt(rpt.get(0));
        }
        List<Path> xml = search(projectDir, "_csynth.xml");
        xml.removeIf(p -> !p.getFileName().toString().equals(topName(p) + "_csynth.xml") || p.toString().contains(
                "/impl/"));
        if (!xml.isEmpty()) {
            return readXml(xml.get(0));
        }
        List<Path> plain = search(projectDir, "csynth.xml");
        if (!plain.isEmpty()) {
            return readXml(plain.get(0));
        }
        throw new ModelException("no HLS synthesis report under " + projectDir + " (looked for *_csynth.rpt and"
                + " *_csynth.xml in <project>_prj/solution*/syn/report): run the C synthesis first");
    }

    private static String topName(Path p) {
        String n = p.getFileName().toString();
        return n.substring(0, n.indexOf("_csynth"));
    }

    /** Report files under a folder, the top function's first (the shortest path: module reports sit beside it). */
    private static List<Path> search(Path dir, String suffix) {
        try (Stream<Path> s = Files.walk(dir, 8)) {
            return new ArrayList<>(s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted(Comparator.comparing((Path p) -> p.toString().contains("/syn/report/") ? 0 : 1)
                            .thenComparing(p -> p.getFileName().toString().length())
                            .thenComparing(Path::toString))
                    .toList());
        } catch (IOException | UncheckedIOException e) {
            throw new ModelException("cannot read the project folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads a {@code *_csynth.rpt} text report. */
    public static CsynthReport readRpt(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelException("cannot read report " + file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new ModelException("report " + file.getFileName() + " is not a text file", e);
        }
        String fn = String.valueOf(file.getFileName());
        String version = header(lines, "* Version:");
        String part = header(lines, "* Target device:");
        int perf = indexOf(lines, "== Performance Estimates", 0);
        int util = indexOf(lines, "== Utilization Estimates", 0);
        if (perf < 0 || util < 0) {
            throw new ModelException("report " + fn + " is not a Vivado/Vitis HLS synthesis report (no Performance"
                    + " and Utilization Estimates sections)");
        }
        // timing: |ap_clk | 5.00 ns | 4.371 ns | 0.62 ns |
        double target = Double.NaN;
        double estimated = Double.NaN;
        for (int i = perf; i < util; i++) {
            String l = lines.get(i).trim();
            if (l.startsWith("|ap_clk")) {
                List<String> c = cells(l);
                target = number(c.get(1));
                estimated = number(c.get(2));
                break;
            }
        }
        int lat = indexOf(lines, "+ Latency", perf);
        if (lat < 0 || lat > util) {
            throw new ModelException("report " + fn + " has no latency summary");
        }
        List<List<String>> summary = table(lines, lat);
        List<String> top = firstNumericRow(summary);
        if (top == null) {
            throw new ModelException("report " + fn + " has an unreadable latency summary");
        }
        long[] latency = latencyCells(top, 0, fn);
        Map<String, long[]> instanceLatency = new LinkedHashMap<>();
        int detail = indexOf(lines, "* Instance:", lat);
        if (detail > 0 && detail < util) {
            for (List<String> r : table(lines, detail)) {
                if (r.size() >= 6 && isNumber(r.get(2))) {
                    instanceLatency.put(r.get(0), latencyCells(r, 2, fn));
                }
            }
        }
        // utilisation: a header naming the columns, then the Total row
        int sum = indexOf(lines, "* Summary:", util);
        List<List<String>> usage = table(lines, sum);
        List<String> head = usage.isEmpty() ? List.of() : usage.get(0);
        Resources total = null;
        for (List<String> r : usage) {
            if (!r.isEmpty() && r.get(0).equals("Total")) {
                total = resources(head, r, 1, fn);
            }
        }
        if (total == null) {
            throw new ModelException("report " + fn + " has no utilisation total");
        }
        List<Instance> instances = new ArrayList<>();
        int inst = indexOf(lines, "* Instance:", util);
        Map<String, Resources> instanceUse = new LinkedHashMap<>();
        Map<String, String> moduleOf = new LinkedHashMap<>();
        if (inst > 0) {
            List<List<String>> t = table(lines, inst);
            List<String> h = t.isEmpty() ? List.of() : t.get(0);
            for (List<String> r : t.subList(Math.min(1, t.size()), t.size())) {
                if (r.size() >= 3 && !r.get(0).equals("Total") && isNumber(r.get(2))) {
                    instanceUse.put(r.get(0), resources(h, r, 2, fn));
                    moduleOf.put(r.get(0), r.get(1));
                }
            }
        }
        // the module names of the latency table (same instances)
        if (detail > 0 && detail < util) {
            for (List<String> r : table(lines, detail)) {
                if (r.size() >= 6 && isNumber(r.get(2))) {
                    moduleOf.putIfAbsent(r.get(0), r.get(1));
                }
            }
        }
        List<String> names = new ArrayList<>(instanceLatency.keySet());
        instanceUse.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        for (String n : names) {
            String module = moduleOf.getOrDefault(n, n);
            long[] l = instanceLatency.getOrDefault(n, new long[] {-1, -1, -1, -1});
            instances.add(instance(n, module, l, instanceUse.get(n)));
        }
        instances.sort(Comparator.comparingLong(Instance::order));
        return new CsynthReport(version, part, target, estimated, latency[0], latency[1], latency[2], latency[3], total,
                instances, file);
    }

    static Instance instance(String name, String module, long[] l, Resources r) {
        Matcher m = CONFIG.matcher(module);
        int config = -1;
        while (m.find()) {
            config = Integer.parseInt(m.group(1));
        }
        long order;
        if (config >= 0) {
            order = config;
        } else {
            Matcher s = NUMBER_SUFFIX.matcher(U0.matcher(name).replaceAll(""));
            order = s.find() ? 1_000_000L + Long.parseLong(s.group(1)) : 2_000_000L;
        }
        return new Instance(name, module, function(module), config, order, l[0], l[1], l[2], l[3],
                r == null ? Resources.ZERO : r);
    }

    /** The hls4ml function of a module name: the text before its first type or config suffix. */
    static String function(String module) {
        String m = module.toLowerCase(Locale.ROOT);
        int cut = m.length();
        for (String marker : List.of("_ap_", "_array", "_config", "_0_", "_ac_")) {
            int i = m.indexOf(marker);
            if (i > 0 && i < cut) {
                cut = i;
            }
        }
        return m.substring(0, cut).replaceAll("_\\d+$", "");
    }

    private static long[] latencyCells(List<String> r, int from, String fn) {
        // Vitis / Vivado 2020: cycles min, max, absolute min, max, II min, max, type; Vivado 2019: min, max, II min,
        // max, type
        List<String> c = r.subList(from, r.size());
        int numbers = 0;
        for (String s : c) {
            if (isNumber(s)) {
                numbers++;
            } else if (!s.endsWith("ns") && !s.endsWith("us") && !s.endsWith("ms") && !s.equals("-")) {
                break;
            } else {
                numbers++;
            }
        }
        try {
            long lmin = (long) number(c.get(0));
            long lmax = (long) number(c.get(1));
            boolean absolute = c.size() > 2 && (c.get(2).endsWith("s") || c.get(2).equals("-") || numbers >= 6);
            int ii = absolute ? 4 : 2;
            long imin = c.size() > ii && isNumber(c.get(ii)) ? (long) number(c.get(ii)) : -1;
            long imax = c.size() > ii + 1 && isNumber(c.get(ii + 1)) ? (long) number(c.get(ii + 1)) : imin;
            return new long[] {lmin, lmax, imin, imax};
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new ModelException("report " + fn + " has an unreadable latency row " + r);
        }
    }

    private static Resources resources(List<String> head, List<String> row, int from, String fn) {
        long[] v = new long[5];
        String[] names = {"BRAM_18K", "DSP", "FF", "LUT", "URAM"};
        for (int k = 0; k < names.length; k++) {
            int col = -1;
            for (int i = 0; i < head.size(); i++) {
                if (head.get(i).toUpperCase(Locale.ROOT).startsWith(names[k])) {
                    col = i;
                    break;
                }
            }
            if (col < 0) {
                col = from + k; // fixed order when the header is absent
            }
            v[k] = col < row.size() && isNumber(row.get(col)) ? (long) number(row.get(col)) : 0;
        }
        return new Resources(v[0], v[1], v[2], v[3], v[4]);
    }

    private static String header(List<String> lines, String key) {
        for (String l : lines) {
            if (l.trim().startsWith(key)) {
                return l.trim().substring(key.length()).trim();
            }
        }
        return "";
    }

    private static int indexOf(List<String> lines, String text, int from) {
        for (int i = Math.max(0, from); i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    /** The rows of the first table ('|' lines) after line {@code from}, as trimmed cells. */
    private static List<List<String>> table(List<String> lines, int from) {
        List<List<String>> rows = new ArrayList<>();
        boolean in = false;
        for (int i = from + 1; i < lines.size(); i++) {
            String l = lines.get(i).trim();
            if (l.startsWith("|")) {
                in = true;
                rows.add(cells(l));
            } else if (l.startsWith("+-") || l.startsWith("+=")) {
                in = true;
            } else if (in) {
                break;
            } else if (l.startsWith("==")) {
                break;
            }
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String l = line.trim();
        if (l.startsWith("|")) {
            l = l.substring(1);
        }
        if (l.endsWith("|")) {
            l = l.substring(0, l.length() - 1);
        }
        List<String> c = new ArrayList<>();
        for (String s : l.split("\\|", -1)) {
            c.add(s.trim());
        }
        return c;
    }

    private static List<String> firstNumericRow(List<List<String>> rows) {
        for (List<String> r : rows) {
            if (!r.isEmpty() && isNumber(r.get(0))) {
                return r;
            }
        }
        return null;
    }

    static boolean isNumber(String s) {
        return s.matches("[-+]?\\d+(\\.\\d+)?( ?[nmu]?s)?");
    }

    static double number(String s) {
        String t = s.replaceAll("[a-zA-Z ]", "");
        return Double.parseDouble(t);
    }

    /** Reads a {@code <top>_csynth.xml} report: totals only (the instances are in their own module reports). */
    public static CsynthReport readXml(Path file) {
        String fn = String.valueOf(file.getFileName());
        Document d;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            d = f.newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new ModelException("report " + fn + " is not a readable csynth XML report: "
                    + dev.sparsimony.engine.model.Problems.inUserWords(e), e);
        }
        Element root = d.getDocumentElement();
        Optional<String> best = text(root, "Best-caseLatency");
        if (best.isEmpty()) {
            throw new ModelException("report " + fn + " has no SummaryOfOverallLatency");
        }
        try {
            long lmin = parseLong(best.get());
            long lmax = parseLong(text(root, "Worst-caseLatency").orElse(best.get()));
            long imin = parseLong(text(root, "Interval-min").orElse("-1"));
            long imax = parseLong(text(root, "Interval-max").orElse(String.valueOf(imin)));
            Element res = first(root, "Resources").orElseThrow(() -> new ModelException("report " + fn
                    + " has no AreaEstimates/Resources"));
            Resources total = new Resources(parseLong(text(res, "BRAM_18K").orElse("0")),
                    parseLong(text(res, "DSP48E").or(() -> text(res, "DSP")).orElse("0")),
                    parseLong(text(res, "FF").orElse("0")), parseLong(text(res, "LUT").orElse("0")),
                    parseLong(text(res, "URAM").orElse("0")));
            double target = Double.parseDouble(text(root, "TargetClockPeriod").orElse("NaN"));
            double est = Double.parseDouble(text(root, "EstimatedClockPeriod").orElse("NaN"));
            return new CsynthReport(text(root, "Version").orElse(""), text(root, "Part").orElse(""), target, est, lmin,
                    lmax, imin, imax, total, List.of(), file);
        } catch (NumberFormatException e) {
            throw new ModelException("report " + fn + " has an unreadable number: " + e.getMessage(), e);
        }
    }

    private static long parseLong(String s) {
        String t = s.trim();
        return t.equals("undef") || t.isEmpty() ? -1 : (long) Double.parseDouble(t);
    }

    private static Optional<Element> first(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        return l.getLength() == 0 ? Optional.empty() : Optional.of((Element) l.item(0));
    }

    private static Optional<String> text(Element e, String tag) {
        return first(e, tag).map(x -> x.getTextContent().trim());
    }
}
