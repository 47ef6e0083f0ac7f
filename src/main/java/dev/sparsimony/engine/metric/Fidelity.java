package dev.sparsimony.engine.metric;

/**
 * Agreement of a candidate model's outputs with a reference model's outputs on the same inputs, for data
 * without labels.
 *
 * @param agreement fraction of samples whose top-1 class is the same in both
 * @param mse       mean squared difference over all output values
 */
public record Fidelity(double agreement, double mse) {

    /** reference and candidate are [n, classes] row-major outputs of the same samples. */
    public static Fidelity of(float[] reference, float[] candidate, int classes) {
        if (reference.length != candidate.length) {
            throw new IllegalArgumentException("reference has " + reference.length + " values, candidate "
                    + candidate.length);
        }
        if (classes < 1 || reference.length % classes != 0) {
            throw new IllegalArgumentException(reference.length + " values are not a multiple of " + classes
                    + " classes");
        }
        int n = reference.length / classes;
        if (n == 0) {
            return new Fidelity(Double.NaN, Double.NaN);
        }
        int same = 0;
        for (int i = 0; i < n; i++) {
            int r = Accuracy.predicted(reference, i, classes);
            if (r >= 0 && r == Accuracy.predicted(candidate, i, classes)) {
                same++;
            }
        }
        double sum = 0;
        for (int i = 0; i < reference.length; i++) {
            double d = (double) reference[i] - candidate[i];
            sum += d * d;
        }
        return new Fidelity((double) same / n, sum / reference.length);
    }
}
