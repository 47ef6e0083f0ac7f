package dev.sparsimony.engine.hardware;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsimony.engine.model.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Scale factors of the LUT and FF terms ({@link CostTerms}) and the latency constants (cycles per layer boundary, a
 * constant offset), with the relative residual of the fit they came from (the error band estimates carry). The
 * default is the uncalibrated model: every factor 1, one register stage per layer boundary, no band.
 * Written and read as a JSON profile ({@code sparsimony calibrate}, {@code estimate --profile}).
 *
 * @param lutBand      relative RMS residual of the LUT fit (0 = unknown)
 * @param ffBand       relative RMS residual of the FF fit (0 = unknown)
 * @param latencyBand  RMS residual of the latency fit in cycles (0 = unknown)
 * @param sources      the report folders the profile was fitted on
 * @param points       number of (layer, resource) observations of the fit
 */
public record Calibration(Map<CostTerms.Lut, Double> lut, Map<CostTerms.Ff, Double> ff, double boundaryCycles,
                          double latencyOffset, double lutBand, double ffBand, double latencyBand,
                          List<String> sources, int points) {
    /** Profile format version written in every file. */
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Calibration NONE = new Calibration(Map.of(), Map.of(), 1, 0, 0, 0, 0, List.of(), 0);

    public Calibration {
        lut = lut == null || lut.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(lut));
        ff = ff == null || ff.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(ff));
        sources = sources == null ? List.of() : List.copyOf(sources);
        for (double v : lut.values()) {
            check(v);
        }
        for (double v : ff.values()) {
            check(v);
        }
        if (!(boundaryCycles >= 0) || !Double.isFinite(latencyOffset) || !(lutBand >= 0) || !(ffBand >= 0)
                || !(latencyBand >= 0)) {
            throw new ModelException("calibration constants must be finite and not negative");
        }
    }

    private static void check(double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new ModelException("calibration factors must be finite and not negative, got " + v);
        }
    }

    /** The uncalibrated model. */
    public static Calibration none() {
        return NONE;
    }

    /** The user's profile, read by the window and by estimates without --profile. */
    public static Path userProfile() {
        return Path.of(System.getProperty("user.home"), ".sparsimony", "calibration.json");
    }

    private static volatile Object[] userCache = {null, -1L, NONE};

    /**
     * The profile at {@link #userProfile()} (re-read when the file changes), or {@link #none()} when there is none.
     * A damaged profile is an error naming the file, not silently ignored.
     */
    public static Calibration user() {
        Path p = userProfile();
        if (!Files.isRegularFile(p)) {
            return NONE;
        }
        long modified;
        try {
            modified = Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return NONE;
        }
        Object[] c = userCache;
        if (p.equals(c[0]) && (long) c[1] == modified) {
            return (Calibration) c[2];
        }
        Calibration read = read(p);
        userCache = new Object[] {p, modified, read};
        return read;
    }

    public boolean isNone() {
        return points == 0 && lut.isEmpty() && ff.isEmpty() && boundaryCycles == 1 && latencyOffset == 0;
    }

    public double factor(CostTerms.Lut t) {
        return lut.getOrDefault(t, 1.0);
    }

    public double factor(CostTerms.Ff t) {
        return ff.getOrDefault(t, 1.0);
    }

    /** This profile as JSON (the file {@code sparsimony calibrate} writes). */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "sparsimony-calibration");
        root.put("version", FORMAT);
        ObjectNode l = root.putObject("lut");
        for (CostTerms.Lut t : CostTerms.Lut.values()) {
            l.put(t.key(), factor(t));
        }
        ObjectNode f = root.putObject("ff");
        for (CostTerms.Ff t : CostTerms.Ff.values()) {
            f.put(t.key(), factor(t));
        }
        ObjectNode lat = root.putObject("latency");
        lat.put("boundary_cycles", boundaryCycles);
        lat.put("offset_cycles", latencyOffset);
        ObjectNode b = root.putObject("band");
        b.put("lut_relative", lutBand);
        b.put("ff_relative", ffBand);
        b.put("latency_cycles", latencyBand);
        root.put("points", points);
        ArrayNode s = root.putArray("sources");
        sources.forEach(s::add);
        try {
            return JSON.writeValueAsString(root) + System.lineSeparator();
        } catch (IOException e) {
            throw new ModelException("cannot write the calibration profile: " + e.getMessage(), e);
        }
    }

    /** Reads a profile written by {@link #toJson()}; unknown terms are an error, not ignored. */
    public static Calibration read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelException("calibration profile not found: " + file);
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelException("calibration profile " + file.getFileName() + " is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        try {
            return parse(root);
        } catch (ModelException e) {
            throw new ModelException("calibration profile " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    static Calibration parse(JsonNode root) {
        if (root == null || !root.isObject() || !"sparsimony-calibration".equals(root.path("format").asText())) {
            throw new ModelException("not a calibration profile (expected \"format\": \"sparsimony-calibration\")");
        }
        if (root.path("version").asInt(0) != FORMAT) {
            throw new ModelException("profile version " + root.path("version") + " is not supported (expected "
                    + FORMAT + ")");
        }
        Map<CostTerms.Lut, Double> lut = new EnumMap<>(CostTerms.Lut.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("lut").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            lut.put(lutTerm(e.getKey()), number(e.getValue(), "lut." + e.getKey()));
        }
        Map<CostTerms.Ff, Double> ff = new EnumMap<>(CostTerms.Ff.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("ff").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ff.put(ffTerm(e.getKey()), number(e.getValue(), "ff." + e.getKey()));
        }
        JsonNode lat = root.path("latency");
        JsonNode band = root.path("band");
        List<String> sources = new ArrayList<>();
        root.path("sources").forEach(s -> sources.add(s.asText()));
        return new Calibration(lut, ff, lat.has("boundary_cycles") ? number(lat.get("boundary_cycles"),
                "latency.boundary_cycles") : 1, lat.has("offset_cycles") ? number(lat.get("offset_cycles"),
                "latency.offset_cycles") : 0, band.path("lut_relative").asDouble(0),
                band.path("ff_relative").asDouble(0), band.path("latency_cycles").asDouble(0), sources,
                root.path("points").asInt(0));
    }

    private static double number(JsonNode n, String where) {
        if (n == null || !n.isNumber()) {
            throw new ModelException(where + " must be a number, got " + n);
        }
        return n.asDouble();
    }

    private static CostTerms.Lut lutTerm(String key) {
        for (CostTerms.Lut t : CostTerms.Lut.values()) {
            if (t.key().equals(key)) {
                return t;
            }
        }
        throw new ModelException("unknown LUT term '" + key + "'");
    }

    private static CostTerms.Ff ffTerm(String key) {
        for (CostTerms.Ff t : CostTerms.Ff.values()) {
            if (t.key().equals(key)) {
                return t;
            }
        }
        throw new ModelException("unknown FF term '" + key + "'");
    }
}
