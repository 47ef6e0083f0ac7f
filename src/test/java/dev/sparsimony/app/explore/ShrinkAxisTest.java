package dev.sparsimony.app.explore;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointCodec;
import dev.sparsimony.engine.explore.DesignPointEvaluator;
import dev.sparsimony.engine.explore.SearchSpace;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.model.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** DepthShrinker blocks as an axis of the window's search space: listed with the model's blocks, typed as sets. */
class ShrinkAxisTest {
    static final Path MOBILE = Path.of("sample-models", "mobile-cnn");

    @Test
    void theBlocksOfTheModelAreAnAxisTypedAsSetsJoinedByPlus() {
        Assumptions.assumeTrue(Files.isDirectory(MOBILE), "sample-models/mobile-cnn is not in this checkout");
        Model model = ModelFiles.load(MOBILE);
        List<SearchSpace.Field> fields = SearchSpace.fields(model, DeviceCatalogue.standard().names());
        SearchSpace.Field shrink = fields.stream().filter(f -> f.path().equals("depthShrink")).findFirst()
                .orElseThrow();
        assertTrue(shrink.values().contains("b1_expand, b2_expand, b3_expand"), shrink.values());

        ObjectNode axis = ExploreViewModel.axisJson("depthShrink", "none, b1_expand, b1_expand+b3_expand", fields);
        assertEquals("[[],[\"b1_expand\"],[\"b1_expand\",\"b3_expand\"]]", axis.get("values").toString());

        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("name", "t");
        root.set("base", DesignPointCodec.toTree(DesignPoint.of(dev.sparsimony.engine.explore.PruneSpec.none())));
        ArrayNode axes = root.putArray("axes");
        axes.add(axis);
        SearchSpace space = SearchSpace.read(root, "test");
        // labelled in the same syntax (result tables, and the table of a space opened from a file)
        assertEquals(List.of("none", "b1_expand", "b1_expand+b3_expand"), List.of(space.axes().get(0).label(0),
                space.axes().get(0).label(1), space.axes().get(0).label(2)));
        try (DesignPointEvaluator ev = new DesignPointEvaluator(model, DataFiles.load(MOBILE.resolve("validation.npz")))) {
            for (int v = 0; v < 3; v++) {
                DesignPoint p = space.point(new int[] {v});
                assertEquals(v == 0 ? List.of() : v == 1 ? List.of("b1_expand") : List.of("b1_expand", "b3_expand"),
                        p.depthShrink());
                assertDoesNotThrow(() -> ev.validate(p));
            }
        }
    }

    @Test
    void aModelWithoutBlocksHasNoSuchAxis() {
        Model m = dev.sparsimony.engine.hardware.TestModels.singleDense(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertTrue(SearchSpace.fields(m, List.of("xcvu9p")).stream().noneMatch(f -> f.path().equals("depthShrink")));
    }
}
