package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.quantize.FixedPoint;

/**
 * hls4ml's per-layer settings that the resource model needs.
 *
 * @param weight      weight_t
 * @param bias        bias_t
 * @param result      result_t (also the accumulator width: hls4ml's accum_t defaults to the model precision)
 * @param reuseFactor ReuseFactor (&gt;= 1)
 * @param strategy    Strategy
 */
public record LayerHwConfig(FixedPoint weight, FixedPoint bias, FixedPoint result, int reuseFactor,
                            Strategy strategy) {
    public LayerHwConfig {
        if (weight == null || bias == null || result == null || strategy == null) {
            throw new ModelException("layer hardware settings need weight, bias and result precisions and a strategy");
        }
        if (reuseFactor < 1) {
            throw new ModelException("reuse factor must be at least 1, got " + reuseFactor);
        }
    }

    /** One precision for weights, biases and results (hls4ml's Model-level Precision). */
    public static LayerHwConfig of(FixedPoint precision, int reuseFactor, Strategy strategy) {
        return new LayerHwConfig(precision, precision, precision, reuseFactor, strategy);
    }

    public LayerHwConfig withReuseFactor(int rf) {
        return new LayerHwConfig(weight, bias, result, rf, strategy);
    }

    public LayerHwConfig withStrategy(Strategy s) {
        return new LayerHwConfig(weight, bias, result, reuseFactor, s);
    }

    public LayerHwConfig withWeight(FixedPoint w) {
        return new LayerHwConfig(w, bias, result, reuseFactor, strategy);
    }
}
