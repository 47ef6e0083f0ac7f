package dev.sparsimony.app.dialogs;

import java.nio.file.Path;
import java.util.Optional;

/** What view-models may ask of the user; the JavaFX implementation is {@link FxDialogService}, tests use a fake. */
public interface DialogService {
    void showError(String title, String message);

    /** Asks a yes/no question (e.g. whether to open a model with NaN weights); true when the user goes on. */
    default boolean confirm(String title, String question) {
        return false;
    }

    Optional<Path> chooseModel(Path initialDirectory);

    /** A model stored as a folder (project format). */
    Optional<Path> chooseModelFolder(Path initialDirectory);

    Optional<Path> chooseData(Path initialDirectory);

    /** Where to save the current design point (JSON). */
    Optional<Path> chooseDesignPointTarget(Path initialDirectory, String suggestedName);
}
