package dev.sparsimony.app.prune;

import java.util.ArrayDeque;
import java.util.Deque;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

/**
 * Undo/redo of settled states (a drag of the slider is one step, not one step per pixel; a change of any design
 * setting is one step). States are compared with equals: recording the current state again is not a step.
 * JavaFX thread only.
 */
public final class EditHistory<T> {
    /** Steps kept (the oldest are forgotten). */
    static final int LIMIT = 200;
    private final Deque<T> undo = new ArrayDeque<>();
    private final Deque<T> redo = new ArrayDeque<>();
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(this, "canUndo");
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(this, "canRedo");
    private T settled;

    public EditHistory(T initial) {
        settled = initial;
    }

    /** Records {@code value} as the new settled state if it differs from the last one. */
    public void settle(T value) {
        if (java.util.Objects.equals(value, settled)) {
            return;
        }
        undo.push(settled);
        while (undo.size() > LIMIT) {
            undo.removeLast();
        }
        redo.clear();
        settled = value;
        update();
    }

    /** The state to go back to, or null when there is nothing to undo. */
    public T undo() {
        if (undo.isEmpty()) {
            return null;
        }
        redo.push(settled);
        settled = undo.pop();
        update();
        return settled;
    }

    public T redo() {
        if (redo.isEmpty()) {
            return null;
        }
        undo.push(settled);
        settled = redo.pop();
        update();
        return settled;
    }

    /** Forgets everything; {@code value} becomes the settled state (a newly opened model). */
    public void reset(T value) {
        undo.clear();
        redo.clear();
        settled = value;
        update();
    }

    public T settled() {
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
