package dev.sparsimony.app.model;

import dev.sparsimony.engine.explore.DesignPointEvaluator;
import java.util.function.Function;

/**
 * One design-point evaluator for the opened model and data, made on first use and replaced (the old one closed)
 * when another model or data is opened: it compiles the model once. Used by one worker thread only.
 */
public final class SessionEvaluator {
    private final Function<ModelSession, DesignPointEvaluator> make;
    private DesignPointEvaluator evaluator;
    private ModelSession session;

    public SessionEvaluator(Function<ModelSession, DesignPointEvaluator> make) {
        this.make = make;
    }

    public DesignPointEvaluator of(ModelSession s) {
        if (session != s) {
            if (evaluator != null) {
                evaluator.close();
            }
            evaluator = make.apply(s);
            session = s;
        }
        return evaluator;
    }
}
