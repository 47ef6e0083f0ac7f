package dev.sparsimony.app.prune;

import java.util.ArrayDeque;
import java.util.Deque;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

/**
 * Undo/redo of settled sparsity values (a drag of the slider is one step, not one step per pixel).
 * JavaFX thread only.
 */
public final class SparsityHistory {
    private final Deque<Double> undo = new ArrayDeque<>();
    private final Deque<Double> redo = new ArrayDeque<>();
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(this, "canUndo");
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(this, "canRedo");
    private double settled;

    /** Records {@code value} as the new settled value if it differs from the last one. */
    public void settle(double value) {
        if (value == settled) {
            return;
        }
        undo.push(settled);
        redo.clear();
        settled = value;
        update();
    }

    /** The value to go back to, or NaN when there is nothing to undo. */
    public double undo() {
        if (undo.isEmpty()) {
            return Double.NaN;
        }
        redo.push(settled);
        settled = undo.pop();
        update();
        return settled;
    }

    public double redo() {
        if (redo.isEmpty()) {
            return Double.NaN;
        }
        undo.push(settled);
        settled = redo.pop();
        update();
        return settled;
    }

    /** Forgets everything; {@code value} becomes the settled value (a newly opened model). */
    public void reset(double value) {
        undo.clear();
        redo.clear();
        settled = value;
        update();
    }

    public double settled() {
        return settled;
    }

    private void update() {
        canUndo.set(!undo.isEmpty());
        canRedo.set(!redo.isEmpty());
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo.getReadOnlyProperty();
    }
}
