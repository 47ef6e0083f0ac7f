package dev.sparsimony.engine.metric;

/**
 * Quality of a model on a data set.
 *
 * @param metric  which measure {@code value} is
 * @param value   top-1 accuracy (labelled data) or top-1 agreement with the reference model (unlabelled)
 * @param samples number of samples evaluated
 * @param mse     mean squared output difference to the reference (fidelity only; NaN for accuracy)
 */
public record Quality(Metric metric, double value, int samples, double mse) {
    public enum Metric {
        ACCURACY("accuracy"), FIDELITY("agreement with the original model");

        private final String label;

        Metric(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public static Quality accuracy(double value, int samples) {
        return new Quality(Metric.ACCURACY, value, samples, Double.NaN);
    }

    public static Quality fidelity(Fidelity f, int samples) {
        return new Quality(Metric.FIDELITY, f.agreement(), samples, f.mse());
    }
}
