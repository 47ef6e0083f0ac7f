package dev.sparsimony.app.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.model.ModelException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesignSettingsTest {
    @Test
    void parsesNameValueParameters() {
        assertEquals(Map.of("n", 2.0, "m", 4.0), DesignSettings.parseParams(" n=2, M = 4 "));
        assertEquals(Map.of(), DesignSettings.parseParams("  "));
        assertThrows(ModelException.class, () -> DesignSettings.parseParams("n"));
        ModelException e = assertThrows(ModelException.class, () -> DesignSettings.parseParams("n=two"));
        assertTrue(e.getMessage().contains("'n' must be a number"), e.getMessage());
    }

    @Test
    void resolvesIntoTheEnginesDesignPoint() {
        DesignSettings s = new DesignSettings();
        assertTrue(s.isPlain());
        s.granularityProperty().set("block");
        s.paramsProperty().set("rows=2, cols=2");
        s.weightBitsProperty().set(8);
        s.weightIntegerBitsProperty().set(2);
        assertFalse(s.isPlain());
        DesignPoint p = s.toDesignPoint(0.4);
        assertEquals("block", p.prune().granularity());
        assertEquals(Map.of("rows", 2.0, "cols", 2.0), p.prune().params());
        assertEquals("global", p.prune().selection());
        assertEquals(0.4, p.prune().sparsity());
        assertEquals("ap_fixed<8,2>", p.weights().fixed().hlsType());

        s.selectionProperty().set("knapsack");
        s.budgetResourceProperty().set("MACs");
        s.budgetPercentProperty().set(30);
        DesignPoint k = s.toDesignPoint(0.4);
        assertEquals("knapsack", k.prune().selection());
        assertEquals(Map.of("MACs", 0.3), k.prune().budgets());
        assertEquals("unpruned", k.prune().budgetBasis());
    }

    @Test
    void listsTheEnginesRegistries() {
        assertEquals("unstructured", DesignSettings.granularities().get(0));
        assertTrue(DesignSettings.granularities().contains("n-of-m"));
        assertTrue(DesignSettings.resources().contains("params"));
    }
}
