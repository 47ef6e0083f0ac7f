package dev.sparsimony.engine.metric;

/** Top-1 classification accuracy on a batch of model outputs. */
public final class Accuracy {
    private Accuracy() {
    }

    /**
     * Fraction of rows whose predicted class equals the label. outputs is [n, classes] row-major. With one
     * output column (a sigmoid binary classifier) the prediction is class 1 when the output exceeds 0.5.
     * Rows containing NaN never match (NaN is never the maximum). Returns NaN for zero samples.
     */
    public static double top1(float[] outputs, int classes, int[] labels) {
        int n = labels.length;
        check(outputs.length, classes, n);
        if (n == 0) {
            return Double.NaN;
        }
        int hits = 0;
        for (int i = 0; i < n; i++) {
            if (predicted(outputs, i, classes) == labels[i]) {
                hits++;
            }
        }
        return (double) hits / n;
    }

    static void check(int length, int classes, int n) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be positive, got " + classes);
        }
        if ((long) classes * n != length) {
            throw new IllegalArgumentException("outputs hold " + length + " values, expected " + n + " samples x "
                    + classes + " classes");
        }
    }

    /** Predicted class of row i (first maximum; -1 when the row has no comparable value, e.g. all NaN). */
    public static int predicted(float[] outputs, int row, int classes) {
        int off = row * classes;
        if (classes == 1) {
            float v = outputs[off];
            return Float.isNaN(v) ? -1 : v > 0.5f ? 1 : 0;
        }
        // first element as the running maximum, selects instead of branches (the comparisons are unpredictable);
        // a NaN first element leaves bestV NaN, and that rare row takes the exact loop below
        int best = 0;
        float bestV = outputs[off];
        for (int c = 1; c < classes; c++) {
            float v = outputs[off + c];
            boolean greater = v > bestV;
            best = greater ? c : best;
            bestV = greater ? v : bestV;
        }
        if (bestV == bestV) {
            return best;
        }
        best = -1;
        bestV = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            float v = outputs[off + c];
            if (v > bestV || (best < 0 && v == bestV)) {
                best = c;
                bestV = v;
            }
        }
        return best;
    }
}
