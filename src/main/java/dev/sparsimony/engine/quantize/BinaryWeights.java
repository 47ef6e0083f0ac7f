package dev.sparsimony.engine.quantize;

/**
 * Binary weights with one per-layer scale: w -&gt; alpha * sign(w), alpha = mean |w| over the non-zero weights
 * (the L2-optimal scale of XNOR-Net, Rastegari et al., ECCV 2016). Pruned zeros stay zero.
 */
public record BinaryWeights() implements WeightQuantizer {
    @Override
    public String id() {
        return "binary";
    }

    @Override
    public void quantize(float[] w) {
        double sum = 0;
        int n = 0;
        for (float v : w) {
            if (v != 0) {
                sum += Math.abs(v);
                n++;
            }
        }
        if (n == 0) {
            return;
        }
        float alpha = (float) (sum / n);
        for (int i = 0; i < w.length; i++) {
            if (w[i] != 0) {
                w[i] = Math.copySign(alpha, w[i]);
            }
        }
    }

    @Override
    public int bitsPerWeight() {
        return 1;
    }

    @Override
    public long overheadBits() {
        return 32;
    }
}
