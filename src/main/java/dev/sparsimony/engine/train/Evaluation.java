package dev.sparsimony.engine.train;

/** Mean softmax cross-entropy and top-1 accuracy of a model on labelled data. */
public record Evaluation(double loss, double accuracy, int samples) {
}
