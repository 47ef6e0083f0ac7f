package dev.sparsimony.engine.explore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsimony.engine.io.AtomicFiles;
import dev.sparsimony.engine.model.ModelException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Session files (JSON): the point and every result through the design-point and result codecs, written atomically
 * (temporary file, then rename), so a failed write leaves the previous session as it was. A file of a newer version,
 * or a damaged one, is refused with one line naming it.
 */
public final class SessionCodec {
    /** A session holds every result: it may be much larger than a design point. */
    private static final long MAX_BYTES = 1L << 30;

    private SessionCodec() {
    }

    public static String write(Session s) {
        ObjectNode o = DesignPointCodec.JSON.createObjectNode();
        o.put("format", "sparsimony-session");
        o.put("version", Session.VERSION);
        o.put("model", s.model());
        o.put("modelSha256", s.modelSha256());
        o.put("data", s.data());
        o.put("dataSha256", s.dataSha256());
        if (s.point() != null) {
            o.set("point", DesignPointCodec.toTree(s.point()));
        }
        if (s.space() != null) {
            o.set("space", DesignPointCodec.JSON.valueToTree(s.space()));
        }
        ArrayNode rs = o.putArray("results");
        for (PointResult r : s.results()) {
            rs.add(ResultCodec.toTree(r));
        }
        o.set("view", DesignPointCodec.JSON.valueToTree(s.view()));
        try {
            return DesignPointCodec.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(Path file, Session s) {
        AtomicFiles.write(file, write(s));
    }

    public static Session read(Path file) {
        JsonNode root = readTree(file);
        String label = String.valueOf(file.getFileName());
        if (!(root instanceof ObjectNode o) || !"sparsimony-session".equals(o.path("format").asText())) {
            throw new ModelException("session " + label + " is not a Sparsimony session file");
        }
        int version = o.path("version").asInt(-1);
        if (version > Session.VERSION) {
            throw new ModelException("session " + label + " has version " + version + ", newer than this Sparsimony"
                    + " reads (up to " + Session.VERSION + "); update Sparsimony");
        }
        if (version < 1) {
            throw new ModelException("session " + label + ": version must be a positive whole number");
        }
        try {
            DesignPoint point = o.hasNonNull("point") ? DesignPointCodec.fromTree(o.get("point"), "in " + label)
                    : null;
            Session.SpaceSetup space = o.hasNonNull("space")
                    ? DesignPointCodec.JSON.treeToValue(o.get("space"), Session.SpaceSetup.class) : null;
            List<PointResult> results = new ArrayList<>();
            JsonNode rs = o.path("results");
            if (!rs.isMissingNode() && !rs.isArray()) {
                throw new ModelException("session " + label + ": results must be a list");
            }
            for (int i = 0; i < rs.size(); i++) {
                results.add(ResultCodec.read(rs.get(i).toString(), label + " result " + (i + 1)));
            }
            java.util.Map<String, String> view = new java.util.LinkedHashMap<>();
            o.path("view").fields().forEachRemaining(e -> view.put(e.getKey(), e.getValue().asText()));
            return new Session(version, text(o, "model"), text(o, "modelSha256"), text(o, "data"),
                    text(o, "dataSha256"), point, space, results, view);
        } catch (JsonProcessingException e) {
            throw new ModelException("session " + label + ": " + DesignPointCodec.describe(e), e);
        }
    }

    private static String text(ObjectNode o, String f) {
        return o.hasNonNull(f) ? o.get(f).asText() : null;
    }

    private static JsonNode readTree(Path file) {
        try {
            if (java.nio.file.Files.isRegularFile(file) && java.nio.file.Files.size(file) > MAX_BYTES) {
                throw new ModelException("session " + file.getFileName() + " is larger than 1 GB");
            }
        } catch (java.io.IOException e) {
            throw new ModelException("cannot read session " + file + ": " + AtomicFiles.describe(e), e);
        }
        try {
            return DesignPointCodec.JSON.readTree(java.nio.file.Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ModelException("session file not found: " + file, e);
        } catch (JsonProcessingException e) {
            throw new ModelException("session " + file.getFileName() + " is damaged (not valid JSON: "
                    + DesignPointCodec.firstLine(e) + ")", e);
        } catch (java.io.IOException e) {
            throw new ModelException("cannot read session " + file + ": " + AtomicFiles.describe(e), e);
        }
    }
}
