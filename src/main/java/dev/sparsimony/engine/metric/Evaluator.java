package dev.sparsimony.engine.metric;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;

/** Measures model quality on a data set: accuracy with labels, fidelity to a reference model without. */
public final class Evaluator {
    private Evaluator() {
    }

    /** Top-1 accuracy; the data must carry labels (otherwise use {@link #evaluate(Model, Model, Dataset)}). */
    public static Quality evaluate(Model model, Dataset data) {
        if (!data.hasLabels()) {
            throw new ModelException("data '" + data.name() + "' has no labels, so accuracy cannot be measured;"
                    + " compare against the original model instead (fidelity)");
        }
        Tensor out = Inference.predict(model, data.x());
        int classes = classes(out);
        // a label the model cannot output means data and model do not belong together: say so, not "0 %"
        int allowed = Math.max(classes, 2);
        for (int i = 0; i < data.labels().length; i++) {
            int l = data.labels()[i];
            if (l < 0 || l >= allowed) {
                throw new ModelException("data '" + data.name() + "' sample " + i + " has label " + l
                        + ", but the model has only " + allowed + " classes (0.." + (allowed - 1) + ")");
            }
        }
        return Quality.accuracy(Accuracy.top1(out.data(), classes, data.labels()), data.size());
    }

    /** Accuracy of the candidate when the data has labels, else its fidelity to the reference model. */
    public static Quality evaluate(Model candidate, Model reference, Dataset data) {
        if (data.hasLabels()) {
            return evaluate(candidate, data);
        }
        Tensor ref = Inference.predict(reference, data.x());
        Tensor cand = Inference.predict(candidate, data.x());
        if (ref.size() != cand.size()) {
            throw new ModelException("the model outputs " + cand.shapeString() + " values per batch but the original"
                    + " model outputs " + ref.shapeString());
        }
        return Quality.fidelity(Fidelity.of(ref.data(), cand.data(), classes(ref)), data.size());
    }

    private static int classes(Tensor out) {
        return out.dim(0) == 0 ? Math.max(1, out.size()) : out.size() / out.dim(0);
    }
}
