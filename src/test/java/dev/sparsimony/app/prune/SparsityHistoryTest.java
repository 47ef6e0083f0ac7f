package dev.sparsimony.app.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SparsityHistoryTest {
    @Test
    void undoAndRedoWalkSettledValues() {
        SparsityHistory h = new SparsityHistory();
        assertFalse(h.canUndoProperty().get());
        h.settle(30);
        h.settle(30); // same value: no extra step
        h.settle(50);
        assertEquals(30, h.undo());
        assertEquals(0, h.undo());
        assertTrue(Double.isNaN(h.undo()));
        assertEquals(30, h.redo());
        h.settle(70); // a new change drops the redo branch
        assertFalse(h.canRedoProperty().get());
        assertEquals(30, h.undo());
        h.reset(0);
        assertFalse(h.canUndoProperty().get());
    }
}
