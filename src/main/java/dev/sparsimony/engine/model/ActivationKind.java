package dev.sparsimony.engine.model;

/** Element-wise activations. {@code alpha}/{@code beta} of {@link Ops.Activation} parametrise some of them. */
public enum ActivationKind {
    LINEAR("Linear"),
    RELU("ReLU"),
    /** f(x) = x if x &gt;= 0 else alpha * x. */
    LEAKY_RELU("LeakyReLU"),
    /** f(x) = x if x &gt; 0 else alpha * (exp(x) - 1). */
    ELU("ELU"),
    /** SELU with the fixed constants of Klambauer et al. 2017 (alpha 1.67326..., scale 1.05070...). */
    SELU("SELU"),
    SIGMOID("Sigmoid"),
    /** f(x) = max(0, min(1, alpha * x + beta)); Keras uses alpha 0.2, beta 0.5; ONNX default the same. */
    HARD_SIGMOID("HardSigmoid"),
    TANH("Tanh"),
    SOFTPLUS("Softplus"),
    SOFTSIGN("Softsign"),
    /** f(x) = min(beta, max(alpha, x)). */
    CLIP("Clip");

    private final String label;

    ActivationKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
