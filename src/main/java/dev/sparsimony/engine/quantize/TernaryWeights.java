package dev.sparsimony.engine.quantize;

/**
 * Ternary weight networks (Li, Zhang, Liu, "Ternary Weight Networks", 2016): threshold delta = 0.7 * mean |w|
 * (over all n weights), w -&gt; alpha * sign(w) where |w| &gt; delta, else 0; alpha = mean |w| over |w| &gt; delta.
 */
public record TernaryWeights() implements WeightQuantizer {
    @Override
    public String id() {
        return "ternary";
    }

    @Override
    public void quantize(float[] w) {
        if (w.length == 0) {
            return;
        }
        double sum = 0;
        for (float v : w) {
            sum += Math.abs(v);
        }
        double delta = 0.7 * sum / w.length;
        double s = 0;
        int n = 0;
        for (float v : w) {
            if (Math.abs(v) > delta) {
                s += Math.abs(v);
                n++;
            }
        }
        float alpha = n == 0 ? 0f : (float) (s / n);
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.abs(w[i]) > delta ? Math.copySign(alpha, w[i]) : 0f;
        }
    }

    @Override
    public int bitsPerWeight() {
        return 2;
    }

    @Override
    public long overheadBits() {
        return 32;
    }
}
