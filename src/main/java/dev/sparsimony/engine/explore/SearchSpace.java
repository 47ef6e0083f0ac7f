package dev.sparsimony.engine.explore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsimony.engine.model.ModelException;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A search space (JSON, documented in docs/exploration.md): a base design point, axes that vary any of its fields
 * (globally or per layer) over a list of values, a numeric range or a list of fixed-point widths, constraints a
 * result must meet to be feasible, and the settings of the strategies that need more than axes (objectives and
 * population of NSGA-II, the sensitivity scan's values, the budget walk). Immutable; built only by {@link #read}
 * and {@link #of}, which check every axis value against the design point's schema so that a misspelt field or an
 * out-of-range value is refused by name before anything runs.
 */
public final class SearchSpace {
    /** Schema version of space files. */
    public static final int VERSION = 1;
    private static final Set<String> TOP = Set.of("version", "name", "base", "axes", "constraints", "objectives",
            "population", "sensitivity", "budgetWalk");

    /** One axis: a field path of the design point and its values (JSON). */
    public record Axis(String name, String field, List<JsonNode> values) {
        public Axis {
            values = List.copyOf(values);
        }

        /** A value as a plain Java value for tables (numbers, text, booleans; objects as their hls type or JSON). */
        public Object label(int i) {
            return plain(values.get(i));
        }
    }

    /**
     * Constraints a result must meet to be feasible (infeasible results are kept and marked).
     *
     * @param fitsDevice  the design must fit the device (DSP, BRAM, LUT, FF)
     * @param minAccuracy the least accuracy (or agreement), null for none
     */
    public record Constraints(boolean fitsDevice, Double minAccuracy) {
        public static final Constraints DEFAULT = new Constraints(true, null);
    }

    /** The per-layer scan of the sensitivity strategy: sparsities and weight widths, each layer alone. */
    public record Sensitivity(List<Double> sparsities, List<Integer> bits, int integerBits) {
        public static final Sensitivity DEFAULT = new Sensitivity(List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8,
                0.9, 0.95), List.of(2, 3, 4, 5, 6, 8, 10, 12, 16), 1);
    }

    /** The budget walk: a resource budget from {@code from} down to {@code to} of the unpruned design. */
    public record BudgetWalk(String resource, double from, double to, double step, String granularity) {
        public static final BudgetWalk DEFAULT = new BudgetWalk("DSP", 1.0, 0.1, 0.1, null);

        /** The budgets of the walk, from the largest down. */
        public List<Double> budgets() {
            List<Double> b = new ArrayList<>();
            BigDecimal s = BigDecimal.valueOf(step);
            for (BigDecimal v = BigDecimal.valueOf(from); v.compareTo(BigDecimal.valueOf(to)) >= 0
                    && b.size() < 100_000; v = v.subtract(s)) {
                b.add(v.doubleValue());
            }
            return b;
        }

        /** The structure the walk prunes: given, else the one that maps onto the budgeted resource. */
        public String granularityFor() {
            if (granularity != null) {
                return granularity;
            }
            return switch (resource) {
                case "DSP" -> "dsp-pattern";
                case "BRAM" -> "bram-block";
                default -> "block";
            };
        }
    }

    private final String name;
    private final DesignPoint base;
    private final ObjectNode baseTree;
    private final List<Axis> axes;
    private final Constraints constraints;
    private final List<String> objectives;
    private final int population;
    private final Sensitivity sensitivity;
    private final BudgetWalk budgetWalk;

    private SearchSpace(String name, DesignPoint base, List<Axis> axes, Constraints constraints,
                        List<String> objectives, int population, Sensitivity sensitivity, BudgetWalk walk) {
        this.name = name;
        this.base = base;
        this.baseTree = DesignPointCodec.toTree(base);
        this.axes = List.copyOf(axes);
        this.constraints = constraints;
        this.objectives = List.copyOf(objectives);
        this.population = population;
        this.sensitivity = sensitivity;
        this.budgetWalk = walk;
    }

    public static SearchSpace of(DesignPoint base, List<Axis> axes, Constraints constraints) {
        SearchSpace s = new SearchSpace("space", base, axes, constraints, List.of("accuracy", "dsp"), 24,
                Sensitivity.DEFAULT, BudgetWalk.DEFAULT);
        s.check("space");
        return s;
    }

    public String name() {
        return name;
    }

    public DesignPoint base() {
        return base;
    }

    public List<Axis> axes() {
        return axes;
    }

    public Constraints constraints() {
        return constraints;
    }

    /** Objectives of NSGA-II (and of the front of the window): accuracy and DSP unless the file says otherwise. */
    public List<String> objectives() {
        return objectives;
    }

    public int population() {
        return population;
    }

    public Sensitivity sensitivity() {
        return sensitivity;
    }

    public BudgetWalk budgetWalk() {
        return budgetWalk;
    }

    /** Number of grid points (the product of the axis sizes; saturates at Long.MAX_VALUE). */
    public long gridSize() {
        long n = 1;
        for (Axis a : axes) {
            try {
                n = Math.multiplyExact(n, a.values().size());
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        return n;
    }

    /** The point at the given value index of every axis (indices in axis order). */
    public DesignPoint point(int[] index) {
        ObjectNode t = baseTree.deepCopy();
        for (int a = 0; a < axes.size(); a++) {
            Axis ax = axes.get(a);
            set(t, ax.field(), ax.values().get(index[a]), ax.name());
        }
        return DesignPointCodec.fromTree(t, "of space " + name);
    }

    /** The axis values of the point at {@code index}, by axis name. */
    public Map<String, Object> choices(int[] index) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int a = 0; a < axes.size(); a++) {
            m.put(axes.get(a).name(), axes.get(a).label(index[a]));
        }
        return m;
    }

    /** The base point with one field set (sensitivity scan, budget walk). */
    public DesignPoint with(DesignPoint p, String field, JsonNode value) {
        ObjectNode t = DesignPointCodec.toTree(p);
        set(t, field, value, field);
        return DesignPointCodec.fromTree(t, "of space " + name);
    }

    /** A fixed-point quantizer of width {@code bits} and at most {@code integer} integer bits, as JSON. */
    public static JsonNode fixedBits(int bits, int integer) {
        ObjectNode q = JsonNodeFactory.instance.objectNode();
        q.put("type", "fixed");
        q.put("hls", "ap_fixed<" + bits + "," + Math.min(integer, bits) + ">");
        return q;
    }

    /** A field a space can vary, with what its values may be. */
    public record Field(String path, String values, boolean bits) {
    }

    /**
     * Every field a search space can vary for a model: the pruning fields, each granularity's declared parameters,
     * the quantizers (as bit-width axes), the hardware settings, and the per-layer fields of every prunable layer.
     * The CLI's {@code --list-axes} and the window's axis editor both list these.
     */
    /** The design point field of the blocks DepthShrinker merges. */
    public static final String SHRINK_FIELD = "depthShrink";

    /**
     * The fields of {@link #fields(List, List)} for a model, with {@code depthShrink} when the model has blocks or
     * pairs DepthShrinker can merge (a value is a list of their first layers; in the window's axis table the
     * values are written {@code none, b1_expand, b1_expand+b2_expand}).
     */
    public static List<Field> fields(dev.sparsimony.engine.model.Model model, List<String> devices) {
        List<Field> f = fields(model.prunableNodes().stream().map(dev.sparsimony.engine.model.Node::name).toList(),
                devices);
        List<String> blocks = dev.sparsimony.engine.transform.DepthShrinker.candidates(model);
        if (!blocks.isEmpty()) {
            int at = 0;
            while (at < f.size() && !f.get(at).path().startsWith("layers[")) {
                at++;
            }
            f.add(at, new Field(SHRINK_FIELD, "lists of blocks to merge (DepthShrinker), of " + String.join(", ",
                    blocks) + "; axis: {\"field\": \"" + SHRINK_FIELD + "\", \"values\": [[], [\"" + blocks.get(0)
                    + "\"]]}", false));
        }
        return f;
    }

    public static List<Field> fields(List<String> prunableLayers, List<String> devices) {
        List<Field> f = new ArrayList<>();
        f.add(new Field("prune.sparsity", "number in [0, 1)", false));
        f.add(new Field("prune.granularity", String.join(", ", new java.util.TreeSet<>(
                dev.sparsimony.engine.prune.Granularities.ids())), false));
        for (String g : new java.util.TreeSet<>(dev.sparsimony.engine.prune.Granularities.ids())) {
            for (var p : dev.sparsimony.engine.prune.Granularities.params(g)) {
                f.add(new Field("prune.params." + p.name(), (p.integer() ? "whole number in " : "number in ")
                        + p.range() + ", default " + fmt(p.defaultValue()) + " (" + g + ": " + p.description() + ")",
                        false));
            }
        }
        f.add(new Field("prune.selection", "layer, global, knapsack", false));
        f.add(new Field("prune.importance", "l1, l2, bn-gamma", false));
        for (String r : ResourceCosts.resources()) {
            f.add(new Field("prune.budgets." + r, "fraction of the unpruned " + r + " (knapsack)", false));
        }
        f.add(new Field("weights", "weight width in bits (fixed-point)", true));
        f.add(new Field("biases", "bias width in bits (fixed-point)", true));
        f.add(new Field("outputs", "layer-output width in bits (fixed-point)", true));
        f.add(new Field("hardware.reuseFactor", "whole number >= 1", false));
        f.add(new Field("hardware.strategy", "latency, resource, unrolled", false));
        f.add(new Field("hardware.device", String.join(", ", devices), false));
        f.add(new Field("hardware.io", "parallel, stream", false));
        f.add(new Field("hardware.clockMhz", "number in (0, 5000]", false));
        f.add(new Field("hardware.precision", "hls4ml type, e.g. ap_fixed<16,6>", false));
        f.add(new Field("hardware.hls4mlVersion", "hls4ml release, e.g. " + String.join(", ",
                dev.sparsimony.engine.hardware.Hls4mlVersion.RELEASES.subList(4,
                        dev.sparsimony.engine.hardware.Hls4mlVersion.RELEASES.size())), false));
        for (String l : prunableLayers) {
            String p = "layers[" + l + "].";
            f.add(new Field(p + "sparsity", "number in [0, 1) (layer selection)", false));
            f.add(new Field(p + "exempt", "true, false", false));
            f.add(new Field(p + "granularity", "a granularity id", false));
            f.add(new Field(p + "weights", "weight width in bits", true));
            f.add(new Field(p + "outputs", "output width in bits", true));
            f.add(new Field(p + "reuseFactor", "whole number >= 1", false));
            f.add(new Field(p + "strategy", "latency, resource, unrolled", false));
        }
        return f;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    // ------------------------------------------------------------------ reading

    public static SearchSpace read(Path file) {
        JsonNode root = DesignPointCodec.readTree(file, "search space");
        return read(root, String.valueOf(file.getFileName()));
    }

    public static SearchSpace read(JsonNode root, String label) {
        if (root == null || !root.isObject()) {
            throw new ModelException("search space " + label + " must be a JSON object");
        }
        String where = "search space " + label;
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TOP.contains(f)) {
                throw new ModelException(where + ": unknown field '" + f + "'; known: " + String.join(", ",
                        new java.util.TreeSet<>(TOP)));
            }
        }
        int version = root.has("version") ? root.get("version").asInt(-1) : VERSION;
        if (version < 1 || version > VERSION) {
            throw new ModelException(where + ": version " + root.get("version") + " is not one this Sparsimony"
                    + " reads (1)");
        }
        DesignPoint base = root.has("base") ? DesignPointCodec.fromTree(root.get("base"), "'base' of " + label)
                : DesignPoint.of(PruneSpec.none());
        List<Axis> axes = new ArrayList<>();
        JsonNode ax = root.get("axes");
        if (ax != null && !ax.isArray()) {
            throw new ModelException(where + ": 'axes' must be a list");
        }
        if (ax != null) {
            for (int i = 0; i < ax.size(); i++) {
                axes.add(axis(ax.get(i), where + " axis " + (i + 1), base));
            }
        }
        Constraints c = constraints(root.get("constraints"), where);
        List<String> objectives = List.of("accuracy", "dsp");
        if (root.has("objectives")) {
            objectives = new ArrayList<>();
            for (JsonNode o : array(root.get("objectives"), where + ": objectives")) {
                String s = o.asText();
                if (!PointResult.OBJECTIVES.contains(s)) {
                    throw new ModelException(where + ": unknown objective '" + s + "'; known: "
                            + String.join(", ", PointResult.OBJECTIVES));
                }
                objectives.add(s);
            }
            if (objectives.size() < 2 || objectives.size() > 3) {
                throw new ModelException(where + ": objectives must name 2 or 3 of "
                        + String.join(", ", PointResult.OBJECTIVES));
            }
        }
        int population = root.has("population") ? intIn(root.get("population"), 4, 10_000, where + ": population")
                : 24;
        Sensitivity sens = sensitivity(root.get("sensitivity"), where);
        BudgetWalk walk = budgetWalk(root.get("budgetWalk"), where);
        String name = root.has("name") ? root.get("name").asText() : label;
        SearchSpace s = new SearchSpace(name, base, axes, c, objectives, population, sens, walk);
        s.check(where);
        return s;
    }

    /** Every value of every axis applied alone to the base must make a valid point (names the axis otherwise). */
    private void check(String where) {
        Set<String> names = new java.util.HashSet<>();
        for (Axis a : axes) {
            if (!names.add(a.name())) {
                throw new ModelException(where + ": two axes are named '" + a.name() + "'");
            }
            for (JsonNode v : a.values()) {
                try {
                    ObjectNode t = baseTree.deepCopy();
                    set(t, a.field(), v, a.name());
                    DesignPointCodec.fromTree(t, "").canonical();
                } catch (ModelException e) {
                    throw new ModelException(where + ", axis '" + a.name() + "' = " + plain(v) + ": "
                            + e.getMessage().replaceFirst("^design point : ", ""), e);
                }
            }
        }
    }

    private static Axis axis(JsonNode n, String where, DesignPoint base) {
        if (n == null || !n.isObject()) {
            throw new ModelException(where + " must be an object with \"field\" and \"values\", \"range\" or \"bits\"");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("field", "name", "values", "range", "bits", "integer").contains(f)) {
                throw new ModelException(where + ": unknown field '" + f + "'; known: bits, field, integer, name,"
                        + " range, values");
            }
        }
        if (!n.hasNonNull("field") || n.get("field").asText().isBlank()) {
            throw new ModelException(where + " needs a \"field\" (e.g. \"prune.sparsity\")");
        }
        String field = n.get("field").asText().trim();
        String name = n.hasNonNull("name") ? n.get("name").asText() : field;
        int kinds = (n.has("values") ? 1 : 0) + (n.has("range") ? 1 : 0) + (n.has("bits") ? 1 : 0);
        if (kinds != 1) {
            throw new ModelException(where + " ('" + name + "') needs exactly one of \"values\", \"range\" or \"bits\"");
        }
        List<JsonNode> values = new ArrayList<>();
        if (n.has("values")) {
            array(n.get("values"), where + " ('" + name + "') values").forEach(values::add);
        } else if (n.has("range")) {
            JsonNode r = n.get("range");
            double from = number(r, "from", where);
            double to = number(r, "to", where);
            double step = number(r, "step", where);
            if (!(step > 0) || to < from) {
                throw new ModelException(where + " ('" + name + "'): range needs from <= to and a positive step");
            }
            BigDecimal s = BigDecimal.valueOf(step);
            for (BigDecimal v = BigDecimal.valueOf(from); v.compareTo(BigDecimal.valueOf(to)) <= 0; v = v.add(s)) {
                if (values.size() >= 100_000) {
                    throw new ModelException(where + " ('" + name + "'): range has more than 100,000 values");
                }
                values.add(JsonNodeFactory.instance.numberNode(v.stripTrailingZeros()));
            }
        } else {
            int integer = n.has("integer") ? intIn(n.get("integer"), -32, 32, where + " integer")
                    : defaultIntegerBits(field, base);
            for (JsonNode b : array(n.get("bits"), where + " ('" + name + "') bits")) {
                values.add(fixedBits(intIn(b, 1, 32, where + " ('" + name + "') bits"), integer));
            }
        }
        if (values.isEmpty()) {
            throw new ModelException(where + " ('" + name + "') has no values");
        }
        return new Axis(name, field, values);
    }

    /**
     * Integer bits of a "bits" axis: the base point's, when that quantizer is fixed-point; else 1 for weights
     * (QKeras' quantized_bits(b, 0) = ap_fixed&lt;b,1&gt;) and hls4ml's default 6 for biases and outputs.
     */
    private static int defaultIntegerBits(String field, DesignPoint base) {
        String last = field.substring(field.lastIndexOf('.') + 1);
        var q = switch (last) {
            case "weights" -> base.weights();
            case "biases" -> base.biases();
            default -> base.outputs();
        };
        if (q != null && q.fixed() != null) {
            return q.fixed().integer();
        }
        return last.equals("weights") ? 1 : 6;
    }

    private static Constraints constraints(JsonNode n, String where) {
        if (n == null) {
            return Constraints.DEFAULT;
        }
        if (!n.isObject()) {
            throw new ModelException(where + ": constraints must be an object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("fitsDevice") && !f.equals("minAccuracy")) {
                throw new ModelException(where + ": unknown constraint '" + f + "'; known: fitsDevice, minAccuracy");
            }
        }
        boolean fits = !n.has("fitsDevice") || n.get("fitsDevice").asBoolean(true);
        Double min = null;
        if (n.hasNonNull("minAccuracy")) {
            double v = n.get("minAccuracy").asDouble(Double.NaN);
            if (!(v >= 0 && v <= 1)) {
                throw new ModelException(where + ": constraint minAccuracy " + n.get("minAccuracy")
                        + " can never be met; give a fraction in [0, 1] (e.g. 0.7 for 70 %)");
            }
            min = v;
        }
        return new Constraints(fits, min);
    }

    private static Sensitivity sensitivity(JsonNode n, String where) {
        if (n == null) {
            return Sensitivity.DEFAULT;
        }
        List<Double> sp = new ArrayList<>(Sensitivity.DEFAULT.sparsities());
        List<Integer> bits = new ArrayList<>(Sensitivity.DEFAULT.bits());
        if (n.has("sparsities")) {
            sp.clear();
            for (JsonNode v : array(n.get("sparsities"), where + ": sensitivity.sparsities")) {
                double d = v.asDouble(Double.NaN);
                if (!(d >= 0 && d < 1)) {
                    throw new ModelException(where + ": sensitivity sparsity " + v + " is not in [0, 1)");
                }
                sp.add(d);
            }
        }
        if (n.has("bits")) {
            bits.clear();
            for (JsonNode v : array(n.get("bits"), where + ": sensitivity.bits")) {
                bits.add(intIn(v, 1, 32, where + ": sensitivity.bits"));
            }
        }
        int integer = n.has("integer") ? intIn(n.get("integer"), -32, 32, where + ": sensitivity.integer") : 1;
        return new Sensitivity(sp, bits, integer);
    }

    private static BudgetWalk budgetWalk(JsonNode n, String where) {
        if (n == null) {
            return BudgetWalk.DEFAULT;
        }
        String res = n.path("resource").asText("DSP");
        if (!ResourceCosts.resources().contains(res)) {
            throw new ModelException(where + ": budgetWalk.resource '" + res + "' is unknown; known: "
                    + String.join(", ", ResourceCosts.resources()));
        }
        double from = n.has("from") ? number(n, "from", where) : 1.0;
        double to = n.has("to") ? number(n, "to", where) : 0.1;
        double step = n.has("step") ? number(n, "step", where) : 0.1;
        if (!(from <= 1 && to >= 0 && to <= from && step > 0)) {
            throw new ModelException(where + ": budgetWalk needs 1 >= from >= to >= 0 and a positive step");
        }
        String g = n.hasNonNull("granularity") ? n.get("granularity").asText() : null;
        return new BudgetWalk(res, from, to, step, g);
    }

    // ------------------------------------------------------------------ JSON helpers

    /**
     * Sets a dotted field path in a design-point tree, creating objects on the way; a layer name with dots goes in
     * brackets: {@code layers[block1.conv].sparsity}.
     */
    static void set(ObjectNode root, String path, JsonNode value, String axis) {
        List<String> parts = split(path);
        ObjectNode o = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            JsonNode next = o.get(parts.get(i));
            if (next == null || next.isNull()) {
                next = o.putObject(parts.get(i));
            } else if (!(next instanceof ObjectNode)) {
                throw new ModelException("axis '" + axis + "': '" + String.join(".", parts.subList(0, i + 1))
                        + "' is a value, not an object with fields");
            }
            o = (ObjectNode) next;
        }
        o.set(parts.get(parts.size() - 1), value);
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '[') {
                int end = path.indexOf(']', i);
                if (end < 0) {
                    throw new ModelException("field path '" + path + "' has an unclosed '['");
                }
                if (cur.length() > 0) {
                    parts.add(cur.toString());
                    cur.setLength(0);
                }
                parts.add(path.substring(i + 1, end));
                i = end;
            } else if (c == '.') {
                if (cur.length() > 0) {
                    parts.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            parts.add(cur.toString());
        }
        if (parts.isEmpty()) {
            throw new ModelException("empty field path");
        }
        return parts;
    }

    private static ArrayNode array(JsonNode n, String what) {
        if (n == null || !n.isArray()) {
            throw new ModelException(what + " must be a list");
        }
        return (ArrayNode) n;
    }

    private static double number(JsonNode n, String f, String where) {
        JsonNode v = n == null ? null : n.get(f);
        if (v == null || !v.isNumber()) {
            throw new ModelException(where + ": '" + f + "' must be a number");
        }
        return v.asDouble();
    }

    private static int intIn(JsonNode v, int lo, int hi, String what) {
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < lo || v.asInt() > hi) {
            throw new ModelException(what + " must be a whole number in [" + lo + ", " + hi + "], got " + v);
        }
        return v.asInt();
    }

    static Object plain(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isObject() && v.has("hls")) {
            return v.get("hls").asText();
        }
        if (v.isArray()) {
            List<String> names = new ArrayList<>();
            for (JsonNode e : v) {
                if (!e.isTextual()) {
                    return v.toString();
                }
                names.add(e.asText());
            }
            return nameSetLabel(names);
        }
        return v.toString();
    }

    /** A set of names (depthShrink blocks) as tables and the window's axis table write it: "none" or "a+b". */
    public static String nameSetLabel(List<String> names) {
        return names.isEmpty() ? "none" : String.join("+", names);
    }

    /** The set of names a {@link #nameSetLabel} stands for ("[]" is read as "none" too). */
    public static List<String> nameSet(String label) {
        String t = label.trim();
        if (t.equals("none") || t.equals("[]")) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String b : t.split("\\+")) {
            out.add(b.trim());
        }
        return out;
    }
}
