package dev.sparsimony.engine.quantize;

import dev.sparsimony.engine.model.ModelException;

/**
 * Logarithmic (power-of-two) weights: w -&gt; sign(w) * 2^round(log2|w|) (Miyashita, Lee, Murmann, "Convolutional
 * Neural Networks using Logarithmic Data Representation", 2016; multiplications become shifts on an FPGA). With
 * {@code bits} b (sign included) there are 2^(b-1) - 1 exponents e in [eMax - 2^(b-1) + 2, eMax] and one code for
 * zero; smaller magnitudes become 0, larger ones clamp to 2^eMax. eMax is round(log2 max|w|) unless given.
 */
public record PowerOfTwo(int bits, Integer maxExponent) implements WeightQuantizer {
    public PowerOfTwo {
        if (bits < 2 || bits > 8) {
            throw new ModelException("power-of-two weight bits must be in 2..8, got " + bits);
        }
    }

    @Override
    public String id() {
        return "po2";
    }

    @Override
    public void quantize(float[] w) {
        int eMax;
        if (maxExponent != null) {
            eMax = maxExponent;
        } else {
            float max = 0;
            for (float v : w) {
                max = Math.max(max, Math.abs(v));
            }
            if (max == 0 || !Float.isFinite(max)) {
                return;
            }
            eMax = (int) Math.round(Math.log(max) / Math.log(2));
        }
        int eMin = eMax - (1 << (bits - 1)) + 2;
        double ln2 = Math.log(2);
        for (int i = 0; i < w.length; i++) {
            float v = w[i];
            if (v == 0 || v != v) {
                w[i] = 0;
                continue;
            }
            int e = (int) Math.round(Math.log(Math.abs(v)) / ln2);
            if (e < eMin) {
                w[i] = 0;
                continue;
            }
            e = Math.min(e, eMax);
            w[i] = Math.copySign(Math.scalb(1f, e), v);
        }
    }

    @Override
    public int bitsPerWeight() {
        return bits;
    }
}
