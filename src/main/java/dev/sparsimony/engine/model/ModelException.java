package dev.sparsimony.engine.model;

/**
 * An error the user can act on: a bad model, file, configuration or input.
 * The message is a complete one-line sentence shown as-is by the CLI and in GUI dialogs.
 */
public class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
