package dev.sparsimony.app.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EditHistoryTest {
    @Test
    void undoAndRedoWalkSettledStates() {
        EditHistory<Double> h = new EditHistory<>(0.0);
        assertFalse(h.canUndoProperty().get());
        h.settle(30.0);
        h.settle(30.0); // same state: no extra step
        h.settle(50.0);
        assertEquals(30.0, h.undo());
        assertEquals(0.0, h.undo());
        assertNull(h.undo());
        assertEquals(30.0, h.redo());
        h.settle(70.0); // a new change drops the redo branch
        assertFalse(h.canRedoProperty().get());
        assertEquals(30.0, h.undo());
        h.reset(0.0);
        assertFalse(h.canUndoProperty().get());
        for (int i = 1; i <= EditHistory.LIMIT + 50; i++) {
            h.settle((double) i);
        }
        int steps = 0;
        while (h.undo() != null) {
            steps++;
        }
        assertEquals(EditHistory.LIMIT, steps, "the oldest steps are forgotten");
        assertTrue(h.canRedoProperty().get());
    }
}
