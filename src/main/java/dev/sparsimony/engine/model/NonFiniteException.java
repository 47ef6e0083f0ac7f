package dev.sparsimony.engine.model;

import java.util.List;

/**
 * Weights or data hold NaN or infinite values and the policy is {@link NonFinite.Policy#REFUSE}. The message is
 * the one-line report for the CLI; a window asks the user with {@link #findings()} and loads again with
 * {@link NonFinite.Policy#ALLOW} when the user wants to go on.
 */
public final class NonFiniteException extends ModelException {
    private final transient List<NonFinite.Finding> findings;

    public NonFiniteException(String message, List<NonFinite.Finding> findings) {
        super(message);
        this.findings = List.copyOf(findings);
    }

    public List<NonFinite.Finding> findings() {
        return findings;
    }
}
