package dev.sparsimony.engine.explore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsimony.engine.model.ModelException;

/** Sweep results as JSON: one {@link PointResult} per line of points.jsonl, its point written by the point codec. */
public final class ResultCodec {
    private ResultCodec() {
    }

    public static ObjectNode toTree(PointResult r) {
        ObjectNode o = DesignPointCodec.JSON.valueToTree(r);
        o.set("point", DesignPointCodec.toTree(r.point()));
        return o;
    }

    public static String line(PointResult r) {
        try {
            return DesignPointCodec.JSON.writeValueAsString(toTree(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line of points.jsonl; {@code where} (file and line) names it in messages. */
    public static PointResult read(String line, String where) {
        JsonNode n;
        try {
            n = DesignPointCodec.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new ModelException(where + " is not valid JSON: " + DesignPointCodec.firstLine(e), e);
        }
        if (!(n instanceof ObjectNode o) || !(o.get("point") instanceof ObjectNode pointNode)) {
            throw new ModelException(where + " is not a sweep result (no \"point\" object)");
        }
        DesignPoint point = DesignPointCodec.fromTree(pointNode, where);
        ObjectNode rest = o.deepCopy();
        rest.remove("point");
        try {
            PointResult r = DesignPointCodec.JSON.treeToValue(rest, PointResult.class);
            return new PointResult(r.id(), r.key(), r.status(), r.error(), point, r.choices(), r.feasible(),
                    r.metric(), r.accuracy(), r.dsp(), r.bram18(), r.lut(), r.ff(), r.latencyCycles(), r.iiCycles(),
                    r.latencyNs(), r.storageBytes(), r.sparsity(), r.macs(), r.cached(), r.fitProblems(), r.layers(),
                    r.provenance());
        } catch (JsonProcessingException e) {
            throw new ModelException(where + ": " + DesignPointCodec.describe(e), e);
        }
    }
}
